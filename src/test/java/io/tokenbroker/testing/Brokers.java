package io.tokenbroker.testing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.tokenbroker.TokenBrokerApplication;
import io.tokenbroker.caller.CallerKeys;

/**
 * Starts brokers and a standalone Tradovate simulator inside the test JVM, each on its
 * own port and all on one clock the test moves: restarts and fleets without containers.
 */
public final class Brokers {

	/** The client key every broker started here accepts, for every account. */
	public static final String KEY = "fleet-test-key";

	private Brokers() {
	}

	/** A standalone simulator (profile {@code simulator}) on a free port. */
	public static Started simulator(Clock clock, String... properties) {
		int port = FreePorts.next();
		List<String> all = new ArrayList<>(List.of("server.port=" + port));
		all.addAll(List.of(properties));
		return new Started(start(clock, "simulator", all), port);
	}

	/**
	 * A broker on a free port with one account per username given, {@code <username>}
	 * with the simulator's default password unless properties say otherwise, logging in
	 * to the simulator on {@code simulatorPort}.
	 */
	public static Started broker(Clock clock, int simulatorPort, List<String> accounts, String... properties) {
		return broker(clock, Map.of(), simulatorPort, accounts, properties);
	}

	/**
	 * The same, with some of the application's beans given by the test (a store shared by
	 * several brokers, say), by bean name.
	 */
	public static Started broker(Clock clock, Map<String, Object> beans, int simulatorPort, List<String> accounts,
			String... properties) {
		int port = FreePorts.next();
		List<String> all = new ArrayList<>(
				List.of("server.port=" + port, "broker.clients.fleet.key-sha256=" + CallerKeys.hash(KEY),
						"broker.clients.fleet.accounts=*", "broker.clients.fleet.admin=true"));
		for (String account : accounts) {
			String prefix = "broker.accounts." + account + ".";
			all.addAll(List.of(prefix + "base-url=http://127.0.0.1:" + simulatorPort + "/v1",
					prefix + "username=" + account, prefix + "password=sim-password", prefix + "app-id=sim-app",
					prefix + "cid=1", prefix + "secret=sim-secret", prefix + "device-id=device-" + account));
		}
		all.addAll(List.of(properties));
		return new Started(start(clock, beans, null, all), port);
	}

	private static ConfigurableApplicationContext start(Clock clock, String profile, List<String> properties) {
		return start(clock, Map.of(), profile, properties);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static ConfigurableApplicationContext start(Clock clock, Map<String, Object> given, String profile,
			List<String> properties) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(TokenBrokerApplication.class)
			// the application reads the test's clock, and the beans the test gives
			.initializers((context) -> context.addBeanFactoryPostProcessor((beans) -> {
				BeanDefinitionRegistry registry = (BeanDefinitionRegistry) beans;
				registry.removeBeanDefinition("clock");
				registry.registerBeanDefinition("clock", new RootBeanDefinition(Clock.class, () -> clock));
				given.forEach((name, bean) -> {
					if (registry.containsBeanDefinition(name)) {
						registry.removeBeanDefinition(name);
					}
					registry.registerBeanDefinition(name, new RootBeanDefinition((Class) bean.getClass(), () -> bean));
				});
			}));
		if (profile != null) {
			builder.profiles(profile);
		}
		// as arguments: they take precedence over every configuration file
		return builder.run(properties.stream().map((property) -> "--" + property).toArray(String[]::new));
	}

	/**
	 * A running application and its port.
	 *
	 * @param context the application
	 * @param port its HTTP port
	 */
	public record Started(ConfigurableApplicationContext context, int port) implements AutoCloseable {

		public <T> T bean(Class<T> type) {
			return this.context.getBean(type);
		}

		public BrokerCaller caller() {
			return new BrokerCaller(this.port, KEY);
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

}
