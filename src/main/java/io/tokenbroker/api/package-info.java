/**
 * The HTTP API internal callers use: {@code GET /token} and {@code GET /token/{account}},
 * and RFC 9457 problem details for every error, whatever layer raised it.
 */
package io.tokenbroker.api;
