package io.tokenbroker.store;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts that make each store operation atomic in Redis.
 */
final class RedisScripts {

	/**
	 * KEYS: record, fence. ARGV: fence, expected revision, new revision, content, changes
	 * channel, change message. A write only lands for the latest lease and the expected
	 * record.
	 */
	static final RedisScript<String> WRITE = RedisScript.of("""
			if tonumber(redis.call('GET', KEYS[2]) or '0') ~= tonumber(ARGV[1]) then return 'FENCED' end
			if tonumber(redis.call('HGET', KEYS[1], 'revision') or '0') ~= tonumber(ARGV[2]) then return 'CONFLICT' end
			redis.call('HSET', KEYS[1], 'revision', ARGV[3], 'content', ARGV[4])
			redis.call('PUBLISH', ARGV[5], ARGV[6])
			return 'WRITTEN'
			""", String.class);

	/**
	 * KEYS: record. ARGV: revision, content, changes channel, change message. Stores only
	 * over nothing or an older revision.
	 */
	static final RedisScript<Long> OFFER = RedisScript.of("""
			local stored = redis.call('HGET', KEYS[1], 'revision')
			if stored and tonumber(stored) >= tonumber(ARGV[1]) then return 0 end
			redis.call('HSET', KEYS[1], 'revision', ARGV[1], 'content', ARGV[2])
			redis.call('PUBLISH', ARGV[3], ARGV[4])
			return 1
			""", Long.class);

	/**
	 * KEYS: record. ARGV: revision, content, changes channel, change message. Stores only
	 * where no record is: COPIED, SAME (this very record is there) or OTHER.
	 */
	static final RedisScript<String> COPY = RedisScript.of("""
			local stored = redis.call('HMGET', KEYS[1], 'revision', 'content')
			if stored[1] then
			  if stored[1] == ARGV[1] and stored[2] == ARGV[2] then return 'SAME' end
			  return 'OTHER'
			end
			redis.call('HSET', KEYS[1], 'revision', ARGV[1], 'content', ARGV[2])
			redis.call('PUBLISH', ARGV[3], ARGV[4])
			return 'COPIED'
			""", String.class);

	/** KEYS: records. Returns revision and content of each, empty strings when absent. */
	@SuppressWarnings("rawtypes")
	static final RedisScript<List> READ = RedisScript.of("""
			local out = {}
			for i = 1, #KEYS do
			  local fields = redis.call('HMGET', KEYS[i], 'revision', 'content')
			  out[#out + 1] = fields[1] or ''
			  out[#out + 1] = fields[2] or ''
			end
			return out
			""", List.class);

	/**
	 * KEYS: lease and fence of each account. ARGV: replica, lease time in ms, then for
	 * each account whether it may be taken (1/0) and the replica's last fence. Renews
	 * leases held, takes free ones (a lease whose fence has not moved since this replica
	 * held it is resumed with the same number), returns holder and fence of each.
	 */
	@SuppressWarnings("rawtypes")
	static final RedisScript<List> KEEP_LEASES = RedisScript.of("""
			local me, ttl = ARGV[1], ARGV[2]
			local out = {}
			for i = 1, #KEYS / 2 do
			  local lease, fence = KEYS[2 * i - 1], KEYS[2 * i]
			  local mayTake, lastFence = ARGV[1 + 2 * i], ARGV[2 + 2 * i]
			  local holder = redis.call('GET', lease)
			  local number = tonumber(redis.call('GET', fence) or '0')
			  if holder == me then
			    redis.call('PEXPIRE', lease, ttl)
			  elseif not holder and mayTake == '1' then
			    if number == 0 or tostring(number) ~= lastFence then number = redis.call('INCR', fence) end
			    redis.call('SET', lease, me, 'PX', ttl)
			    holder = me
			  end
			  out[#out + 1] = holder or ''
			  out[#out + 1] = tostring(number)
			end
			return out
			""", List.class);

	/** KEYS: leases. ARGV: replica. Deletes those the replica holds. */
	static final RedisScript<Long> RELEASE_LEASES = RedisScript.of("""
			local released = 0
			for i = 1, #KEYS do
			  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]); released = released + 1 end
			end
			return released
			""", Long.class);

	/**
	 * KEYS: ledger. ARGV: now (ms), window (ms), limit, reserve, permit id ('' to only
	 * read), then id and time of permits spent while Redis was unreachable. Returns 1 or
	 * 0 (whether the permit was counted), then the window's permits and times.
	 */
	@SuppressWarnings("rawtypes")
	static final RedisScript<List> LEDGER = RedisScript.of("""
			local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
			for i = 6, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i]) end
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
			local counted = 0
			if ARGV[5] ~= '' and redis.call('ZCARD', KEYS[1]) + tonumber(ARGV[4]) < tonumber(ARGV[3]) then
			  redis.call('ZADD', KEYS[1], now, ARGV[5])
			  counted = 1
			end
			redis.call('PEXPIRE', KEYS[1], window)
			local out = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
			table.insert(out, 1, tostring(counted))
			return out
			""", List.class);

	private RedisScripts() {
	}

}
