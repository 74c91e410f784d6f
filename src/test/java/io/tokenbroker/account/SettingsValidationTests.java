package io.tokenbroker.account;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.tokenbroker.TokenBrokerApplication;
import io.tokenbroker.caller.CallerKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Start-up refuses missing and invalid settings with one line per problem, and never
 * echoes a secret value.
 */
@Tag("application")
@ExtendWith(OutputCaptureExtension.class)
class SettingsValidationTests {

	private static final String LONG_PASSWORD = "Pw-" + "x".repeat(70);

	/** A client key pasted where its digest belongs. */
	private static final String RAW_KEY = "uV1b3r0x4mQ8pZ2w9nT6yK5cF7hJ0sL3dG8aR1eW4qE";

	private static String account(String id) {
		String prefix = "broker.accounts." + id + ".";
		return String.join(",", prefix + "username=u", prefix + "password=p", prefix + "app-id=a", prefix + "cid=1",
				prefix + "secret=s");
	}

	private static void start(String... properties) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off"));
		for (String property : properties) {
			for (String one : property.split(",")) {
				args.add("--" + one);
			}
		}
		new SpringApplicationBuilder(TokenBrokerApplication.class).run(args.toArray(String[]::new)).close();
	}

	@Test
	void everyProblemIsReportedOnceWithoutSecretValues(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("broker.accounts.main.username=trader",
				"broker.accounts.main.password=" + LONG_PASSWORD, "broker.accounts.main.app-id=app",
				"broker.accounts.main.cid=-3", "broker.accounts.main.base-url=ftp://files.invalid",
				"broker.default-account=nope", "broker.clients.bot.key-sha256=" + RAW_KEY,
				"broker.clients.bot.accounts=ghost", "broker.liveness.recheck-after=500ms"));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains(" - broker.accounts.main.password (environment variable BROKER_ACCOUNTS_MAIN_PASSWORD, "
					+ "configtree file broker.accounts.main.password): must be at most 64 characters long")
			.contains(" - broker.accounts.main.secret (environment variable BROKER_ACCOUNTS_MAIN_SECRET, "
					+ "configtree file broker.accounts.main.secret): must be set")
			.contains(" - broker.accounts.main.cid (environment variable BROKER_ACCOUNTS_MAIN_CID")
			.contains("base-url must be one absolute http or https URL")
			.contains("broker.default-account must name an account configured under broker.accounts")
			.contains(" - broker.clients.bot.key-sha256 (environment variable BROKER_CLIENTS_BOT_KEYSHA256")
			.contains("must be 64 hex digits")
			.contains("every account listed under broker.clients.<client>.accounts must be configured")
			.contains("broker.liveness.recheck-after must be at least 1s")
			.doesNotContain(LONG_PASSWORD)
			.doesNotContain(RAW_KEY);
	}

	@Test
	void aGatewayOnTheBrokersOwnPathsOrPastTradovatesSocketLimitDoesNotStart(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(account("main"),
				"broker.clients.bot.key-sha256=" + CallerKeys.hash("bot-key"), "broker.gateway.enabled=true",
				"broker.gateway.prefix=/token/tradovate", "broker.gateway.max-sockets=51",
				"broker.gateway.accounts.main.trading-socket-url=http://127.0.0.1:1/v1/websocket"));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("broker.gateway.prefix must not start with /token")
			.contains(" - broker.gateway.max-sockets")
			.contains("WebSocket URLs must be absolute ws or wss URLs");
	}

	@Test
	void twoClientsWithOneKeyDigestDoNotStart(CapturedOutput output) {
		String digest = CallerKeys.hash("shared-key");
		assertThatException().isThrownBy(() -> start(account("main"), "broker.clients.bot.key-sha256=" + digest,
				"broker.clients.ops.key-sha256=" + digest.toUpperCase(Locale.ROOT), "broker.clients.ops.admin=true"));

		assertThat(output).contains("broker.clients.bot.key-sha256 and broker.clients.ops.key-sha256 name the same key")
			.contains("Give each client its own key");
	}

	@Test
	void aBrokerWithoutAccountsOrClientsDoesNotStart(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start());

		assertThat(output).contains("at least one account must be configured under broker.accounts.<id>")
			.contains("at least one client must be configured under broker.clients.<client>");
	}

	@Test
	void storeSettingsAreCheckedWithoutPrintingKeys(CapturedOutput output) {
		String shortKey = "c2hvcnQta2V5LXZhbHVl";
		assertThatException().isThrownBy(() -> start("broker.accounts.main.username=trader",
				"broker.accounts.main.password=pw", "broker.accounts.main.app-id=app", "broker.accounts.main.cid=1",
				"broker.accounts.main.secret=s", "broker.clients.bot.key-sha256=" + "a".repeat(64),
				"broker.store.keys.k1=" + shortKey, "broker.store.keys.k2=" + shortKey + "x",
				"broker.store.active-key=k3", "broker.store.lease-time=1s"));

		assertThat(output).contains(" - broker.store.keys.k1 (environment variable BROKER_STORE_KEYS_K1, ")
			.contains("must be the Base64 of 32 random bytes")
			.contains("broker.store.active-key must name a key configured under broker.store.keys.<key-id>")
			.contains("broker.store.lease-time must be at least 2s")
			.doesNotContain(shortKey);
	}

	@Test
	void aFleetOnRedisNeedsAStoreKey(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start("broker.accounts.main.username=trader", "broker.accounts.main.password=pw",
					"broker.accounts.main.app-id=app", "broker.accounts.main.cid=1", "broker.accounts.main.secret=s",
					"broker.clients.bot.key-sha256=" + "a".repeat(64), "broker.store.type=redis"));

		assertThat(output).contains("broker.store.type=redis needs a key (broker.store.keys.<key-id>)");
	}

	@Test
	void operatorMistakesThatWouldLeakOrPassSilentlyAreRefused(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(account("main"),
				"broker.accounts.main.base-url=https://trader:" + LONG_PASSWORD + "@proxy.internal/v1", account("live"),
				"broker.accounts.live.environment=live", "broker.accounts.live.base-url=http://proxy.internal/v1",
				"broker.clients.bot.key-sha256=" + "a".repeat(64)));

		assertThat(output).contains("broker.accounts.main: base-url must not carry a user name or password")
			.contains("broker.accounts.live: a live account's base-url must use https")
			.doesNotContain(LONG_PASSWORD);
	}

	@Test
	void aBaseUrlIsOnePlainUrlAndNothingElse(CapturedOutput output) {
		for (String url : new String[] { "http://127.0.0.1:9/v1?debug=1", "http://127.0.0.1:9/v1#top",
				"http://127.0.0.1:9/v1;jsessionid=1", "http://127.0.0.1:9/v1@other" }) {
			assertThatException().isThrownBy(() -> start(account("main"), "broker.accounts.main.base-url=" + url,
					"broker.clients.bot.key-sha256=" + "a".repeat(64), "broker.renewal.check-interval=1h"));
		}
		// the same setting given twice on the command line arrives joined with a comma
		List<String> twice = List.of("--server.port=0", "--spring.main.banner-mode=off",
				"--broker.accounts.main.username=u", "--broker.accounts.main.password=p",
				"--broker.accounts.main.app-id=a", "--broker.accounts.main.cid=1", "--broker.accounts.main.secret=s",
				"--broker.clients.bot.key-sha256=" + "a".repeat(64), "--broker.renewal.check-interval=1h",
				"--broker.accounts.main.base-url=http://127.0.0.1:9/v1",
				"--broker.accounts.main.base-url=http://trader:" + LONG_PASSWORD + "@127.0.0.1:9/v1");
		assertThatException().isThrownBy(
				() -> new SpringApplicationBuilder(TokenBrokerApplication.class).run(twice.toArray(String[]::new))
					.close());

		assertThat(output.toString().split("base-url must be one absolute http or https URL", -1)).hasSize(6);
		assertThat(output).doesNotContain(LONG_PASSWORD);
	}

	@Test
	void aLiveAccountMayUsePlainHttpOnlyWhenToldTo() {
		start(account("live"), "broker.accounts.live.environment=live",
				"broker.accounts.live.base-url=http://127.0.0.1:9/v1", "broker.accounts.live.allow-plain-http=true",
				"broker.clients.bot.key-sha256=" + "a".repeat(64), "broker.renewal.check-interval=1h");
	}

	@Test
	void aWaitLongerThanTheServerAllowsAnAsynchronousRequestIsRefused(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(account("main"), "broker.clients.bot.key-sha256=" + "a".repeat(64),
				"broker.wait-for-token=45s"));

		assertThat(output).contains("broker.wait-for-token (45000 ms) must be shorter than the asynchronous request "
				+ "timeout (30000 ms, spring.mvc.async.request-timeout)");
	}

	@Test
	void accountAndClientIdsMustBeUsableInUrlsAndVariableNames(CapturedOutput output) {
		assertThatException().isThrownBy(
				() -> start(account("main-account"), "broker.clients[trading-bot].key-sha256=" + "a".repeat(64)));

		assertThat(output)
			.contains("account ids are 1-32 lower case letters or digits, so that environment variables "
					+ "can name them (BROKER_ACCOUNTS_<ID>_PASSWORD)")
			.contains("client ids are 1-32 lower case letters or digits");
	}

	@Test
	void aMisspeltSettingStopsTheStartAndNamesTheClosestOne(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(account("main"), "broker.clients.bot.key-sha256=" + "a".repeat(64),
				"broker.acounts.main.password=" + LONG_PASSWORD, "broker.renewal.leed=5m",
				"broker.clients.bot.acounts=main", "broker.store.keys.k1=" + "A".repeat(44)));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Unknown settings:")
			.contains(" - broker.acounts.main.password (from commandLineArgs): no such setting; did you mean "
					+ "broker.accounts.main.password?")
			.contains(
					" - broker.renewal.leed (from commandLineArgs): no such setting; did you mean broker.renewal.lead?")
			.contains(" - broker.clients.bot.acounts (from commandLineArgs): no such setting; did you mean "
					+ "broker.clients.bot.accounts?")
			// map keys and lists are settings too
			.doesNotContain("broker.store.keys.k1 (")
			.doesNotContain(LONG_PASSWORD);
	}

	@Test
	void environmentVariablesSetEverySettingAndAMisspeltOneIsNamedAsWritten(CapturedOutput output) {
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("BROKER_ACCOUNTS_MAIN_USERNAME", "u");
		variables.put("BROKER_ACCOUNTS_MAIN_PASSWORD", "p");
		variables.put("BROKER_ACCOUNTS_MAIN_APP_ID", "a");
		variables.put("BROKER_ACCOUNTS_MAIN_CID", "1");
		variables.put("BROKER_ACCOUNTS_MAIN_SECRET", "s");
		variables.put("BROKER_ACCOUNTS_MAIN_DEVICE_ID", "d");
		variables.put("BROKER_ACCOUNTS_MAIN_ENVIRONMENT", "demo");
		variables.put("BROKER_ACCOUNTS_MAIN_BASE_URL", "http://127.0.0.1:9/v1");
		variables.put("BROKER_CLIENTS_BOT_KEY_SHA256", "a".repeat(64) + "," + "b".repeat(64));
		variables.put("BROKER_CLIENTS_BOT_ACCOUNTS", "main");
		variables.put("BROKER_RENEWAL_CHECK_INTERVAL", "1h");
		startWith(variables);

		variables.put("BROKER_ACCOUNTS_MAIN_APP_IDD", LONG_PASSWORD);
		assertThatException().isThrownBy(() -> startWith(variables));
		assertThat(output).contains(" - BROKER_ACCOUNTS_MAIN_APP_IDD (from systemEnvironment): no such setting")
			.doesNotContain("BROKER_ACCOUNTS_MAIN_APP_ID (")
			.doesNotContain("BROKER_ACCOUNTS_MAIN_BASE_URL (")
			.doesNotContain(LONG_PASSWORD);
	}

	private static void startWith(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		new SpringApplicationBuilder(TokenBrokerApplication.class).environment(environment)
			.run("--server.port=0", "--spring.main.banner-mode=off")
			.close();
	}

	@Test
	void keysPublishedInTheProjectStopStartUpOutsideTheDemo(CapturedOutput output) {
		String live = account("main") + ",broker.accounts.main.environment=live,"
				+ "broker.accounts.main.base-url=https://127.0.0.1:9/v1,broker.store.type=memory";
		assertThatException()
			.isThrownBy(() -> start(live, "broker.clients.bot.key-sha256=" + CallerKeys.hash("sim-demo-key")));
		assertThatException().isThrownBy(() -> start(live, "broker.clients.bot.key-sha256=" + "a".repeat(64),
				"broker.clients.ops.key-sha256=" + CallerKeys.hash("test")));
		assertThatException().isThrownBy(() -> start(live, "broker.clients.bot.key-sha256=" + "a".repeat(64),
				"broker.store.keys.k1=DsoMb97jZCzVYbSZMVIhPPpnVW8S9G8uQW7Q73UIzSU="));

		assertThat(output)
			.contains("broker.clients.bot.key-sha256 (environment variable BROKER_CLIENTS_BOT_KEYSHA256, configtree "
					+ "file broker.clients.bot.key-sha256) holds the SHA-256 of the demo key sim-demo-key, published "
					+ "in this project")
			.contains("broker.clients.ops.key-sha256 (environment variable BROKER_CLIENTS_OPS_KEYSHA256, configtree "
					+ "file broker.clients.ops.key-sha256) holds the SHA-256 of the documentation's example key test")
			.contains("broker.store.keys.k1 (environment variable BROKER_STORE_KEYS_K1, configtree file "
					+ "broker.store.keys.k1) holds the demo store key of docker-compose.yml, published in this project")
			.doesNotContain("DsoMb97j");
	}

	@Test
	void anAccountWithoutAnEnvironmentSaysItTradesOnTheDemoEnvironment(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(account("main"), "broker.clients.bot.key-sha256=" + "a".repeat(64),
				"broker.wait-for-token=45s"));

		assertThat(output).contains("Account main: broker.accounts.main.environment is not set, so its tokens come "
				+ "from Tradovate's demo environment");
	}

}
