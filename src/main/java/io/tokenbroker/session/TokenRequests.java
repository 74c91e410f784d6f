package io.tokenbroker.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.event.Level;

import io.tokenbroker.session.Peers.PeerRequest;
import io.tokenbroker.session.SessionAction.ActAgainAfterCall;
import io.tokenbroker.session.SessionAction.AskAgainAfterCall;
import io.tokenbroker.session.SessionAction.AskHolder;
import io.tokenbroker.session.SessionAction.AwaitHolder;
import io.tokenbroker.session.SessionAction.FailAwaited;
import io.tokenbroker.session.SessionAction.JoinCall;
import io.tokenbroker.session.SessionAction.Refuse;
import io.tokenbroker.session.SessionAction.Serve;

/**
 * The decisions on what callers and operators ask of an account: a token valid long
 * enough, a check of a token a caller reports refused, an operator's order to act now.
 * The lease holder answers them with the token held or the call that fetches a better
 * one; a replica without the lease awaits the holder's next token, and asks the holder
 * when it needs more than that.
 */
final class TokenRequests {

	/** What a renewed token lacks of its lifetime when it is served, at most. */
	private static final Duration RENEWAL_SLACK = Duration.ofSeconds(2);

	private final SessionRules rules;

	private final TradovateCalls calls;

	TokenRequests(SessionRules rules, TradovateCalls calls) {
		this.rules = rules;
		this.calls = calls;
	}

	/**
	 * The current token if it is valid long enough, else the shared result of the login
	 * or renewal that fetches a better one; a renewal the client forces comes from its
	 * share.
	 */
	void tokenWanted(Decision d, Duration minValidity, String client) {
		HeldToken held = d.held();
		SessionModel model = d.model();
		if (held != null && held.lastsFor(minValidity, d.now())) {
			d.add(new Serve(held));
		}
		else if (model.unreadable() != null) {
			d.add(new Refuse(Refusals.unreadable(model.unreadable())));
		}
		else if (held != null && minValidity.compareTo(servedAtMost(held)) > 0) {
			// no renewal gives it: refused before one is spent
			d.add(new Refuse(Refusals.longerThanTokensLive(held.lifetime(), servedAtMost(held), minValidity)));
		}
		else if (!d.lease().mine()) {
			awaitHolder(d, held,
					(held != null) ? new PeerRequest(PeerRequest.RENEW, minValidity.toSeconds(), null, client) : null);
		}
		else if (model.calling() != null) {
			// a session check brings no fresher token: once it answers, decide again
			d.add((model.calling() == SessionState.CHECKING) ? new AskAgainAfterCall(minValidity, client)
					: new JoinCall());
		}
		else if (held == null) {
			this.calls.startLogin(d, model.reasonToLogIn());
		}
		else {
			this.calls.startForcedRenewal(d, held, client);
		}
	}

	/**
	 * A caller reports this token refused: the token served is checked; any other is
	 * answered with the current one.
	 */
	void reported(Decision d, String token) {
		HeldToken held = d.held();
		if (held != null && sameToken(held.accessToken(), token)) {
			checkReported(d, held);
		}
		else if (held != null) {
			d.add(new Serve(held));
		}
		else {
			tokenWanted(d, Duration.ZERO, null);
		}
	}

	/** Another replica's caller reported the token with this fingerprint refused. */
	void reportedByPeer(Decision d, String fingerprint) {
		HeldToken held = d.held();
		if (held != null && held.fingerprint().equals(fingerprint)) {
			checkReported(d, held);
		}
		else {
			tokenWanted(d, Duration.ZERO, null);
		}
	}

	/**
	 * A caller reported the token served refused: its session is checked at once, unless
	 * a check answered less than {@code broker.liveness.recheck-after} ago or checks wait
	 * after a failed one (the floor on the rate of checks: a successful one costs nothing
	 * of Tradovate's failed-call allowance, but callers must not make the broker hammer
	 * {@code /auth/me}); every report meanwhile shares the check. A closed session is
	 * replaced by one login.
	 */
	private void checkReported(Decision d, HeldToken held) {
		SessionModel model = d.model();
		Instant lastCheck = model.lastCheckAt();
		if (!d.lease().mine()) {
			awaitHolder(d, held, new PeerRequest(PeerRequest.VERIFY, 0, held.fingerprint()));
		}
		else if (model.calling() != null) {
			d.add(new JoinCall());
		}
		else if ((lastCheck != null && d.now().isBefore(lastCheck.plus(this.rules.timing().recheckAfter())))
				|| d.now().isBefore(model.checksResumeAt())) {
			// the check moments ago answers this report too
			d.add(new Serve(held));
		}
		else {
			d.log(Level.INFO, "a caller reports token {} refused; checking its session", held.fingerprint());
			this.calls.startCheck(d, held, LoginReason.REPORTED);
		}
	}

	/**
	 * An operator's order to act now: ends any cool-down, back-off or penalty wait, then
	 * renews the token (keeping the renewals reserved for the schedule), or logs in when
	 * none is held or the stored one cannot be read. A call in flight is joined.
	 */
	void actNow(Decision d) {
		SessionModel model = d.model();
		HeldToken held = d.held();
		if (!d.lease().mine()) {
			awaitHolder(d, held, new PeerRequest(PeerRequest.ACT_NOW, 0, null));
			return;
		}
		if (model.calling() != null) {
			d.add((model.calling() == SessionState.CHECKING) ? new ActAgainAfterCall() : new JoinCall());
			return;
		}
		d.log(Level.INFO, "an operator asked to act now{}",
				model.record().mayCallAt(d.now()) ? "" : ", ending the wait until " + model.record().nextAttemptAt());
		if (model.unreadable() != null) {
			d.log(Level.WARN, "logging in although the stored token cannot be read ({}); its session stays open at "
					+ "Tradovate until it expires", model.unreadable());
			d.update((next) -> next.withUnreadable(null));
		}
		d.update((next) -> next.withRecord(next.record().waitEnded()));
		if (held != null) {
			this.calls.startRenewal(d, held, this.rules.reservedForSchedule());
		}
		else {
			this.calls.startLogin(d, LoginReason.OPERATOR);
		}
	}

	/**
	 * The holder of the lease could not do what this replica asked: its callers hear why.
	 */
	void holderFailed(Decision d, Refusal refusal) {
		if (d.model().awaitedAfter() != null) {
			d.add(new FailAwaited(refusal));
			d.update((next) -> next.withAwaitedAfter(null));
		}
	}

	/**
	 * A caller of a replica without the lease waits for the token the holder writes; when
	 * it needs more than the current token, or an operator's order, the holder is asked.
	 */
	private void awaitHolder(Decision d, HeldToken held, PeerRequest request) {
		AccountRecord record = d.record();
		if (!record.mayCallAt(d.now()) && record.failure() != null) {
			d.add(new Refuse(Refusals.waiting(record, d.now())));
		}
		else if (held == null && !d.lease().fresh()) {
			d.add(new Refuse(Refusals.noStoreNoToken()));
		}
		else {
			d.add(new AwaitHolder());
			if (d.model().awaitedAfter() == null) {
				d.update((model) -> model.withAwaitedAfter((held != null) ? held.revision() : record.revision()));
				if (request != null) {
					d.add(new AskHolder(request));
				}
			}
		}
	}

	/**
	 * The longest validity a renewal of {@code held} can serve: its lifetime less the
	 * second Tradovate's {@code Date} header leaves out and a second for the call.
	 */
	private static Duration servedAtMost(HeldToken held) {
		return held.lifetime().minus(RENEWAL_SLACK);
	}

	private static boolean sameToken(String held, String reported) {
		return MessageDigest.isEqual(held.getBytes(StandardCharsets.UTF_8),
				reported.strip().getBytes(StandardCharsets.UTF_8));
	}

}
