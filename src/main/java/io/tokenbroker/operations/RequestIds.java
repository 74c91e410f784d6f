package io.tokenbroker.operations;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: a caller's own {@code X-Request-Id} when it is a short safe token (so it
 * can never forge log lines), else a random one. Logged as {@code requestId}.
 */
public final class RequestIds {

	/** The request and response header. */
	public static final String HEADER = "X-Request-Id";

	/** The MDC key every log line of a request carries. */
	public static final String MDC_KEY = "requestId";

	private static final int LONGEST = 64;

	private RequestIds() {
	}

	/** The caller's id if it is safe to log and echo, else a new one. */
	public static String accept(String offered) {
		return (offered != null && safe(offered)) ? offered
				: HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
	}

	// [A-Za-z0-9._-]{1,64}, without a regex on the hot path
	private static boolean safe(String offered) {
		int length = offered.length();
		if (length == 0 || length > LONGEST) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = offered.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '_' || c == '-';
			if (!allowed) {
				return false;
			}
		}
		return true;
	}

}
