package io.tokenbroker.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Server-Sent Events client of {@code /token/events}, as a caller writes one: it
 * collects each event (type, id, data) and each comment as it arrives, on a socket of its
 * own.
 */
public final class EventStream implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private final List<String> comments = new CopyOnWriteArrayList<>();

	private final CompletableFuture<HttpResponse<Void>> body;

	private final CompletableFuture<HttpResponse.ResponseInfo> response = new CompletableFuture<>();

	private volatile Flow.Subscription subscription;

	private volatile boolean ended;

	private EventStream(HttpClient http, HttpRequest request) {
		this.body = http.sendAsync(request, (info) -> {
			this.response.complete(info);
			return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines());
		});
		this.body.whenComplete((done, error) -> this.response
			.completeExceptionally((error != null) ? error : new IllegalStateException("the stream ended")));
	}

	/**
	 * Opens a stream.
	 * @param lastEventId the {@code Last-Event-ID} to send, or {@code null}
	 */
	public static EventStream open(HttpClient http, int port, String path, String key, String lastEventId) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Bearer " + key)
			.header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		return new EventStream(http, request.build());
	}

	public static EventStream open(int port, String path, String key, String lastEventId) {
		return open(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), port, path, key,
				lastEventId);
	}

	/** The response's status and headers, once they arrived (its body is the stream). */
	public HttpResponse.ResponseInfo response() {
		return this.response.orTimeout(10, TimeUnit.SECONDS).join();
	}

	public List<Event> events() {
		return List.copyOf(this.events);
	}

	/** The {@code token} events received, in order. */
	public List<Event> tokens() {
		return this.events.stream().filter((event) -> event.type().equals("token")).toList();
	}

	public List<String> comments() {
		return List.copyOf(this.comments);
	}

	/** Whether the server ended the stream. */
	public boolean ended() {
		return this.ended;
	}

	@Override
	public void close() {
		Flow.Subscription subscription = this.subscription;
		if (subscription != null) {
			subscription.cancel();
		}
		this.body.cancel(true);
	}

	/**
	 * One event.
	 *
	 * @param type its {@code event} field
	 * @param id its {@code id} field, or {@code null}
	 * @param data its data
	 */
	public record Event(String type, String id, String data) {

		public JsonNode json() {
			return EventStream.json.readTree(this.data);
		}

	}

	private final class Lines implements Flow.Subscriber<String> {

		private String type;

		private String id;

		private final List<String> data = new ArrayList<>();

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			EventStream.this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String line) {
			if (line.isEmpty()) {
				if (this.type != null || !this.data.isEmpty()) {
					EventStream.this.events.add(new Event((this.type != null) ? this.type : "message", this.id,
							String.join("\n", this.data)));
				}
				this.type = null;
				this.id = null;
				this.data.clear();
			}
			else if (line.startsWith(":")) {
				EventStream.this.comments.add(line.substring(1).strip());
			}
			else if (line.startsWith("event:")) {
				this.type = line.substring(6).strip();
			}
			else if (line.startsWith("id:")) {
				this.id = line.substring(3).strip();
			}
			else if (line.startsWith("data:")) {
				this.data.add(line.substring(5).strip());
			}
		}

		@Override
		public void onError(Throwable error) {
			EventStream.this.ended = true;
		}

		@Override
		public void onComplete() {
			EventStream.this.ended = true;
		}

	}

}
