package io.tokenbroker.gateway;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the gateway reads in a caller's frames and answers: Tradovate's request format,
 * keys raw or JSON-quoted, endpoints for the limits, and penalties in answers.
 */
class CallerFrameTests {

	@Test
	void requestsAreReadAsTradovateFramesThem() {
		CallerFrame authorize = CallerFrame.parse("authorize\n3\n\n\"tvtb_key\"");
		CallerFrame order = CallerFrame.parse("order/placeOrder\n12\n\n{\"orderQty\":1}");

		assertThat(authorize.isAuthorize()).isTrue();
		assertThat(authorize.key()).isEqualTo("tvtb_key");
		assertThat(CallerFrame.parse("authorize\n3\n\ntvtb_key").key()).isEqualTo("tvtb_key");
		assertThat(order.endpoint()).isEqualTo("order/placeOrder");
		assertThat(order.body()).isEqualTo("{\"orderQty\":1}");
		assertThat(order.toString()).doesNotContain("orderQty");
		assertThat(CallerFrame.parse("[]")).isNull();
		assertThat(CallerFrame.parse("account/list\nnot-an-id\n\n")).isNull();
		assertThat(CallerFrame.isHeartbeat(" [] ")).isTrue();
	}

	@Test
	void localAnswersAreTradovatesFrames() {
		CallerFrame frame = CallerFrame.parse("md/subscribeQuote\n5\n\n{}");

		assertThat(frame.answer(200, null)).isEqualTo("a[{\"s\":200,\"i\":5}]");
		assertThat(frame.answer(429, "wait \"1\" s")).isEqualTo("a[{\"s\":429,\"i\":5,\"d\":\"wait \\\"1\\\" s\"}]");
	}

	@Test
	void endpointsAreComparedInLowerCaseAndTheBrokersOwnAreReserved() {
		assertThat(Endpoint.of("user/syncRequest").name()).isEqualTo("user/syncrequest");
		assertThat(Endpoint.of("user/syncRequest").storeName()).isEqualTo("user-syncrequest");
		assertThat(Endpoint.of("auth/renewAccessToken").reserved()).isTrue();
		assertThat(Endpoint.of("auth/me").sessionCheck()).isTrue();
		assertThat(Endpoint.isPath("contract/item")).isTrue();
		assertThat(Endpoint.isPath("contract/../auth/me")).isFalse();
		assertThat(Endpoint.isPath("contract//item")).isFalse();
		assertThat(Endpoint.isPath("contract%2Fitem")).isFalse();
	}

	@Test
	void aPenaltyIsFoundInSmallAnswersOnly() {
		byte[] penalty = "{\"p-ticket\":\"t\",\"p-time\":7,\"p-captcha\":true}".getBytes();
		byte[] plain = "{\"id\":1}".getBytes();

		assertThat(PenaltyAnswer.in(penalty, penalty.length)).isEqualTo(new PenaltyAnswer(Duration.ofSeconds(7), true));
		assertThat(PenaltyAnswer.in(plain, plain.length)).isNull();
		assertThat(PenaltyAnswer.hasErrorText("{\"errorText\":\"Access is denied\"}".getBytes(), 32)).isTrue();
		assertThat(PenaltyAnswer.hasErrorText("{\"errorText\":\"\"}".getBytes(), 16)).isFalse();
	}

}
