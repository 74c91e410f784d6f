/**
 * The optional gateway: callers use Tradovate's REST API and WebSockets through the
 * broker with their client key and never hold the token, while the broker keeps
 * Tradovate's limits for the whole fleet (requests per hour, per-endpoint limits and
 * penalties, WebSocket connections).
 */
package io.tokenbroker.gateway;
