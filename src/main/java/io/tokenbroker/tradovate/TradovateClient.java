package io.tokenbroker.tradovate;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClient.RequestHeadersSpec;
import org.springframework.web.util.UriComponentsBuilder;

import io.tokenbroker.account.TradovateAccount;

/**
 * Calls Tradovate's auth API through WebClient. Never throws and never fails the returned
 * future: every outcome, network errors included, is a {@link TradovateAnswer}.
 */
public class TradovateClient implements TradovateAuth {

	private static final Logger log = LoggerFactory.getLogger(TradovateClient.class);

	private final WebClient webClient;

	private final Clock clock;

	private final Duration timeout;

	private final JsonMapper json;

	private final AnswerReader reader;

	private final MeterRegistry meters;

	public TradovateClient(WebClient webClient, Clock clock, Duration timeout, Duration maxTokenLifetime,
			MeterRegistry meters) {
		this.webClient = webClient;
		this.clock = clock;
		this.timeout = timeout;
		this.json = JsonMapper.builder().build();
		this.reader = new AnswerReader(this.json, maxTokenLifetime);
		this.meters = meters;
	}

	@Override
	public CompletableFuture<TradovateAnswer> login(TradovateAccount account, LoginRequest request) {
		byte[] body = this.json.writeValueAsBytes(request);
		return exchange(account, Operation.LOGIN, null,
				this.webClient.post()
					.uri(endpoint(account, "auth/accesstokenrequest"))
					.contentType(MediaType.APPLICATION_JSON)
					.accept(MediaType.APPLICATION_JSON)
					.bodyValue(body));
	}

	@Override
	public CompletableFuture<TradovateAnswer> renew(TradovateAccount account, String accessToken) {
		return exchange(account, Operation.RENEW, accessToken,
				this.webClient.get()
					.uri(endpoint(account, "auth/renewaccesstoken"))
					.accept(MediaType.APPLICATION_JSON)
					.headers((headers) -> headers.setBearerAuth(accessToken)));
	}

	@Override
	public CompletableFuture<TradovateAnswer> me(TradovateAccount account, String accessToken) {
		return exchange(account, Operation.ME, accessToken,
				this.webClient.get()
					.uri(endpoint(account, "auth/me"))
					.accept(MediaType.APPLICATION_JSON)
					.headers((headers) -> headers.setBearerAuth(accessToken)));
	}

	private static URI endpoint(TradovateAccount account, String path) {
		return UriComponentsBuilder.fromUri(account.baseUrl()).pathSegment(path.split("/")).build().toUri();
	}

	/**
	 * @param presented the token the request presents, {@code null} for none: an error
	 * text that echoes it is redacted with the credentials
	 */
	private CompletableFuture<TradovateAnswer> exchange(TradovateAccount account, Operation operation, String presented,
			RequestHeadersSpec<?> request) {
		UnaryOperator<String> redact = UpstreamText.redaction(account.credentials(), presented);
		return Mono.defer(() -> {
			Instant sentAt = this.clock.instant();
			// the registry's own monotonic clock: the injected clock may jump
			Timer.Sample sample = Timer.start(this.meters);
			return request.attribute(TradovateCallConvention.OPERATION, operation)
				.attribute(TradovateCallConvention.ACCOUNT, account.id())
				// bytes, not String: Spring's String decoder logs what it decodes at
				// DEBUG
				.exchangeToMono((response) -> response.bodyToMono(byte[].class)
					.map((bytes) -> new String(bytes, StandardCharsets.UTF_8))
					.defaultIfEmpty("")
					.map((body) -> this.reader.read(operation, response.statusCode().value(),
							response.headers().asHttpHeaders(), body, sentAt, redact)))
				.timeout(this.timeout)
				.onErrorResume((ex) -> Mono.just(new TradovateAnswer.Failed(describe(ex))))
				.doOnNext((answer) -> sample.stop(Timer.builder("broker.upstream.calls")
					.description("Calls to Tradovate's auth API, by account, operation and outcome")
					.tag("account", account.id())
					.tag("operation", operation.tag())
					.tag("outcome", answer.outcome())
					.register(this.meters)));
		})
			.doOnNext((answer) -> log.debug("Account {}: {} answered {}", account.id(), operation.tag(), answer))
			.toFuture();
	}

	private static String networkProblem(Throwable root) {
		if (root instanceof java.net.ConnectException) {
			return "connection refused";
		}
		if (root instanceof java.net.UnknownHostException) {
			return "unknown host";
		}
		if (root instanceof javax.net.ssl.SSLException) {
			return "TLS failure";
		}
		if (root instanceof reactor.netty.http.client.PrematureCloseException) {
			return "connection closed before the answer was complete";
		}
		return "network error " + root.getClass().getSimpleName();
	}

	private String describe(Throwable ex) {
		if (ex instanceof TimeoutException) {
			return "no complete answer within " + this.timeout.toMillis() + " ms";
		}
		if (ex instanceof DataBufferLimitException) {
			return "answer body exceeds the configured maximum size";
		}
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return "cannot reach Tradovate (" + networkProblem(root) + ")";
	}

}
