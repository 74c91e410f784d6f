package io.tokenbroker.caller;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The address a request comes from, and the IP literals it is read from, without the HTTP
 * server.
 */
class ClientAddressesTests {

	private final ClientAddresses behindProxies = new ClientAddresses(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));

	@Test
	void everyForwardedForLineBelongsToTheChainWalkedFromTheRight() {
		// the client's own line first, the one its proxy appended (HAProxy's forwardfor)
		// last
		assertThat(clientBehindProxies("6.6.6.6", "203.0.113.7, 10.0.0.2")).isEqualTo("203.0.113.7");
	}

	@Test
	void aTrustedLineBeforeTheClientsIsNotBelieved() {
		assertThat(clientBehindProxies("198.51.100.1", "10.0.0.3", "203.0.113.9")).isEqualTo("203.0.113.9");
	}

	/** The caller of a request from a trusted proxy with these X-Forwarded-For lines. */
	private String clientBehindProxies(String... lines) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr("127.0.0.1");
		for (String line : lines) {
			request.addHeader("X-Forwarded-For", line);
		}
		return this.behindProxies.of(request);
	}

	@Test
	void ipv4LiteralsAreFourDecimalOctets() {
		assertThat(ClientAddresses.literal("203.0.113.7")).containsExactly(203, 0, 113, 7);
		assertThat(ClientAddresses.literal("0.0.0.0")).containsExactly(0, 0, 0, 0);
		assertThat(ClientAddresses.literal("255.255.255.255")).containsExactly(255, 255, 255, 255);
		for (String text : List.of("999.1.1.1", "256.0.0.1", "1.2.3", "1.2.3.4.5", "010.1.1.1", "1.2.3.4 ", "1..2.3",
				".1.2.3", "1.2.3.", "1.2.3.-4", "0x7f.0.0.1", "2130706433", "١.٢.٣.٤")) {
			assertThat(ClientAddresses.literal(text)).as(text).isNull();
		}
	}

	@Test
	void ipv6LiteralsInEveryWrittenForm() {
		assertThat(ClientAddresses.literal("::1")).hasSize(16).endsWith(0, 0, 1);
		assertThat(ClientAddresses.literal("::")).isEqualTo(new byte[16]);
		assertThat(ClientAddresses.literal("fd00::7")).startsWith(0xfd, 0).endsWith(0, 7).hasSize(16);
		assertThat(ClientAddresses.literal("2001:DB8:0:0:1:0:0:1"))
			.isEqualTo(ClientAddresses.literal("2001:db8::1:0:0:1"));
		assertThat(ClientAddresses.literal("1:2:3:4:5:6:7::")).endsWith(0, 7, 0, 0);
		assertThat(ClientAddresses.literal("::2:3:4:5:6:7:8")).startsWith(0, 0, 0, 2);
		assertThat(ClientAddresses.literal("64:ff9b::192.0.2.33")).endsWith(192, 0, 2, 33).hasSize(16);
		// an IPv4-mapped address is the IPv4 address, as Tomcat reports the peer
		assertThat(ClientAddresses.literal("::ffff:203.0.113.7")).containsExactly(203, 0, 113, 7);
		for (String text : List.of(":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::",
				"g::1", "::1%eth0", "[::1]", "1:2:3:4:5:6:7:8::", "::1.2.3", "::1.2.3.4:5", ":1::", "1::2:")) {
			assertThat(ClientAddresses.literal(text)).as(text).isNull();
		}
	}

	@Test
	void ipv6LiteralsReadAsJavaReadsThem() throws UnknownHostException {
		Random random = new Random(19);
		for (int i = 0; i < 500; i++) {
			byte[] bytes = new byte[16];
			random.nextBytes(bytes);
			int zeros = random.nextInt(9);
			int from = random.nextInt(9 - zeros);
			Arrays.fill(bytes, from * 2, (from + zeros) * 2, (byte) 0);
			String full = InetAddress.getByAddress(bytes).getHostAddress();
			String compressed = full.replaceFirst("(^|:)0(:0)+(:|$)", "::");
			byte[] expected = InetAddress.getByAddress(bytes).getAddress();

			assertThat(ClientAddresses.literal(full)).as(full).isEqualTo(expected);
			assertThat(ClientAddresses.literal(compressed)).as(compressed).isEqualTo(expected);
			assertThat(ClientAddresses.literal(compressed.toUpperCase(Locale.ROOT))).isEqualTo(expected);
		}
	}

	/**
	 * A JVM whose resolver knows {@code 999.1.1.1} as a host name: a lookup would answer,
	 * and the literal would come back as the looked-up address.
	 */
	@Test
	void noForwardedValueIsEverLookedUpAsAName(@TempDir Path dir) throws IOException, InterruptedException {
		Path hosts = Files.writeString(dir.resolve("hosts"), "10.9.9.9 999.1.1.1\n10.9.9.8 1.2.3\n");
		Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"),
				LookupProbe.class.getName(), "999.1.1.1", "1.2.3")
			.redirectErrorStream(true)
			.start();
		assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

		assertThat(output).isEqualTo("999.1.1.1=none\n1.2.3=none\n");
	}

	/** Prints what {@link ClientAddresses#literal} makes of each argument. */
	static final class LookupProbe {

		public static void main(String[] args) {
			for (String text : args) {
				byte[] bytes = ClientAddresses.literal(text);
				System.out.print(text + "=" + ((bytes != null) ? bytes.length + " bytes" : "none") + "\n");
			}
		}

	}

}
