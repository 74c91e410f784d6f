package io.tokenbroker;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings that Spring's ahead-of-time build cannot serve, and only those, start the
 * broker without it.
 */
class AotWhereItFitsTests {

	@Test
	void everyStoreTypeTheSimulatorAndTheBrokerSwitchFitTheBuild() {
		assertThat(AotWhereItFits.outsideTheBuild(new MockEnvironment())).isNull();
		assertThat(AotWhereItFits.outsideTheBuild(new MockEnvironment().withProperty("broker.store.type", "redis")
			.withProperty("simulator.enabled", "true")
			.withProperty("broker.enabled", "false"))).isNull();
		assertThat(AotWhereItFits.outsideTheBuild(new MockEnvironment().withProperty("server.port", "8080")
			.withProperty("management.server.port", "8080"))).isNull();
	}

	@Test
	void exportedSpansDoNot() {
		assertThat(AotWhereItFits.outsideTheBuild(new MockEnvironment()
			.withProperty("management.opentelemetry.tracing.export.otlp.endpoint", "http://127.0.0.1:4318/v1/traces")))
			.contains("spans are exported");
	}

	@Test
	void managementOnItsOwnPortDoesNot() {
		assertThat(AotWhereItFits.outsideTheBuild(new MockEnvironment().withProperty("management.server.port", "9090")))
			.contains("management.server.port");
	}

}
