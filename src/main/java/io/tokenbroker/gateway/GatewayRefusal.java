package io.tokenbroker.gateway;

import java.net.URI;
import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A REST call the gateway answers itself, never sending it to Tradovate (or no longer
 * waiting for it): rendered as every error of the broker, an RFC 9457 problem detail,
 * with {@code Retry-After} when waiting helps.
 */
final class GatewayRefusal extends ErrorResponseException {

	/** The broker's problem types all start so. */
	static final String TYPE_PREFIX = "urn:tradovate-token-broker:problem:";

	private final Refusal reason;

	GatewayRefusal(HttpStatus status, Refusal reason, String title, String detail, Duration retryAfter) {
		super(status);
		this.reason = reason;
		getBody().setType(URI.create(TYPE_PREFIX + "gateway-" + reason.tag()));
		getBody().setTitle(title);
		getBody().setDetail(detail);
		getBody().setProperty("reason", reason.tag());
		if (retryAfter != null) {
			getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds(retryAfter)));
		}
	}

	Refusal reason() {
		return this.reason;
	}

	/** Whole seconds, rounded up, at least one. */
	static long seconds(Duration wait) {
		long seconds = wait.toSeconds() + ((wait.toNanosPart() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}
