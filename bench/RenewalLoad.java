import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Load generator of bench/run's renewal section: CONNECTIONS threads, each on its own
 * keep-alive connection, call GET PATH on 127.0.0.1:PORT for SECONDS and record, per
 * request, its start and end (nanoTime), its status and the access token it carried.
 *
 * A token change is the moment the first response carrying a new token arrived. A
 * request overlaps a change when it was in flight at that moment or started at most
 * WINDOW_MS (100) before it. Prints one JSON line: counts, failures (anything but 200,
 * connection errors included), token changes, latency of all requests, of those that
 * overlapped a change and of the others.
 *
 * Usage: java bench/RenewalLoad.java PORT PATH KEY CONNECTIONS SECONDS [WINDOW_MS]
 */
public final class RenewalLoad {

	/** Per-thread request log in parallel growable arrays. */
	static final class Log {

		long[] start = new long[1 << 14];

		long[] end = new long[start.length];

		int[] status = new int[start.length];

		int[] token = new int[start.length]; // index into the thread's token list, -1 without one

		List<String> tokens = new ArrayList<>();

		int size;

		void add(long s, long e, int st, String tok) {
			if (this.size == this.start.length) {
				int n = this.size * 2;
				this.start = Arrays.copyOf(this.start, n);
				this.end = Arrays.copyOf(this.end, n);
				this.status = Arrays.copyOf(this.status, n);
				this.token = Arrays.copyOf(this.token, n);
			}
			int t = -1;
			if (tok != null) {
				t = this.tokens.indexOf(tok);
				if (t < 0) {
					this.tokens.add(tok);
					t = this.tokens.size() - 1;
				}
			}
			this.start[this.size] = s;
			this.end[this.size] = e;
			this.status[this.size] = st;
			this.token[this.size] = t;
			this.size++;
		}

	}

	public static void main(String[] args) throws Exception {
		Locale.setDefault(Locale.ROOT); // decimal points in the JSON
		int port = Integer.parseInt(args[0]);
		String path = args[1];
		String key = args[2];
		int connections = Integer.parseInt(args[3]);
		long seconds = Long.parseLong(args[4]);
		long windowNanos = ((args.length > 5) ? Long.parseLong(args[5]) : 100) * 1_000_000L;
		byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + key
				+ "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);

		long begin = System.nanoTime();
		long deadline = begin + seconds * 1_000_000_000L;
		Log[] logs = new Log[connections];
		Thread[] threads = new Thread[connections];
		for (int i = 0; i < connections; i++) {
			Log log = logs[i] = new Log();
			threads[i] = new Thread(() -> run(port, request, deadline, log), "load-" + i);
			threads[i].start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		long elapsed = System.nanoTime() - begin;
		report(logs, elapsed, connections, windowNanos);
	}

	private static void run(int port, byte[] request, long deadline, Log log) {
		Socket socket = null;
		InputStream in = null;
		OutputStream out = null;
		while (System.nanoTime() < deadline) {
			long start = System.nanoTime();
			int status = 0;
			String token = null;
			try {
				if (socket == null) {
					socket = new Socket();
					socket.setTcpNoDelay(true);
					socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
					socket.setSoTimeout(30000);
					in = new BufferedInputStream(socket.getInputStream());
					out = socket.getOutputStream();
				}
				out.write(request);
				out.flush();
				Response response = Response.read(in);
				status = response.status;
				token = accessToken(response.body);
				if (response.close) {
					socket.close();
					socket = null;
				}
			}
			catch (IOException ex) {
				status = 0;
				close(socket);
				socket = null;
			}
			log.add(start, System.nanoTime(), status, token);
		}
		close(socket);
	}

	private static void close(Socket socket) {
		try {
			if (socket != null) {
				socket.close();
			}
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	private static String accessToken(String body) {
		String field = "\"accessToken\":\"";
		int from = body.indexOf(field);
		if (from < 0) {
			return null;
		}
		from += field.length();
		int to = body.indexOf('"', from);
		return (to < 0) ? null : body.substring(from, to);
	}

	/** One HTTP/1.1 response: status, body (Content-Length or chunked), Connection: close. */
	record Response(int status, String body, boolean close) {

		static Response read(InputStream in) throws IOException {
			String statusLine = line(in);
			if (statusLine.length() < 12) {
				throw new IOException("bad status line: " + statusLine);
			}
			int status = Integer.parseInt(statusLine.substring(9, 12));
			int length = -1;
			boolean chunked = false;
			boolean close = false;
			for (String header = line(in); !header.isEmpty(); header = line(in)) {
				String lower = header.toLowerCase();
				if (lower.startsWith("content-length:")) {
					length = Integer.parseInt(lower.substring(15).trim());
				}
				else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
					chunked = true;
				}
				else if (lower.startsWith("connection:") && lower.contains("close")) {
					close = true;
				}
			}
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			if (chunked) {
				for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0; size = Integer
					.parseInt(line(in).split(";")[0].trim(), 16)) {
					body.write(in.readNBytes(size));
					line(in);
				}
				while (!line(in).isEmpty()) {
					// trailers
				}
			}
			else if (length >= 0) {
				body.write(in.readNBytes(length));
			}
			else {
				close = true;
				body.write(in.readAllBytes());
			}
			return new Response(status, body.toString(StandardCharsets.UTF_8), close);
		}

		private static String line(InputStream in) throws IOException {
			StringBuilder line = new StringBuilder();
			for (int c = in.read(); c != '\n'; c = in.read()) {
				if (c < 0) {
					throw new IOException("connection closed");
				}
				if (c != '\r') {
					line.append((char) c);
				}
			}
			return line.toString();
		}

	}

	private static void report(Log[] logs, long elapsed, int connections, long windowNanos) {
		// token change moments: the first arrival of each token after the first one
		Map<String, Long> firstSeen = new HashMap<>();
		int requests = 0;
		int failed = 0;
		Map<Integer, Integer> statuses = new TreeMap<>();
		for (Log log : logs) {
			requests += log.size;
			for (int i = 0; i < log.size; i++) {
				statuses.merge(log.status[i], 1, Integer::sum);
				if (log.status[i] != 200) {
					failed++;
				}
				if (log.token[i] >= 0) {
					firstSeen.merge(log.tokens.get(log.token[i]), log.end[i], Math::min);
				}
			}
		}
		long[] changes = firstSeen.values().stream().mapToLong(Long::longValue).sorted().toArray();
		changes = Arrays.copyOfRange(changes, Math.min(1, changes.length), changes.length);

		long[] all = new long[requests];
		long[] overlapping = new long[requests];
		long[] others = new long[requests];
		int a = 0;
		int o = 0;
		int r = 0;
		for (Log log : logs) {
			for (int i = 0; i < log.size; i++) {
				long start = log.start[i];
				long end = log.end[i];
				long latency = end - start;
				all[a++] = latency;
				if (overlaps(changes, start, end, windowNanos)) {
					overlapping[o++] = latency;
				}
				else {
					others[r++] = latency;
				}
			}
		}
		double[] intervals = new double[Math.max(0, changes.length - 1)];
		for (int i = 1; i < changes.length; i++) {
			intervals[i - 1] = (changes[i] - changes[i - 1]) / 1e9;
		}
		StringBuilder json = new StringBuilder();
		json.append("{\"connections\":").append(connections);
		json.append(",\"seconds\":").append(String.format("%.3f", elapsed / 1e9));
		json.append(",\"requests\":").append(requests);
		json.append(",\"rps\":").append(String.format("%.1f", requests / (elapsed / 1e9)));
		json.append(",\"failed\":").append(failed);
		json.append(",\"statuses\":{");
		statuses.forEach((status, count) -> json.append('"').append(status).append("\":").append(count).append(','));
		if (!statuses.isEmpty()) {
			json.setLength(json.length() - 1);
		}
		json.append("},\"distinctTokens\":").append(firstSeen.size());
		json.append(",\"tokenChanges\":").append(changes.length);
		json.append(",\"meanSecondsBetweenChanges\":")
			.append((intervals.length == 0) ? "null" : String.format("%.3f", Arrays.stream(intervals).average().orElse(0)));
		json.append(",\"windowMs\":").append(windowNanos / 1_000_000);
		json.append(",\"all\":").append(stats(all, a));
		json.append(",\"overlapping\":").append(stats(overlapping, o));
		json.append(",\"others\":").append(stats(others, r));
		json.append('}');
		System.out.println(json);
	}

	/** Whether [start, end] contains a change, or start lies within the window before one. */
	private static boolean overlaps(long[] changes, long start, long end, long windowNanos) {
		int i = Arrays.binarySearch(changes, start);
		int next = (i >= 0) ? i : -i - 1; // first change at or after start
		return next < changes.length && (changes[next] <= end || changes[next] - start <= windowNanos);
	}

	private static String stats(long[] latencies, int n) {
		if (n == 0) {
			return "{\"n\":0,\"p50Ms\":null,\"p99Ms\":null,\"p999Ms\":null,\"maxMs\":null}";
		}
		long[] sorted = Arrays.copyOf(latencies, n);
		Arrays.sort(sorted);
		return String.format("{\"n\":%d,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f}", n,
				percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 99.9), sorted[n - 1] / 1e6);
	}

	private static double percentile(long[] sorted, double p) {
		int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
	}

}
