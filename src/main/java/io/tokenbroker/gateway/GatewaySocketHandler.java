package io.tokenbroker.gateway;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import io.tokenbroker.caller.Caller;

/**
 * The callers' side of the gateway's WebSockets, on Spring's WebSocket support: one
 * {@link RelayedSocket} per connection, fed every frame and the close.
 */
final class GatewaySocketHandler extends TextWebSocketHandler {

	private static final String RELAY = GatewaySocketHandler.class.getName() + ".relay";

	/**
	 * A caller that reads nothing for this long is dropped rather than block the rest.
	 */
	private static final int SEND_TIME_LIMIT_MILLIS = 5_000;

	/** Frames buffered for a slow caller before it is dropped. */
	private static final int SEND_BUFFER_LIMIT = 4 * 1024 * 1024;

	/** Requests are small; as a REST body, a caller's frame is at most 64 KB. */
	private static final int LARGEST_CALLER_FRAME = 64 * 1024;

	private final SocketServices services;

	private final OpenSockets open;

	GatewaySocketHandler(SocketServices services, OpenSockets open) {
		this.services = services;
		this.open = open;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		session.setTextMessageSizeLimit(LARGEST_CALLER_FRAME);
		WebSocketSession concurrent = new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MILLIS,
				SEND_BUFFER_LIMIT);
		RelayedSocket relay = new RelayedSocket((String) session.getAttributes().get(SocketHandshake.ACCOUNT),
				(SocketKind) session.getAttributes().get(SocketHandshake.KIND),
				(String) session.getAttributes().get(SocketHandshake.ADDRESS), concurrent, this.services,
				this.open::remove);
		session.getAttributes().put(RELAY, relay);
		this.open.add(relay);
		relay.opened((Caller) session.getAttributes().get(SocketHandshake.CALLER));
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		if (session.getAttributes().get(RELAY) instanceof RelayedSocket relay) {
			relay.fromCaller(message.getPayload());
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		if (session.getAttributes().get(RELAY) instanceof RelayedSocket relay) {
			relay.callerClosed(status);
		}
	}

}
