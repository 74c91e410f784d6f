package io.tokenbroker.gateway;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.logging.LogValue;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.session.HeldToken;
import io.tokenbroker.session.TokenUnavailableException;
import io.tokenbroker.store.HourlyLedger;
import io.tokenbroker.store.HourlyLedger.Permit;

/**
 * Sends a caller's REST call to Tradovate with the held token and hands back Tradovate's
 * answer as it came: status, headers (less hop-by-hop ones and cookies) and body: a large
 * body of known length streamed, any other read whole first (so that none is ever cut off
 * without the caller seeing it), none beyond {@code max-response-size}. A 401 means
 * Tradovate did not process the call: the token is checked as for a caller's report, and
 * the call is sent once more when a new token replaced it. A penalty answer reaches the
 * caller unchanged, and its endpoint is held.
 */
final class RestPassthrough {

	private static final Logger log = LoggerFactory.getLogger(RestPassthrough.class);

	/** Answers up to this size (most of Tradovate's) are passed on in one piece. */
	static final int BUFFERED = 64 * 1024;

	/** Caller headers that reach Tradovate; nothing else does (no key, no cookie). */
	private static final List<String> FORWARDED = List.of(HttpHeaders.ACCEPT, HttpHeaders.ACCEPT_LANGUAGE,
			HttpHeaders.CONTENT_TYPE, HttpHeaders.USER_AGENT, HttpHeaders.IF_MATCH, HttpHeaders.IF_NONE_MATCH,
			HttpHeaders.IF_MODIFIED_SINCE, HttpHeaders.IF_UNMODIFIED_SINCE, HttpHeaders.CACHE_CONTROL);

	/** Answer headers that stay between Tradovate and the broker. */
	private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-authenticate",
			"proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "set-cookie",
			"set-cookie2", "content-length");

	/** Failed {@code auth/me} calls an hour that callers leave to the broker's checks. */
	private static final int CHECKS_KEPT = 2;

	private final WebClient webClient;

	private final RequestBudget budget;

	private final HourlyLedger failedChecks;

	private final GatewayMetrics metrics;

	private final Clock clock;

	private final Duration waitForToken;

	private final Duration timeout;

	private final long maxResponseSize;

	/** A call and everything after it must end before the request's own time-out. */
	private final Duration deadline;

	RestPassthrough(WebClient webClient, RequestBudget budget, HourlyLedger failedChecks, GatewayMetrics metrics,
			Clock clock, Duration waitForToken, Duration timeout, long maxResponseSize, Duration deadline) {
		this.webClient = webClient;
		this.budget = budget;
		this.failedChecks = failedChecks;
		this.metrics = metrics;
		this.clock = clock;
		this.waitForToken = waitForToken;
		this.timeout = timeout;
		this.maxResponseSize = maxResponseSize;
		this.deadline = deadline;
	}

	/**
	 * The answer to a caller's call, once Tradovate gave it.
	 * @throws GatewayRefusal when a limit or a hold refuses the call now
	 */
	CompletableFuture<ResponseEntity<?>> forward(Call call) {
		Instant end = Instant.now().plus(this.deadline);
		RequestBudget.Admission admission = admit(call);
		return call.session().token(Duration.ZERO, shortest(this.waitForToken, end)).whenComplete((token, error) -> {
			if (error != null) {
				// never sent: nothing of it counts
				admission.refund();
				this.metrics.refused(call.account().id(), Refusal.NO_TOKEN);
			}
		})
			.thenCompose((token) -> exchange(call, token, end).thenCompose((answer) -> answer.tokenRefused()
					? afterRefusal(call, token, answer, end) : CompletableFuture.completedFuture(answer)))
			.thenApply((answer) -> answer.entity(this, call));
	}

	private RequestBudget.Admission admit(Call call) {
		try {
			return this.budget.admit(call.account().id(), call.endpoint());
		}
		catch (RequestBudget.Refused refused) {
			this.metrics.refused(call.account().id(), refused.reason());
			throw refused.asProblem();
		}
	}

	/** Tradovate refused the token: a token that replaced it gets the call once more. */
	private CompletableFuture<Answer> afterRefusal(Call call, HeldToken refused, Answer answer, Instant end) {
		String account = call.account().id();
		return call.session()
			.report(refused.accessToken(), shortest(this.waitForToken, end))
			.handle((current, error) -> {
				if (error != null || current == null || current.accessToken().equals(refused.accessToken())) {
					this.metrics.resend(account, false);
					log.info(
							"Gateway: Tradovate refused token {} on {} {} of account {}; the broker holds no other "
									+ "token{}, so the caller gets the 401",
							refused.fingerprint(), call.method(), LogValue.quoted(call.endpoint().name()), account,
							(error != null) ? " (" + reason(error) + ")" : "");
					return CompletableFuture.completedFuture(answer);
				}
				this.metrics.resend(account, true);
				log.info("Gateway: Tradovate refused token {} on {} {} of account {}; sent once more with token {}",
						refused.fingerprint(), call.method(), LogValue.quoted(call.endpoint().name()), account,
						current.fingerprint());
				admit(call);
				return exchange(call, current, end);
			})
			.thenCompose((next) -> next);
	}

	/** One call to Tradovate with this token. */
	private CompletableFuture<Answer> exchange(Call call, HeldToken token, Instant end) {
		String account = call.account().id();
		Permit check = call.endpoint().sessionCheck() ? checkPermit(call) : null;
		URI uri = URI.create(call.account().baseUrl().toString().replaceAll("/+$", "") + "/" + call.path()
				+ ((call.query() != null) ? "?" + call.query() : ""));
		long started = System.nanoTime();
		WebClient.RequestBodySpec request = this.webClient.method(call.method()).uri(uri).headers((headers) -> {
			FORWARDED.forEach((name) -> {
				List<String> values = call.headers().get(name);
				if (values != null) {
					headers.put(name, values);
				}
			});
			headers.setBearerAuth(token.accessToken());
		});
		if (call.body() != null && call.body().length > 0) {
			request.bodyValue(call.body());
		}
		Duration wait = shortest(this.timeout, end);
		return request.retrieve()
			.onStatus((status) -> true, (response) -> Mono.empty())
			.toEntityFlux(DataBuffer.class)
			.timeout(wait)
			.flatMap((entity) -> {
				int status = entity.getStatusCode().value();
				this.metrics.answered(account, status, Duration.ofNanos(System.nanoTime() - started));
				Flux<DataBuffer> body = (entity.getBody() != null) ? entity.getBody() : Flux.empty();
				long length = entity.getHeaders().getContentLength();
				if (length > this.maxResponseSize) {
					body.subscribe(DataBufferUtils::release, (error) -> {
					});
					return Mono.error(tooLarge(call, length + " bytes, more"));
				}
				if (length < 0 || length <= BUFFERED || status == 401 || call.endpoint().sessionCheck()) {
					// of unknown length, it is read whole first: never cut off unseen
					return DataBufferUtils.join(body, (int) this.maxResponseSize)
						.map(RestPassthrough::bytes)
						.defaultIfEmpty(new byte[0])
						.timeout(wait)
						.onErrorMap(DataBufferLimitException.class, (ex) -> tooLarge(call, "more"))
						.map((bytes) -> Answer.buffered(status, entity.getHeaders(), bytes));
				}
				return Mono.just(Answer.streamed(status, entity.getHeaders(), body));
			})
			.toFuture()
			.handle((answer, error) -> {
				if (check != null) {
					this.failedChecks.settle(check, error != null || answer.refusesToken(call));
				}
				if (error != null) {
					throw failed(call, error, wait);
				}
				log.debug("Gateway: {} {} of account {} answered {} with token {}", call.method(),
						LogValue.quoted(call.endpoint().name()), account, answer.status(), token.fingerprint());
				return answer.marked(call);
			});
	}

	/** A failed {@code auth/me} counts against the broker's address: kept within. */
	private Permit checkPermit(Call call) {
		Instant now = this.clock.instant();
		Permit permit = this.failedChecks.tryAcquire(
				new Permit(UUID.randomUUID().toString(), now, now.plus(this.timeout.multipliedBy(2))), CHECKS_KEPT);
		if (permit == null) {
			this.metrics.refused(call.account().id(), Refusal.ENDPOINT_LIMIT);
			Duration retry = Duration.between(now, this.failedChecks.nextFreeAt(now, CHECKS_KEPT));
			throw new GatewayRefusal(HttpStatus.TOO_MANY_REQUESTS, Refusal.ENDPOINT_LIMIT, "Endpoint limit reached",
					"Tradovate allows " + this.failedChecks.limit() + " failed calls of auth/me an hour from the "
							+ "broker's address, and the broker keeps the last of them for its own checks; try again in "
							+ GatewayRefusal.seconds(retry) + " s.",
					retry);
		}
		return permit;
	}

	private RuntimeException failed(Call call, Throwable error, Duration wait) {
		Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		if (cause instanceof GatewayRefusal refusal) {
			return refusal;
		}
		this.metrics.refused(call.account().id(), Refusal.UPSTREAM_FAILED);
		if (cause instanceof TimeoutException) {
			return new GatewayRefusal(HttpStatus.GATEWAY_TIMEOUT, Refusal.UPSTREAM_FAILED,
					"Tradovate did not answer in time", "Tradovate did not answer within " + wait.toMillis()
							+ " ms; the call may have been processed: check before sending it again.",
					null);
		}
		log.warn("Gateway: {} {} of account {} failed: {}", call.method(), LogValue.quoted(call.endpoint().name()),
				call.account().id(), cause.getClass().getSimpleName());
		log.debug("Gateway: the failure of {} {}", call.method(), LogValue.quoted(call.endpoint().name()), cause);
		return new GatewayRefusal(HttpStatus.BAD_GATEWAY, Refusal.UPSTREAM_FAILED, "Tradovate could not be reached",
				"The call to Tradovate failed (" + cause.getClass().getSimpleName()
						+ "); it may have been processed: check before sending it again.",
				null);
	}

	private GatewayRefusal tooLarge(Call call, String size) {
		this.metrics.refused(call.account().id(), Refusal.ANSWER_TOO_LARGE);
		return new GatewayRefusal(HttpStatus.BAD_GATEWAY, Refusal.ANSWER_TOO_LARGE, "Tradovate's answer is too large",
				"Tradovate answered " + size + " than broker.gateway.max-response-size (" + this.maxResponseSize
						+ " bytes) allows.",
				null);
	}

	/** A penalty answer holds its endpoint for every caller. */
	private void inspect(Call call, byte[] head, int length) {
		PenaltyAnswer penalty = PenaltyAnswer.in(head, length);
		if (penalty != null) {
			Duration held = this.budget.penalized(call.endpoint(), penalty.pTime(), penalty.captcha());
			this.metrics.penalized(call.account().id());
			log.warn(
					"Gateway: Tradovate penalized {} {} of account {} (p-time {} s{}); the broker holds calls of it "
							+ "for {} s",
					call.method(), LogValue.quoted(call.endpoint().name()), call.account().id(),
					penalty.pTime().toSeconds(), penalty.captcha() ? ", captcha" : "", held.toSeconds());
		}
	}

	private static byte[] bytes(DataBuffer buffer) {
		byte[] bytes = new byte[buffer.readableByteCount()];
		buffer.read(bytes);
		DataBufferUtils.release(buffer);
		return bytes;
	}

	private static Duration shortest(Duration wait, Instant end) {
		Duration left = Duration.between(Instant.now(), end);
		if (left.isNegative() || left.isZero()) {
			left = Duration.ofMillis(1);
		}
		return (wait.compareTo(left) < 0) ? wait : left;
	}

	private static String reason(Throwable error) {
		Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		return (cause instanceof TokenUnavailableException unavailable) ? unavailable.getMessage()
				: cause.getClass().getSimpleName();
	}

	/** Tradovate's answer headers as the caller gets them. */
	static HttpHeaders returned(HttpHeaders upstream) {
		HttpHeaders headers = new HttpHeaders();
		List<String> named = upstream.getConnection();
		upstream.forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			if (!NOT_RETURNED.contains(lower) && named.stream().noneMatch(name::equalsIgnoreCase)) {
				headers.put(name, values);
			}
		});
		return headers;
	}

	/**
	 * A caller's call, as the gateway sends it on.
	 *
	 * @param account the account whose token it carries
	 * @param session that account's session
	 * @param endpoint the endpoint, for limits and logs
	 * @param method the HTTP method
	 * @param path the path after the account, as sent (still encoded)
	 * @param query the query as sent, or {@code null}
	 * @param headers the caller's headers (only some are forwarded)
	 * @param body the body, or {@code null}
	 */
	record Call(TradovateAccount account, AccountSession session, Endpoint endpoint, HttpMethod method, String path,
			String query, HttpHeaders headers, byte[] body) {

	}

	/**
	 * Tradovate's answer, whole or still streaming.
	 */
	private record Answer(int status, HttpHeaders headers, byte[] body, Flux<DataBuffer> stream, boolean refusedToken) {

		static Answer buffered(int status, HttpHeaders headers, byte[] body) {
			return new Answer(status, headers, body, null, false);
		}

		static Answer streamed(int status, HttpHeaders headers, Flux<DataBuffer> stream) {
			return new Answer(status, headers, null, stream, false);
		}

		/** Whether Tradovate refused the token: 401, or {@code auth/me}'s errorText. */
		boolean refusesToken(Call call) {
			return this.status == 401 || (call.endpoint().sessionCheck() && this.status == 200 && this.body != null
					&& PenaltyAnswer.hasErrorText(this.body, this.body.length));
		}

		/** The same answer, marked when it refuses the token. */
		Answer marked(Call call) {
			return new Answer(this.status, this.headers, this.body, this.stream, refusesToken(call));
		}

		boolean tokenRefused() {
			return this.refusedToken;
		}

		ResponseEntity<?> entity(RestPassthrough passthrough, Call call) {
			HttpHeaders returned = returned(this.headers);
			if (this.stream == null) {
				passthrough.inspect(call, this.body, this.body.length);
				return ResponseEntity.status(this.status).headers(returned).body(this.body);
			}
			// a large answer of known length: no penalty; streamed as it is written, on
			// the request's thread, the network's threads waiting for it, not buffering
			returned.setContentLength(this.headers.getContentLength());
			return ResponseEntity.status(this.status)
				.headers(returned)
				.body(new InputStreamResource(DataBufferUtils.subscriberInputStream(this.stream, 4)));
		}

	}

}
