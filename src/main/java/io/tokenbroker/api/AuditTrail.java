package io.tokenbroker.api;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.ClientAddresses;
import io.tokenbroker.operations.RequestIds;
import io.tokenbroker.session.HeldToken;

import static io.tokenbroker.logging.LogValue.quoted;

/**
 * The audit, on the logger {@code io.tokenbroker.audit}: one line the first time each
 * token is issued to each client ({@code token issued}), one per refused request, and
 * with DEBUG one per token served ({@code token served}); every request counts in
 * {@code broker.token.requests}. Names the client, the account, the token's fingerprint
 * and the caller's address; never a key or a token. Every value is quoted and escaped:
 * nothing a caller sends can forge a field or a line.
 */
@Component
public class AuditTrail {

	/** Request attribute holding the configured account a request resolved to. */
	static final String ACCOUNT = AuditTrail.class.getName() + ".account";

	private static final Logger audit = LoggerFactory.getLogger("io.tokenbroker.audit");

	private final MeterRegistry meters;

	private final ClientAddresses addresses;

	/** Per client id, per account: what was issued. Bounded by the configuration. */
	private final ConcurrentMap<String, ConcurrentMap<String, Issued>> issued = new ConcurrentHashMap<>();

	AuditTrail(MeterRegistry meters, ClientAddresses addresses) {
		this.meters = meters;
		this.addresses = addresses;
	}

	/** A token answered to a caller: audited the first time, counted every time. */
	void issued(Caller caller, HeldToken token, HttpServletRequest request) {
		issued(caller, token, this.addresses.of(request));
	}

	/**
	 * The same, on the hot path, where no filter has put the request id in the MDC: it is
	 * put there only when a line is written.
	 */
	void issued(Caller caller, HeldToken token, HttpServletRequest request, String requestId) {
		Issued issued = issued(caller, token.account());
		if (issued.seen(token.fingerprint()) && !audit.isDebugEnabled()) {
			issued.count.increment();
			return;
		}
		MDC.put(RequestIds.MDC_KEY, requestId);
		try {
			record(issued, caller, token, this.addresses.of(request));
		}
		finally {
			MDC.remove(RequestIds.MDC_KEY);
		}
	}

	/**
	 * A token handed to a caller at {@code remote} (on a stream): audited the first time,
	 * counted every time.
	 */
	public void issued(Caller caller, HeldToken token, String remote) {
		record(issued(caller, token.account()), caller, token, remote);
	}

	private static void record(Issued issued, Caller caller, HeldToken token, String remote) {
		issued.count.increment();
		boolean first = issued.first(token.fingerprint());
		if (first || audit.isDebugEnabled()) {
			audit.atLevel(first ? Level.INFO : Level.DEBUG)
				.log("token {} client={} account={} token={} remote={}", first ? "issued" : "served",
						quoted(caller.id()), quoted(token.account()), quoted(token.fingerprint()), quoted(remote));
		}
	}

	/** A caller was told that the token it holds is still the current one (304). */
	void notModified(Caller caller, HeldToken token) {
		issued(caller, token.account()).notModified.increment();
	}

	private Issued issued(Caller caller, String account) {
		// looked up before anything is made: the function that would make the entry is
		// an object of its own, and every request asks
		ConcurrentMap<String, Issued> byAccount = this.issued.get(caller.id());
		Issued issued = (byAccount != null) ? byAccount.get(account) : null;
		if (issued != null) {
			return issued;
		}
		return this.issued.computeIfAbsent(caller.id(), (client) -> new ConcurrentHashMap<>())
			.computeIfAbsent(account,
					(id) -> new Issued(counter(id, caller.id(), "issued"), counter(id, caller.id(), "not_modified")));
	}

	/**
	 * @param outcome what went wrong, e.g. {@code unauthorized} or a 503's reason, or
	 * {@code null} to name it after the status
	 */
	void refused(HttpServletRequest request, int status, String outcome, String detail) {
		String named = (outcome != null) ? outcome : statusName(status);
		String client = clientId();
		String account = account(request);
		audit.info("request refused status={} outcome={} client={} account={} method={} path={} remote={} detail={}",
				status, quoted(named), quoted(client), quoted(account), quoted(request.getMethod()),
				quoted(request.getRequestURI()), quoted(this.addresses.of(request)), quoted(detail));
		counter(account, client, named).increment();
	}

	private Counter counter(String account, String client, String outcome) {
		return Counter.builder("broker.token.requests")
			.description("Requests for tokens and refused requests, by account, client and outcome")
			.tags("account", account, "client", client, "outcome", outcome)
			.register(this.meters);
	}

	private static String clientId() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null && authentication.getPrincipal() instanceof Caller caller) ? caller.id()
				: "anonymous";
	}

	// only configured accounts are named: a path an attacker typed never becomes a tag
	private static String account(HttpServletRequest request) {
		Object account = request.getAttribute(ACCOUNT);
		return (account != null) ? account.toString() : "none";
	}

	private static String statusName(int status) {
		HttpStatus known = HttpStatus.resolve(status);
		return (known != null) ? known.name().toLowerCase(Locale.ROOT) : Integer.toString(status);
	}

	/** The tokens of one account issued to one client: how many, and the latest. */
	private static final class Issued {

		private final Counter count;

		private final Counter notModified;

		private final AtomicReference<String> latest = new AtomicReference<>();

		private Issued(Counter count, Counter notModified) {
			this.count = count;
			this.notModified = notModified;
		}

		/** Whether this token is the latest one issued to this client. */
		boolean seen(String fingerprint) {
			return fingerprint.equals(this.latest.get());
		}

		/** Whether this is the first time this token is issued (to this client). */
		boolean first(String fingerprint) {
			String latest = this.latest.get();
			return !fingerprint.equals(latest) && this.latest.compareAndSet(latest, fingerprint);
		}

	}

}
