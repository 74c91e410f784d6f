package io.tokenbroker.caller;

import java.time.Duration;

/**
 * Recognizes a client key presented outside an {@code Authorization} header (in a
 * WebSocket frame, say), under the same rules as the security chain: an address locked
 * out is refused without looking at the key, and a wrong or malformed key counts as a
 * failed authentication of its address.
 */
public class KeyCheck {

	private final CallerKeys keys;

	private final FailedAuthentications failures;

	public KeyCheck(CallerKeys keys, FailedAuthentications failures) {
		this.keys = keys;
		this.failures = failures;
	}

	/**
	 * @param key the key as presented
	 * @param address the address it came from, as {@link ClientAddresses} resolved it
	 */
	public Outcome check(String key, String address) {
		Duration lockedFor = this.failures.lockedFor(address);
		if (!lockedFor.isZero()) {
			return new LockedOut(lockedFor);
		}
		Caller caller = (key != null && BearerKeyConverter.wellFormed(key)) ? this.keys.identify(key).orElse(null)
				: null;
		if (caller == null) {
			this.failures.recordFailure(address);
			return new Refused();
		}
		return new Known(caller);
	}

	/** What a presented key turned out to be. */
	public sealed interface Outcome {

	}

	/**
	 * The key of a configured client.
	 *
	 * @param caller the client
	 */
	public record Known(Caller caller) implements Outcome {

	}

	/** No client's key, or not a well-formed key: counted as a failure. */
	public record Refused() implements Outcome {

	}

	/**
	 * The address is locked out after too many failures; the key was not looked at.
	 *
	 * @param retryAfter how long the lock-out still lasts
	 */
	public record LockedOut(Duration retryAfter) implements Outcome {

	}

}
