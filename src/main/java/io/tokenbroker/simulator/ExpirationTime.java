package io.tokenbroker.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * When a token the simulator issues expires, and the text of such a time in Tradovate's
 * answers ({@code expirationTime}, {@code passwordExpirationTime}): UTC, with or without
 * milliseconds, as configured (Tradovate sends both forms).
 */
final class ExpirationTime {

	private static final DateTimeFormatter WITH_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter WITHOUT_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
		.withZone(ZoneOffset.UTC);

	private final boolean withMillis;

	ExpirationTime(boolean withMillis) {
		this.withMillis = withMillis;
	}

	/**
	 * The expiry of a token issued now: the advertised {@code expirationTime} is exactly
	 * when the token stops working, so it is cut to what the text shows.
	 * @param now the simulator's now
	 * @param lifetime the token's lifetime
	 * @return the expiry
	 */
	Instant of(Instant now, Duration lifetime) {
		return now.plus(lifetime).truncatedTo(this.withMillis ? ChronoUnit.MILLIS : ChronoUnit.SECONDS);
	}

	String format(Instant instant) {
		return (this.withMillis ? WITH_MILLIS : WITHOUT_MILLIS).format(instant);
	}

}
