package io.tokenbroker.gateway;

import java.io.IOException;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;
import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.api.AccountAccess;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.session.AccountSession;

/**
 * {@code <prefix>/<account>/<endpoint>}: a caller's REST call to Tradovate, sent to the
 * account's base URL with the held token. The caller's key, its gateway right and its
 * account scope decide; the limits, a held endpoint or the broker's own endpoints
 * (logins, renewals) refuse it before it leaves.
 */
@RestController
@PartOf(Feature.GATEWAY)
class GatewayController {

	private final AccountAccess access;

	private final TradovateAccounts accounts;

	private final RestPassthrough passthrough;

	private final GatewayMetrics metrics;

	private final String prefix;

	GatewayController(AccountAccess access, TradovateAccounts accounts, RestPassthrough passthrough,
			GatewayMetrics metrics, GatewayProperties properties) {
		this.access = access;
		this.accounts = accounts;
		this.passthrough = passthrough;
		this.metrics = metrics;
		this.prefix = properties.prefix();
	}

	// every method Tradovate could take, OPTIONS included (Spring MVC answers it itself
	// unless named), TRACE not
	@RequestMapping(path = "${broker.gateway.prefix:/tradovate}/{account}/**",
			method = { RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH,
					RequestMethod.DELETE, RequestMethod.HEAD, RequestMethod.OPTIONS })
	CompletableFuture<ResponseEntity<?>> call(@PathVariable String account, @AuthenticationPrincipal Caller caller,
			HttpServletRequest request) throws IOException {
		TradovateAccount known = this.accounts.find(account).orElse(null);
		String tag = (known != null) ? account : GatewayMetrics.NO_ACCOUNT;
		this.metrics.request(tag, GatewayMetrics.REST);
		if (!caller.gateway()) {
			this.metrics.refused(tag, Refusal.NOT_ALLOWED);
			throw new AccessDeniedException("client " + caller.id() + " may not use the gateway");
		}
		AccountSession session;
		try {
			session = this.access.session(account, caller, request);
		}
		catch (RuntimeException ex) {
			this.metrics.refused(tag, Refusal.NOT_ALLOWED);
			throw ex;
		}
		String path = pathAfterAccount(request, account);
		if (path == null || !Endpoint.isPath(path)) {
			this.metrics.refused(tag, Refusal.BAD_PATH);
			throw new GatewayRefusal(HttpStatus.BAD_REQUEST, Refusal.BAD_PATH, "Not a Tradovate endpoint",
					"The path after " + this.prefix + "/" + account + "/ must name a Tradovate endpoint, such as "
							+ "account/list: letters, digits, '_', '.' and '-' in segments, no empty or dot segments.",
					null);
		}
		Endpoint endpoint = Endpoint.of(path);
		if (endpoint.reserved()) {
			this.metrics.refused(tag, Refusal.RESERVED_ENDPOINT);
			throw new GatewayRefusal(HttpStatus.FORBIDDEN, Refusal.RESERVED_ENDPOINT, "The broker's own endpoint",
					"The broker logs in and renews its token itself: a login or renewal through the gateway would "
							+ "open sessions and spend the renewals the broker needs. Call the endpoints you need "
							+ "through the gateway with your client key; it adds the token.",
					null);
		}
		// headers and body are read here, not bound as arguments: Spring logs
		// arguments at TRACE, and they carry the client's key and its orders (the
		// filter before bounds the body at 64 KB)
		byte[] body = request.getInputStream().readAllBytes();
		return this.passthrough.forward(new RestPassthrough.Call(known, session, endpoint,
				HttpMethod.valueOf(request.getMethod()), path, request.getQueryString(), headers(request), body));
	}

	private static HttpHeaders headers(HttpServletRequest request) {
		HttpHeaders headers = new HttpHeaders();
		for (String name : Collections.list(request.getHeaderNames())) {
			headers.put(name, Collections.list(request.getHeaders(name)));
		}
		return headers;
	}

	/** The raw path after {@code <prefix>/<account>/}, or {@code null}. */
	private String pathAfterAccount(HttpServletRequest request, String account) {
		String uri = request.getRequestURI();
		String start = request.getContextPath() + this.prefix + "/" + account + "/";
		return uri.startsWith(start) ? uri.substring(start.length()) : null;
	}

}
