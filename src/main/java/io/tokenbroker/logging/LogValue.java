package io.tokenbroker.logging;

/**
 * The one way outside text goes into a log line.
 */
public final class LogValue {

	/** Longest outside text a log line carries. */
	static final int LONGEST = 200;

	private LogValue() {
	}

	/**
	 * A field value in double quotes, with quotes, backslashes and control characters
	 * escaped, so that whatever a caller sends stays inside its field:
	 * {@code "10.0.0.66 client=ops"} can never read as two fields.
	 */
	public static String quoted(String value) {
		if (value == null) {
			return "-";
		}
		String bounded = (value.length() > LONGEST) ? value.substring(0, LONGEST) : value;
		StringBuilder quoted = new StringBuilder(bounded.length() + 2).append('"');
		for (int i = 0; i < bounded.length(); i++) {
			char c = bounded.charAt(i);
			if (c == '"' || c == '\\') {
				quoted.append('\\').append(c);
			}
			else if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
					|| Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		if (bounded.length() < value.length()) {
			quoted.append("...");
		}
		return quoted.append('"').toString();
	}

	/**
	 * Outside text inside a sentence: control characters (line breaks included) become
	 * spaces, and it is cut to a bounded length.
	 */
	public static String printable(String text) {
		if (text == null) {
			return null;
		}
		String single = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", " ");
		return (single.length() > LONGEST) ? single.substring(0, LONGEST) + "..." : single;
	}

}
