package io.tokenbroker.events;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.tokenbroker.api.AccountAccess;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.ClientAddresses;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * {@code GET /token[/{account}]/events}: Server-Sent Events of an account's tokens, for
 * callers that keep a token. Same keys and scopes as {@code GET /token}: a caller that
 * may not read the account gets 403 before any event. A waiting stream holds no thread.
 */
@RestController
@PartOf(Feature.BROKER)
class TokenEventsController {

	private final AccountAccess access;

	private final TokenFeeds feeds;

	private final ClientAddresses addresses;

	TokenEventsController(AccountAccess access, TokenFeeds feeds, ClientAddresses addresses) {
		this.access = access;
		this.feeds = feeds;
		this.addresses = addresses;
	}

	@GetMapping(path = { "/token/events", "/token/{account}/events" })
	SseEmitter events(@PathVariable(required = false) String account,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
			@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
		return this.feeds.open(this.access.session(account, caller, request), caller, this.addresses.of(request),
				lastEventId);
	}

}
