package io.tokenbroker.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * What each request over a simulated Tradovate WebSocket does: {@code authorize} (with
 * the connection limits), {@code account/list}, {@code user/list},
 * {@code user/syncrequest} on the trading socket, {@code md/subscribeQuote} and
 * {@code md/unsubscribeQuote} on the market-data socket; and the synthetic quotes and
 * user-data pushes. Every method runs under the simulator's lock and returns the frames
 * to send once it is released. Not thread-safe: the lock of {@link SimulatorState} guards
 * it.
 */
final class SocketRequests {

	static final String INVALID_TOKEN = "Invalid access token";

	static final String NOT_AUTHORIZED = "Not authorized";

	private static final Logger logger = LoggerFactory.getLogger(SocketRequests.class);

	private final SessionBook sessions;

	private final SocketBook sockets;

	private final UserRequestLimit userLimits;

	private final SimulatorProperties properties;

	private final Map<String, Double> cashBalances = new HashMap<>();

	private final Map<Long, Quote> quotes = new HashMap<>();

	private final EndpointLimit syncLimit;

	private final Consumer<String> received;

	private final Runnable penalized;

	/**
	 * @param syncLimit the limit of {@code user/syncrequest}, shared with REST
	 * @param received counts an authenticated request of an endpoint
	 * @param penalized counts a penalty answer
	 */
	SocketRequests(SessionBook sessions, SocketBook sockets, UserRequestLimit userLimits,
			SimulatorProperties properties, EndpointLimit syncLimit, Consumer<String> received, Runnable penalized) {
		this.sessions = sessions;
		this.sockets = sockets;
		this.userLimits = userLimits;
		this.properties = properties;
		this.syncLimit = syncLimit;
		this.received = received;
		this.penalized = penalized;
	}

	/**
	 * Answer one frame from a client.
	 * @param socket the socket it came on
	 * @param text the frame
	 * @param now the simulator's now
	 * @return the frames to send
	 */
	List<Outgoing> receive(SocketBook.Socket socket, String text, Instant now) {
		socket.heard(now);
		if (text.isBlank() || SocketFrames.CLIENT_HEARTBEAT.equals(text.strip())) {
			return List.of();
		}
		SocketFrames.Request request = SocketFrames.parse(text);
		if (request == null) {
			logger.debug("Ignored a frame of {} characters without a request id on {}", text.length(), socket);
			return List.of();
		}
		if (request.is("authorize")) {
			return List.of(new Outgoing(socket.link(), authorize(socket, request, now)));
		}
		if (!socket.authorized()) {
			return List.of(new Outgoing(socket.link(), SocketFrames.answer(request.id(), 401, NOT_AUTHORIZED)));
		}
		this.received.accept(request.endpoint());
		int limited = this.userLimits.admit(socket.user(), now, this.properties.limits());
		if (limited != 0) {
			return List.of(new Outgoing(socket.link(), SocketFrames.answer(request.id(), limited, null)));
		}
		return (socket.kind() == SocketKind.TRADING) ? trading(socket, request, now) : marketData(socket, request, now);
	}

	private String authorize(SocketBook.Socket socket, SocketFrames.Request request, Instant now) {
		// The raw token, as documented: a JSON-quoted one is not a token Tradovate knows.
		String token = request.body().strip();
		SessionBook.Session session;
		if (socket.kind() == SocketKind.TRADING) {
			SessionBook.Grant grant = this.sessions.find(token, now);
			session = (grant != null) ? grant.session() : null;
		}
		else {
			session = this.sessions.findMd(token, now);
		}
		if (session == null) {
			logger.debug("authorize refused on {} for token {}...", socket, Fingerprint.of(token));
			return SocketFrames.answer(request.id(), 401, INVALID_TOKEN);
		}
		this.sockets.authorize(socket, session, token, now);
		for (SocketBook.Socket oldest : this.sockets.overLimits(socket, this.properties.websocket())) {
			revokeTokenOf(oldest);
			this.sockets.close(oldest, SocketClose.CONNECTION_LIMIT);
		}
		return SocketFrames.answer(request.id(), 200, null);
	}

	private void revokeTokenOf(SocketBook.Socket socket) {
		boolean revoked = (socket.kind() == SocketKind.TRADING) ? this.sessions.revoke(socket.token())
				: this.sessions.revokeMd(socket.session());
		logger.warn("Connection limit of {}: closed its oldest {} connection {}, token {}... {}", socket.user(),
				socket.kind(), socket.id(), Fingerprint.of(socket.token()),
				revoked ? "revoked" : "was revoked already");
		if (revoked) {
			this.sockets.countRevocation(socket.user());
		}
	}

	private List<Outgoing> trading(SocketBook.Socket socket, SocketFrames.Request request, Instant now) {
		SimulatedUser user = socket.session().user();
		Object data;
		if (request.is("account/list")) {
			data = List.of(UserEntities.account(user));
		}
		else if (request.is("user/list")) {
			data = List.of(UserEntities.user(user));
		}
		else if (request.is("user/syncrequest")) {
			Map<String, Object> penalty = syncPenalty(socket.address(), now);
			if (penalty != null) {
				data = penalty;
			}
			else {
				socket.sync();
				data = snapshot(user, now);
			}
		}
		else {
			return notFound(socket, request);
		}
		return List.of(new Outgoing(socket.link(), SocketFrames.answer(request.id(), 200, data)));
	}

	private List<Outgoing> marketData(SocketBook.Socket socket, SocketFrames.Request request, Instant now) {
		boolean subscribe = request.is("md/subscribeQuote");
		if (!subscribe && !request.is("md/unsubscribeQuote")) {
			return notFound(socket, request);
		}
		JsonNode body = request.json();
		JsonNode symbol = (body != null) ? body.get("symbol") : null;
		Contract contract = (symbol != null && symbol.isValueNode()) ? Contract.of(symbol.asString()) : null;
		if (contract == null) {
			return List.of(new Outgoing(socket.link(),
					SocketFrames.answer(request.id(), 200, Map.of("errorText", "symbol is required"))));
		}
		List<Outgoing> out = new ArrayList<>();
		if (subscribe) {
			socket.quotes().add(contract);
			out.add(new Outgoing(socket.link(), SocketFrames.answer(request.id(), 200, null)));
			// the current quote at once, as a subscription starts with one
			out.add(new Outgoing(socket.link(), quotesFrame(List.of(contract), now, false)));
		}
		else {
			socket.quotes().remove(contract);
			out.add(new Outgoing(socket.link(), SocketFrames.answer(request.id(), 200, null)));
		}
		return out;
	}

	private List<Outgoing> notFound(SocketBook.Socket socket, SocketFrames.Request request) {
		return List.of(new Outgoing(socket.link(),
				SocketFrames.answer(request.id(), 404, SocketFrames.notFound(request.endpoint()))));
	}

	/**
	 * One quote for every subscription of every market-data socket.
	 * @param now the simulator's now
	 * @return the frames
	 */
	List<Outgoing> quoteTick(Instant now) {
		List<Outgoing> out = new ArrayList<>();
		for (SocketBook.Socket socket : this.sockets.all()) {
			if (socket.authorized() && !socket.quotes().isEmpty()) {
				out.add(new Outgoing(socket.link(), quotesFrame(socket.quotes(), now, true)));
			}
		}
		return out;
	}

	/**
	 * Change a user's cash balance and push it to every socket of the user that asked for
	 * {@code user/syncrequest}.
	 * @param user the user
	 * @param amount the new balance
	 * @param now the simulator's now
	 * @return the frames
	 */
	List<Outgoing> changeCashBalance(SimulatedUser user, double amount, Instant now) {
		this.cashBalances.put(user.name(), amount);
		Map<String, Object> change = new LinkedHashMap<>();
		change.put("entityType", "cashBalance");
		change.put("eventType", "Updated");
		change.put("entity", UserEntities.cashBalance(user, amount, now));
		String frame = SocketFrames.event("props", change);
		List<Outgoing> out = new ArrayList<>();
		for (SocketBook.Socket socket : this.sockets.all()) {
			if (socket.authorized() && socket.syncing() && socket.user().equals(user.name())) {
				out.add(new Outgoing(socket.link(), frame));
			}
		}
		return out;
	}

	void clear() {
		this.cashBalances.clear();
		this.quotes.clear();
		this.syncLimit.clear();
	}

	/**
	 * Count a {@code user/syncrequest} call against its hourly limit.
	 * @param clientIp the caller's address
	 * @param now the simulator's now
	 * @return the penalty to answer with, or {@code null} when the call is processed
	 */
	Map<String, Object> syncPenalty(String clientIp, Instant now) {
		SimulatorProperties.Limits limits = this.properties.limits();
		Duration pTime = this.syncLimit.admit(clientIp, now, limits.syncRequestsPerHour(),
				limits.syncRequestPenaltyTime());
		if (pTime == null) {
			return null;
		}
		this.penalized.run();
		Map<String, Object> penalty = new LinkedHashMap<>();
		penalty.put("p-ticket", "sync-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
		penalty.put("p-time", Math.max(1, pTime.toSeconds()));
		return penalty;
	}

	Map<String, Object> snapshot(SimulatedUser user, Instant now) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("users", List.of(UserEntities.user(user)));
		data.put("accounts", List.of(UserEntities.account(user)));
		data.put("cashBalances", List.of(UserEntities.cashBalance(user, cashBalance(user), now)));
		data.put("accountRiskStatuses", List.of());
		data.put("positions", List.of());
		data.put("orders", List.of());
		data.put("fills", List.of());
		return data;
	}

	double cashBalance(SimulatedUser user) {
		return this.cashBalances.getOrDefault(user.name(), 50_000.0);
	}

	private String quotesFrame(Iterable<Contract> contracts, Instant now, boolean move) {
		List<Map<String, Object>> list = new ArrayList<>();
		for (Contract contract : contracts) {
			Quote quote = this.quotes.computeIfAbsent(contract.id(), (id) -> new Quote(contract.firstPrice()));
			if (move) {
				quote.move();
			}
			list.add(quote.toMessage(contract, now));
		}
		return SocketFrames.event("md", Map.of("quotes", list));
	}

	/**
	 * A frame for one connection.
	 *
	 * @param link the connection
	 * @param frame the frame
	 */
	record Outgoing(SocketLink link, String frame) {

		void send() {
			this.link.send(this.frame);
		}

	}

	/** A random walk in ticks of 0.25, for one contract. */
	private static final class Quote {

		private double price;

		private long volume;

		Quote(double price) {
			this.price = price;
		}

		void move() {
			this.price = Math.max(0.25, this.price + ThreadLocalRandom.current().nextInt(-2, 3) * 0.25);
			this.volume += ThreadLocalRandom.current().nextInt(1, 20);
		}

		Map<String, Object> toMessage(Contract contract, Instant now) {
			Map<String, Object> entries = new LinkedHashMap<>();
			entries.put("Bid", Map.of("price", this.price - 0.25, "size", 12));
			entries.put("Offer", Map.of("price", this.price + 0.25, "size", 9));
			entries.put("Trade", Map.of("price", this.price, "size", 1));
			entries.put("TotalTradeVolume", Map.of("size", this.volume));
			Map<String, Object> message = new LinkedHashMap<>();
			message.put("timestamp", now.truncatedTo(ChronoUnit.MILLIS).toString());
			message.put("contractId", contract.id());
			message.put("entries", entries);
			return message;
		}

	}

}
