package io.tokenbroker.caller;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.tokenbroker.account.BrokerProperties.ClientProperties;
import io.tokenbroker.account.KeyDigest;

import static org.assertj.core.api.Assertions.assertThat;

class NewClientKeyTests {

	private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

	private int run(String... args) {
		return NewClientKey.run(args, new PrintStream(this.printed, true, StandardCharsets.UTF_8));
	}

	@Test
	void printsARandomKeyOnceAndTheSettingsThatLetItIn() {
		assertThat(run("new-client-key", "riskjob")).isZero();

		String output = this.printed.toString(StandardCharsets.UTF_8);
		Matcher key = Pattern.compile("^  ([A-Za-z0-9_-]{43})$", Pattern.MULTILINE).matcher(output);
		assertThat(key.find()).isTrue();
		assertThat(output).contains("broker.clients.riskjob.key-sha256=" + CallerKeys.hash(key.group(1)))
			.contains("BROKER_CLIENTS_RISKJOB_KEY_SHA256=" + CallerKeys.hash(key.group(1)))
			.contains("broker.clients.riskjob.accounts=*");
		assertThat(new CallerKeys(java.util.Map.of("riskjob", new ClientProperties(
				java.util.List.of(KeyDigest.of(CallerKeys.hash(key.group(1)))), java.util.List.of("*"), false, false)))
			.identify(key.group(1))).isPresent();
	}

	@Test
	void everyKeyIsNew() {
		assertThat(NewClientKey.mint()).isNotEqualTo(NewClientKey.mint()).hasSize(43);
	}

	@Test
	void refusesAClientIdThatCannotBeConfigured() {
		assertThat(run("new-client-key", "Bad Id")).isEqualTo(2);
		assertThat(this.printed.toString(StandardCharsets.UTF_8)).contains("is not one");
	}

}
