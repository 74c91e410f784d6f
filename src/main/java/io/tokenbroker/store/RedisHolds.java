package io.tokenbroker.store;

import java.time.Instant;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link Holds} shared by every replica: one Redis key per hold, holding when it ends and
 * expiring then.
 */
class RedisHolds implements Holds {

	/** KEYS: the hold. ARGV: until (ms), now (ms). Keeps the later end. */
	private static final RedisScript<Long> HOLD = RedisScript.of("""
			local held = tonumber(redis.call('GET', KEYS[1]) or '0')
			if held >= tonumber(ARGV[1]) then return 0 end
			redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[1]) - tonumber(ARGV[2]))
			return 1
			""", Long.class);

	private final RedisStateStore store;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	RedisHolds(RedisStateStore store, StringRedisTemplate redis, RedisKeys keys) {
		this.store = store;
		this.redis = redis;
		this.keys = keys;
	}

	@Override
	public void hold(String name, Instant until, Instant now) {
		if (!until.isAfter(now)) {
			return;
		}
		this.store.call("hold", () -> this.redis.execute(HOLD, List.of(this.keys.hold(name)),
				Long.toString(until.toEpochMilli()), Long.toString(now.toEpochMilli())));
	}

	@Override
	public Instant heldUntil(String name, Instant now) {
		// an absent key is no hold: read as an empty text, since a null answer means
		// Redis answered nothing
		String held = this.store.call("held-until", () -> {
			String value = this.redis.opsForValue().get(this.keys.hold(name));
			return (value != null) ? value : "";
		});
		if (held.isEmpty()) {
			return null;
		}
		Instant until = Instant.ofEpochMilli(Long.parseLong(held));
		return until.isAfter(now) ? until : null;
	}

}
