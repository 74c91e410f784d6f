package io.tokenbroker.api;

import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.ClientAddresses;
import io.tokenbroker.session.HeldToken;

import static io.tokenbroker.logging.LogValue.quoted;

/**
 * One audit line per token issued and per refused request, on the logger
 * {@code io.tokenbroker.audit}, and the matching {@code broker.token.requests} counter.
 * Names the client, the account, the token's fingerprint and the caller's address; never
 * a key or a token. Every value is quoted and escaped: nothing a caller sends can forge a
 * field or a line.
 */
@Component
class AuditTrail {

	/** Request attribute holding the configured account a request resolved to. */
	static final String ACCOUNT = AuditTrail.class.getName() + ".account";

	private static final Logger audit = LoggerFactory.getLogger("io.tokenbroker.audit");

	private final MeterRegistry meters;

	private final ClientAddresses addresses;

	AuditTrail(MeterRegistry meters, ClientAddresses addresses) {
		this.meters = meters;
		this.addresses = addresses;
	}

	/**
	 * @param context the request's logging context (its request id) when the token comes
	 * on another thread, or {@code null} on the request's own thread
	 */
	void issued(Caller caller, HeldToken token, HttpServletRequest request, Map<String, String> context) {
		Map<String, String> current = (context != null) ? MDC.getCopyOfContextMap() : null;
		if (context != null) {
			MDC.setContextMap(context);
		}
		try {
			audit.info("token issued client={} account={} token={} remote={}", quoted(caller.id()),
					quoted(token.account()), quoted(token.fingerprint()), quoted(this.addresses.of(request)));
		}
		finally {
			if (context != null) {
				restore(current);
			}
		}
		count(token.account(), caller.id(), "issued");
	}

	private static void restore(Map<String, String> context) {
		if (context != null) {
			MDC.setContextMap(context);
		}
		else {
			MDC.clear();
		}
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
		count(account, client, named);
	}

	private void count(String account, String client, String outcome) {
		Counter.builder("broker.token.requests")
			.description("Requests for tokens and refused requests, by account, client and outcome")
			.tags("account", account, "client", client, "outcome", outcome)
			.register(this.meters)
			.increment();
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

}
