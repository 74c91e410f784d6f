package io.tokenbroker.session;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.tokenbroker.session.TokenUnavailableException.Reason;

/**
 * Every text a caller reads when no token can be served, and when it may ask again: the
 * refusals themselves and the failure details that later refusals repeat. One place, so
 * that a change of wording is one change.
 */
final class Refusals {

	/** When to ask again when nothing better is known. */
	static final Duration SHORTLY = Duration.ofSeconds(1);

	private static final Duration HOUR = Duration.ofHours(1);

	private Refusals() {
	}

	// Refusals made on the spot

	/** The caller's wait ended before the login, renewal or check in flight answered. */
	static Refusal notAnsweredWithin(Duration maxWait, String what) {
		return new Refusal(Reason.STILL_WAITING, "Tradovate has not answered within " + maxWait.toMillis() + " ms; the "
				+ what + " is still in flight, ask again shortly", SHORTLY);
	}

	static Refusal expiresTooSoon(Duration remaining, Duration minValidity) {
		return new Refusal(Reason.LIFETIME_TOO_SHORT, "the freshest token expires in " + remaining.toSeconds()
				+ " s, sooner than the " + minValidity.toSeconds() + " s asked for", SHORTLY);
	}

	static Refusal longerThanTokensLive(Duration lifetime, Duration servedAtMost, Duration minValidity) {
		return new Refusal(Reason.LIFETIME_TOO_SHORT,
				"Tradovate's tokens live " + lifetime.toSeconds() + " s and a renewed one is served with at most "
						+ servedAtMost.toSeconds() + " s left, so a token valid for " + minValidity.toSeconds()
						+ " s cannot be had",
				SHORTLY);
	}

	/** A client's or an account's share of the renewals callers may force is spent. */
	static Refusal forcedShareSpent(SessionEvent.Allowance allowance, String client, Instant now) {
		boolean ofClient = allowance.share() == SessionEvent.Allowance.Share.CLIENT;
		String who = ofClient ? ((client != null) ? "client " + client : "requests naming no client")
				: "callers of this account";
		// a share of 0 never frees: ask again in an hour, when it may have been raised
		Instant next = allowance.nextFreeAt().isBefore(now.plus(HOUR)) ? allowance.nextFreeAt() : now.plus(HOUR);
		return new Refusal(Reason.RENEWAL_LIMITED,
				who + " forced " + allowance.used() + " renewals in the last hour, the share of " + allowance.limit()
						+ " (broker.renewal.forced-per-" + (ofClient ? "client" : "account")
						+ "); the next one may be forced at " + next.truncatedTo(ChronoUnit.SECONDS),
				Duration.between(now, next));
	}

	static Refusal forcedTooSoon(Instant last, Instant allowedAt, Instant now) {
		return new Refusal(Reason.RENEWAL_LIMITED,
				"a caller forced a renewal of this account at " + last.truncatedTo(ChronoUnit.SECONDS)
						+ "; the next one a caller may force is at " + allowedAt.truncatedTo(ChronoUnit.SECONDS)
						+ " (broker.renewal.forced-interval)",
				Duration.between(now, allowedAt));
	}

	static Refusal unreadable(String why) {
		return new Refusal(Reason.STORE_UNREADABLE, "the token kept in the state store cannot be read (" + why
				+ "); an operator must configure the key that sealed it", Duration.ofMinutes(1));
	}

	static Refusal noLeaseToLogIn() {
		return new Refusal(Reason.STORE_UNAVAILABLE,
				"no token is held and the state store does not confirm this replica's lease; a login waits "
						+ "for it, as it could otherwise open another session",
				SHORTLY);
	}

	static Refusal noStoreNoToken() {
		return new Refusal(Reason.STORE_UNAVAILABLE,
				"this replica holds no token and cannot reach the state store that would give it one; "
						+ "it never logs in on its own, as that could open another session",
				SHORTLY);
	}

	static Refusal loginsInFlight(int inFlight, int limit, Duration wait) {
		return new Refusal(Reason.BUDGET_EXHAUSTED, inFlight + " logins in flight hold Tradovate's allowance of "
				+ limit + " failed logins an hour; this one follows as soon as they answer", wait);
	}

	/** Why a renewal cannot be counted against Tradovate's hourly limit. */
	static String renewalsSpent(int used, int reserve, int limit) {
		return used + " renewals in the last hour" + ((reserve > 0)
				? " leave only the " + reserve + " kept for scheduled renewals" : " reached the limit of " + limit);
	}

	static Refusal noRenewalBefore(String renewalsSpent, Instant nextFree, Instant now) {
		return new Refusal(Reason.BUDGET_EXHAUSTED, renewalsSpent + "; the next renewal is possible at " + nextFree,
				Duration.between(now, nextFree));
	}

	static Refusal checksSpent(int used, int limit, Duration wait) {
		return new Refusal(Reason.BUDGET_EXHAUSTED,
				used + " session checks in the last hour reached Tradovate's limit of " + limit + " failed checks",
				wait);
	}

	static Refusal takenOver() {
		return new Refusal(Reason.STILL_WAITING, "another replica took over this account; ask again shortly", SHORTLY);
	}

	static Refusal holderFailed() {
		return new Refusal(Reason.UPSTREAM_FAILED, "the holder failed", SHORTLY);
	}

	static Refusal unexpected(Throwable cause) {
		return new Refusal(Reason.UPSTREAM_FAILED, "unexpected failure: " + cause.getClass().getSimpleName(), SHORTLY);
	}

	/**
	 * Why no call is made now, from the account's last failure, and when the next may be.
	 */
	static Refusal waiting(AccountRecord record, Instant now) {
		Failure failure = record.failure();
		Instant next = record.nextAttemptAt();
		Duration wait = (next != null && next.isAfter(now)) ? Duration.between(now, next) : Duration.ZERO;
		String when = wait.isZero() ? "" : "; next attempt at " + next.truncatedTo(ChronoUnit.SECONDS) + " (in "
				+ Math.max(1, wait.toSeconds()) + " s)";
		Reason reason = (failure != null) ? failure.reason() : Reason.UPSTREAM_FAILED;
		String detail = (failure != null) ? failure.detail() : "no call to Tradovate is possible now";
		return new Refusal(reason, detail + when, wait);
	}

	// Failures: what the account's record keeps, and its refusals repeat until the wait
	// ends

	static String captchaDemanded() {
		return "Tradovate demands a captcha: a person must log in once on Tradovate's web platform, "
				+ "then an operator can resume the broker";
	}

	static String lockedOut(int status) {
		return (status == 423) ? "Tradovate warns of an imminent lock-out (HTTP 423)"
				: "Tradovate locked this client out (HTTP 429)";
	}

	static String loginRejected(String reason) {
		return "Tradovate refused the login (" + reason + ")";
	}

	static String penaltyWait(Duration wait, boolean login) {
		return "Tradovate imposed a penalty wait of " + wait.toSeconds() + " s; the broker "
				+ (login ? "then resends the login with its ticket" : "then retries the renewal");
	}

	static String callFailed(String call, String why) {
		return call + " failed: " + why;
	}

	static String tooShortToServe(HeldToken token) {
		return "Tradovate's token " + token.fingerprint() + " lives " + token.lifetime().toMillis()
				+ " ms, no longer than the safety margin (broker.renewal.expiry-margin), so it cannot be served";
	}

	static String failedLoginsSpent(int used, int limit) {
		return used + " failed logins in the last hour reached Tradovate's limit of " + limit;
	}

}
