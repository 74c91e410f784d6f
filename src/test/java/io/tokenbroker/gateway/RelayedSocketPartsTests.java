package io.tokenbroker.gateway;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;

import io.tokenbroker.session.HeldToken;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of a relayed socket that decide without a network: its time-outs, the
 * broker's authorize upstream, what a caller sends before it is answered, and the close a
 * caller gets when Tradovate closes.
 */
class RelayedSocketPartsTests {

	private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

	private final SocketDeadlines deadlines = new SocketDeadlines(Duration.ofSeconds(10), Duration.ofSeconds(15),
			Duration.ofSeconds(10));

	@Test
	void eachPhaseHasItsTimeOutAndEveryOpenOneTheCallersSilence() {
		Instant later = T0.plusSeconds(9);

		assertThat(this.deadlines.passed(SocketPhase.AWAITING_KEY, T0, later, T0.plusSeconds(9))).isNull();
		assertThat(this.deadlines.passed(SocketPhase.AWAITING_KEY, T0, later, T0.plusSeconds(10)))
			.isEqualTo(SocketClosure.AUTHORIZE_TIMEOUT);
		assertThat(this.deadlines.passed(SocketPhase.CONNECTING, T0, later, T0.plusSeconds(14))).isNull();
		assertThat(this.deadlines.passed(SocketPhase.CONNECTING, T0, T0.plusSeconds(15), T0.plusSeconds(15)))
			.isEqualTo(SocketClosure.UPSTREAM_FAILED);
		assertThat(this.deadlines.passed(SocketPhase.RELAYING, T0, later, T0.plusSeconds(18))).isNull();
		assertThat(this.deadlines.passed(SocketPhase.RELAYING, T0, later, T0.plusSeconds(19)))
			.isEqualTo(SocketClosure.HEARTBEAT_TIMEOUT);
		assertThat(this.deadlines.passed(SocketPhase.CONNECTING, T0.plusSeconds(10), T0, T0.plusSeconds(10)))
			.isEqualTo(SocketClosure.HEARTBEAT_TIMEOUT);
		assertThat(this.deadlines.passed(SocketPhase.CLOSED, T0, T0, T0.plusSeconds(60))).isNull();
	}

	@Test
	void theConnectTimeOutIsTheGatewaysTimeoutAndTheWaitForAToken() {
		GatewayProperties settings = new GatewayProperties(true, null, 0, Duration.ofSeconds(10), null, null, null,
				new GatewayProperties.Sockets(Duration.ofMillis(2500), Duration.ofSeconds(10), Duration.ofSeconds(7),
						Duration.ofSeconds(30)),
				null);

		assertThat(SocketDeadlines.of(settings, Duration.ofSeconds(5)))
			.isEqualTo(new SocketDeadlines(Duration.ofSeconds(7), Duration.ofSeconds(15), Duration.ofSeconds(10)));
	}

	@Test
	void theBrokerAuthorizesMarketDataWithItsOwnTokenWhenThereIsOne() {
		HeldToken both = token("md-1");
		HeldToken accessOnly = token(null);

		assertThat(UpstreamAuthorize.request(SocketKind.TRADING, both)).isEqualTo("authorize\n0\n\naccess-1");
		assertThat(UpstreamAuthorize.request(SocketKind.MARKET_DATA, both)).isEqualTo("authorize\n0\n\nmd-1");
		assertThat(UpstreamAuthorize.request(SocketKind.MARKET_DATA, accessOnly)).isEqualTo("authorize\n0\n\naccess-1");
	}

	@Test
	void onlyTheAnswerToRequestZeroAnswersTheBrokersAuthorize() {
		assertThat(UpstreamAuthorize.status("a[{\"s\":200,\"i\":0}]")).isEqualTo(200);
		assertThat(UpstreamAuthorize.status("a[{\"s\":401,\"i\":\"0\",\"d\":\"Invalid\"}]")).isEqualTo(401);
		assertThat(UpstreamAuthorize.status("a[{\"e\":\"props\",\"d\":{}},{\"s\":200,\"i\":0}]")).isEqualTo(200);
		assertThat(UpstreamAuthorize.status("a[{\"s\":200,\"i\":1}]")).isNull();
		assertThat(UpstreamAuthorize.status("o")).isNull();
		assertThat(UpstreamAuthorize.status("a[not json")).isNull();
	}

	@Test
	void framesBeforeTheAnswerAreHeldInOrderUpToALimit() {
		EarlyFrames early = new EarlyFrames(null);

		assertThat(early.hold("account/list\n1\n\n", CallerFrame.parse("account/list\n1\n\n"))).isTrue();
		assertThat(early.hold("authorize\n2\n\nkey", CallerFrame.parse("authorize\n2\n\nkey"))).isTrue();
		assertThat(early.hold("authorize\n3\n\nkey", CallerFrame.parse("authorize\n3\n\nkey"))).isTrue();
		assertThat(early.hold("{}", null)).isTrue();
		assertThat(early.authorized()).isEqualTo("a[{\"s\":200,\"i\":2}]");
		assertThat(early.authorized()).isNull();
		assertThat(early.release()).containsExactly("account/list\n1\n\n", "authorize\n3\n\nkey", "{}");
		assertThat(early.release()).isEmpty();
		for (int i = 0; i < EarlyFrames.MOST; i++) {
			assertThat(early.hold("{}", null)).isTrue();
		}
		assertThat(early.hold("{}", null)).isFalse();
	}

	@Test
	void theAuthorizeThatLetTheCallerInIsAnsweredFirst() {
		EarlyFrames early = new EarlyFrames("7");

		early.hold("authorize\n8\n\nkey", CallerFrame.parse("authorize\n8\n\nkey"));

		assertThat(early.authorized()).isEqualTo("a[{\"s\":200,\"i\":7}]");
		assertThat(early.release()).containsExactly("authorize\n8\n\nkey");
	}

	@Test
	void tradovatesCloseReachesTheCallerUnlessNoEndpointMaySendIt() {
		assertThat(CallerEnd.afterTradovate(1000, "bye")).isEqualTo(new CloseStatus(1000, "bye"));
		assertThat(CallerEnd.afterTradovate(4001, "")).isEqualTo(new CloseStatus(4001, ""));
		assertThat(CallerEnd.afterTradovate(1006, ""))
			.isEqualTo(new CloseStatus(1011, "Tradovate's WebSocket ended without a close status (1006)"));
		assertThat(CallerEnd.afterTradovate(1005, ""))
			.isEqualTo(new CloseStatus(1011, "Tradovate's WebSocket ended without a close status (1005)"));
	}

	private static HeldToken token(String mdAccessToken) {
		return new HeldToken("sim", "access-1", mdAccessToken, T0.plus(Duration.ofMinutes(80)), Duration.ofMinutes(80),
				T0, null, 1, "fp");
	}

}
