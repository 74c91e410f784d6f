package io.tokenbroker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * An OpenTelemetry collector's OTLP/HTTP trace endpoint ({@code POST /v1/traces},
 * protobuf) on a loopback port: keeps every span it receives, decoded, and every payload
 * as it came.
 */
public final class OtlpReceiver implements AutoCloseable {

	private final MockWebServer server = new MockWebServer();

	private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

	private final List<String> payloads = new CopyOnWriteArrayList<>();

	public OtlpReceiver() {
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return receive(request);
			}

		});
		try {
			this.server.start(InetAddress.getLoopbackAddress(), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The URL to give as the OTLP traces endpoint. */
	public String endpoint() {
		return this.server.url("/v1/traces").toString();
	}

	/** Every span received so far. */
	public List<ReceivedSpan> spans() {
		return List.copyOf(this.spans);
	}

	/** Every payload received so far, its bytes read as ISO-8859-1 text. */
	public List<String> payloads() {
		return List.copyOf(this.payloads);
	}

	@Override
	public void close() {
		this.server.close();
	}

	private MockResponse receive(RecordedRequest request) {
		if (!"POST".equals(request.getMethod()) || !"/v1/traces".equals(request.getUrl().encodedPath())
				|| request.getBody() == null) {
			return new MockResponse.Builder().code(404).build();
		}
		byte[] body = request.getBody().toByteArray();
		this.payloads.add(new String(body, StandardCharsets.ISO_8859_1));
		try {
			for (ResourceSpans resource : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
				for (ScopeSpans scope : resource.getScopeSpansList()) {
					scope.getSpansList().stream().map(ReceivedSpan::of).forEach(this.spans::add);
				}
			}
		}
		catch (InvalidProtocolBufferException ex) {
			return new MockResponse.Builder().code(400).build();
		}
		return new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "application/x-protobuf")
			.body(new Buffer().write(ExportTraceServiceResponse.getDefaultInstance().toByteArray()))
			.build();
	}

	/**
	 * A span as received: ids in hex, as in a {@code traceparent} header, and its
	 * attributes as text.
	 */
	public record ReceivedSpan(String name, Span.SpanKind kind, String traceId, String spanId, String parentSpanId,
			Map<String, String> attributes) {

		static ReceivedSpan of(Span span) {
			Map<String, String> attributes = new LinkedHashMap<>();
			for (KeyValue attribute : span.getAttributesList()) {
				attributes.put(attribute.getKey(), attribute.getValue().getStringValue());
			}
			return new ReceivedSpan(span.getName(), span.getKind(), hex(span.getTraceId().toByteArray()),
					hex(span.getSpanId().toByteArray()), hex(span.getParentSpanId().toByteArray()), attributes);
		}

		private static String hex(byte[] bytes) {
			return HexFormat.of().formatHex(bytes);
		}

	}

}
