package io.tokenbroker.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Keeps records, ledgers and leases in Redis, shared by every replica that uses the same
 * prefix. Each operation is one round trip (a Lua script where it must be atomic); a
 * change is announced on a pub/sub channel.
 */
class RedisStateStore implements StateStore {

	private final StringRedisTemplate redis;

	private final RedisMessageListenerContainer listeners;

	private final RedisKeys keys;

	private final String replica;

	private final String where;

	private final Duration leaseTime;

	private final StoreMeter meter;

	/**
	 * @param where the server, for logs and health (never a password)
	 * @param leaseTime how long a lease lasts unless renewed
	 */
	RedisStateStore(StringRedisTemplate redis, RedisMessageListenerContainer listeners, String prefix, String replica,
			String where, Duration leaseTime, StoreMeter meter) {
		this.meter = meter;
		this.redis = redis;
		this.listeners = listeners;
		this.keys = new RedisKeys(prefix);
		this.replica = replica;
		this.where = where;
		this.leaseTime = leaseTime;
	}

	@Override
	public String describe() {
		return "redis " + this.where + " (prefix " + this.keys.prefix() + ")";
	}

	@Override
	public String replica() {
		return this.replica;
	}

	@Override
	public boolean shared() {
		return true;
	}

	@Override
	public StoredEntry read(String account) {
		return readAll(List.of(account)).get(account);
	}

	@Override
	public Map<String, StoredEntry> readAll(Collection<String> accounts) {
		List<String> ids = List.copyOf(accounts);
		List<?> fields = call("read",
				() -> this.redis.execute(RedisScripts.READ, ids.stream().map(this.keys::record).toList()));
		Map<String, StoredEntry> found = new HashMap<>();
		for (int i = 0; i < ids.size(); i++) {
			String revision = String.valueOf(fields.get(2 * i));
			if (!revision.isEmpty()) {
				found.put(ids.get(i), new StoredEntry(Long.parseLong(revision), String.valueOf(fields.get(2 * i + 1))));
			}
		}
		return found;
	}

	@Override
	public WriteOutcome write(String account, long fence, long expectedRevision, StoredEntry entry) {
		String outcome = call("write",
				() -> this.redis.execute(RedisScripts.WRITE,
						List.of(this.keys.record(account), this.keys.fence(account)), Long.toString(fence),
						Long.toString(expectedRevision), Long.toString(entry.revision()), entry.content(),
						this.keys.changes(), signed(account)));
		return WriteOutcome.valueOf(outcome);
	}

	@Override
	public boolean offer(String account, StoredEntry entry) {
		Long stored = call("offer", () -> this.redis.execute(RedisScripts.OFFER, List.of(this.keys.record(account)),
				Long.toString(entry.revision()), entry.content(), this.keys.changes(), signed(account)));
		return stored != null && stored == 1;
	}

	/**
	 * Stores a record only where Redis holds none for the account: a record already there
	 * was written by a broker on Redis, and its revisions do not compare with another
	 * store's.
	 * @return {@code COPIED}, {@code SAME} (this record is there already) or
	 * {@code OTHER}
	 */
	String copy(String account, StoredEntry entry) {
		return call("copy", () -> this.redis.execute(RedisScripts.COPY, List.of(this.keys.record(account)),
				Long.toString(entry.revision()), entry.content(), this.keys.changes(), signed(account)));
	}

	@Override
	public HourlyLedger ledger(String name, int limit) {
		return new RedisLedger(this, this.redis, this.keys.ledger(name), limit);
	}

	@Override
	public Map<String, Lease> keepLeases(List<LeaseClaim> claims) {
		List<String> keys = new ArrayList<>();
		List<String> args = new ArrayList<>(List.of(this.replica, Long.toString(this.leaseTime.toMillis())));
		for (LeaseClaim claim : claims) {
			keys.add(this.keys.lease(claim.account()));
			keys.add(this.keys.fence(claim.account()));
			args.add(claim.mayTake() ? "1" : "0");
			args.add(Long.toString(claim.lastFence()));
		}
		List<?> result = call("keep-leases",
				() -> this.redis.execute(RedisScripts.KEEP_LEASES, keys, args.toArray(Object[]::new)));
		Map<String, Lease> leases = new HashMap<>();
		for (int i = 0; i < claims.size(); i++) {
			String holder = String.valueOf(result.get(2 * i));
			String account = claims.get(i).account();
			leases.put(account, new Lease(account, holder.isEmpty() ? null : holder,
					Long.parseLong(String.valueOf(result.get(2 * i + 1)))));
		}
		return leases;
	}

	@Override
	public void releaseLeases(Collection<String> accounts) {
		call("release-leases", () -> this.redis.execute(RedisScripts.RELEASE_LEASES,
				accounts.stream().map(this.keys::lease).toList(), this.replica));
	}

	@Override
	public void publish(String message) {
		call("publish", () -> this.redis.convertAndSend(this.keys.messages(), signed(message)));
	}

	@Override
	public void subscribe(Consumer<String> changed, Consumer<String> messages) {
		this.listeners.addMessageListener((message, pattern) -> fromOthers(message).ifPresent(changed),
				new ChannelTopic(this.keys.changes()));
		this.listeners.addMessageListener((message, pattern) -> fromOthers(message).ifPresent(messages),
				new ChannelTopic(this.keys.messages()));
	}

	@Override
	public void check() {
		call("ping", () -> this.redis.execute((RedisCallback<String>) (connection) -> connection.ping()));
	}

	/** A message as sent: this replica's id, a space, the payload. */
	private String signed(String payload) {
		return this.replica + " " + payload;
	}

	private Optional<String> fromOthers(Message message) {
		String text = new String(message.getBody(), StandardCharsets.UTF_8);
		int space = text.indexOf(' ');
		if (space < 0 || text.substring(0, space).equals(this.replica)) {
			return Optional.empty();
		}
		return Optional.of(text.substring(space + 1));
	}

	/** Runs one timed Redis operation; any failure is the store being unavailable. */
	<T> T call(String operation, Supplier<T> call) {
		return this.meter.time(operation, () -> {
			T result;
			try {
				result = call.get();
			}
			catch (RuntimeException ex) {
				throw new StoreUnavailableException(
						"Redis " + this.where + " failed on " + operation + ": "
								+ rootCause(ex).getClass().getSimpleName() + " " + oneLine(rootCause(ex).getMessage()),
						ex);
			}
			if (result == null) {
				throw new StoreUnavailableException("Redis " + this.where + " answered nothing to " + operation, null);
			}
			return result;
		});
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root;
	}

	private static String oneLine(String text) {
		if (text == null) {
			return "";
		}
		String single = text.replaceAll("\\p{Cntrl}", " ");
		return (single.length() > 200) ? single.substring(0, 200) + "..." : single;
	}

}
