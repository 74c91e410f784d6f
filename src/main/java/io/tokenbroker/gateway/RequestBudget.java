package io.tokenbroker.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.store.HourlyLedger.Permit;
import io.tokenbroker.store.Holds;
import io.tokenbroker.store.StateStore;
import io.tokenbroker.store.StoreUnavailableException;

/**
 * Tradovate's request limits, kept for every caller of the gateway on every replica
 * (partner docs, "Rate Limits"): the user's requests per hour (a share of them), the
 * hourly limits of single endpoints, and the wait a penalty imposes on its endpoint.
 * Ledgers and holds live in the state store, so that a fleet keeps them together.
 */
final class RequestBudget {

	private static final Logger log = LoggerFactory.getLogger(RequestBudget.class);

	private final StateStore store;

	private final Holds holds;

	private final Clock clock;

	private final int userLimit;

	private final Map<String, Integer> endpointLimits;

	private final Duration captchaHold;

	private final Map<String, HourlyLedger> ledgers = new ConcurrentHashMap<>();

	/** The holds this replica set or read: what it goes by while the store is away. */
	private final Map<String, Instant> knownHolds = new ConcurrentHashMap<>();

	RequestBudget(GatewayProperties.Limits limits, StateStore store, Holds holds, Clock clock) {
		this.store = store;
		this.holds = holds;
		this.clock = clock;
		this.userLimit = limits.userLimit();
		this.endpointLimits = limits.endpointLimits();
		this.captchaHold = limits.penaltyCaptchaHold();
	}

	/**
	 * Counts a call of an endpoint on an account, unless a limit or a hold refuses it.
	 * @throws Refused saying why and when to come back, with nothing counted
	 */
	Admission admit(String account, Endpoint endpoint) {
		Instant now = this.clock.instant();
		Instant heldUntil = heldUntil(endpoint, now);
		if (heldUntil != null) {
			throw new Refused(Refusal.ENDPOINT_HELD, Duration.between(now, heldUntil), "Tradovate penalized calls of "
					+ endpoint + "; the broker holds them until the penalty's wait ends");
		}
		List<Counted> counted = new ArrayList<>(2);
		Integer endpointLimit = this.endpointLimits.get(endpoint.name());
		if (endpointLimit != null) {
			HourlyLedger ledger = ledger("gateway-endpoint-" + endpoint.storeName(), endpointLimit);
			Permit permit = ledger.tryAcquire(now, 0);
			if (permit == null) {
				throw new Refused(Refusal.ENDPOINT_LIMIT, Duration.between(now, ledger.nextFreeAt(now, 0)),
						"Tradovate allows " + endpointLimit + " calls of " + endpoint + " an hour; the broker's "
								+ "callers have made them all");
			}
			counted.add(new Counted(ledger, permit));
		}
		if (this.userLimit > 0) {
			HourlyLedger ledger = ledger("gateway-user-" + account, this.userLimit);
			Permit permit = ledger.tryAcquire(now, 0);
			if (permit == null) {
				counted.forEach(Counted::refund);
				throw new Refused(Refusal.USER_LIMIT, Duration.between(now, ledger.nextFreeAt(now, 0)),
						"the gateway's share of Tradovate's requests an hour for account " + account + " ("
								+ this.userLimit + ") is spent");
			}
			counted.add(new Counted(ledger, permit));
		}
		return new Admission(counted);
	}

	/**
	 * Tradovate answered a call of this endpoint with a penalty: every replica holds its
	 * calls for {@code pTime}, or for the captcha hold when Tradovate wants a captcha.
	 * @return how long the endpoint is held
	 */
	Duration penalized(Endpoint endpoint, Duration pTime, boolean captcha) {
		Instant now = this.clock.instant();
		Duration hold = captcha ? this.captchaHold : pTime;
		Instant until = now.plus(hold);
		this.knownHolds.merge(endpoint.storeName(), until, (held, asked) -> held.isAfter(asked) ? held : asked);
		try {
			this.holds.hold("gateway-endpoint-" + endpoint.storeName(), until, now);
		}
		catch (StoreUnavailableException ex) {
			log.warn("The state store is unreachable: the hold of {} until {} is kept on this replica only ({})",
					endpoint, until, ex.getMessage());
		}
		return hold;
	}

	private Instant heldUntil(Endpoint endpoint, Instant now) {
		Instant until;
		try {
			until = this.holds.heldUntil("gateway-endpoint-" + endpoint.storeName(), now);
		}
		catch (StoreUnavailableException ex) {
			until = this.knownHolds.get(endpoint.storeName());
		}
		if (until == null || !until.isAfter(now)) {
			this.knownHolds.remove(endpoint.storeName());
			return null;
		}
		this.knownHolds.put(endpoint.storeName(), until);
		return until;
	}

	private HourlyLedger ledger(String name, int limit) {
		return this.ledgers.computeIfAbsent(name, (key) -> this.store.ledger(name, limit));
	}

	/**
	 * The calls counted for one admitted call.
	 */
	static final class Admission {

		private final List<Counted> counted;

		private Admission(List<Counted> counted) {
			this.counted = counted;
		}

		/** The call never reached Tradovate: nothing of it counts. */
		void refund() {
			this.counted.forEach(Counted::refund);
		}

	}

	private record Counted(HourlyLedger ledger, Permit permit) {

		void refund() {
			this.ledger.refund(this.permit);
		}

	}

	/**
	 * A call the limits refuse now.
	 */
	static final class Refused extends RuntimeException {

		private final Refusal reason;

		private final Duration retryAfter;

		Refused(Refusal reason, Duration retryAfter, String detail) {
			super(detail, null, false, false);
			this.reason = reason;
			this.retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
		}

		Refusal reason() {
			return this.reason;
		}

		Duration retryAfter() {
			return this.retryAfter;
		}

		/** As a REST caller gets it: 429 with Retry-After. */
		GatewayRefusal asProblem() {
			String title = switch (this.reason) {
				case ENDPOINT_HELD -> "Endpoint held after a penalty";
				case ENDPOINT_LIMIT -> "Endpoint limit reached";
				default -> "Hourly request limit reached";
			};
			return new GatewayRefusal(org.springframework.http.HttpStatus.TOO_MANY_REQUESTS, this.reason, title,
					getMessage() + "; try again in " + GatewayRefusal.seconds(this.retryAfter) + " s.",
					this.retryAfter);
		}

	}

}
