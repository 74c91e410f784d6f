package io.tokenbroker.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends exactly the bytes a test writes, malformed ones included, which no HTTP client
 * library will, and reads the answer.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/**
	 * @param head request line and headers, without the final empty line;
	 * {@code Connection: close} is added
	 */
	public static Answer exchange(int port, String head, byte[] body) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			return exchange(socket, head, body);
		}
	}

	/**
	 * The same, sent from another loopback address (127.0.0.2 and so on), as another host
	 * would send it: the broker counts wrong keys and locks out per address.
	 */
	public static Answer exchange(int port, String localAddress, String head, byte[] body) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(localAddress),
				0)) {
			return exchange(socket, head, body);
		}
	}

	private static Answer exchange(Socket socket, String head, byte[] body) throws IOException {
		socket.setSoTimeout(15_000);
		OutputStream out = socket.getOutputStream();
		out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		out.write(body);
		out.flush();
		return Answer.parse(readAll(socket.getInputStream()));
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		in.transferTo(all);
		return all.toByteArray();
	}

	/** Status, headers (names in lower case) and body of one answer. */
	public record Answer(int status, Map<String, String> headers, String body) {

		static Answer parse(byte[] raw) {
			String text = new String(raw, StandardCharsets.UTF_8);
			int end = text.indexOf("\r\n\r\n");
			String head = (end >= 0) ? text.substring(0, end) : text;
			String body = (end >= 0) ? text.substring(end + 4) : "";
			String[] lines = head.split("\r\n");
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				if (colon > 0) {
					headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
							lines[i].substring(colon + 1).strip());
				}
			}
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				body = unchunk(body);
			}
			int status = (lines[0].length() >= 12) ? Integer.parseInt(lines[0].substring(9, 12)) : -1;
			return new Answer(status, headers, body);
		}

		private static String unchunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (at < chunked.length()) {
				int lineEnd = chunked.indexOf("\r\n", at);
				if (lineEnd < 0) {
					break;
				}
				int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
				if (size == 0) {
					break;
				}
				body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
				at = lineEnd + 2 + size + 2;
			}
			return body.toString();
		}

	}

}
