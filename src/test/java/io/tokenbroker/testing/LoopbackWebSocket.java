package io.tokenbroker.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal RFC 6455 client for tests, bound to a chosen loopback address (127.0.0.x) so
 * that one machine plays several hosts; the JDK's own WebSocket client cannot choose its
 * source address before Java 19. Text frames only, as Tradovate's protocol uses. Keeps
 * every frame it received, and the close code and reason.
 */
public final class LoopbackWebSocket implements AutoCloseable {

	/** Tradovate's server heartbeat frame. */
	private static final String SERVER_HEARTBEAT = "h";

	private static final SecureRandom random = new SecureRandom();

	private static final Pattern CONTENT_LENGTH = Pattern.compile("\r\ncontent-length: *(\\d+)");

	private final Socket socket;

	private final OutputStream out;

	private final InputStream in;

	private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

	private final List<String> received = new CopyOnWriteArrayList<>();

	private volatile int closeCode = -1;

	private volatile String closeReason;

	private final String from;

	private LoopbackWebSocket(Socket socket, String from) throws IOException {
		this.socket = socket;
		this.from = from;
		this.out = socket.getOutputStream();
		this.in = socket.getInputStream();
	}

	/**
	 * Open a WebSocket from a loopback address.
	 * @param from the local address, e.g. {@code 127.0.0.2}
	 * @param port the server's port on 127.0.0.1
	 * @param path e.g. {@code /v1/websocket}
	 * @return the open socket, reading frames in the background
	 */
	public static LoopbackWebSocket open(String from, int port, String path) throws IOException {
		return open(from, port, path, Map.of());
	}

	/**
	 * Open a WebSocket from a loopback address, with headers on the upgrade request.
	 * @throws Refused when the server answers the upgrade with anything but 101
	 */
	public static LoopbackWebSocket open(String from, int port, String path, Map<String, String> headers)
			throws IOException {
		Socket socket = new Socket();
		socket.bind(new InetSocketAddress(from, 0));
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
		socket.setSoTimeout(30_000);
		LoopbackWebSocket webSocket = new LoopbackWebSocket(socket, from);
		try {
			webSocket.handshake(port, path, headers);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
		Thread reader = new Thread(webSocket::read, "test-websocket-" + from);
		reader.setDaemon(true);
		reader.start();
		return webSocket;
	}

	private void handshake(int port, String path, Map<String, String> headers) throws IOException {
		byte[] nonce = new byte[16];
		random.nextBytes(nonce);
		StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
				+ Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n");
		headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		this.out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int b = this.in.read();
			if (b < 0) {
				throw new IOException("Connection closed during the handshake: " + head);
			}
			head.write(b);
		}
		String status = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
		if (!status.contains(" 101 ")) {
			this.socket.setSoTimeout(5_000);
			byte[] rest = new byte[0];
			try {
				rest = body(head.toString(StandardCharsets.US_ASCII));
			}
			catch (IOException ex) {
				// what came is enough
			}
			throw new Refused(Integer.parseInt(status.split(" ")[1]), head.toString(StandardCharsets.US_ASCII),
					new String(rest, StandardCharsets.UTF_8));
		}
	}

	/**
	 * The body of an answer that refused the upgrade, as long as its head says: the
	 * connection stays open after it (HTTP/1.1), so reading to its end would wait for the
	 * timeout.
	 */
	private byte[] body(String head) throws IOException {
		String lower = head.toLowerCase(Locale.ROOT);
		Matcher length = CONTENT_LENGTH.matcher(lower);
		if (length.find()) {
			return this.in.readNBytes(Integer.parseInt(length.group(1)));
		}
		if (!lower.contains("\r\ntransfer-encoding: chunked")) {
			return this.in.readNBytes(64 * 1024);
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (int size = chunkSize(); size > 0; size = chunkSize()) {
			body.write(this.in.readNBytes(size));
			line();
		}
		return body.toByteArray();
	}

	private int chunkSize() throws IOException {
		return Integer.parseInt(line().split(";")[0].strip(), 16);
	}

	private String line() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
			if (b < 0) {
				throw new IOException("Connection closed in a chunked body");
			}
			line.write(b);
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	private void read() {
		try {
			ByteArrayOutputStream message = new ByteArrayOutputStream();
			while (true) {
				int first = this.in.read();
				if (first < 0) {
					return;
				}
				int opcode = first & 0x0F;
				long length = this.in.read() & 0x7F;
				if (length == 126) {
					length = ((this.in.read() & 0xFF) << 8) | (this.in.read() & 0xFF);
				}
				else if (length == 127) {
					length = 0;
					for (int i = 0; i < 8; i++) {
						length = (length << 8) | (this.in.read() & 0xFF);
					}
				}
				byte[] payload = this.in.readNBytes((int) length);
				switch (opcode) {
					case 0x0, 0x1 -> {
						message.write(payload);
						if ((first & 0x80) != 0) {
							String frame = message.toString(StandardCharsets.UTF_8);
							this.received.add(frame);
							this.frames.add(frame);
							message.reset();
						}
					}
					case 0x8 -> {
						this.closeReason = (payload.length > 2)
								? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
						this.closeCode = (payload.length >= 2) ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)
								: 1005;
						this.socket.close();
						return;
					}
					case 0x9 -> frame(0xA, payload);
					default -> {
						// pongs and the rest: nothing to do
					}
				}
			}
		}
		catch (IOException ex) {
			// closed
		}
	}

	/**
	 * Send a text frame.
	 * @param text the frame
	 */
	public void send(String text) throws IOException {
		frame(0x1, text.getBytes(StandardCharsets.UTF_8));
	}

	private synchronized void frame(int opcode, byte[] payload) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(0x80 | opcode);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else {
			frame.write(0x80 | 126);
			frame.write(payload.length >> 8);
			frame.write(payload.length & 0xFF);
		}
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		frame.write(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

	/**
	 * The next text frame from the server, skipping its heartbeats.
	 * @param timeout how long to wait
	 * @return the frame, or {@code null} when none came in time
	 */
	public String next(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			String frame = this.frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (frame == null || !SERVER_HEARTBEAT.equals(frame)) {
				return frame;
			}
		}
	}

	/** Every text frame received so far, heartbeats included, in order. */
	public List<String> received() {
		return new ArrayList<>(this.received);
	}

	/** The close code the server sent, or -1 while it is open. */
	public int closeCode() {
		return this.closeCode;
	}

	/** The close reason the server sent, or {@code null} while it is open. */
	public String closeReason() {
		return this.closeReason;
	}

	public boolean isClosed() {
		return this.socket.isClosed();
	}

	/** The local address this socket was opened from, e.g. {@code 127.0.0.2}. */
	public String from() {
		return this.from;
	}

	/** Closes with 1000. */
	@Override
	public void close() throws IOException {
		close(1000, "");
	}

	/** Closes with this code and reason, then the connection. */
	public void close(int code, String reason) throws IOException {
		if (!this.socket.isClosed()) {
			byte[] text = reason.getBytes(StandardCharsets.UTF_8);
			byte[] payload = new byte[2 + text.length];
			payload[0] = (byte) (code >> 8);
			payload[1] = (byte) code;
			System.arraycopy(text, 0, payload, 2, text.length);
			try {
				frame(0x8, payload);
			}
			catch (IOException ex) {
				// gone already
			}
			this.socket.close();
		}
	}

	/**
	 * The server answered the upgrade with something else than 101.
	 */
	public static final class Refused extends IOException {

		private final int status;

		private final String head;

		private final String body;

		Refused(int status, String head, String body) {
			super("No upgrade: " + status);
			this.status = status;
			this.head = head;
			this.body = body;
		}

		public int status() {
			return this.status;
		}

		/** The status line and the headers. */
		public String head() {
			return this.head;
		}

		public String body() {
			return this.body;
		}

	}

}
