package io.tokenbroker.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tradovate's penalty answers to the auth calls: a p-ticket with a p-time that doubles
 * with each further violation of the client's /24 subnet in the hour, then a captcha that
 * locks the subnet out; and the failed logins that count towards them. Records in the
 * {@link PenaltyBox}, so every method runs under the simulator's lock, except
 * {@link #body}.
 */
final class PenaltyIssuer {

	private static final Logger logger = LoggerFactory.getLogger(PenaltyIssuer.class);

	private final PenaltyBox penalties;

	private final TokenMint mint;

	private final SimulatorCounters counters;

	private final SimulatorProperties properties;

	PenaltyIssuer(PenaltyBox penalties, TokenMint mint, SimulatorCounters counters, SimulatorProperties properties) {
		this.penalties = penalties;
		this.mint = mint;
		this.counters = counters;
		this.properties = properties;
	}

	/**
	 * Penalize a call over a limit or during a back-off: a p-ticket, or a captcha once
	 * the subnet had enough penalties in the hour.
	 * @param clientIp the caller's address
	 * @param operation the call
	 * @param fingerprint the login's fingerprint, which a resent login must match, or
	 * {@code null}
	 * @param now the simulator's now
	 * @return the answer
	 */
	SimulatedReply penalize(String clientIp, AuthOperation operation, String fingerprint, Instant now) {
		int previous = this.penalties.violations(clientIp, now);
		if (previous >= this.properties.penaltiesBeforeCaptcha()) {
			this.penalties.lockCaptcha(clientIp, now.plus(this.properties.captchaLock()));
			logger.warn("{} from {} after {} penalties in the hour: captcha demanded, locked until {}", operation,
					clientIp, previous, now.plus(this.properties.captchaLock()));
			return captcha(clientIp, now);
		}
		// Growing back-off: each further violation in the window doubles p-time.
		Duration penaltyTime = this.properties.limits()
			.penaltyTime(operation)
			.multipliedBy(1L << Math.min(previous, 20));
		this.penalties.backOff(clientIp, operation, now.plus(penaltyTime));
		// Enough history for the captcha threshold and the capped doubling.
		this.penalties.recordViolation(clientIp, now, Math.max(this.properties.penaltiesBeforeCaptcha(), 21));
		String ticket = this.mint.ticket();
		this.penalties.issue(new PenaltyTicket(ticket, clientIp, operation, fingerprint, now, penaltyTime));
		this.counters.penaltiesIssued.incrementAndGet();
		logger.info("Penalty for {} from {}: p-time {}s, ticket {}...", operation, clientIp, seconds(penaltyTime),
				Fingerprint.of(ticket));
		return SimulatedReply.json(200, body(ticket, penaltyTime, false));
	}

	/**
	 * The answer to a caller whose subnet is captcha-locked.
	 * @param clientIp the caller's address
	 * @param now the simulator's now
	 * @return the answer
	 */
	SimulatedReply captcha(String clientIp, Instant now) {
		Duration remaining = Duration.between(now, this.penalties.captchaUntil(clientIp));
		this.counters.penaltiesIssued.incrementAndGet();
		this.counters.captchasIssued.incrementAndGet();
		// Not registered: no resend helps until a human solved the captcha.
		return SimulatedReply.json(200, body(this.mint.ticket(), remaining, true));
	}

	/**
	 * Count a scripted penalty (a {@link Fault.Kind#PENALTY} fault) and, unless it is a
	 * captcha, register its ticket: it is real, so the resend path can be tested with a
	 * scripted penalty.
	 * @param ticket the ticket the answer carries
	 * @param fault the fault
	 * @param operation the call
	 * @param clientIp the caller's address
	 * @param fingerprint the login's fingerprint, or {@code null}
	 * @param now the simulator's now
	 */
	void scripted(String ticket, Fault fault, AuthOperation operation, String clientIp, String fingerprint,
			Instant now) {
		this.counters.penaltiesIssued.incrementAndGet();
		if (fault.captcha()) {
			this.counters.captchasIssued.incrementAndGet();
		}
		else {
			this.penalties.issue(new PenaltyTicket(ticket, clientIp, operation, fingerprint, now, fault.penaltyTime()));
		}
	}

	/**
	 * Count a failed login towards the client's hourly limit.
	 * @param clientIp the caller's address
	 * @param now the simulator's now
	 */
	void failedLogin(String clientIp, Instant now) {
		this.counters.failedLogins.incrementAndGet();
		int limit = this.properties.limits().failedLoginsPerHour();
		if (limit > 0) {
			this.penalties.recordFailedLogin(clientIp, now, limit);
		}
	}

	/**
	 * The JSON of a penalty answer.
	 * @param ticket the p-ticket
	 * @param penaltyTime the p-time
	 * @param captcha whether a captcha is demanded
	 * @return the body
	 */
	static Map<String, Object> body(String ticket, Duration penaltyTime, boolean captcha) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("p-ticket", ticket);
		body.put("p-time", seconds(penaltyTime));
		if (captcha) {
			body.put("p-captcha", true);
		}
		return body;
	}

	private static long seconds(Duration duration) {
		// Rounded up: a client that waits p-time seconds is never early.
		return Math.max(0, (duration.toMillis() + 999) / 1000);
	}

}
