/**
 * The Tradovate token broker: start-up and the pieces every feature shares.
 */
package io.tokenbroker;
