package io.tokenbroker.simulator;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * One of Tradovate's WebSockets over Spring's WebSocket support: hands every connection
 * and text frame to {@link SimulatedTradovate}, which answers through a
 * {@link SocketLink}.
 */
class TradovateSocketHandler extends TextWebSocketHandler {

	private static final String SOCKET_ID = TradovateSocketHandler.class.getName() + ".id";

	/**
	 * A client that reads nothing for this long is dropped rather than block the rest.
	 */
	private static final int SEND_TIME_LIMIT_MILLIS = 5_000;

	private static final int SEND_BUFFER_LIMIT = 512 * 1024;

	private final SimulatedTradovate tradovate;

	private final SocketKind kind;

	TradovateSocketHandler(SimulatedTradovate tradovate, SocketKind kind) {
		this.tradovate = tradovate;
		this.kind = kind;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		WebSocketSession concurrent = new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MILLIS,
				SEND_BUFFER_LIMIT);
		long id = this.tradovate.socketOpened(this.kind, address(session), new SessionLink(concurrent));
		session.getAttributes().put(SOCKET_ID, id);
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		Object id = session.getAttributes().get(SOCKET_ID);
		if (id instanceof Long socketId) {
			this.tradovate.socketFrame(socketId, message.getPayload());
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		Object id = session.getAttributes().get(SOCKET_ID);
		if (id instanceof Long socketId) {
			this.tradovate.socketClosed(socketId);
		}
	}

	private static String address(WebSocketSession session) {
		InetSocketAddress remote = session.getRemoteAddress();
		return (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : "unknown";
	}

	/**
	 * A connection as the simulator sees it.
	 */
	private record SessionLink(WebSocketSession session) implements SocketLink {

		@Override
		public void send(String frame) {
			try {
				if (this.session.isOpen()) {
					this.session.sendMessage(new TextMessage(frame));
				}
			}
			catch (IOException | IllegalStateException ex) {
				// the client left, or reads too slowly and is being dropped
			}
		}

		@Override
		public void close(SocketClose reason) {
			send(SocketFrames.close(reason));
			try {
				this.session.close(new CloseStatus(reason.code(), reason.reason()));
			}
			catch (IOException | IllegalStateException ex) {
				// closed already
			}
		}

	}

}
