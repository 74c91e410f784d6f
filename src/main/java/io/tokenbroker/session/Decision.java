package io.tokenbroker.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import org.slf4j.event.Level;

import io.tokenbroker.session.SessionAction.Log;
import io.tokenbroker.session.SessionEvent.Moment;

/**
 * What {@link AccountLifecycle} decided for one event: the next model and the actions, in
 * the order the shell runs them. Written while deciding, then only read.
 */
final class Decision {

	private final Moment at;

	private final SessionRules rules;

	private SessionModel model;

	private final List<SessionAction> actions = new ArrayList<>();

	Decision(SessionModel model, Moment at, SessionRules rules) {
		this.model = model;
		this.at = at;
		this.rules = rules;
	}

	/** The model once the event is decided. */
	SessionModel next() {
		return this.model;
	}

	/** What the shell runs, in order. */
	List<SessionAction> actions() {
		return Collections.unmodifiableList(this.actions);
	}

	Instant now() {
		return this.at.now();
	}

	LeaseState lease() {
		return this.at.lease();
	}

	SessionModel model() {
		return this.model;
	}

	AccountRecord record() {
		return this.model.record();
	}

	/** The token this replica serves now, or {@code null}. */
	HeldToken held() {
		return AccountLifecycle.held(this.model, this.rules.policy(), now());
	}

	void update(UnaryOperator<SessionModel> change) {
		this.model = change.apply(this.model);
	}

	void add(SessionAction action) {
		this.actions.add(action);
	}

	/** A line of the log, after the account's id. */
	void log(Level level, String format, Object... args) {
		Object[] all = new Object[args.length + 1];
		all[0] = this.rules.id();
		System.arraycopy(args, 0, all, 1, args.length);
		add(new Log(level, "Account {}: " + format, Collections.unmodifiableList(Arrays.asList(all))));
	}

}
