package io.tokenbroker.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * What a caller sends while its upstream socket opens and authorizes: its
 * {@code authorize}, answered once Tradovate answered the broker's, and up to
 * {@value #MOST} other frames, relayed then in order. Used under its socket's lock.
 */
final class EarlyFrames {

	/** Frames a caller may send before its authorize is answered. */
	static final int MOST = 64;

	private final List<String> frames = new ArrayList<>();

	private String authorizeId;

	/**
	 * @param authorizeId the id of the caller's {@code authorize} that let it in, or
	 * {@code null} when its key came with the upgrade
	 */
	EarlyFrames(String authorizeId) {
		this.authorizeId = authorizeId;
	}

	/**
	 * Holds a frame for later.
	 * @param frame the request it holds, or {@code null}
	 * @return {@code false} when the caller sent too many
	 */
	boolean hold(String text, CallerFrame frame) {
		if (frame != null && frame.isAuthorize() && this.authorizeId == null) {
			this.authorizeId = frame.id();
		}
		else if (this.frames.size() < MOST) {
			this.frames.add(text);
		}
		else {
			return false;
		}
		return true;
	}

	/**
	 * The answer to the caller's {@code authorize} once the upstream socket is, if it
	 * sent one.
	 */
	String authorized() {
		if (this.authorizeId == null) {
			return null;
		}
		String answer = new CallerFrame("authorize", this.authorizeId, "").answer(200, null);
		this.authorizeId = null;
		return answer;
	}

	/** The frames held, in order; none are held after. */
	List<String> release() {
		List<String> released = new ArrayList<>(this.frames);
		this.frames.clear();
		return released;
	}

}
