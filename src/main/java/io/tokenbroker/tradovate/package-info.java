/**
 * Tradovate's auth API on the wire: the login body, renewal, {@code /auth/me}, and the
 * many shapes an answer can take (tokens, penalty tickets, error texts, lock-outs,
 * garbage), each turned into one {@link io.tokenbroker.tradovate.TradovateAnswer}.
 */
package io.tokenbroker.tradovate;
