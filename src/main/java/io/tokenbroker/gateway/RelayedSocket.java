package io.tokenbroker.gateway;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

import io.tokenbroker.api.AccountNotAllowedException;
import io.tokenbroker.api.UnknownAccountException;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.KeyCheck;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.HeldToken;
import io.tokenbroker.session.TokenUnavailableException;
import io.tokenbroker.store.StoreUnavailableException;

import static io.tokenbroker.logging.LogValue.quoted;

/**
 * A caller's WebSocket and the broker's socket to Tradovate behind it. Until the caller's
 * key is known (from the upgrade's {@code Authorization} header, or its {@code authorize}
 * frame in place of the token) nothing is relayed and no upstream socket exists; then the
 * broker takes one of the fleet's places for the account, opens the socket from its own
 * address, authorizes it with the held token (the mdAccessToken for market data) and
 * answers the caller's {@code authorize} itself. From then on every frame is relayed both
 * ways as it is, but heartbeats: the caller's {@code []} keep it open here, and the
 * broker sends its own upstream. Requests count against Tradovate's limits. When either
 * end closes, the other closes with the same code and reason.
 */
final class RelayedSocket implements UpstreamSocket.Listener {

	private static final Logger log = LoggerFactory.getLogger(RelayedSocket.class);

	private static final Logger audit = LoggerFactory.getLogger("io.tokenbroker.audit");

	private static final JsonMapper json = JsonMapper.builder().build();

	/** The broker's own authorize request on the upstream socket. */
	private static final String AUTHORIZE_ID = "0";

	/** Requests a caller may send before its authorize is answered. */
	private static final int MOST_EARLY = 64;

	/** Request ids remembered per socket, to tie a penalty answer to its endpoint. */
	private static final int REMEMBERED = 256;

	private final String id = UUID.randomUUID().toString();

	private final String account;

	private final SocketKind kind;

	private final String address;

	private final WebSocketSession caller;

	private final SocketServices services;

	private final Consumer<RelayedSocket> onClose;

	private final Object lock = new Object();

	// Everything below is guarded by lock.

	private Phase phase = Phase.AWAITING_KEY;

	private Instant phaseSince;

	private Instant heard;

	private Caller client;

	private AccountSession session;

	private HeldToken token;

	private boolean authorizeResent;

	private UpstreamSocket upstream;

	private String pendingAuthorize;

	private final List<String> early = new ArrayList<>();

	private boolean counted;

	private Counter toTradovate;

	private Counter toCaller;

	private final Map<String, Endpoint> recent = new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Endpoint> eldest) {
			return size() > REMEMBERED;
		}

	};

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
		this.address = address;
		this.caller = caller;
		this.services = services;
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
			return this.counted && this.phase != Phase.CLOSED;
		}
	}

	/**
	 * The caller connected: it gets Tradovate's open frame.
	 * @param known the client its upgrade's {@code Authorization} header named, or
	 * {@code null} when its key comes in its {@code authorize} frame
	 */
	void opened(Caller known) {
		synchronized (this.lock) {
			send("o");
			if (known != null) {
				authenticated(known, null);
			}
		}
	}

	/** A frame from the caller. */
	void fromCaller(String text) {
		synchronized (this.lock) {
			this.heard = this.services.clock().instant();
			if (this.phase == Phase.CLOSED || CallerFrame.isHeartbeat(text)) {
				return;
			}
			CallerFrame frame = CallerFrame.parse(text);
			switch (this.phase) {
				case AWAITING_KEY -> awaitingKey(frame);
				case CONNECTING -> {
					if (frame != null && frame.isAuthorize() && this.pendingAuthorize == null) {
						this.pendingAuthorize = frame.id();
					}
					else if (this.early.size() < MOST_EARLY) {
						this.early.add(text);
					}
					else {
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
			send(frame.answer(401, "Not authorized"));
			return;
		}
		KeyCheck.Outcome outcome = this.services.keys().check(frame.key(), this.address);
		if (outcome instanceof KeyCheck.Known known) {
			authenticated(known.caller(), frame.id());
		}
		else if (outcome instanceof KeyCheck.LockedOut lockedOut) {
			send(frame.answer(429, "Too many failed authentications from this address; try again in "
					+ GatewayRefusal.seconds(lockedOut.retryAfter()) + " s"));
			close(SocketClosure.LOCKED_OUT);
		}
		else {
			// the answer Tradovate gives a token it does not know
			send(frame.answer(401, "Invalid access token"));
			close(SocketClosure.WRONG_KEY);
		}
	}

	/**
	 * The caller's key is known: the upstream socket opens, if the caller may have it.
	 */
	private void authenticated(Caller known, String authorizeId) {
		this.client = known;
		if (!known.gateway()) {
			close(SocketClosure.NOT_ALLOWED);
			return;
		}
		try {
			this.session = this.services.access().session(this.account, known);
		}
		catch (UnknownAccountException ex) {
			close(SocketClosure.UNKNOWN_ACCOUNT);
			return;
		}
		catch (AccountNotAllowedException ex) {
			close(SocketClosure.NOT_ALLOWED);
			return;
		}
		this.pendingAuthorize = authorizeId;
		move(Phase.CONNECTING);
		Instant now = this.services.clock().instant();
		try {
			this.counted = this.services.registry()
				.tryOpen(this.account, this.id, this.services.settings().maxSockets(), now,
						this.services.settings().sockets().leaseTime());
		}
		catch (StoreUnavailableException ex) {
			log.warn("Gateway: the {} socket of account {} cannot be counted: {}", this.kind.tag(), this.account,
					ex.getMessage());
			close(SocketClosure.STORE_UNAVAILABLE);
			return;
		}
		if (!this.counted) {
			log.warn(
					"Gateway: account {} holds {} upstream WebSockets across the fleet (broker.gateway.max-sockets); "
							+ "refused one more to client {}",
					this.account, this.services.settings().maxSockets(), known.id());
			close(SocketClosure.SOCKET_LIMIT);
			return;
		}
		this.toTradovate = this.services.metrics().frames(this.account, this.kind, true);
		this.toCaller = this.services.metrics().frames(this.account, this.kind, false);
		this.session.token(Duration.ZERO, this.services.waitForToken())
			.whenComplete((held, error) -> this.services.deliveries().schedule(() -> tokenReady(held, error)));
	}

	private void tokenReady(HeldToken held, Throwable error) {
		synchronized (this.lock) {
			if (this.phase != Phase.CONNECTING) {
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
			if (this.phase == Phase.RELAYING) {
				send(text);
				this.toCaller.increment();
				if (text.contains("\"p-ticket\"")) {
					penalties(text);
				}
			}
			else if (this.phase == Phase.CONNECTING) {
				connecting(text);
			}
		}
	}

	/** Tradovate's frames before the socket is authorized: the broker's own business. */
	private void connecting(String text) {
		if ("o".equals(text)) {
			this.upstream.send(authorize(this.token));
			return;
		}
		Integer status = authorizeStatus(text);
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
						if (this.phase != Phase.CONNECTING) {
							return;
						}
						if (error != null || current == null || current.accessToken().equals(refused.accessToken())) {
							close(SocketClosure.UPSTREAM_FAILED);
							return;
						}
						this.token = current;
						this.upstream.send(authorize(current));
					}
				}));
		}
		else {
			close(SocketClosure.UPSTREAM_FAILED);
		}
	}

	private String authorize(HeldToken held) {
		String secret = (this.kind == SocketKind.MARKET_DATA && held.mdAccessToken() != null) ? held.mdAccessToken()
				: held.accessToken();
		return "authorize\n" + AUTHORIZE_ID + "\n\n" + secret;
	}

	/** The status of Tradovate's answer to the broker's authorize, if the frame is it. */
	private static Integer authorizeStatus(String text) {
		if (!text.startsWith("a[")) {
			return null;
		}
		try {
			for (JsonNode message : json.readTree(text.substring(1))) {
				if (AUTHORIZE_ID.equals(message.path("i").asString(null))
						|| (message.path("i").isNumber() && message.path("i").asLong() == 0)) {
					return message.path("s").asInt(0);
				}
			}
		}
		catch (JacksonException ex) {
			// not an answer
		}
		return null;
	}

	private void relaying() {
		move(Phase.RELAYING);
		this.services.metrics().openSockets(this.account, this.kind).incrementAndGet();
		audit.info("gateway socket opened client={} account={} kind={} address={} token={}", quoted(this.client.id()),
				quoted(this.account), this.kind.tag(), quoted(this.address), quoted(this.token.fingerprint()));
		if (this.pendingAuthorize != null) {
			send(new CallerFrame("authorize", this.pendingAuthorize, "").answer(200, null));
			this.pendingAuthorize = null;
		}
		List<String> waiting = new ArrayList<>(this.early);
		this.early.clear();
		for (String text : waiting) {
			if (this.phase == Phase.RELAYING) {
				relay(text, CallerFrame.parse(text));
			}
		}
	}

	/** A frame of the caller, once relaying. */
	private void relay(String text, CallerFrame frame) {
		if (frame == null) {
			this.upstream.send(text);
			this.toTradovate.increment();
			return;
		}
		if (frame.isAuthorize()) {
			send(frame.answer(200, null));
			return;
		}
		this.services.metrics().request(this.account, this.kind.tag());
		Endpoint endpoint = Endpoint.of(frame.endpoint());
		if (endpoint.reserved()) {
			this.services.metrics().refused(this.account, Refusal.RESERVED_ENDPOINT);
			send(frame.answer(403, "The broker logs in and renews its token itself"));
			return;
		}
		try {
			this.services.budget().admit(this.account, endpoint);
		}
		catch (RequestBudget.Refused refused) {
			this.services.metrics().refused(this.account, refused.reason());
			send(frame.answer(429,
					refused.getMessage() + "; try again in " + GatewayRefusal.seconds(refused.retryAfter()) + " s"));
			return;
		}
		this.recent.put(frame.id(), endpoint);
		this.upstream.send(text);
		this.toTradovate.increment();
	}

	/** An answer of Tradovate's carries a penalty: its endpoint is held. */
	private void penalties(String text) {
		try {
			for (JsonNode message : json.readTree(text.substring(1))) {
				PenaltyAnswer penalty = PenaltyAnswer.of(message.get("d"));
				Endpoint endpoint = this.recent.get(message.path("i").asString(""));
				if (penalty != null && endpoint != null) {
					Duration held = this.services.budget().penalized(endpoint, penalty.pTime(), penalty.captcha());
					this.services.metrics().penalized(this.account);
					log.warn(
							"Gateway: Tradovate penalized {} on the {} socket of account {} (p-time {} s{}); the "
									+ "broker holds calls of it for {} s",
							quoted(endpoint.name()), this.kind.tag(), this.account, penalty.pTime().toSeconds(),
							penalty.captcha() ? ", captcha" : "", held.toSeconds());
				}
			}
		}
		catch (RuntimeException ex) {
			log.debug("Gateway: a frame that names a p-ticket could not be read: {}", ex.getClass().getSimpleName());
		}
	}

	/**
	 * Heartbeats and time-outs, on the gateway's tick: the broker's {@code []} upstream;
	 * a caller that presents no key in time, or falls silent, is closed.
	 */
	void tick(Instant now) {
		synchronized (this.lock) {
			GatewayProperties settings = this.services.settings();
			switch (this.phase) {
				case AWAITING_KEY -> {
					if (!now.isBefore(this.phaseSince.plus(settings.sockets().authorizeTimeout()))) {
						close(SocketClosure.AUTHORIZE_TIMEOUT);
						return;
					}
				}
				case CONNECTING -> {
					if (!now.isBefore(this.phaseSince.plus(settings.timeout()).plus(this.services.waitForToken()))) {
						close(SocketClosure.UPSTREAM_FAILED);
						return;
					}
				}
				case RELAYING -> this.upstream.send(CallerFrame.HEARTBEAT);
				default -> {
					return;
				}
			}
			if (!now.isBefore(this.heard.plus(settings.sockets().callerTimeout()))) {
				close(SocketClosure.HEARTBEAT_TIMEOUT);
			}
		}
	}

	@Override
	public void closed(int code, String reason) {
		synchronized (this.lock) {
			if (this.phase == Phase.CLOSED) {
				return;
			}
			log.info("Gateway: Tradovate closed the {} socket of account {} ({} {}); closing its caller's",
					this.kind.tag(), this.account, code, quoted(reason));
			boolean sendable = UpstreamSocket.sendable(code);
			// Tradovate's own close frame, when it sent one, was relayed already
			finish(sendable ? code : CloseStatus.SERVER_ERROR.getCode(),
					sendable ? reason : "Tradovate's WebSocket ended without a close status (" + code + ")", false);
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
			if (this.phase == Phase.CLOSED) {
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
			if (this.phase == Phase.CLOSED) {
				return;
			}
			if (closure.refusal() != null) {
				this.services.metrics().refused(this.account, closure.refusal());
				audit.info("gateway socket refused client={} account={} kind={} address={} code={} reason={}",
						quoted((this.client != null) ? this.client.id() : null), quoted(this.account), this.kind.tag(),
						quoted(this.address), closure.code(), quoted(closure.reason()));
			}
			finish(closure.code(), closure.reason(), true);
		}
	}

	/**
	 * Closes the caller's socket, and the upstream one when the broker decided it; the
	 * broker's own decisions come first as Tradovate's close frame.
	 */
	private void finish(int code, String reason, boolean ownDecision) {
		end();
		String shortReason = UpstreamSocket.shortReason(reason);
		if (ownDecision) {
			send("c" + json.writeValueAsString(List.of(code, shortReason)));
		}
		try {
			this.caller.close(new CloseStatus(code, shortReason));
		}
		catch (IOException | RuntimeException ex) {
			// gone already
		}
		if (ownDecision && this.upstream != null) {
			this.upstream.close(code, shortReason);
		}
	}

	/** Leaves every count: once. */
	private void end() {
		if (this.phase == Phase.RELAYING) {
			this.services.metrics().openSockets(this.account, this.kind).decrementAndGet();
		}
		this.phase = Phase.CLOSED;
		if (this.counted) {
			try {
				this.services.registry().release(this.account, this.id);
			}
			catch (StoreUnavailableException ex) {
				// it stops counting when its lease time has passed
			}
		}
		this.onClose.accept(this);
	}

	private void move(Phase next) {
		this.phase = next;
		this.phaseSince = this.services.clock().instant();
	}

	private void send(String text) {
		try {
			if (this.caller.isOpen()) {
				this.caller.sendMessage(new TextMessage(text));
			}
		}
		catch (IOException | RuntimeException ex) {
			// the caller left or reads too slowly: its close follows
			log.debug("Gateway: a frame to the caller of a {} socket of account {} was not sent: {}", this.kind.tag(),
					this.account, ex.getClass().getSimpleName());
		}
	}

	private enum Phase {

		/** Open; the caller's key is not known yet. */
		AWAITING_KEY,

		/** The key is known; the upstream socket opens and authorizes. */
		CONNECTING,

		/** Frames go both ways. */
		RELAYING,

		/** Both ends closed or closing. */
		CLOSED

	}

}
