package io.tokenbroker.session;

import org.slf4j.event.Level;

import io.tokenbroker.session.SessionAction.FailAwaited;
import io.tokenbroker.session.SessionAction.Offer;
import io.tokenbroker.session.SessionAction.PutToken;
import io.tokenbroker.session.SessionAction.Read;
import io.tokenbroker.session.SessionAction.RemoveToken;
import io.tokenbroker.session.SessionAction.StoredTokenUnreadable;
import io.tokenbroker.session.SessionAction.WakeAwaited;
import io.tokenbroker.session.SessionAction.Write;
import io.tokenbroker.session.SessionEvent.Offered;
import io.tokenbroker.session.SessionEvent.Reread;
import io.tokenbroker.session.SessionEvent.Written;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.store.UnreadableEntryException;
import io.tokenbroker.store.WriteOutcome;

/**
 * Keeps an account's record and the store's in step: every change is written under the
 * lease's fencing number; when the store is unreachable the record is kept and written
 * later; when another replica wrote or took the lease since, the store's record wins,
 * unless this replica's carries a newer token; a store that lost its data gets the token
 * back. What the store holds replaces this replica's view, unless a read may be older
 * than this replica's own change, or the record is older than the token this replica
 * serves (a restored or replayed record: the newer one is written back).
 */
final class RecordSync {

	/** How a commit ended, once the store answered all it was asked. */
	enum Commit {

		/** The record is written, or kept to be written once the store answers. */
		WON,

		/** The store's record replaced it. */
		LOST,

		/** The store is still asked. */
		PENDING

	}

	private final SessionRules rules;

	RecordSync(SessionRules rules) {
		this.rules = rules;
	}

	/** Makes {@code next} this replica's record and writes it. */
	void commit(Decision d, AccountRecord next, AfterCommit then) {
		d.update((model) -> model.withRecord(next));
		save(d, then);
	}

	/** Writes this replica's record from the revision last seen in the store. */
	void save(Decision d, AfterCommit then) {
		d.update((model) -> model.withStore(model.store().changed()));
		SessionModel model = d.model();
		d.add(new Write(this.rules.form().write(model.record()), model.store().revision(), then));
	}

	Commit written(Decision d, Written written) {
		SessionModel model = d.model();
		if (written.unreachable() != null) {
			if (!model.store().unsaved()) {
				d.log(Level.WARN, "the state store is unreachable ({}); the account's record is kept here and written "
						+ "once it answers", written.unreachable());
			}
			d.update((next) -> next.withStore(next.store().withUnsaved(true)));
			return Commit.WON;
		}
		d.update((next) -> next.withStore(next.store().withUnsaved(false)));
		StoredEntry entry = written.write().entry();
		if (written.outcome() == WriteOutcome.WRITTEN) {
			stored(d, entry);
			return Commit.WON;
		}
		// a record carrying a token newer than any stored (say one renewed while the
		// store
		// was away and the lease ran out) still lands: no newer token is overwritten
		if (model.record().token() != null && entry.revision() > model.store().revision()) {
			d.add(new Offer(entry, written.outcome(), written.write().then()));
			return Commit.PENDING;
		}
		return refused(d, written.outcome(), written.write().then());
	}

	Commit offered(Decision d, Offered offered) {
		Offer offer = offered.offer();
		if (offer.refused() == null) {
			if (offered.accepted()) {
				HeldToken held = d.held();
				d.log(Level.WARN, "the store had lost the account's record; token {} was written back",
						(held != null) ? held.fingerprint() : d.record().token().fingerprint());
				stored(d, offer.entry());
				d.update((model) -> model.withStore(model.store().withUnsaved(false)));
			}
			return Commit.LOST;
		}
		if (!offered.accepted()) {
			return refused(d, offer.refused(), offer.then());
		}
		d.log(Level.INFO, "token {} is newer than any the store holds and was written back",
				d.record().token().fingerprint());
		stored(d, offer.entry());
		return Commit.WON;
	}

	private Commit refused(Decision d, WriteOutcome outcome, AfterCommit then) {
		d.log(Level.WARN, "the store refused this replica's record ({}): {}", outcome,
				(outcome == WriteOutcome.FENCED) ? "another replica took the lease" : "another replica wrote first");
		d.update((model) -> model.withStore(model.store().unknown()));
		d.add(new Read(then));
		return Commit.PENDING;
	}

	Commit reread(Decision d, Reread reread) {
		if (reread.unreachable()) {
			d.update((model) -> model.withStore(model.store().withUnsaved(true)));
			return Commit.LOST;
		}
		if (reread.entry() == null) {
			d.update((model) -> model.withStore(model.store().empty()));
			return offerHeld(d, reread.read().then()) ? Commit.PENDING : Commit.LOST;
		}
		read(d, reread.entry());
		return Commit.LOST;
	}

	/**
	 * What the store holds, read after {@link SessionModel.StoreView#changes} was
	 * {@code mark}. Another replica's record replaces this one's view, unless this
	 * replica holds the lease and has a call in flight or a record to write (its own
	 * write then settles who is right), or this replica wrote or adopted a record since
	 * the read was taken (its answer may be what that replaced, say the record of an
	 * expired token: the next read brings what is new). Nothing stored while this replica
	 * holds a token means the store lost its data: the token is given back.
	 */
	void adopt(Decision d, long mark, StoredEntry entry) {
		SessionModel model = d.model();
		if (mark != model.store().changes()) {
			return;
		}
		if (entry == null) {
			offerHeld(d, null);
			return;
		}
		if (entry.content().equals(model.store().content())
				|| (d.lease().mine() && (model.calling() != null || model.store().unsaved()))) {
			return;
		}
		read(d, entry);
	}

	private boolean offerHeld(Decision d, AfterCommit then) {
		if (d.held() == null || d.record().token() == null) {
			return false;
		}
		d.add(new Offer(this.rules.form().write(d.record()), null, then));
		return true;
	}

	private void read(Decision d, StoredEntry entry) {
		AccountRecord stored;
		try {
			stored = this.rules.form().read(entry);
		}
		catch (UnreadableEntryException ex) {
			// a login an operator orders may still replace it
			stored(d, entry);
			markUnreadable(d, "the stored record cannot be read: " + ex.getMessage());
			return;
		}
		HeldToken held = d.held();
		if (held != null && stored.revision() < held.revision()) {
			// revisions only grow: an older record is a backup restored or a value
			// replayed by someone who can write the store, never another replica's
			d.log(Level.WARN,
					"the store holds a record of revision {}, older than token {} (revision {}) this replica serves: "
							+ "a restored or replayed record is not trusted, and this replica's is written back",
					stored.revision(), held.fingerprint(), held.revision());
			offerHeld(d, null);
			return;
		}
		apply(d, stored, entry);
	}

	private void apply(Decision d, AccountRecord stored, StoredEntry entry) {
		RecordForm form = this.rules.form();
		PendingTicket ticket = (stored.ticket() != null) ? form.open(stored.ticket()) : null;
		d.update((model) -> model.withRecord(stored)
			.withStore(model.store().stored(entry).withUnsaved(false))
			.withTicket(ticket));
		if (stored.token() == null) {
			d.add(new RemoveToken());
			d.update((model) -> model.withCached(null).withUnreadable(null));
		}
		else {
			try {
				HeldToken token = form.open(stored.token(), stored.revision());
				HeldToken held = d.held();
				if (held == null || held.revision() != token.revision()) {
					put(d, token);
				}
				d.update((model) -> model.withUnreadable(null));
			}
			catch (UnreadableEntryException ex) {
				markUnreadable(d,
						"the stored token " + stored.token().fingerprint() + " cannot be opened: " + ex.getMessage());
			}
		}
		String credentials = this.rules.account().credentials().fingerprint();
		if (stored.refusedCredentials() != null && !stored.refusedCredentials().equals(credentials)) {
			d.log(Level.INFO, "the credentials changed since Tradovate refused them; the cool-down ends");
			d.update((model) -> model.withRecord(stored.waitEnded().withState(SessionState.STARTING)));
		}
		wakeAwaited(d);
	}

	private void markUnreadable(Decision d, String why) {
		if (!why.equals(d.model().unreadable())) {
			d.log(Level.ERROR,
					"{}. The account serves no token and does not log in (that would open another session): configure "
							+ "the key that sealed it, or order a login through POST /actuator/tokens/{}",
					why, this.rules.id());
			d.add(new StoredTokenUnreadable());
		}
		d.add(new RemoveToken());
		d.update((model) -> model.withUnreadable(why).withCached(null));
		if (d.model().awaitedAfter() != null) {
			d.add(new FailAwaited(Refusals.unreadable(why)));
			d.update((model) -> model.withAwaitedAfter(null));
		}
	}

	/** Callers awaiting the holder's token get it once it is newer, or hear of a wait. */
	private void wakeAwaited(Decision d) {
		Long after = d.model().awaitedAfter();
		if (after == null) {
			return;
		}
		HeldToken held = d.held();
		AccountRecord record = d.record();
		if (held != null && held.revision() > after) {
			d.add(new WakeAwaited(held));
			d.update((model) -> model.withAwaitedAfter(null));
		}
		else if (!record.mayCallAt(d.now()) && record.failure() != null) {
			d.add(new FailAwaited(Refusals.waiting(record, d.now())));
			d.update((model) -> model.withAwaitedAfter(null));
		}
	}

	/** This replica serves the token. */
	static void put(Decision d, HeldToken token) {
		d.add(new PutToken(token));
		d.update((model) -> model.withCached(token));
	}

	private static void stored(Decision d, StoredEntry entry) {
		d.update((model) -> model.withStore(model.store().stored(entry)));
	}

}
