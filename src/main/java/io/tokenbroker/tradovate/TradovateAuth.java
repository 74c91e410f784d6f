package io.tokenbroker.tradovate;

import java.util.concurrent.CompletableFuture;

import io.tokenbroker.account.TradovateAccount;

/**
 * Tradovate's auth API as the token lifecycle sees it. Every future completes normally:
 * network errors and refusals are answers too.
 */
public interface TradovateAuth {

	/** {@code POST /auth/accesstokenrequest}: a new session. */
	CompletableFuture<TradovateAnswer> login(TradovateAccount account, LoginRequest request);

	/** {@code GET /auth/renewaccesstoken}: a new token on the same session. */
	CompletableFuture<TradovateAnswer> renew(TradovateAccount account, String accessToken);

	/** {@code GET /auth/me}: whether Tradovate still accepts a token. */
	CompletableFuture<TradovateAnswer> me(TradovateAccount account, String accessToken);

}
