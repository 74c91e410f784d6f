package io.tokenbroker.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Tradovate's per-IP rate limits: what each client did in the rolling hour, and its
 * outstanding p-tickets; and, keyed to the client's /24 subnet as Tradovate keys them
 * (partner docs, "Rate Limits"), the penalties, back-offs and captcha locks. Not
 * thread-safe: the lock of {@link SimulatorState} guards it.
 */
final class PenaltyBox {

	static final Duration WINDOW = Duration.ofHours(1);

	private final Map<String, ClientRecord> clients = new HashMap<>();

	private final Map<String, SubnetRecord> subnets = new HashMap<>();

	private final Map<String, PenaltyTicket> tickets = new HashMap<>();

	int failedLogins(String clientIp, Instant now) {
		return count(client(clientIp).failedLogins, now);
	}

	int renewals(String clientIp, Instant now) {
		return count(client(clientIp).renewals, now);
	}

	int failedMe(String clientIp, Instant now) {
		return count(client(clientIp).failedMe, now);
	}

	/**
	 * Penalties this client got in the window, which set the next p-time and captcha.
	 * @param clientIp the client
	 * @param now the simulator's now
	 * @return the count
	 */
	int violations(String clientIp, Instant now) {
		return count(subnet(clientIp).penalties, now);
	}

	/**
	 * Count a failed login.
	 * @param clientIp the client
	 * @param now the simulator's now
	 * @param keep how many recent events decide the limit (the limit itself)
	 */
	void recordFailedLogin(String clientIp, Instant now, int keep) {
		record(client(clientIp).failedLogins, now, keep);
	}

	void recordRenewal(String clientIp, Instant now, int keep) {
		record(client(clientIp).renewals, now, keep);
	}

	void recordFailedMe(String clientIp, Instant now, int keep) {
		record(client(clientIp).failedMe, now, keep);
	}

	void recordViolation(String clientIp, Instant now, int keep) {
		record(subnet(clientIp).penalties, now, keep);
	}

	/**
	 * Start the back-off of an endpoint for the client's /24 subnet: until it ends, every
	 * call of that endpoint from the subnet gets a penalty.
	 * @param clientIp the penalized client
	 * @param operation the endpoint
	 * @param until the end of its p-time
	 */
	void backOff(String clientIp, AuthOperation operation, Instant until) {
		subnet(clientIp).backOffUntil.put(operation, until);
	}

	boolean backingOff(String clientIp, AuthOperation operation, Instant now) {
		Instant until = subnet(clientIp).backOffUntil.get(operation);
		return until != null && now.isBefore(until);
	}

	boolean captchaLocked(String clientIp, Instant now) {
		Instant until = subnet(clientIp).captchaUntil;
		return until != null && now.isBefore(until);
	}

	Instant captchaUntil(String clientIp) {
		return subnet(clientIp).captchaUntil;
	}

	void lockCaptcha(String clientIp, Instant until) {
		subnet(clientIp).captchaUntil = until;
	}

	void issue(PenaltyTicket ticket) {
		this.tickets.put(ticket.ticket(), ticket);
	}

	/**
	 * Use a ticket. Any presented ticket is spent, whatever the outcome.
	 * @param ticket the ticket string
	 * @param clientIp the client presenting it
	 * @param requestFingerprint fingerprint of the resent body
	 * @param now the simulator's now
	 * @return whether the request may now be processed
	 */
	Redemption redeem(String ticket, String clientIp, String requestFingerprint, Instant now) {
		PenaltyTicket issued = this.tickets.remove(ticket);
		if (issued == null || !issued.clientIp().equals(clientIp)) {
			return Redemption.INVALID;
		}
		if (now.isBefore(issued.usableFrom())) {
			return Redemption.TOO_EARLY;
		}
		if (!Objects.equals(issued.requestFingerprint(), requestFingerprint)) {
			return Redemption.INVALID;
		}
		return Redemption.ACCEPTED;
	}

	/**
	 * Forget what fell out of the window.
	 * @param now the simulator's now
	 */
	void prune(Instant now) {
		Instant horizon = now.minus(WINDOW);
		this.tickets.values().removeIf((ticket) -> ticket.usableFrom().isBefore(horizon));
		this.clients.values().removeIf((client) -> client.isIdle(horizon));
		this.subnets.values().removeIf((subnet) -> subnet.isIdle(now, horizon));
	}

	void clear() {
		this.clients.clear();
		this.subnets.clear();
		this.tickets.clear();
	}

	/**
	 * The /24 subnet an IPv4 address belongs to; any other address stands for itself.
	 * @param clientIp the address
	 * @return the key of its penalties
	 */
	static String subnetOf(String clientIp) {
		int last = clientIp.lastIndexOf('.');
		boolean ipv4 = last > 0 && clientIp.indexOf(':') < 0;
		return ipv4 ? clientIp.substring(0, last) + ".0/24" : clientIp;
	}

	private ClientRecord client(String clientIp) {
		return this.clients.computeIfAbsent(clientIp, (ip) -> new ClientRecord());
	}

	private SubnetRecord subnet(String clientIp) {
		return this.subnets.computeIfAbsent(subnetOf(clientIp), (subnet) -> new SubnetRecord());
	}

	private static int count(Deque<Instant> events, Instant now) {
		Instant horizon = now.minus(WINDOW);
		// Oldest first; after the clock offset moved back this may over-count a little.
		while (!events.isEmpty() && !events.peekFirst().isAfter(horizon)) {
			events.removeFirst();
		}
		return events.size();
	}

	private static void record(Deque<Instant> events, Instant now, int keep) {
		events.addLast(now);
		// "count >= limit" only needs the latest limit events: memory stays flat in
		// benchmarks.
		while (events.size() > Math.max(keep, 1)) {
			events.removeFirst();
		}
	}

	/**
	 * Outcome of presenting a p-ticket.
	 */
	enum Redemption {

		/** Issued to this client, p-time elapsed, identical request: process it. */
		ACCEPTED,

		/** Unknown, already used, another client's, or for another request. */
		INVALID,

		/** Resent before p-time elapsed: a new penalty. */
		TOO_EARLY

	}

	private static boolean isOld(Deque<Instant> events, Instant horizon) {
		return events.isEmpty() || !events.peekLast().isAfter(horizon);
	}

	private static final class ClientRecord {

		private final Deque<Instant> failedLogins = new ArrayDeque<>();

		private final Deque<Instant> renewals = new ArrayDeque<>();

		private final Deque<Instant> failedMe = new ArrayDeque<>();

		boolean isIdle(Instant horizon) {
			return isOld(this.failedLogins, horizon) && isOld(this.renewals, horizon) && isOld(this.failedMe, horizon);
		}

	}

	private static final class SubnetRecord {

		private final Deque<Instant> penalties = new ArrayDeque<>();

		private final Map<AuthOperation, Instant> backOffUntil = new EnumMap<>(AuthOperation.class);

		private Instant captchaUntil;

		boolean isIdle(Instant now, Instant horizon) {
			return (this.captchaUntil == null || !now.isBefore(this.captchaUntil)) && isOld(this.penalties, horizon)
					&& this.backOffUntil.values().stream().noneMatch(now::isBefore);
		}

	}

}
