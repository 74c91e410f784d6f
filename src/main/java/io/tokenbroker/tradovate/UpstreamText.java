package io.tokenbroker.tradovate;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.tokenbroker.account.Credentials;
import io.tokenbroker.account.Secret;
import io.tokenbroker.logging.LogValue;

/**
 * Tradovate's text as the broker repeats it (in logs, the audit, problem details,
 * {@code /actuator/tokens}, health details): an error text may echo what the request
 * sent, so the password, the API secret and every token the broker knows of there (the
 * one the request presented, those the answer carries) are masked where the text comes
 * in, tokens by their fingerprint; any other run of characters long enough to be a token
 * (the market-data token held beside the one presented, a ticket) is masked too.
 */
final class UpstreamText {

	/** Tokens and tickets are 32 characters or more of these. */
	private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9_.~+/=-]{32,}");

	private UpstreamText() {
	}

	/** Masks the credentials' secrets and these tokens ({@code null} for none). */
	static UnaryOperator<String> redaction(Credentials credentials, String... tokens) {
		UnaryOperator<String> masking = masking(tokens);
		return (text) -> masking.apply(credentials.redact(text));
	}

	/** Masks these tokens ({@code null} for none) by their fingerprint. */
	static UnaryOperator<String> masking(String... tokens) {
		List<String> known = Stream.of(tokens).filter(Objects::nonNull).filter((token) -> !token.isEmpty()).toList();
		return (text) -> {
			String redacted = text;
			for (String token : known) {
				redacted = redacted.replace(token, "[token " + Secret.fingerprint(token) + "]");
			}
			return redacted;
		};
	}

	/**
	 * The text, redacted, without anything token-like, on one line and of bounded length.
	 */
	static String clean(String text, UnaryOperator<String> redact) {
		return LogValue.printable(TOKEN_LIKE.matcher(redact.apply(text)).replaceAll("[redacted]"));
	}

}
