package io.tokenbroker.reload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import io.tokenbroker.account.AccountsProperties;
import io.tokenbroker.account.SettingsReader;
import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.caller.ClientsProperties;
import io.tokenbroker.reload.SettingsReload.Outcome;
import io.tokenbroker.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reload on its own: settings given as a map the test edits, read again on each
 * {@link SettingsReload#check()}, no Spring context and no schedule.
 */
@ExtendWith(OutputCaptureExtension.class)
class SettingsReloadTests {

	private static final String BOT = "broker.clients.bot.";

	private static final String MAIN = "broker.accounts.main.";

	private final Map<String, Object> files = new LinkedHashMap<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<TradovateAccount> credentialsChanged = new ArrayList<>();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T08:00:00Z"));

	private CallerKeys keys;

	private TradovateAccounts accounts;

	private SettingsReload reload;

	@BeforeEach
	void start() {
		this.files.putAll(Map.of(MAIN + "base-url", "https://demo.tradovateapi.com/v1", MAIN + "username", "trader",
				MAIN + "password", "old-password", MAIN + "app-id", "app", MAIN + "cid", "7", MAIN + "secret",
				"api-secret", MAIN + "device-id", "device-1"));
		this.files.put(BOT + "key-sha256", CallerKeys.hash("bot-key-1"));
		this.files.put(BOT + "accounts", "main");
		this.files.put("broker.clients.ops.key-sha256", CallerKeys.hash("ops-key"));
		this.files.put("broker.clients.ops.admin", "true");
		SettingsSources sources = new SettingsSources(new StandardEnvironment()) {

			@Override
			ConfigurableEnvironment read() {
				StandardEnvironment environment = new StandardEnvironment();
				environment.getPropertySources()
					.addFirst(new MapPropertySource("files", new LinkedHashMap<>(SettingsReloadTests.this.files)));
				return environment;
			}

		};
		SettingsReader reader = new SettingsReader();
		SettingsReader.Bound started = reader.read(sources.read());
		AccountsProperties startedAccounts = started.get(AccountsProperties.class);
		ClientsProperties startedClients = started.get(ClientsProperties.class);
		this.keys = new CallerKeys(startedClients.clients(), this.clock);
		this.keys.bindTo(this.meters);
		this.accounts = new TradovateAccounts(startedAccounts);
		this.reload = new SettingsReload(sources, reader, startedAccounts, startedClients,
				new SettingsReload.Running(this.keys, this.accounts, this.credentialsChanged::add, this.clock),
				this.meters, java.time.Duration.ZERO);
	}

	private Caller caller(String key) {
		return this.keys.identify(key).orElse(null);
	}

	private double reloads(String outcome) {
		return this.meters.get("broker.settings.reloads").tag("outcome", outcome).counter().count();
	}

	private String password() {
		return this.accounts.find("main").orElseThrow().credentials().password().reveal();
	}

	@Test
	void nothingChangedIsNothingToDo() {
		assertThat(this.reload.check()).isEqualTo(Outcome.UNCHANGED);
		assertThat(reloads("applied")).isZero();
		assertThat(reloads("refused")).isZero();
	}

	@Test
	void aNewClientAndNewRightsRunAtOnce(CapturedOutput output) {
		this.files.put("broker.clients.risk.key-sha256", CallerKeys.hash("risk-key"));
		this.files.put("broker.clients.risk.accounts", "*");
		this.files.put(BOT + "metrics", "true");

		assertThat(this.reload.check()).isEqualTo(Outcome.APPLIED);

		assertThat(caller("risk-key").readsEveryAccount()).isTrue();
		assertThat(caller("bot-key-1").metrics()).isTrue();
		assertThat(reloads("applied")).isOne();
		assertThat(output).contains("Settings reloaded: rights of client bot changed; client risk added");
		assertThat(this.reload.check()).isEqualTo(Outcome.UNCHANGED);
	}

	@Test
	void aKeyRotationIsOneStepWithBothDigestsThenTheOldOneGoes() {
		this.files.put(BOT + "key-sha256", CallerKeys.hash("bot-key-1") + "," + CallerKeys.hash("bot-key-2"));
		assertThat(this.reload.check()).isEqualTo(Outcome.APPLIED);
		assertThat(caller("bot-key-1").id()).isEqualTo("bot");
		assertThat(caller("bot-key-2").id()).isEqualTo("bot");

		this.files.put(BOT + "key-sha256", CallerKeys.hash("bot-key-2"));
		assertThat(this.reload.check()).isEqualTo(Outcome.APPLIED);
		assertThat(caller("bot-key-1")).isNull();
		assertThat(caller("bot-key-2").mayRead("main")).isTrue();
		// one last-use gauge per configured digest: the old key's is gone
		assertThat(this.meters.find("broker.client.key.last.used").tag("client", "bot").timeGauges()).hasSize(1);
	}

	@Test
	void aRemovedClientsKeyIsRefusedFromTheNextRequestOn() {
		assertThat(caller("bot-key-1")).isNotNull();
		this.files.remove(BOT + "key-sha256");
		this.files.remove(BOT + "accounts");

		assertThat(this.reload.check()).isEqualTo(Outcome.APPLIED);

		assertThat(caller("bot-key-1")).isNull();
		assertThat(caller("ops-key").admin()).isTrue();
	}

	@Test
	void newCredentialsReachTheAccountAndItsSession() {
		this.files.put(MAIN + "password", "new-password");

		assertThat(this.reload.check()).isEqualTo(Outcome.APPLIED);

		assertThat(password()).isEqualTo("new-password");
		assertThat(this.credentialsChanged).singleElement()
			.satisfies((account) -> assertThat(account.credentials().password().reveal()).isEqualTo("new-password"));
	}

	@Test
	void anInvalidChangeIsRefusedWholeOnceNamingTheSettingButNoValue(CapturedOutput output) {
		this.files.put(MAIN + "password", "new-password");
		this.files.put("broker.clients.risk.key-sha256", CallerKeys.hash("risk-key"));
		this.files.put(BOT + "key-sha256", "bot-key-2-pasted-instead-of-its-digest");

		assertThat(this.reload.check()).isEqualTo(Outcome.REFUSED);
		assertThat(this.reload.check()).isEqualTo(Outcome.UNCHANGED);

		assertThat(caller("bot-key-1").id()).isEqualTo("bot");
		assertThat(caller("risk-key")).isNull();
		assertThat(password()).isEqualTo("old-password");
		assertThat(this.credentialsChanged).isEmpty();
		assertThat(reloads("refused")).isOne();
		assertThat(reloads("applied")).isZero();
		assertThat(output.getOut().lines().filter((line) -> line.contains("Settings reload refused"))).singleElement()
			.asString()
			.contains("broker.clients.bot.key-sha256")
			.doesNotContain("bot-key-2-pasted")
			.doesNotContain("new-password");

		this.files.put(BOT + "key-sha256", CallerKeys.hash("bot-key-2"));
		assertThat(this.reload.check()).isEqualTo(Outcome.APPLIED);
		assertThat(caller("bot-key-2").id()).isEqualTo("bot");
		assertThat(caller("risk-key").id()).isEqualTo("risk");
		assertThat(password()).isEqualTo("new-password");
	}

	@Test
	void twoClientsWithOneDigestAreRefused(CapturedOutput output) {
		this.files.put("broker.clients.ops.key-sha256", CallerKeys.hash("bot-key-1"));

		assertThat(this.reload.check()).isEqualTo(Outcome.REFUSED);

		assertThat(caller("ops-key").id()).isEqualTo("ops");
		assertThat(output).contains("broker.clients.bot.key-sha256 and broker.clients.ops.key-sha256 name the same");
	}

	@Test
	void aPublishedKeyIsRefused(CapturedOutput output) {
		this.files.put(BOT + "key-sha256", CallerKeys.hash("sim-demo-key"));

		assertThat(this.reload.check()).isEqualTo(Outcome.REFUSED);

		assertThat(output).contains("broker.clients.bot.key-sha256 (environment variable").contains("published");
	}

	@Test
	void aMisspeltSettingOrABareDurationIsRefused(CapturedOutput output) {
		this.files.put("broker.clients.bot.acounts", "main");
		assertThat(this.reload.check()).isEqualTo(Outcome.REFUSED);
		assertThat(output).contains("broker.clients.bot.acounts (from files): no such setting");

		this.files.remove("broker.clients.bot.acounts");
		this.files.put("broker.retry.cool-down", "3600");
		assertThat(this.reload.check()).isEqualTo(Outcome.REFUSED);
		assertThat(output).contains("broker.retry.cool-down (environment variable BROKER_RETRY_COOLDOWN");
		assertThat(reloads("refused")).isEqualTo(2);
	}

	@Test
	void addingOrRemovingAnAccountOrChangingItsUserTakesARestart(CapturedOutput output) {
		this.files.put("broker.accounts.backup.base-url", "https://demo.tradovateapi.com/v1");
		this.files.put("broker.accounts.backup.username", "other");
		this.files.put("broker.accounts.backup.password", "pw");
		this.files.put("broker.accounts.backup.app-id", "app");
		this.files.put("broker.accounts.backup.cid", "8");
		this.files.put("broker.accounts.backup.secret", "s");
		this.files.put(MAIN + "username", "someone-else");
		this.files.put(MAIN + "password", "new-password");

		assertThat(this.reload.check()).isEqualTo(Outcome.REFUSED);

		assertThat(this.accounts.find("backup")).isEmpty();
		assertThat(password()).isEqualTo("old-password");
		assertThat(output).contains("Settings reload refused, the broker keeps running on the settings it had: "
				+ "broker.accounts.backup was added; broker.accounts.main.username changed: that takes a restart");
	}

	@Test
	void aSettingReadAtStartOnlyIsNamedAndWaitsForTheRestart(CapturedOutput output) {
		this.files.put("broker.retry.cool-down", "2h");
		this.files.put(BOT + "admin", "true");

		assertThat(this.reload.check()).isEqualTo(Outcome.APPLIED);

		assertThat(caller("bot-key-1").admin()).isTrue();
		assertThat(output).contains("Settings reload: broker.retry.cool-down changed, read at start only: the change "
				+ "takes effect at the next restart");
	}

}
