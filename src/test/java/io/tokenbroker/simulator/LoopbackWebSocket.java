package io.tokenbroker.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal RFC 6455 client for tests, bound to a chosen loopback address (127.0.0.x) so
 * that one machine plays several hosts; the JDK's own WebSocket client cannot choose its
 * source address before Java 19. Text frames only, as Tradovate's protocol uses.
 */
public final class LoopbackWebSocket implements AutoCloseable {

	private static final SecureRandom random = new SecureRandom();

	private final Socket socket;

	private final OutputStream out;

	private final InputStream in;

	private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

	private volatile int closeCode = -1;

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
		Socket socket = new Socket();
		socket.bind(new InetSocketAddress(from, 0));
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
		socket.setSoTimeout(30_000);
		LoopbackWebSocket webSocket = new LoopbackWebSocket(socket, from);
		webSocket.handshake(port, path);
		Thread reader = new Thread(webSocket::read, "test-websocket-" + from);
		reader.setDaemon(true);
		reader.start();
		return webSocket;
	}

	private void handshake(int port, String path) throws IOException {
		byte[] nonce = new byte[16];
		random.nextBytes(nonce);
		String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
				+ Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
		this.out.write(request.getBytes(StandardCharsets.US_ASCII));
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
			throw new IOException("No upgrade: " + status);
		}
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
							this.frames.add(message.toString(StandardCharsets.UTF_8));
							message.reset();
						}
					}
					case 0x8 -> {
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
			if (frame == null || !SocketFrames.HEARTBEAT.equals(frame)) {
				return frame;
			}
		}
	}

	/** The close code the server sent, or -1 while it is open. */
	public int closeCode() {
		return this.closeCode;
	}

	public boolean isClosed() {
		return this.socket.isClosed();
	}

	/** The local address this socket was opened from, e.g. {@code 127.0.0.2}. */
	public String from() {
		return this.from;
	}

	@Override
	public void close() throws IOException {
		if (!this.socket.isClosed()) {
			try {
				frame(0x8, new byte[] { 0x03, (byte) 0xE8 });
			}
			catch (IOException ex) {
				// gone already
			}
			this.socket.close();
		}
	}

}
