package io.tokenbroker.testing;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every {@code await()} without its own {@code atMost} waits up to 30 s instead of
 * Awaitility's 10 s: the unit tests run in two JVMs on two cores, and a step that takes a
 * second on a quiet machine can take ten beside a container build. An await returns as
 * soon as its condition holds, so a passing test is no slower; the deadlines a test is
 * about are its own. Registered for every test class ({@code META-INF/services},
 * {@code junit-platform.properties}).
 */
public class PatientAwaits implements BeforeAllCallback {

	static final Duration AT_MOST = Duration.ofSeconds(30);

	@Override
	public void beforeAll(ExtensionContext context) {
		Awaitility.setDefaultTimeout(AT_MOST);
	}

}
