package io.tokenbroker.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.WebSocketClient;

/**
 * One WebSocket from the broker to Tradovate, on the broker's non-blocking client. Frames
 * from Tradovate reach the listener in order on a thread of {@code deliveries}, never on
 * the network's own threads (a slow caller cannot stall other sockets); then, once, how
 * the socket ended.
 */
final class UpstreamSocket {

	/** What a closed socket that sent no close frame reports (RFC 6455). */
	static final int NO_STATUS = 1005;

	/** What a socket that broke off reports (RFC 6455). */
	static final int ABNORMAL = 1006;

	private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile WebSocketSession session;

	private volatile Disposable connection;

	/** What Tradovate's socket tells. */
	interface Listener {

		/** A text frame from Tradovate. */
		void frame(String text);

		/** The socket closed, with Tradovate's code and reason, or ended abnormally. */
		void closed(int code, String reason);

		/** The socket could not be opened. */
		void failed(Throwable error);

	}

	/** Opens the socket; its frames and end go to the listener. */
	void open(WebSocketClient client, URI url, Scheduler deliveries, Listener listener) {
		this.connection = client.execute(url, (session) -> {
			this.session = session;
			Mono<Void> in = session.receive()
				.map(WebSocketMessage::getPayloadAsText)
				.publishOn(deliveries)
				.doOnNext(listener::frame)
				.then(session.closeStatus().map(Optional::of).defaultIfEmpty(Optional.empty()))
				.doOnNext((status) -> end(listener, status.map(CloseStatus::getCode).orElse(NO_STATUS),
						status.map(CloseStatus::getReason).orElse("")))
				.doFinally((signal) -> this.outbound.tryEmitComplete())
				.then();
			Mono<Void> out = session.send(this.outbound.asFlux().map(session::textMessage));
			return Mono.when(in, out);
		}).subscribe(null, (error) -> {
			if (this.session == null) {
				if (this.ended.compareAndSet(false, true)) {
					deliveries.schedule(() -> listener.failed(error));
				}
			}
			else {
				deliveries.schedule(() -> end(listener, ABNORMAL, ""));
			}
		}, () -> deliveries.schedule(() -> end(listener, NO_STATUS, "")));
	}

	private void end(Listener listener, int code, String reason) {
		if (this.ended.compareAndSet(false, true)) {
			listener.closed(code, (reason != null) ? reason : "");
		}
	}

	/** Sends a text frame; nothing happens once the socket is closing. */
	synchronized void send(String text) {
		this.outbound.tryEmitNext(text);
	}

	/** Closes the socket with this code and reason (one that may be sent, else 1000). */
	void close(int code, String reason) {
		WebSocketSession open = this.session;
		if (open != null) {
			open.close(new CloseStatus(sendable(code) ? code : CloseStatus.NORMAL.getCode(), shortReason(reason)))
				.subscribe(null, (error) -> {
				});
		}
		else if (this.connection != null) {
			this.connection.dispose();
		}
		synchronized (this) {
			this.outbound.tryEmitComplete();
		}
	}

	/** Whether RFC 6455 lets an endpoint send this code in a close frame. */
	static boolean sendable(int code) {
		return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
	}

	/** A close reason fits in 123 bytes of UTF-8. */
	static String shortReason(String reason) {
		if (reason == null) {
			return "";
		}
		String text = reason;
		while (text.getBytes(StandardCharsets.UTF_8).length > 123) {
			text = text.substring(0, text.length() - 1);
		}
		return text;
	}

}
