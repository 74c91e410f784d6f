package io.tokenbroker.events;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.tokenbroker.caller.Caller;

/**
 * One caller's open stream of an account's token events. Written only from the feeds'
 * thread; a failed write ends it.
 */
final class TokenStream {

	private final SseEmitter emitter;

	private final Caller caller;

	private final String remote;

	private final String lastEventId;

	private final AtomicBoolean ended = new AtomicBoolean();

	TokenStream(SseEmitter emitter, Caller caller, String remote, String lastEventId) {
		this.emitter = emitter;
		this.caller = caller;
		this.remote = remote;
		this.lastEventId = lastEventId;
	}

	SseEmitter emitter() {
		return this.emitter;
	}

	Caller caller() {
		return this.caller;
	}

	String remote() {
		return this.remote;
	}

	/** The id of the last event the caller says it received before reconnecting. */
	String lastEventId() {
		return this.lastEventId;
	}

	/** Marks the stream ended; {@code true} the first time only. */
	boolean end() {
		return this.ended.compareAndSet(false, true);
	}

	boolean ended() {
		return this.ended.get();
	}

	/**
	 * Sends an event; {@code false} when the caller is gone (the stream is then ended).
	 */
	boolean send(SseEvent event) {
		return send(event.builder());
	}

	/** Sends anything: a comment, a reconnection delay. */
	boolean send(SseEmitter.SseEventBuilder event) {
		if (ended()) {
			return false;
		}
		try {
			this.emitter.send(event);
			return true;
		}
		catch (IOException | IllegalStateException ex) {
			// the caller went away, or the stream was completed meanwhile
			this.emitter.completeWithError(ex);
			return false;
		}
	}

	@Override
	public String toString() {
		return "TokenStream[client=" + this.caller.id() + ", remote=" + this.remote + "]";
	}

}
