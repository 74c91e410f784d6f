package io.tokenbroker.gateway;

import java.io.IOException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The caller's end of a relayed socket: the frames it is sent, and its close, which
 * carries the same code and reason as the other end's (RFC 6455's rules permitting).
 */
final class CallerEnd {

	// the socket's lines keep the socket's logger
	private static final Logger log = LoggerFactory.getLogger(RelayedSocket.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebSocketSession caller;

	private final String account;

	private final SocketKind kind;

	/**
	 * @param caller the caller's socket, safe for concurrent sends
	 */
	CallerEnd(WebSocketSession caller, String account, SocketKind kind) {
		this.caller = caller;
		this.account = account;
		this.kind = kind;
	}

	/**
	 * What the caller's socket closes with when Tradovate closed its end: the same code
	 * and reason, unless the code is one no endpoint may send (the socket ended without a
	 * close frame): then 1011, with a reason that says so.
	 */
	static CloseStatus afterTradovate(int code, String reason) {
		return UpstreamSocket.sendable(code) ? new CloseStatus(code, reason)
				: new CloseStatus(CloseStatus.SERVER_ERROR.getCode(),
						"Tradovate's WebSocket ended without a close status (" + code + ")");
	}

	/** Sends a frame, unless the caller has gone. */
	void send(String text) {
		try {
			if (this.caller.isOpen()) {
				this.caller.sendMessage(new TextMessage(text));
			}
		}
		catch (IOException | RuntimeException ex) {
			// the caller left or reads too slowly: its close follows
			log.debug("Gateway: a frame to the caller of a {} socket of account {} was not sent: {}", this.kind.tag(),
					this.account, ex.getClass().getSimpleName());
		}
	}

	/**
	 * Closes the caller's socket; a close the broker decided comes first as Tradovate's
	 * close frame, {@code c[code,"reason"]}.
	 * @param ownDecision whether the broker decided it (else Tradovate's own close frame
	 * was relayed already, when it sent one)
	 */
	void close(int code, String reason, boolean ownDecision) {
		String shortReason = UpstreamSocket.shortReason(reason);
		if (ownDecision) {
			send("c" + json.writeValueAsString(List.of(code, shortReason)));
		}
		try {
			this.caller.close(new CloseStatus(code, shortReason));
		}
		catch (IOException | RuntimeException ex) {
			// gone already
		}
	}

}
