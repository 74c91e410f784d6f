package io.tokenbroker.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link SocketRegistry} shared by every replica: one Redis sorted set per group, each
 * socket scored with the time it stops counting. Each operation is one atomic script.
 */
class RedisSocketRegistry implements SocketRegistry {

	/**
	 * KEYS: the group. ARGV: now (ms), ceiling, expiry (ms), socket, time to live (ms).
	 * Returns 1 when counted, 0 at the ceiling.
	 */
	private static final RedisScript<Long> TRY_OPEN = RedisScript.of("""
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
			if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
			redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
			redis.call('PEXPIRE', KEYS[1], ARGV[5])
			return 1
			""", Long.class);

	/**
	 * KEYS: the group. ARGV: now (ms), expiry (ms), time to live (ms), then the sockets.
	 * Returns the live count, then the sockets no longer counted.
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> KEEP = RedisScript.of("""
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
			local gone = {}
			for i = 4, #ARGV do
			  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
			    redis.call('ZADD', KEYS[1], ARGV[2], ARGV[i])
			  else
			    gone[#gone + 1] = ARGV[i]
			  end
			end
			local live = redis.call('ZCARD', KEYS[1])
			if live > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
			table.insert(gone, 1, tostring(live))
			return gone
			""", List.class);

	/** KEYS: the group. ARGV: now (ms). Returns the live count. */
	private static final RedisScript<Long> COUNT = RedisScript.of("""
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
			return redis.call('ZCARD', KEYS[1])
			""", Long.class);

	private final RedisStateStore store;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	RedisSocketRegistry(RedisStateStore store, StringRedisTemplate redis, RedisKeys keys) {
		this.store = store;
		this.redis = redis;
		this.keys = keys;
	}

	@Override
	public boolean tryOpen(String group, String socket, int ceiling, Instant now, Duration ttl) {
		Long counted = this.store.call("sockets-open",
				() -> this.redis.execute(TRY_OPEN, List.of(this.keys.sockets(group)), millis(now),
						Integer.toString(ceiling), millis(now.plus(ttl)), socket, Long.toString(ttl.toMillis())));
		return counted == 1;
	}

	@Override
	public Kept keep(String group, Collection<String> sockets, Instant now, Duration ttl) {
		List<String> args = new ArrayList<>(List.of(millis(now), millis(now.plus(ttl)), Long.toString(ttl.toMillis())));
		args.addAll(sockets);
		List<?> result = this.store.call("sockets-keep",
				() -> this.redis.execute(KEEP, List.of(this.keys.sockets(group)), args.toArray(Object[]::new)));
		Set<String> gone = new HashSet<>();
		for (int i = 1; i < result.size(); i++) {
			gone.add(String.valueOf(result.get(i)));
		}
		return new Kept(Integer.parseInt(String.valueOf(result.get(0))), gone);
	}

	@Override
	public void release(String group, String socket) {
		this.store.call("sockets-release", () -> this.redis.opsForZSet().remove(this.keys.sockets(group), socket));
	}

	@Override
	public void releaseAll(String group) {
		this.store.call("sockets-release-all", () -> this.redis.delete(this.keys.sockets(group)));
	}

	@Override
	public int count(String group, Instant now) {
		return this.store
			.call("sockets-count", () -> this.redis.execute(COUNT, List.of(this.keys.sockets(group)), millis(now)))
			.intValue();
	}

	private static String millis(Instant instant) {
		return Long.toString(instant.toEpochMilli());
	}

}
