package io.tokenbroker.events;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * An event, rendered once for all the streams it goes to.
 *
 * @param name the event type ({@code token}, {@code unavailable})
 * @param id the event id, or {@code null} for none (the caller's last id stays)
 * @param data the JSON data, as bytes: nothing logs their content
 */
record SseEvent(String name, String id, byte[] data) {

	/** A fresh builder: Spring's builders are spent by one send. */
	SseEmitter.SseEventBuilder builder() {
		SseEmitter.SseEventBuilder event = SseEmitter.event().name(this.name);
		if (this.id != null) {
			event.id(this.id);
		}
		return event.data(this.data, MediaType.APPLICATION_JSON);
	}

	@Override
	public String toString() {
		return "SseEvent[name=" + this.name + ", id=" + this.id + "]";
	}

}
