package io.tokenbroker.simulator;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One fault as posted to {@code POST /simulator/faults}. Only {@code operation} and
 * {@code kind} are required; the rest defaults per kind.
 *
 * @param operation {@code login}, {@code renew} or {@code me}
 * @param kind {@code status}, {@code delay}, {@code malformed-json}, {@code html},
 * {@code penalty}, {@code error-text}, {@code raw}, {@code partial-body} or {@code stall}
 * @param status HTTP status ({@code status}: required; {@code html}: default 502;
 * {@code raw}: default 200)
 * @param delayMillis delay of the answer ({@code delay}: required; {@code stall}: the
 * silence after half the body, default 60 s; any other kind: answer late)
 * @param body body of a {@code raw} answer, or the text of an {@code error-text}
 * @param contentType content type of a {@code raw} answer
 * @param errorText the text of an {@code error-text} (alternative to {@code body})
 * @param pTimeSeconds p-time of a {@code penalty} (default 30)
 * @param captcha whether a {@code penalty} demands a captcha
 * @param times how many calls get the fault (default 1)
 * @param sticky whether every call gets it until cleared (then {@code times} is ignored)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FaultRequest(String operation, String kind, Integer status, Long delayMillis, String body, String contentType,
		String errorText, Long pTimeSeconds, Boolean captcha, Integer times, Boolean sticky) {

	AuthOperation toOperation() {
		return AuthOperation.of(this.operation);
	}

	/**
	 * The fault this request describes.
	 * @return the fault
	 * @throws IllegalArgumentException when the request is incomplete or inconsistent
	 */
	Fault toFault() {
		within("status", this.status, 100, 599);
		within("delayMillis", this.delayMillis, 0, LONGEST_DELAY.toMillis());
		within("pTimeSeconds", this.pTimeSeconds, 0, 7200);
		within("times", this.times, 1, 10_000);
		if (this.body != null && this.body.length() > LONGEST_BODY) {
			throw new IllegalArgumentException("body may be at most " + LONGEST_BODY + " characters");
		}
		Fault.Kind kind = Fault.Kind.of(this.kind);
		Fault fault = switch (kind) {
			case STATUS -> Fault.status(require(this.status, "status"));
			case DELAY -> Fault.delay(Duration.ofMillis(require(this.delayMillis, "delayMillis")));
			case MALFORMED_JSON -> Fault.malformedJson();
			case HTML_PAGE -> Fault.htmlPage((this.status != null) ? this.status : 502);
			case PENALTY -> Fault.penalty(Duration.ofSeconds((this.pTimeSeconds != null) ? this.pTimeSeconds : 30),
					Boolean.TRUE.equals(this.captcha));
			case ERROR_TEXT ->
				Fault.errorText(require((this.errorText != null) ? this.errorText : this.body, "errorText"));
			case RAW -> Fault.raw((this.status != null) ? this.status : 200, this.contentType, this.body);
			case PARTIAL_BODY -> Fault.partialBody();
			case STALL -> Fault.stall(Duration.ofMillis((this.delayMillis != null) ? this.delayMillis : 60_000));
		};
		return (kind != Fault.Kind.DELAY && kind != Fault.Kind.STALL && this.delayMillis != null)
				? fault.after(Duration.ofMillis(this.delayMillis)) : fault;
	}

	/** Longer than any timeout a client of the simulator would set. */
	static final Duration LONGEST_DELAY = Duration.ofMinutes(5);

	static final int LONGEST_BODY = 16 * 1024;

	/**
	 * @throws IllegalArgumentException when a given value lies outside the bounds
	 */
	static void within(String field, Number value, long min, long max) {
		if (value != null && (value.longValue() < min || value.longValue() > max)) {
			throw new IllegalArgumentException(field + " must be between " + min + " and " + max);
		}
	}

	int timesOrOnce() {
		int times = (this.times != null) ? this.times : 1;
		if (times < 1) {
			throw new IllegalArgumentException("times must be at least 1");
		}
		return times;
	}

	boolean isSticky() {
		return Boolean.TRUE.equals(this.sticky);
	}

	private static <T> T require(T value, String field) {
		if (value == null) {
			throw new IllegalArgumentException(field + " is required for this kind of fault");
		}
		return value;
	}

}
