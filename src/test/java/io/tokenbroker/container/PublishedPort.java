package io.tokenbroker.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls to a container through the port Docker published on the host, with a client key
 * (or none, for the simulator).
 */
final class PublishedPort {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	private final String key;

	PublishedPort(String host, int port, String key) {
		this.baseUrl = "http://" + host + ":" + port;
		this.key = key;
	}

	Answer get(String path) {
		return send(request(path).GET());
	}

	Answer post(String path) {
		return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(30));
		return (this.key != null) ? request.header("Authorization", "Bearer " + this.key) : request;
	}

	private static Answer send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** One HTTP answer. */
	record Answer(HttpResponse<String> response) {

		int status() {
			return this.response.statusCode();
		}

		String body() {
			return this.response.body();
		}

		String header(String name) {
			return this.response.headers().firstValue(name).orElse(null);
		}

		/** This answer, after checking it is a 200. */
		Answer ok() {
			if (status() != 200) {
				throw new AssertionError(this.response.request().method() + " " + this.response.request().uri()
						+ " answered " + status() + ": " + body());
			}
			return this;
		}

		JsonNode json() {
			return json.readTree(body());
		}

	}

}
