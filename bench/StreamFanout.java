import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fan-out of bench/run: STREAMS callers hold GET PATH (Server-Sent Events) open on
 * 127.0.0.1:PORT; once every stream has its first token event, one POST RENEW_PATH (the
 * admin endpoint) makes the broker renew, and each stream's arrival of the next token
 * event is timed from the moment that POST was sent. The streams hold no thread here
 * (the JDK client's line subscribers), as they hold none in the broker.
 *
 * Prints one JSON line: streams, how many received the new token, the seconds all took to
 * connect, and the delivery times (ms) after the POST: p50, p99, max, and the POST's own
 * duration (the renewal at the simulator included).
 *
 * Usage: java StreamFanout PORT PATH RENEW_PATH KEY STREAMS
 */
public final class StreamFanout {

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		String path = args[1];
		String renewPath = args[2];
		String key = args[3];
		int streams = Integer.parseInt(args[4]);
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

		Stream[] all = new Stream[streams];
		CountDownLatch connected = new CountDownLatch(streams);
		CountDownLatch renewed = new CountDownLatch(streams);
		long t0 = System.nanoTime();
		for (int i = 0; i < streams; i++) {
			all[i] = new Stream(connected, renewed);
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.header("Authorization", "Bearer " + key)
				.header("Accept", "text/event-stream")
				.build();
			client.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(all[i]));
		}
		if (!connected.await(120, TimeUnit.SECONDS)) {
			throw new IllegalStateException((streams - connected.getCount()) + " of " + streams
					+ " streams had their first token within 120 s");
		}
		double connectSeconds = (System.nanoTime() - t0) / 1e9;

		long sent = System.nanoTime();
		for (Stream stream : all) {
			stream.renewalSent = sent;
		}
		HttpResponse<String> renew = client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + renewPath))
					.header("Authorization", "Bearer " + key)
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(),
				HttpResponse.BodyHandlers.ofString());
		double renewMs = (System.nanoTime() - sent) / 1e6;
		if (renew.statusCode() != 200) {
			throw new IllegalStateException("POST " + renewPath + " answered " + renew.statusCode());
		}
		renewed.await(30, TimeUnit.SECONDS);

		long[] delivered = Arrays.stream(all).filter((s) -> s.deliveredAfter > 0).mapToLong((s) -> s.deliveredAfter)
			.sorted().toArray();
		System.out.printf(Locale.ROOT,
				"{\"streams\":%d,\"received\":%d,\"connectSeconds\":%.3f,\"renewCallMs\":%.1f,"
						+ "\"p50Ms\":%.1f,\"p99Ms\":%.1f,\"maxMs\":%.1f}%n",
				streams, delivered.length, connectSeconds, renewMs, ms(delivered, 0.50), ms(delivered, 0.99),
				ms(delivered, 1.0));
		System.exit(0);
	}

	private static double ms(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return -1;
		}
		int index = (int) Math.ceil(quantile * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
	}

	/** One caller's stream: the id of its first token event, then the time of the next. */
	static final class Stream implements Flow.Subscriber<String> {

		private final CountDownLatch connected;

		private final CountDownLatch renewed;

		private final AtomicInteger tokens = new AtomicInteger();

		private String event;

		private String id;

		private String firstId;

		volatile long renewalSent;

		volatile long deliveredAfter;

		Stream(CountDownLatch connected, CountDownLatch renewed) {
			this.connected = connected;
			this.renewed = renewed;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String line) {
			if (line.startsWith("event:")) {
				this.event = line.substring(6).trim();
			}
			else if (line.startsWith("id:")) {
				this.id = line.substring(3).trim();
			}
			else if (line.isEmpty()) {
				if ("token".equals(this.event)) {
					token();
				}
				this.event = null;
			}
		}

		private void token() {
			if (this.tokens.incrementAndGet() == 1) {
				this.firstId = this.id;
				this.connected.countDown();
			}
			else if (this.deliveredAfter == 0 && !this.id.equals(this.firstId) && this.renewalSent > 0) {
				this.deliveredAfter = System.nanoTime() - this.renewalSent;
				this.renewed.countDown();
			}
		}

		@Override
		public void onError(Throwable error) {
			System.err.println("stream failed: " + error);
		}

		@Override
		public void onComplete() {
		}

	}

}
