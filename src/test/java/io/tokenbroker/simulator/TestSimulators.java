package io.tokenbroker.simulator;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Builds simulators from property maps, through the same binding (and defaults) Spring
 * Boot applies.
 */
final class TestSimulators {

	private TestSimulators() {
	}

	static SimulatorProperties properties(Map<String, String> properties) {
		Map<String, String> all = new HashMap<>(properties);
		all.putIfAbsent("simulator.enabled", "true");
		return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("simulator", SimulatorProperties.class);
	}

	static SimulatedTradovate simulator(Clock clock, Map<String, String> properties) {
		return new SimulatedTradovate(properties(properties), clock);
	}

	static String loginBody(String name, String password) {
		return loginBody(name, password, "sim-app", "1", "sim-secret", null);
	}

	static String loginBody(String name, String password, String appId, String cid, String sec, String pTicket) {
		return "{\"name\":\"" + name + "\",\"password\":\"" + password + "\",\"appId\":\"" + appId
				+ "\",\"appVersion\":\"1.0\",\"cid\":" + cid + ",\"sec\":\"" + sec + "\",\"deviceId\":\"device-1\""
				+ ((pTicket != null) ? ",\"p-ticket\":\"" + pTicket + "\"" : "") + "}";
	}

}
