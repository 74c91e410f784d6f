package io.tokenbroker.gateway;

import java.time.Duration;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import io.tokenbroker.api.AccountAccess;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.ClientAddresses;
import io.tokenbroker.store.StoreUnavailableException;

/**
 * The upgrade of a gateway WebSocket. It notes the account and kind its path names and
 * the caller's address. A caller whose {@code Authorization} header named a client (the
 * security chain checked the key) is checked here, refused with the problem detail a REST
 * call would get (403, 404, or 429 while the fleet holds its ceiling of sockets); a
 * caller without a key is let in to send it in its {@code authorize} frame.
 */
final class SocketHandshake implements HandshakeInterceptor {

	static final String ACCOUNT = SocketHandshake.class.getName() + ".account";

	static final String KIND = SocketHandshake.class.getName() + ".kind";

	static final String ADDRESS = SocketHandshake.class.getName() + ".address";

	static final String CALLER = SocketHandshake.class.getName() + ".caller";

	private final String prefix;

	private final SocketServices services;

	private final ClientAddresses addresses;

	private final HandlerExceptionResolver problems;

	SocketHandshake(String prefix, SocketServices services, ClientAddresses addresses,
			HandlerExceptionResolver problems) {
		this.prefix = prefix;
		this.services = services;
		this.addresses = addresses;
		this.problems = problems;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) {
		if (!(request instanceof ServletServerHttpRequest servletRequest)
				|| !(response instanceof ServletServerHttpResponse servletResponse)) {
			return false;
		}
		HttpServletRequest http = servletRequest.getServletRequest();
		String path = http.getRequestURI().substring(http.getContextPath().length() + this.prefix.length() + 1);
		SocketKind kind = path.endsWith(SocketKind.MARKET_DATA.suffix()) ? SocketKind.MARKET_DATA : SocketKind.TRADING;
		String account = path.substring(0, path.length() - kind.suffix().length());
		attributes.put(ACCOUNT, account);
		attributes.put(KIND, kind);
		attributes.put(ADDRESS, this.addresses.of(http));
		if (http.getUserPrincipal() instanceof Authentication authentication
				&& authentication.getPrincipal() instanceof Caller caller) {
			RuntimeException refusal = refusal(caller, account, http);
			if (refusal != null) {
				this.problems.resolveException(http, servletResponse.getServletResponse(), null, refusal);
				return false;
			}
			attributes.put(CALLER, caller);
		}
		return true;
	}

	/** Why this caller may not open this socket now, or {@code null}. */
	private RuntimeException refusal(Caller caller, String account, HttpServletRequest http) {
		String tag = this.services.urls().containsKey(account) ? account : GatewayMetrics.NO_ACCOUNT;
		if (!caller.gateway()) {
			this.services.metrics().refused(tag, Refusal.NOT_ALLOWED);
			return new AccessDeniedException("client " + caller.id() + " may not use the gateway");
		}
		try {
			this.services.access().session(account, caller, http);
		}
		catch (RuntimeException ex) {
			this.services.metrics().refused(tag, Refusal.NOT_ALLOWED);
			return ex;
		}
		int ceiling = this.services.settings().maxSockets();
		try {
			if (this.services.registry().count(account, this.services.clock().instant()) >= ceiling) {
				this.services.metrics().refused(account, Refusal.SOCKET_LIMIT);
				Duration retry = this.services.settings().sockets().leaseTime().dividedBy(3);
				return new GatewayRefusal(HttpStatus.TOO_MANY_REQUESTS, Refusal.SOCKET_LIMIT,
						"WebSocket ceiling reached",
						"The broker's sockets to Tradovate for account " + account + " are at their ceiling (" + ceiling
								+ ", broker.gateway.max-sockets): Tradovate would close the oldest and "
								+ "revoke the token. Close one, or try again in " + GatewayRefusal.seconds(retry)
								+ " s.",
						retry);
			}
		}
		catch (StoreUnavailableException ex) {
			// counted again when the upstream socket opens
		}
		return null;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Exception exception) {
	}

}
