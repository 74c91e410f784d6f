package io.tokenbroker.tradovate;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * When each account's Tradovate password expires, as the last login or renewal answer
 * said ({@code passwordExpirationTime}): the gauge {@code broker.password.expires.at}
 * (seconds since the epoch, by account) and a health detail, so that operators change the
 * password before logins start failing. Unknown until Tradovate first answers with it
 * after a start. Only a time: never the password.
 */
public final class PasswordExpiries {

	private final Map<String, Instant> expiries = new ConcurrentHashMap<>();

	private final MeterRegistry meters;

	public PasswordExpiries(MeterRegistry meters) {
		this.meters = meters;
	}

	void record(String account, Instant expiresAt) {
		if (this.expiries.put(account, expiresAt) == null) {
			Gauge
				.builder("broker.password.expires.at", this.expiries,
						(known) -> known.containsKey(account) ? known.get(account).getEpochSecond() : Double.NaN)
				.description("When the account's Tradovate password expires (passwordExpirationTime of the last "
						+ "login or renewal), in seconds since the epoch")
				.baseUnit("seconds")
				.tag("account", account)
				.register(this.meters);
		}
	}

	/**
	 * When the account's password expires, or {@code null} when Tradovate has not said
	 * since the start.
	 */
	public Instant of(String account) {
		return this.expiries.get(account);
	}

}
