package io.tokenbroker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A caller of the broker's HTTP API over a real socket, as internal services call it.
 */
public final class BrokerCaller {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final IntSupplier port;

	private final String key;

	public BrokerCaller(int port, String key) {
		this(() -> port, key);
	}

	/** A caller of whichever port {@code port} gives when it sends. */
	public BrokerCaller(IntSupplier port, String key) {
		this.port = port;
		this.key = key;
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port.getAsInt() + path);
	}

	public HttpResponse<String> get(String path) {
		return send(request(path).build());
	}

	/**
	 * A {@code GET} with one header set to {@code value}, or removed when {@code value}
	 * is {@code null}.
	 */
	public HttpResponse<String> get(String path, String header, String value) {
		HttpRequest.Builder request = (value != null) ? request(path).setHeader(header, value)
				: HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
		return send(request.build());
	}

	/** Any method, without a body. */
	public HttpResponse<String> send(String method, String path) {
		return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
	}

	/**
	 * Any method, without a body, with one header set to {@code value}, or removed when
	 * {@code value} is {@code null}.
	 */
	public HttpResponse<String> send(String method, String path, String header, String value) {
		HttpRequest.Builder request = (value != null) ? request(path).setHeader(header, value)
				: HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
		return send(request.method(method, HttpRequest.BodyPublishers.noBody()).build());
	}

	/** A {@code POST} with a body of this content type. */
	public HttpResponse<String> post(String path, String contentType, String body) {
		return send(request(path).header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public CompletableFuture<HttpResponse<String>> getAsync(String path) {
		return this.http.sendAsync(request(path).build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The JSON body of a successful {@code GET}; fails the test on any other status. */
	public JsonNode token(String path) {
		HttpResponse<String> response = get(path);
		if (response.statusCode() != 200) {
			throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return json.readTree(response.body());
	}

	public static JsonNode body(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(uri(path))
			.header("Authorization", "Bearer " + this.key)
			.timeout(Duration.ofSeconds(30));
	}

}
