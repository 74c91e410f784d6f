/**
 * The token lifecycle end to end: the broker against its built-in simulator over real
 * HTTP, with one clock both of them read and the tests move.
 */
package io.tokenbroker.lifecycle;
