package io.tokenbroker.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

import io.tokenbroker.caller.Caller;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.HeldToken;
import io.tokenbroker.session.TokenUnavailableException;

import static io.tokenbroker.logging.LogValue.quoted;

/**
 * A caller's WebSocket and the broker's socket to Tradovate behind it. Until the caller's
 * key is known (from the upgrade's {@code Authorization} header, or its {@code authorize}
 * frame in place of the token) nothing is relayed and no upstream socket exists; then the
 * broker takes one of the fleet's places for the account ({@link SocketAdmission}), opens
 * the socket from its own address, authorizes it with the held token
 * ({@link UpstreamAuthorize}) and answers the caller's {@code authorize} itself
 * ({@link EarlyFrames}). From then on every frame is relayed both ways as it is, but
 * heartbeats: the caller's {@code []} keep it open here ({@link SocketDeadlines}), and
 * the broker sends its own upstream. Requests count against Tradovate's limits
 * ({@link RelayedRequests}). When either end closes, the other closes with the same code
 * and reason ({@link CallerEnd}). Operators see it in the audit trail and the gateway's
 * meters ({@link SocketAudit}).
 */
final class RelayedSocket implements UpstreamSocket.Listener {

	private static final Logger log = LoggerFactory.getLogger(RelayedSocket.class);

	private final String id = UUID.randomUUID().toString();

	private final String account;

	private final SocketKind kind;

	private final CallerEnd caller;

	private final SocketServices services;

	private final SocketAdmission admission;

	private final SocketDeadlines deadlines;

	private final RelayedRequests requests;

	private final SocketAudit audit;

	private final Consumer<RelayedSocket> onClose;

	private final Object lock = new Object();

	// Everything below is guarded by lock.

	private SocketPhase phase = SocketPhase.AWAITING_KEY;

	private Instant phaseSince;

	private Instant heard;

	private Caller client;

	private AccountSession session;

	private HeldToken token;

	private boolean authorizeResent;

	private UpstreamSocket upstream;

	private EarlyFrames early;

	private boolean counted;

	/**
	 * @param account the account the caller's path names (not yet checked)
	 * @param address the caller's address, as the lock-out knows it
	 * @param caller the caller's socket, safe for concurrent sends
	 * @param onClose told once, when the pair has closed
	 */
	RelayedSocket(String account, SocketKind kind, String address, WebSocketSession caller, SocketServices services,
			Consumer<RelayedSocket> onClose) {
		this.account = account;
		this.kind = kind;
		this.caller = new CallerEnd(caller, account, kind);
		this.services = services;
		this.admission = new SocketAdmission(account, kind, address, this.id, services);
		this.deadlines = SocketDeadlines.of(services.settings(), services.waitForToken());
		this.requests = new RelayedRequests(account, kind, services);
		this.audit = new SocketAudit(account, kind, address, services.metrics());
		this.onClose = onClose;
		this.phaseSince = services.clock().instant();
		this.heard = this.phaseSince;
	}

	String account() {
		return this.account;
	}

	String id() {
		return this.id;
	}

	/** Whether its upstream socket counts in the fleet's registry. */
	boolean counted() {
		synchronized (this.lock) {
			return this.counted && this.phase != SocketPhase.CLOSED;
		}
	}

	/**
	 * The caller connected: it gets Tradovate's open frame.
	 * @param known the client its upgrade's {@code Authorization} header named, or
	 * {@code null} when its key comes in its {@code authorize} frame
	 */
	void opened(Caller known) {
		synchronized (this.lock) {
			this.caller.send("o");
			if (known != null) {
				admitted(this.admission.of(known), null);
			}
		}
	}

	/** A frame from the caller. */
	void fromCaller(String text) {
		synchronized (this.lock) {
			this.heard = this.services.clock().instant();
			if (this.phase == SocketPhase.CLOSED || CallerFrame.isHeartbeat(text)) {
				return;
			}
			CallerFrame frame = CallerFrame.parse(text);
			switch (this.phase) {
				case AWAITING_KEY -> awaitingKey(frame);
				case CONNECTING -> {
					if (!this.early.hold(text, frame)) {
						close(SocketClosure.TOO_EARLY);
					}
				}
				case RELAYING -> relay(text, frame);
				default -> {
				}
			}
		}
	}

	private void awaitingKey(CallerFrame frame) {
		if (frame == null) {
			return;
		}
		if (!frame.isAuthorize()) {
			// as Tradovate answers a request on a socket not yet authorized
			this.caller.send(frame.answer(401, "Not authorized"));
			return;
		}
		admitted(this.admission.ofFrame(frame), frame.id());
	}

	/**
	 * What the caller's key led to: the upstream socket opens once the session gives a
	 * token, or the caller hears why not.
	 */
	private void admitted(SocketAdmission.Outcome outcome, String authorizeId) {
		if (outcome instanceof SocketAdmission.Refused refused) {
			this.client = refused.caller();
			if (refused.answer() != null) {
				this.caller.send(refused.answer());
			}
			close(refused.closure());
			return;
		}
		SocketAdmission.Admitted admitted = (SocketAdmission.Admitted) outcome;
		this.client = admitted.caller();
		this.session = admitted.session();
		this.early = new EarlyFrames(authorizeId);
		this.counted = true;
		move(SocketPhase.CONNECTING);
		this.audit.admitted();
		this.session.token(Duration.ZERO, this.services.waitForToken())
			.whenComplete((held, error) -> this.services.deliveries().schedule(() -> tokenReady(held, error)));
	}

	private void tokenReady(HeldToken held, Throwable error) {
		synchronized (this.lock) {
			if (this.phase != SocketPhase.CONNECTING) {
				return;
			}
			if (error != null) {
				Throwable cause = (error.getCause() != null) ? error.getCause() : error;
				log.info("Gateway: no token for the {} socket of account {}: {}", this.kind.tag(), this.account,
						(cause instanceof TokenUnavailableException) ? cause.getMessage()
								: cause.getClass().getSimpleName());
				close(SocketClosure.NO_TOKEN);
				return;
			}
			this.token = held;
			this.upstream = new UpstreamSocket();
			this.upstream.open(this.services.client(), this.services.urls().get(this.account).of(this.kind),
					this.services.deliveries(), this);
		}
	}

	@Override
	public void frame(String text) {
		synchronized (this.lock) {
			if (this.phase == SocketPhase.RELAYING) {
				this.caller.send(text);
				this.audit.toCaller();
				this.requests.answered(text);
			}
			else if (this.phase == SocketPhase.CONNECTING) {
				connecting(text);
			}
		}
	}

	/** Tradovate's frames before the socket is authorized: the broker's own business. */
	private void connecting(String text) {
		if ("o".equals(text)) {
			this.upstream.send(UpstreamAuthorize.request(this.kind, this.token));
			return;
		}
		Integer status = UpstreamAuthorize.status(text);
		if (status == null) {
			return;
		}
		if (status == 200) {
			relaying();
		}
		else if (!this.authorizeResent) {
			this.authorizeResent = true;
			HeldToken refused = this.token;
			log.info("Gateway: Tradovate refused token {} on the {} socket of account {} ({}); checking it",
					refused.fingerprint(), this.kind.tag(), this.account, status);
			this.session.report(refused.accessToken(), this.services.waitForToken())
				.whenComplete((current, error) -> this.services.deliveries().schedule(() -> {
					synchronized (this.lock) {
						if (this.phase != SocketPhase.CONNECTING) {
							return;
						}
						if (error != null || current == null || current.accessToken().equals(refused.accessToken())) {
							close(SocketClosure.UPSTREAM_FAILED);
							return;
						}
						this.token = current;
						this.upstream.send(UpstreamAuthorize.request(this.kind, current));
					}
				}));
		}
		else {
			close(SocketClosure.UPSTREAM_FAILED);
		}
	}

	private void relaying() {
		move(SocketPhase.RELAYING);
		this.audit.relaying(this.client, this.token);
		String authorized = this.early.authorized();
		if (authorized != null) {
			this.caller.send(authorized);
		}
		for (String text : this.early.release()) {
			if (this.phase == SocketPhase.RELAYING) {
				relay(text, CallerFrame.parse(text));
			}
		}
	}

	/** A frame of the caller, once relaying. */
	private void relay(String text, CallerFrame frame) {
		if (frame != null && frame.isAuthorize()) {
			this.caller.send(frame.answer(200, null));
			return;
		}
		String refusal = (frame != null) ? this.requests.refusal(frame) : null;
		if (refusal != null) {
			this.caller.send(refusal);
			return;
		}
		this.upstream.send(text);
		this.audit.toTradovate();
	}

	/**
	 * Heartbeats and time-outs, on the gateway's tick: the broker's {@code []} upstream;
	 * a caller that presents no key in time, or falls silent, is closed.
	 */
	void tick(Instant now) {
		synchronized (this.lock) {
			if (this.phase == SocketPhase.RELAYING) {
				this.upstream.send(CallerFrame.HEARTBEAT);
			}
			SocketClosure passed = this.deadlines.passed(this.phase, this.phaseSince, this.heard, now);
			if (passed != null) {
				close(passed);
			}
		}
	}

	@Override
	public void closed(int code, String reason) {
		synchronized (this.lock) {
			if (this.phase == SocketPhase.CLOSED) {
				return;
			}
			log.info("Gateway: Tradovate closed the {} socket of account {} ({} {}); closing its caller's",
					this.kind.tag(), this.account, code, quoted(reason));
			CloseStatus status = CallerEnd.afterTradovate(code, reason);
			// Tradovate's own close frame, when it sent one, was relayed already
			finish(status.getCode(), status.getReason(), false);
		}
	}

	@Override
	public void failed(Throwable error) {
		synchronized (this.lock) {
			log.warn("Gateway: the {} socket of account {} could not be opened: {}", this.kind.tag(), this.account,
					error.getClass().getSimpleName());
			close(SocketClosure.UPSTREAM_FAILED);
		}
	}

	/** The caller closed its socket: the upstream one closes with its code and reason. */
	void callerClosed(CloseStatus status) {
		synchronized (this.lock) {
			if (this.phase == SocketPhase.CLOSED) {
				return;
			}
			end();
			if (this.upstream != null) {
				this.upstream.close(status.getCode(), status.getReason());
			}
			log.debug("Gateway: the caller closed its {} socket of account {} ({})", this.kind.tag(), this.account,
					status.getCode());
		}
	}

	/** The broker closes both ends, for this reason. */
	void close(SocketClosure closure) {
		synchronized (this.lock) {
			if (this.phase == SocketPhase.CLOSED) {
				return;
			}
			this.audit.closing(this.client, closure);
			finish(closure.code(), closure.reason(), true);
		}
	}

	/**
	 * Closes the caller's socket, and the upstream one when the broker decided it; the
	 * broker's own decisions come first as Tradovate's close frame.
	 */
	private void finish(int code, String reason, boolean ownDecision) {
		end();
		this.caller.close(code, reason, ownDecision);
		if (ownDecision && this.upstream != null) {
			this.upstream.close(code, UpstreamSocket.shortReason(reason));
		}
	}

	/** Leaves every count: once. */
	private void end() {
		if (this.phase == SocketPhase.RELAYING) {
			this.audit.relayed();
		}
		this.phase = SocketPhase.CLOSED;
		if (this.counted) {
			this.admission.release();
		}
		this.onClose.accept(this);
	}

	private void move(SocketPhase next) {
		this.phase = next;
		this.phaseSince = this.services.clock().instant();
	}

}
