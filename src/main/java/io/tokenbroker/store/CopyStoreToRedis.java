package io.tokenbroker.store;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.Banner;
import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.core.SpringProperties;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.tokenbroker.account.Secret;
import io.tokenbroker.account.SettingsException;

/**
 * The broker's own command that moves one instance's file store into Redis, so that a
 * fleet starts from its state instead of logging in again:
 * {@code java -jar broker.jar copy-store-to-redis}. It reads the broker's settings as the
 * broker does (variables, files, {@code configtree}, {@code --name=value} arguments): the
 * file store of {@code broker.store.path}, Redis of {@code spring.data.redis.*} and
 * {@code broker.store.prefix}. It copies each account's record (the sealed token, its
 * waits and penalty ticket) where Redis holds none, and adds the calls of each hourly
 * budget. It takes the directory's lock, so it refuses to run beside the broker.
 */
public final class CopyStoreToRedis {

	/** The first program argument that runs this command instead of the broker. */
	public static final String COMMAND = "copy-store-to-redis";

	static final int COPIED = 0;

	static final int FAILED = 1;

	static final int USAGE_ERROR = 2;

	/** Some account was left alone: Redis holds another record for it. */
	static final int NOT_ALL_COPIED = 3;

	static final String USAGE = """
			Usage: java -jar broker.jar copy-store-to-redis [--name=value ...]

			Copies the file store of one broker into Redis, before a fleet on Redis takes
			over: each account's record (the sealed token, its waits and penalty ticket)
			where Redis holds none, and the calls of each hourly budget. The fleet then
			serves the copied token and renews it: no new login, no second session.

			Stop the broker first (the command takes the directory's lock). Give the
			settings the fleet will have, as for the broker (environment variables,
			configtree files, --name=value):
			  broker.store.path          the file store's directory (the image: its volume)
			  spring.data.redis.*        host, port, username, password, ssl.enabled...
			  broker.store.prefix        if the fleet sets one
			  broker.store.keys.<id>     the fleet's store keys: those that sealed the token

			Exit status: 0 every record copied (or there already), 3 Redis holds another
			record for some account (left alone), 1 failed, 2 invalid arguments.
			The whole move: docs/deploy.md#from-one-instance-to-a-fleet
			""";

	private CopyStoreToRedis() {
	}

	/**
	 * @param args the program arguments: the command, then settings as
	 * {@code --name=value}
	 * @param out one line per record and ledger, and the outcome
	 * @param err what went wrong
	 * @return the process exit code
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		List<String> settings = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
		if (settings.contains("--help") || settings.contains("-h")) {
			out.print(USAGE);
			out.flush();
			return COPIED;
		}
		for (String setting : settings) {
			if (!setting.startsWith("--") || setting.indexOf('=') < 3) {
				err.println(COMMAND + ": " + setting.replaceAll("\\p{Cntrl}", "?")
						+ " is not a setting (--name=value); see " + COMMAND + " --help");
				err.flush();
				return USAGE_ERROR;
			}
		}
		try (ConfigurableApplicationContext context = settings(settings)) {
			StoreProperties properties = context.getBean(StoreProperties.class);
			RedisConnectionFactory connections = context.getBean(RedisConnectionFactory.class);
			return copy(properties, context.getBean(StringRedisTemplate.class), StoreConfiguration.where(connections),
					Clock.systemUTC(), out, err);
		}
		catch (RuntimeException ex) {
			// Spring Boot has logged invalid settings already, one line each
			err.println(COMMAND + ": " + oneLine(ex) + "; nothing more was copied");
			err.flush();
			return FAILED;
		}
	}

	/** The broker's settings and Spring Boot's Redis connection, nothing else. */
	private static ConfigurableApplicationContext settings(List<String> settings) {
		// a context of its own: Spring's ahead-of-time code (the image) is the broker's
		SpringProperties.setProperty(AotDetector.AOT_ENABLED, "false");
		SpringApplication application = new SpringApplication(Settings.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setDefaultProperties(Map.of("logging.level.root", "warn"));
		// the Redis store's settings apply (a key is required, Redis is connected)
		// whatever
		// store type the settings name
		application.addInitializers((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource(COMMAND, Map.of("broker.store.type", "redis"))));
		return application.run(settings.toArray(String[]::new));
	}

	static int copy(StoreProperties properties, StringRedisTemplate redis, String where, Clock clock, PrintStream out,
			PrintStream err) {
		Path path = properties.path().toAbsolutePath().normalize();
		if (!Files.isDirectory(path.resolve("accounts"))) {
			err.println(COMMAND + ": no file store in " + path + " (broker.store.path, BROKER_STORE_PATH): point it "
					+ "at the directory of the broker's state; nothing was copied");
			err.flush();
			return FAILED;
		}
		StoreMeter meter = new StoreMeter(new SimpleMeterRegistry(), "copy");
		RedisStateStore to = new RedisStateStore(redis, new RedisMessageListenerContainer(), properties.prefix(),
				COMMAND, where, properties.leaseTime(), meter);
		List<String> leftAlone = new ArrayList<>();
		int copied = 0;
		try (FileStateStore from = new FileStateStore(path, COMMAND, meter)) {
			out.println("From " + from.describe() + " to " + to.describe() + ":");
			for (Map.Entry<String, StoredEntry> record : new TreeMap<>(from.records()).entrySet()) {
				String account = record.getKey();
				String outcome = to.copy(account, record.getValue());
				switch (outcome) {
					case "COPIED" -> {
						copied++;
						out.println(
								" - account " + account + ": copied (revision " + record.getValue().revision() + ")");
					}
					case "SAME" -> out.println(" - account " + account + ": in Redis already");
					default -> {
						leftAlone.add(account);
						out.println(" - account " + account + ": LEFT ALONE: Redis holds another record for it, "
								+ "written by a broker on Redis");
					}
				}
			}
			Instant now = clock.instant();
			for (Map.Entry<String, List<HourlyLedger.Permit>> ledger : from.ledgerPermits().entrySet()) {
				List<HourlyLedger.Permit> recent = ledger.getValue()
					.stream()
					.filter((permit) -> permit.spentAt().isAfter(now.minus(HourlyLedger.WINDOW)))
					.toList();
				((RedisLedger) to.ledger(ledger.getKey(), Integer.MAX_VALUE)).merge(recent, now);
				out.println(" - hourly budget " + ledger.getKey() + ": " + recent.size() + " call"
						+ ((recent.size() == 1) ? "" : "s") + " of the last hour added");
			}
		}
		catch (SettingsException | StoreUnavailableException ex) {
			err.println(COMMAND + ": " + ex.getMessage().replaceAll("\\s+", " ").strip()
					+ "; what is listed above was copied, the rest not");
			err.flush();
			return FAILED;
		}
		out.println(copied + " record" + ((copied == 1) ? "" : "s") + " copied.");
		if (!leftAlone.isEmpty()) {
			out.println("Left alone: " + String.join(", ", leftAlone) + ". A broker on Redis has run for "
					+ ((leftAlone.size() == 1) ? "it" : "them") + " and its session is the one to keep (its record "
					+ "is newer than the file store's).");
			out.flush();
			return NOT_ALL_COPIED;
		}
		out.println("Start the fleet with broker.store.type=redis and the same store keys: it serves the copied "
				+ "token and renews it, without a login.");
		out.flush();
		return COPIED;
	}

	private static String oneLine(Throwable ex) {
		Throwable shown = ex;
		while (!(shown instanceof SettingsException) && shown.getCause() != null && shown.getCause() != shown) {
			shown = shown.getCause();
		}
		String message = (shown.getMessage() != null) ? shown.getMessage() : shown.getClass().getSimpleName();
		return message.replaceAll("\\s+", " ").strip();
	}

	/**
	 * What the command reads: the store's settings (with the converters that bind them)
	 * and Redis through Spring Boot's {@code spring.data.redis.*}.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(StoreProperties.class)
	@ImportAutoConfiguration(DataRedisAutoConfiguration.class)
	@ComponentScan(basePackageClasses = Secret.class, useDefaultFilters = false,
			includeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE,
					classes = { Converter.class, ConfigurationPropertiesBindHandlerAdvisor.class }))
	static class Settings {

	}

}
