package io.tokenbroker.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's meters, each tag an explicit, stable name: {@code account} (a configured
 * account id, or {@code none} before one is known), {@code kind} ({@code rest},
 * {@code trading}, {@code market-data}), {@code status} (Tradovate's HTTP status),
 * {@code direction} ({@code to-tradovate}, {@code to-caller}) and {@code reason} (a
 * {@link Refusal}'s tag).
 */
final class GatewayMetrics {

	static final String NO_ACCOUNT = "none";

	static final String REST = "rest";

	private final MeterRegistry registry;

	private final Map<String, AtomicInteger> openSockets = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> fleetSockets = new ConcurrentHashMap<>();

	GatewayMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** A request of a caller reached the broker: a REST call or a request on a socket. */
	void request(String account, String kind) {
		Counter.builder("broker.gateway.requests")
			.description("Requests callers sent through the gateway: REST calls and requests on WebSockets")
			.tags("account", account, "kind", kind)
			.register(this.registry)
			.increment();
	}

	/** Tradovate answered a REST call, after {@code latency}. */
	void answered(String account, int status, Duration latency) {
		Counter.builder("broker.gateway.answers")
			.description("Tradovate's answers to REST calls through the gateway, by HTTP status")
			.tags("account", account, "status", Integer.toString(status))
			.register(this.registry)
			.increment();
		Timer.builder("broker.gateway.upstream.latency")
			.description("Time from sending a REST call to Tradovate to its answer's status and headers")
			.tags("account", account)
			.register(this.registry)
			.record(latency);
	}

	void refused(String account, Refusal reason) {
		Counter.builder("broker.gateway.refusals")
			.description("Calls and sockets the gateway refused itself, by reason")
			.tags("account", account, "reason", reason.tag())
			.register(this.registry)
			.increment();
	}

	/** Tradovate refused the token with 401: resent with a new one, or not. */
	void resend(String account, boolean resent) {
		Counter.builder("broker.gateway.resends")
			.description("REST calls Tradovate answered 401: resent once with the token that replaced the refused "
					+ "one (resent), or answered as they came (token-kept)")
			.tags("account", account, "outcome", resent ? "resent" : "token-kept")
			.register(this.registry)
			.increment();
	}

	/** Tradovate answered a call with a penalty ticket: its endpoint is held. */
	void penalized(String account) {
		Counter.builder("broker.gateway.penalties")
			.description("Answers of Tradovate carrying a penalty ticket, after which the endpoint is held")
			.tags("account", account)
			.register(this.registry)
			.increment();
	}

	/** The counter of frames relayed one way on one account's sockets of one kind. */
	Counter frames(String account, SocketKind kind, boolean toTradovate) {
		return Counter.builder("broker.gateway.frames")
			.description("WebSocket frames relayed between callers and Tradovate (heartbeats excluded)")
			.tags("account", account, "kind", kind.tag(), "direction", toTradovate ? "to-tradovate" : "to-caller")
			.register(this.registry);
	}

	/** This replica's relayed sockets of an account and kind, open now. */
	AtomicInteger openSockets(String account, SocketKind kind) {
		return this.openSockets.computeIfAbsent(account + " " + kind.tag(), (key) -> {
			AtomicInteger open = new AtomicInteger();
			Gauge.builder("broker.gateway.sockets.open", open, AtomicInteger::get)
				.description("WebSockets this replica relays now, by account and kind")
				.tags("account", account, "kind", kind.tag())
				.register(this.registry);
			return open;
		});
	}

	/** Upstream sockets of an account the whole fleet counts, as last seen. */
	void fleetSockets(String account, int live) {
		this.fleetSockets.computeIfAbsent(account, (key) -> {
			AtomicInteger count = new AtomicInteger();
			Gauge.builder("broker.gateway.sockets.fleet", count, AtomicInteger::get)
				.description("Upstream WebSockets of an account counted across the fleet (broker.gateway.max-sockets "
						+ "is their ceiling), as this replica last read the count")
				.tags("account", account)
				.register(this.registry);
			return count;
		}).set(live);
	}

}
