package io.tokenbroker.operations;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.OtlpReceiver;
import io.tokenbroker.testing.OtlpReceiver.ReceivedSpan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing: the calls to Tradovate and the callers' requests as spans, sent over OTLP to a
 * collector on a loopback port, continuing the trace a caller's {@code traceparent}
 * names; and none of it without an endpoint.
 */
class TracingTests {

	static final String PASSWORD = "Pw-5d3e-never-traced";

	static final String API_SECRET = "Sec-0b7c-never-traced";

	static final String CLIENT_KEY = "Key-93f1-never-traced";

	@Nested
	@TestPropertySource(properties = { "management.opentelemetry.tracing.export.schedule-delay=50ms",
			"simulator.users.sim-user.password=" + PASSWORD, "simulator.users.sim-user.app-id=sim-app",
			"simulator.users.sim-user.cid=1", "simulator.users.sim-user.secret=" + API_SECRET,
			"broker.accounts.sim.password=" + PASSWORD, "broker.accounts.sim.secret=" + API_SECRET,
			"broker.clients.tracer.accounts=sim" })
	class Exported extends AgainstEmbeddedSimulator {

		// a caller's trace: its id, and the id of the caller's span that sent the request
		private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

		private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";

		private static final OtlpReceiver collector = new OtlpReceiver();

		private final BrokerCaller caller = caller(CLIENT_KEY);

		@DynamicPropertySource
		static void exportTo(DynamicPropertyRegistry registry) {
			registry.add(TracingOnlyWithAnEndpoint.ENDPOINT, collector::endpoint);
			registry.add("broker.clients.tracer.key-sha256", () -> CallerKeys.hash(CLIENT_KEY));
		}

		@AfterAll
		static void closeCollector() {
			collector.close();
		}

		@Test
		void theLoginIsAClientSpanWhoseContextGoesToTradovate() {
			ReceivedSpan login = awaitSpan((span) -> span.name().equals("tradovate login"));

			assertThat(login.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
			assertThat(login.attributes()).containsEntry("tradovate.operation", "login")
				.containsEntry("tradovate.account", "sim")
				.containsEntry("method", "POST")
				.containsEntry("uri", "/v1/auth/accesstokenrequest")
				.containsEntry("status", "200")
				.containsEntry("outcome", "SUCCESS")
				.containsEntry("client.name", "127.0.0.1")
				.containsEntry("http.url", "http://127.0.0.1:" + PORT + "/v1/auth/accesstokenrequest");
			// the simulator, in the same process, took the trace context from the request
			ReceivedSpan received = awaitSpan((span) -> span.kind() == SpanKind.SPAN_KIND_SERVER
					&& span.name().equals("http post /v1/auth/accesstokenrequest"));
			assertThat(received.traceId()).isEqualTo(login.traceId());
			assertThat(received.parentSpanId()).isEqualTo(login.spanId());
		}

		@Test
		void aCallersRequestContinuesItsTraceAndNoSpanCarriesASecret() {
			List<String> tokens = new ArrayList<>();
			await().until(() -> this.caller.get("/token").statusCode() == 200);
			tokens.add(BrokerCaller.body(this.caller.get("/token")).get("accessToken").stringValue());
			// a token valid longer than the one held: through the chain, and a renewal
			CLOCK.advance(Duration.ofMinutes(2));
			HttpResponse<String> response = this.caller.get("/token?minValidity=4790", "traceparent",
					"00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01");
			assertThat(response.statusCode()).isEqualTo(200);
			tokens.add(BrokerCaller.body(response).get("accessToken").stringValue());

			ReceivedSpan request = awaitSpan((span) -> span.kind() == SpanKind.SPAN_KIND_SERVER
					&& span.traceId().equals(TRACE_ID) && span.name().equals("http get /token"));
			assertThat(request.parentSpanId()).isEqualTo(CALLER_SPAN_ID);
			assertThat(request.attributes()).containsEntry("method", "GET")
				.containsEntry("uri", "/token")
				.containsEntry("status", "200")
				.containsEntry("http.url", "/token");
			// the renewal it waited for is part of its trace
			ReceivedSpan renewal = awaitSpan((span) -> span.name().equals("tradovate renew"));
			assertThat(renewal.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
			assertThat(renewal.traceId()).isEqualTo(TRACE_ID);
			assertThat(renewal.parentSpanId()).isEqualTo(request.spanId());
			assertThat(renewal.attributes()).containsEntry("uri", "/v1/auth/renewaccesstoken")
				.containsEntry("tradovate.operation", "renew")
				.containsEntry("status", "200");

			assertThat(tokens).doesNotContainNull().doesNotHaveDuplicates();
			assertThat(collector.payloads()).isNotEmpty().allSatisfy((payload) -> {
				assertThat(payload).doesNotContain(PASSWORD, API_SECRET, CLIENT_KEY);
				for (String token : tokens) {
					assertThat(payload).doesNotContain(token);
				}
			});
		}

		@Test
		void aHeldTokenAskedWithTraceContextIsASpanOfTheCallersTrace() {
			await().until(() -> this.caller.get("/token").statusCode() == 200);
			String traceId = "0af7651916cd43dd8448eb211c80319d";

			HttpResponse<String> response = this.caller.get("/token", "traceparent",
					"00-" + traceId + "-" + CALLER_SPAN_ID + "-01");

			assertThat(response.statusCode()).isEqualTo(200);
			ReceivedSpan request = awaitSpan((span) -> span.traceId().equals(traceId));
			assertThat(request.name()).isEqualTo("http get /token");
			assertThat(request.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
			assertThat(request.parentSpanId()).isEqualTo(CALLER_SPAN_ID);
		}

		/** A span, once the call it stands for is done and exported (a login at most). */
		private ReceivedSpan awaitSpan(Predicate<ReceivedSpan> wanted) {
			return await().atMost(Duration.ofSeconds(30))
				.until(() -> collector.spans().stream().filter(wanted).findFirst(), Optional::isPresent)
				.orElseThrow();
		}

	}

	@Nested
	class Off extends AgainstEmbeddedSimulator {

		@Autowired
		private ApplicationContext context;

		@Autowired
		private ObservationRegistry observations;

		@Test
		void withoutAnEndpointNothingOfTracingRuns() {
			assertThat(this.context.getBeanNamesForType(OpenTelemetry.class)).isEmpty();
			assertThat(this.context.getBeanNamesForType(SpanExporter.class)).isEmpty();
			assertThat(this.context.getBeanNamesForType(SpanProcessor.class)).isEmpty();
			assertThat(this.context.getBeanNamesForType(io.micrometer.tracing.Tracer.class)).isEmpty();
			assertThat(this.context.getBeanNamesForType(SpanExportingPredicate.class)).isEmpty();
			// the requests are still observed, for their metrics
			assertThat(this.observations.isNoop()).isFalse();
		}

	}

}
