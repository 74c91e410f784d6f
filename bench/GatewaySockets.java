import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The WebSocket side of bench/run's gateway section, with the JDK's WebSocket client.
 * Tradovate's protocol: the server's {@code o}, then {@code authorize\n<id>\n\n<secret>}
 * (the broker's token against the simulator; the client key through the gateway), then
 * requests {@code <endpoint>\n<id>\n\n<body>} answered in {@code a[{"s":..,"i":..}]}, and
 * a heartbeat {@code []} every 2.5 s.
 *
 * <pre>
 * java GatewaySockets.java rtt URL SECRET REQUESTS
 *     one socket, REQUESTS account/list requests one after the other: round trips (ms)
 *     p50, p99, max
 * java GatewaySockets.java rate URL SECRET SOCKETS SECONDS
 *     SOCKETS sockets, 32 requests in flight on each, for SECONDS: frames per second
 *     (requests sent plus answers received)
 * java GatewaySockets.java ceiling URL SECRET SOCKETS
 *     opens SOCKETS sockets one after the other and keeps them: how many were authorized
 *     and how many the server closed or refused, with the close codes seen
 * </pre>
 *
 * Prints one JSON line.
 */
public final class GatewaySockets {

	private static final Duration WAIT = Duration.ofSeconds(15);

	public static void main(String[] args) throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		URI url = URI.create(args[1]);
		String secret = args[2];
		switch (args[0]) {
			case "rtt" -> rtt(http, url, secret, Integer.parseInt(args[3]));
			case "rate" -> rate(http, url, secret, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
			case "ceiling" -> ceiling(http, url, secret, Integer.parseInt(args[3]));
			default -> throw new IllegalArgumentException("rtt, rate or ceiling");
		}
		System.exit(0);
	}

	private static void rtt(HttpClient http, URI url, String secret, int requests) throws Exception {
		Socket socket = Socket.open(http, url);
		socket.authorize(secret);
		long[] nanos = new long[requests];
		for (int i = 0; i < requests; i++) {
			long started = System.nanoTime();
			socket.send("account/list\n" + (i + 10) + "\n\n");
			String answer = socket.nextAnswer();
			nanos[i] = System.nanoTime() - started;
			if (!answer.contains("\"s\":200")) {
				throw new IllegalStateException("not answered 200: " + answer.substring(0, Math.min(80, answer.length())));
			}
			socket.heartbeatIfDue();
		}
		socket.close();
		Arrays.sort(nanos);
		System.out.printf(Locale.ROOT, "{\"requests\":%d,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f}%n", requests,
				ms(nanos[requests / 2]), ms(nanos[(int) Math.min(requests - 1, Math.ceil(requests * 0.99) - 1)]),
				ms(nanos[requests - 1]));
	}

	private static void rate(HttpClient http, URI url, String secret, int sockets, int seconds) throws Exception {
		AtomicLong sent = new AtomicLong();
		AtomicLong answered = new AtomicLong();
		List<Thread> threads = new ArrayList<>();
		AtomicLong end = new AtomicLong(Long.MAX_VALUE);
		for (int s = 0; s < sockets; s++) {
			Socket socket = Socket.open(http, url);
			socket.authorize(secret);
			Thread thread = new Thread(() -> {
				try {
					int id = 10;
					int inFlight = 0;
					while (System.nanoTime() < end.get()) {
						while (inFlight < 32) {
							socket.send("account/list\n" + (id++) + "\n\n");
							sent.incrementAndGet();
							inFlight++;
						}
						String frame = socket.nextAnswer();
						int answers = frame.split("\"s\":", -1).length - 1;
						answered.addAndGet(answers);
						inFlight -= answers;
						socket.heartbeatIfDue();
					}
					socket.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			threads.add(thread);
		}
		long started = System.nanoTime();
		end.set(started + TimeUnit.SECONDS.toNanos(seconds));
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join();
		}
		double elapsed = (System.nanoTime() - started) / 1e9;
		System.out.printf(Locale.ROOT,
				"{\"sockets\":%d,\"seconds\":%.1f,\"requests\":%d,\"answers\":%d,\"framesPerSecond\":%.0f}%n", sockets,
				elapsed, sent.get(), answered.get(), (sent.get() + answered.get()) / elapsed);
	}

	private static void ceiling(HttpClient http, URI url, String secret, int sockets) throws Exception {
		List<Socket> open = new ArrayList<>();
		int authorized = 0;
		int refused = 0;
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < sockets; i++) {
			Socket socket;
			try {
				socket = Socket.open(http, url);
			}
			catch (Exception ex) {
				refused++;
				codes.add("\"upgrade refused\"");
				continue;
			}
			String answer = socket.tryAuthorize(secret);
			if (answer != null && answer.contains("\"s\":200")) {
				authorized++;
				open.add(socket);
			}
			else {
				refused++;
				codes.add("\"" + socket.closeCode() + "\"");
			}
			open.forEach(Socket::heartbeatIfDue);
		}
		// every socket kept a few seconds: a socket the server revoked closes meanwhile
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() < until) {
			open.forEach(Socket::heartbeatIfDue);
			Thread.sleep(250);
		}
		long closedLater = open.stream().filter(Socket::closed).count();
		open.forEach(Socket::close);
		System.out.printf(Locale.ROOT,
				"{\"asked\":%d,\"authorized\":%d,\"refused\":%d,\"closedAfterwards\":%d,\"closeCodes\":[%s]}%n", sockets,
				authorized, refused, closedLater, String.join(",", codes.stream().distinct().toList()));
	}

	private static double ms(long nanos) {
		return nanos / 1e6;
	}

	/** One Tradovate-style socket, its frames in a queue. */
	private static final class Socket implements WebSocket.Listener {

		private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();

		private final StringBuilder partial = new StringBuilder();

		private final CompletableFuture<Integer> closed = new CompletableFuture<>();

		private WebSocket ws;

		private long lastHeartbeat = System.nanoTime();

		static Socket open(HttpClient http, URI url) throws Exception {
			Socket socket = new Socket();
			socket.ws = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(url, socket).get(15, TimeUnit.SECONDS);
			String first = socket.frames.poll(15, TimeUnit.SECONDS);
			if (!"o".equals(first)) {
				throw new IllegalStateException("no open frame: " + first);
			}
			return socket;
		}

		void authorize(String secret) throws Exception {
			String answer = tryAuthorize(secret);
			if (answer == null || !answer.contains("\"s\":200")) {
				throw new IllegalStateException("not authorized: " + answer);
			}
		}

		/** The answer to authorize, or {@code null} when the socket closed first. */
		String tryAuthorize(String secret) throws Exception {
			send("authorize\n1\n\n" + secret);
			while (true) {
				String frame = this.frames.poll(15, TimeUnit.SECONDS);
				if (frame == null || frame.startsWith("CLOSED")) {
					return null;
				}
				if (frame.startsWith("a[") && frame.contains("\"i\":1")) {
					return frame;
				}
			}
		}

		/** The next frame with answers, heartbeats and events skipped. */
		String nextAnswer() throws Exception {
			while (true) {
				String frame = this.frames.poll(15, TimeUnit.SECONDS);
				if (frame == null || frame.startsWith("CLOSED")) {
					throw new IllegalStateException("no answer: " + frame);
				}
				if (frame.startsWith("a[") && frame.contains("\"s\":")) {
					return frame;
				}
			}
		}

		void send(String text) {
			this.ws.sendText(text, true).join();
		}

		void heartbeatIfDue() {
			if (System.nanoTime() - this.lastHeartbeat > TimeUnit.MILLISECONDS.toNanos(2500) && !closed()) {
				this.lastHeartbeat = System.nanoTime();
				this.ws.sendText("[]", true);
			}
		}

		boolean closed() {
			return this.closed.isDone();
		}

		int closeCode() {
			try {
				return this.closed.get(5, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				return -1;
			}
		}

		void close() {
			if (!closed()) {
				this.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bench done");
			}
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.frames.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode);
			this.frames.add("CLOSED " + statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.complete(-1);
			this.frames.add("CLOSED error");
		}

	}

}
