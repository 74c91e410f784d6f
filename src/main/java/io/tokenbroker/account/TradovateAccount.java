package io.tokenbroker.account;

import java.net.URI;

/**
 * One Tradovate user the broker logs in as.
 *
 * @param id the account id callers name in {@code GET /token/{account}}
 * @param baseUrl Tradovate REST base URL, e.g. {@code https://demo.tradovateapi.com/v1}
 * @param credentials what the login sends
 */
public record TradovateAccount(String id, URI baseUrl, Credentials credentials) {

}
