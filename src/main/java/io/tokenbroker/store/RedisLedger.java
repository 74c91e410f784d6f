package io.tokenbroker.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * An {@link HourlyLedger} in a Redis sorted set, shared by every replica. A local mirror
 * holds the window as Redis last showed it: while Redis is unreachable, calls are counted
 * there and added to Redis once it answers again, so an outage never lets the fleet
 * exceed Tradovate's limit.
 */
class RedisLedger implements HourlyLedger {

	private static final Logger log = LoggerFactory.getLogger(RedisLedger.class);

	private final RedisStateStore store;

	private final StringRedisTemplate redis;

	private final String key;

	private final int limit;

	private final RollingHour mirror;

	// Guarded by this: permits counted while Redis was unreachable, not yet in Redis.
	private final Set<Permit> unsent = new LinkedHashSet<>();

	RedisLedger(RedisStateStore store, StringRedisTemplate redis, String key, int limit) {
		this.store = store;
		this.redis = redis;
		this.key = key;
		this.limit = limit;
		this.mirror = new RollingHour(limit);
	}

	/**
	 * Adds calls counted elsewhere (another store) to the shared window, as those counted
	 * during an outage are: a call already there is not counted twice.
	 */
	synchronized void merge(Collection<Permit> permits, Instant now) {
		this.unsent.addAll(permits);
		exchange(now, 0, null);
	}

	@Override
	public synchronized Permit tryAcquire(Permit permit, int reserve) {
		try {
			return exchange(permit.spentAt(), reserve, permit) ? permit : null;
		}
		catch (StoreUnavailableException ex) {
			// the same permit: should Redis still run the late command, it is not counted
			// twice
			if (!this.mirror.tryAdd(permit, reserve)) {
				return null;
			}
			this.unsent.add(permit);
			log.warn("Redis is unreachable: counted a call against the hourly limit of {} locally ({} of {} used)",
					this.key, this.mirror.used(permit.spentAt()), this.limit);
			return permit;
		}
	}

	@Override
	public synchronized void refund(Permit permit) {
		settle(permit, false);
	}

	@Override
	public synchronized void settle(Permit permit, boolean counts) {
		this.mirror.settle(permit, counts);
		if (this.unsent.remove(permit)) {
			if (counts) {
				this.unsent.add(permit.settled());
			}
			return;
		}
		try {
			this.store.call("ledger-settle", () -> {
				this.redis.opsForZSet().remove(this.key, member(permit));
				return counts ? this.redis.opsForZSet()
					.add(this.key, member(permit.settled()), permit.spentAt().toEpochMilli()) : Boolean.TRUE;
			});
		}
		catch (StoreUnavailableException ex) {
			// kept counted as it was: erring on the side of fewer calls
			log.debug("Redis is unreachable: settling a call on {} waits", this.key);
		}
	}

	@Override
	public synchronized int pending(Instant now) {
		refresh(now);
		return this.mirror.pending(now);
	}

	@Override
	public synchronized int used(Instant now) {
		refresh(now);
		return this.mirror.used(now);
	}

	@Override
	public int limit() {
		return this.limit;
	}

	@Override
	public synchronized Instant nextFreeAt(Instant now, int reserve) {
		refresh(now);
		return this.mirror.nextFreeAt(now, reserve);
	}

	private void refresh(Instant now) {
		try {
			exchange(now, 0, null);
		}
		catch (StoreUnavailableException ex) {
			// the mirror answers
		}
	}

	/**
	 * One round trip: adds the calls counted during an outage, counts {@code permit}
	 * (when given and allowed) and brings the mirror up to date.
	 */
	private boolean exchange(Instant now, int reserve, Permit permit) {
		List<String> args = new ArrayList<>(List.of(Long.toString(now.toEpochMilli()), Long.toString(WINDOW.toMillis()),
				Integer.toString(this.limit), Integer.toString(reserve), (permit != null) ? member(permit) : ""));
		this.unsent.forEach((spent) -> {
			args.add(member(spent));
			args.add(Long.toString(spent.spentAt().toEpochMilli()));
		});
		List<?> result = this.store.call("ledger",
				() -> this.redis.execute(RedisScripts.LEDGER, List.of(this.key), args.toArray(Object[]::new)));
		this.unsent.clear();
		List<Permit> window = new ArrayList<>();
		for (int i = 1; i + 1 < result.size(); i += 2) {
			window.add(permit(String.valueOf(result.get(i)),
					Instant.ofEpochMilli((long) Double.parseDouble(String.valueOf(result.get(i + 1))))));
		}
		this.mirror.replace(window);
		return "1".equals(String.valueOf(result.get(0)));
	}

	/**
	 * A permit as a sorted-set member: its id, and while pending, when its answer is due.
	 */
	private static String member(Permit permit) {
		return (permit.pendingUntil() != null) ? permit.id() + "|" + permit.pendingUntil().toEpochMilli() : permit.id();
	}

	private static Permit permit(String member, Instant spentAt) {
		int bar = member.indexOf('|');
		if (bar < 0) {
			return new Permit(member, spentAt, null);
		}
		return new Permit(member.substring(0, bar), spentAt,
				Instant.ofEpochMilli(Long.parseLong(member.substring(bar + 1))));
	}

}
