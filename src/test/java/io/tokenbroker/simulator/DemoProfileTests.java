package io.tokenbroker.simulator;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo profile ({@code sim}) serves tokens to a world-known key: it answers on this
 * machine only, unless an operator says otherwise.
 */
class DemoProfileTests extends AgainstEmbeddedSimulator {

	@Autowired
	private ServerProperties server;

	@Test
	void theDemoListensOnLoopbackOnly() {
		assertThat(this.server.getAddress()).isNotNull();
		assertThat(this.server.getAddress().isLoopbackAddress()).isTrue();
	}

}
