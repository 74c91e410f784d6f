package io.tokenbroker.lifecycle;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.tokenbroker.TokenBrokerApplication;
import io.tokenbroker.simulator.AuthOperation;
import io.tokenbroker.simulator.Fault;
import io.tokenbroker.simulator.SimulatedTradovate;
import io.tokenbroker.simulator.SimulatorStats;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mixed faults under load, in real time, for as long as {@code -Dsoak.duration} (or
 * {@code SOAK_DURATION}) says: 20 s by default, 30 minutes by hand. The broker runs with
 * its embedded simulator and 20-second tokens; callers fetch tokens all along while a
 * fault a few seconds (a failing or slow renewal, a session closed elsewhere, the
 * simulator losing every session...). Heap, threads and file descriptors must stay flat.
 * Prints a table, also written to {@code target/soak-report.md}. Left out of the build
 * unless asked for: {@code ./mvnw verify -Psoak} (CI runs it nightly).
 */
@Tag("soak")
class SoakTests {

	private static final Logger log = LoggerFactory.getLogger(SoakTests.class);

	private static final int CALLERS = 4;

	private final Random random = new Random(42);

	@Test
	void mixedFaultsUnderLoadLeaveTheBrokerServingAndItsResourcesFlat() throws Exception {
		Duration duration = duration();
		int port = FreePorts.next();
		try (ConfigurableApplicationContext broker = new SpringApplicationBuilder(TokenBrokerApplication.class)
			.profiles("sim")
			.run("--server.port=" + port, "--spring.main.banner-mode=off", "--simulator.token-lifetime=20s",
					"--simulator.limits.renewals-per-hour=0", "--broker.limits.renewals-per-hour=10000",
					// a soak of 30 minutes fails more logins than Tradovate allows in an
					// hour;
					// it tests riding out faults, the hourly limits have tests of their
					// own
					"--simulator.limits.failed-logins-per-hour=0", "--broker.limits.failed-logins-per-hour=1000",
					"--simulator.limits.failed-me-per-hour=0", "--broker.limits.failed-checks-per-hour=1000",
					"--broker.liveness.check-interval=5s", "--broker.retry.initial-back-off=1s",
					"--broker.retry.max-back-off=4s", "--broker.retry.cool-down=10s", "--broker.upstream.timeout=2s",
					"--broker.wait-for-token=3s", "--logging.level.io.tokenbroker=WARN",
					"--logging.level.io.tokenbroker.audit=WARN")) {
			SimulatedTradovate tradovate = broker.getBean(SimulatedTradovate.class);
			BrokerCaller caller = new BrokerCaller(port, "sim-demo-key");
			await().atMost(Duration.ofSeconds(30)).until(() -> caller.get("/token").statusCode() == 200);
			Load load = new Load(caller);
			Resources before = Resources.now();
			List<String> faults = new ArrayList<>();
			long end = System.nanoTime() + duration.toNanos();
			while (System.nanoTime() < end) {
				faults.add(injectOne(tradovate));
				// each fault lasts a few seconds: a span of time, not a wait for an event
				Thread.sleep(3000);
				tradovate.clearFaults();
			}
			load.stop();
			Resources after = Resources.now();
			SimulatorStats stats = tradovate.stats();
			String table = table(duration, load, stats, faults.size(), before, after);
			log.info("Soak\n{}", table);
			Files.createDirectories(Path.of("target"));
			Files.writeString(Path.of("target", "soak-report.md"), table);

			assertThat(load.served.get()).isPositive();
			assertThat(load.failed()).as("failed requests").isLessThanOrEqualTo(load.served.get() / 100);
			assertThat(after.threads()).as("threads").isLessThanOrEqualTo(before.threads() + 10);
			assertThat(after.fileDescriptors()).as("file descriptors")
				.isLessThanOrEqualTo(before.fileDescriptors() + 20);
			assertThat(after.heapAfterGc()).as("heap after GC")
				.isLessThanOrEqualTo(before.heapAfterGc() + 64 * 1024 * 1024);
		}
	}

	/** One fault, chosen at random, for the next few seconds. */
	private String injectOne(SimulatedTradovate tradovate) {
		List<Map.Entry<String, Consumer<SimulatedTradovate>>> faults = List.of(
				Map.entry("renewals answer 503", (t) -> t.stick(AuthOperation.RENEW, Fault.status(503))),
				Map.entry("renewals answer malformed JSON", (t) -> t.stick(AuthOperation.RENEW, Fault.malformedJson())),
				Map.entry("renewals cut mid-body", (t) -> t.stick(AuthOperation.RENEW, Fault.partialBody())),
				Map.entry("renewals stall mid-body",
						(t) -> t.stick(AuthOperation.RENEW, Fault.stall(Duration.ofSeconds(3)))),
				Map.entry("renewals slower than the timeout",
						(t) -> t.stick(AuthOperation.RENEW, Fault.delay(Duration.ofMillis(2500)))),
				Map.entry("a renewal penalized",
						(t) -> t.enqueue(AuthOperation.RENEW, Fault.penalty(Duration.ofSeconds(2), false))),
				Map.entry("logins answer 502", (t) -> t.stick(AuthOperation.LOGIN, Fault.htmlPage(502))),
				Map.entry("the session closed elsewhere", (t) -> {
					t.openSession("sim-user");
					t.openSession("sim-user");
				}), Map.entry("every session lost", (t) -> t.closeSessions("sim-user")), Map.entry("nothing", (t) -> {
				}));
		Map.Entry<String, Consumer<SimulatedTradovate>> fault = faults.get(this.random.nextInt(faults.size()));
		fault.getValue().accept(tradovate);
		return fault.getKey();
	}

	private static String table(Duration duration, Load load, SimulatorStats stats, int faults, Resources before,
			Resources after) {
		StringBuilder table = new StringBuilder("| measure | value |\n|---|---|\n");
		Stream
			.of(new String[] { "duration", duration.toString() },
					new String[] { "requests", Long.toString(load.served.get() + load.failed()) },
					new String[] { "failed requests", load.failed() + " " + new TreeMap<>(load.failedByStatus) },
					new String[] { "logins (sessions opened)", Long.toString(stats.successfulLogins()) },
					new String[] { "renewals", Long.toString(stats.successfulRenewals()) },
					new String[] { "liveness checks", Long.toString(stats.meCalls()) },
					new String[] { "faults injected", Integer.toString(faults) },
					new String[] { "max heap used", mib(load.maxHeap.get()) },
					new String[] { "heap after GC, start / end",
							mib(before.heapAfterGc()) + " / " + mib(after.heapAfterGc()) },
					new String[] { "threads, start / end", before.threads() + " / " + after.threads() },
					new String[] { "file descriptors, start / end",
							before.fileDescriptors() + " / " + after.fileDescriptors() })
			.forEach((row) -> table.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n"));
		return table.toString();
	}

	private static String mib(long bytes) {
		return (bytes / (1024 * 1024)) + " MiB";
	}

	private static Duration duration() {
		String text = System.getProperty("soak.duration", System.getenv("SOAK_DURATION"));
		if (text == null || text.isBlank()) {
			return Duration.ofSeconds(20);
		}
		String value = text.strip().toLowerCase(Locale.ROOT);
		long amount = Long.parseLong(value.replaceAll("[^0-9]", ""));
		return value.endsWith("m") ? Duration.ofMinutes(amount)
				: value.endsWith("h") ? Duration.ofHours(amount) : Duration.ofSeconds(amount);
	}

	/** Callers fetching tokens all along. */
	private static final class Load {

		private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);

		private final AtomicLong served = new AtomicLong();

		private final Map<Integer, AtomicLong> failedByStatus = new ConcurrentHashMap<>();

		private final AtomicLong maxHeap = new AtomicLong();

		private volatile boolean running = true;

		Load(BrokerCaller caller) {
			MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
			for (int i = 0; i < CALLERS; i++) {
				this.callers.submit(() -> {
					while (this.running) {
						int status = caller.get("/token").statusCode();
						if (status == 200) {
							this.served.incrementAndGet();
						}
						else {
							this.failedByStatus.computeIfAbsent(status, (key) -> new AtomicLong()).incrementAndGet();
						}
						this.maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
					}
					return null;
				});
			}
		}

		long failed() {
			return this.failedByStatus.values().stream().mapToLong(AtomicLong::get).sum();
		}

		void stop() throws InterruptedException {
			this.running = false;
			this.callers.shutdown();
			this.callers.awaitTermination(30, TimeUnit.SECONDS);
		}

	}

	/** What the process holds. */
	private record Resources(long heapAfterGc, int threads, long fileDescriptors) {

		static Resources now() throws IOException {
			System.gc();
			long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			int threads = ManagementFactory.getThreadMXBean().getThreadCount();
			long fds;
			try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
				fds = open.count();
			}
			return new Resources(heap, threads, fds);
		}

	}

}
