package io.tokenbroker.session;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.session.SessionAction.AskHolder;
import io.tokenbroker.session.SessionAction.Call;
import io.tokenbroker.session.SessionAction.DropToken;
import io.tokenbroker.session.SessionAction.Log;
import io.tokenbroker.session.SessionAction.LoginStarted;
import io.tokenbroker.session.SessionAction.Offer;
import io.tokenbroker.session.SessionAction.PutToken;
import io.tokenbroker.session.SessionAction.Read;
import io.tokenbroker.session.SessionAction.RemoveToken;
import io.tokenbroker.session.SessionAction.SessionChecked;
import io.tokenbroker.session.SessionAction.Settle;
import io.tokenbroker.session.SessionAction.Spend;
import io.tokenbroker.session.SessionAction.StoredTokenUnreadable;
import io.tokenbroker.session.SessionAction.TokenRevoked;
import io.tokenbroker.session.SessionAction.WaitImposed;
import io.tokenbroker.session.SessionAction.WakeSchedule;
import io.tokenbroker.session.SessionAction.Write;
import io.tokenbroker.session.SessionEvent.Allowance;
import io.tokenbroker.session.SessionEvent.BudgetRefused;
import io.tokenbroker.session.SessionEvent.Moment;
import io.tokenbroker.session.SessionEvent.Offered;
import io.tokenbroker.session.SessionEvent.Permitted;
import io.tokenbroker.session.SessionEvent.Reread;
import io.tokenbroker.session.SessionEvent.Written;
import io.tokenbroker.store.AccountRecords;
import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.store.StoreUnavailableException;
import io.tokenbroker.tradovate.Operation;
import io.tokenbroker.tradovate.TradovateAnswer;
import io.tokenbroker.tradovate.TradovateAuth;

/**
 * What an account's decisions do outside the session, besides answering its callers:
 * calls to Tradovate and its hourly allowances, the store, this replica's cache, the
 * lease holder, the log and the operators' events. An action that asks something returns
 * the answer as the event the decisions take next.
 */
final class SessionEffects {

	// the session's lines keep the session's logger
	private static final Logger log = LoggerFactory.getLogger(AccountSession.class);

	private final TradovateAccount tradovateAccount;

	private final String account;

	private final SessionServices services;

	private final AccountLease lease;

	SessionEffects(TradovateAccount account, SessionServices services, AccountLease lease) {
		this.tradovateAccount = account;
		this.account = account.id();
		this.services = services;
		this.lease = lease;
	}

	/**
	 * @return the answer, as the event to decide next, or {@code null} for an action that
	 * asks nothing
	 */
	SessionEvent perform(SessionAction action, Moment at) {
		if (action instanceof Spend spend) {
			return spend(spend.plan(), spend.answerBy(), at);
		}
		if (action instanceof Write write) {
			return write(write, at);
		}
		if (action instanceof Offer offer) {
			return offer(offer, at);
		}
		if (action instanceof Read read) {
			return read(read, at);
		}
		if (action instanceof Settle settle) {
			ledger(settle.operation()).settle(settle.permit(), settle.counts());
		}
		else if (action instanceof WakeSchedule) {
			this.services.wake().run();
		}
		else if (action instanceof PutToken put) {
			this.services.tokens().put(put.token());
		}
		else if (action instanceof DropToken drop) {
			this.services.tokens().invalidate(drop.token());
		}
		else if (action instanceof RemoveToken) {
			this.services.tokens().remove(this.account);
		}
		else if (action instanceof Log line) {
			log(line);
		}
		else if (action instanceof AskHolder ask) {
			// the holder's answer may arrive before this returns
			this.services.peers().ask(this.account, ask.request());
		}
		else {
			tell(action);
		}
		return null;
	}

	/**
	 * Sends one call; its answer (a failure too) goes to {@code answered} on the session
	 * executor.
	 */
	void send(Call call, Consumer<TradovateAnswer> answered) {
		TradovateAuth tradovate = this.services.tradovate();
		CompletableFuture<TradovateAnswer> request = (call.plan() instanceof CallPlan.Renewal renewal)
				? tradovate.renew(this.tradovateAccount, renewal.held().accessToken())
				: (call.plan() instanceof CallPlan.Check check)
						? tradovate.me(this.tradovateAccount, check.held().accessToken())
						: tradovate.login(this.tradovateAccount, call.request());
		request
			.whenCompleteAsync(
					(answer, error) -> answered.accept((error == null) ? answer
							: new TradovateAnswer.Failed("unexpected " + error.getClass().getSimpleName())),
					this::execute);
	}

	private void execute(Runnable task) {
		Executor executor = this.services.executor();
		try {
			executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// shutting down: the answer is still recorded
			task.run();
		}
	}

	private SessionEvent spend(CallPlan plan, Instant answerBy, Moment at) {
		if (plan instanceof CallPlan.Renewal renewal && renewal.forced()) {
			return spendForced(renewal, at);
		}
		HourlyLedger ledger = ledger(plan.operation());
		Instant now = at.now();
		HourlyLedger.Permit permit = (answerBy != null) ? ledger.tryAcquirePending(now, answerBy)
				: ledger.tryAcquire(now, plan.reserve());
		if (permit != null) {
			return new Permitted(at, plan, permit);
		}
		return refused(plan, ledger, Allowance.Share.TRADOVATE, at);
	}

	/**
	 * A renewal a caller forces takes a place in its client's share, its account's share
	 * and Tradovate's allowance, or in none of them: what a refusal took is given back.
	 */
	private SessionEvent spendForced(CallPlan.Renewal renewal, Moment at) {
		Instant now = at.now();
		ForcedRenewalShares shares = this.services.forced();
		HourlyLedger byClient = shares.client(renewal.client());
		HourlyLedger.Permit client = byClient.tryAcquire(now, 0);
		if (client == null) {
			return refused(renewal, byClient, Allowance.Share.CLIENT, at);
		}
		HourlyLedger ofAccount = shares.account(this.account);
		HourlyLedger.Permit account = ofAccount.tryAcquire(now, 0);
		if (account == null) {
			byClient.refund(client);
			return refused(renewal, ofAccount, Allowance.Share.ACCOUNT, at);
		}
		HourlyLedger renewals = this.services.budget().renewals();
		HourlyLedger.Permit permit = renewals.tryAcquire(now, renewal.reserve());
		if (permit == null) {
			byClient.refund(client);
			ofAccount.refund(account);
			return refused(renewal, renewals, Allowance.Share.TRADOVATE, at);
		}
		return new Permitted(at, renewal, permit);
	}

	private static SessionEvent refused(CallPlan plan, HourlyLedger ledger, Allowance.Share share, Moment at) {
		Instant now = at.now();
		int reserve = (share == Allowance.Share.TRADOVATE) ? plan.reserve() : 0;
		return new BudgetRefused(at, plan, new Allowance(ledger.used(now), ledger.pending(now), ledger.limit(),
				ledger.nextFreeAt(now, reserve), share));
	}

	private HourlyLedger ledger(Operation operation) {
		UpstreamBudget budget = this.services.budget();
		return switch (operation) {
			case LOGIN -> budget.failedLogins();
			case RENEW -> budget.renewals();
			case ME -> budget.failedChecks();
		};
	}

	private SessionEvent write(Write write, Moment at) {
		AccountRecords store = this.services.store();
		try {
			return new Written(at, write,
					store.write(this.account, this.lease.fence(), write.expectedRevision(), write.entry()), null);
		}
		catch (StoreUnavailableException ex) {
			return new Written(at, write, null, ex.getMessage());
		}
	}

	private SessionEvent offer(Offer offer, Moment at) {
		try {
			return new Offered(at, offer, this.services.store().offer(this.account, offer.entry()));
		}
		catch (StoreUnavailableException ex) {
			return new Offered(at, offer, false);
		}
	}

	private SessionEvent read(Read read, Moment at) {
		try {
			return new Reread(at, read, this.services.store().read(this.account), false);
		}
		catch (StoreUnavailableException ex) {
			return new Reread(at, read, null, true);
		}
	}

	private static void log(Log line) {
		Object[] args = line.args().toArray();
		switch (line.level()) {
			case ERROR -> log.error(line.format(), args);
			case WARN -> log.warn(line.format(), args);
			case INFO -> log.info(line.format(), args);
			case DEBUG -> log.debug(line.format(), args);
			case TRACE -> log.trace(line.format(), args);
		}
	}

	private void tell(SessionAction action) {
		SessionEvents events = this.services.events();
		if (action instanceof LoginStarted started) {
			events.loginStarted(this.account, started.reason());
		}
		else if (action instanceof SessionChecked checked) {
			events.sessionChecked(this.account, checked.outcome());
		}
		else if (action instanceof TokenRevoked revoked) {
			events.tokenRevoked(this.account, revoked.cause());
		}
		else if (action instanceof WaitImposed imposed) {
			events.waitImposed(this.account, imposed.state());
		}
		else if (action instanceof StoredTokenUnreadable) {
			events.storedTokenUnreadable(this.account);
		}
		else {
			throw new IllegalStateException("No effect for " + action);
		}
	}

}
