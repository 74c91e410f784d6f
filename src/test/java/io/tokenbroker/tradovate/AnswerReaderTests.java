package io.tokenbroker.tradovate;

import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import io.tokenbroker.account.Secret;
import io.tokenbroker.tradovate.TradovateAnswer.Expired;
import io.tokenbroker.tradovate.TradovateAnswer.Failed;
import io.tokenbroker.tradovate.TradovateAnswer.Granted;
import io.tokenbroker.tradovate.TradovateAnswer.Identified;
import io.tokenbroker.tradovate.TradovateAnswer.LockedOut;
import io.tokenbroker.tradovate.TradovateAnswer.Penalized;
import io.tokenbroker.tradovate.TradovateAnswer.Rejected;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer shape Tradovate is known to send, and the garbage anything pretending to
 * be Tradovate might.
 */
class AnswerReaderTests {

	private static final Instant SENT_AT = Instant.parse("2026-01-15T08:00:00Z");

	private static final UnaryOperator<String> REDACT = (text) -> text.replace("pa55word", "***");

	private final AnswerReader reader = new AnswerReader(JsonMapper.builder().build(), Duration.ofHours(24));

	private TradovateAnswer read(Operation operation, int status, String body) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		return this.reader.read(operation, status, headers, body, SENT_AT, REDACT);
	}

	@Test
	void aFullAnswerWithUndocumentedFieldsIsAToken() {
		TradovateAnswer answer = read(Operation.LOGIN, 200, """
				{"accessToken":"A1","mdAccessToken":"M1","expirationTime":"2026-01-15T09:20:00.056Z",
				 "passwordExpirationTime":"2027-01-01T00:00:00Z","userStatus":"Active","userId":123,"name":"trader",
				 "hasLive":false,"hasFunded":true,"hasMarketData":true,"outdatedTaC":false,"hibpHint":false,
				 "apiHosts":{"x":"y"}}""");

		IssuedToken token = ((Granted) answer).token();
		assertThat(token.accessToken()).isEqualTo("A1");
		assertThat(token.mdAccessToken()).isEqualTo("M1");
		assertThat(token.userId()).isEqualTo(123L);
		assertThat(token.expiresAt()).isEqualTo(Instant.parse("2026-01-15T09:20:00.056Z"));
		assertThat(token.lifetime()).isEqualTo(Duration.parse("PT1H20M0.056S"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-01-15T09:20:00Z", "2026-01-15T09:20:00.000Z", "2026-01-15T09:20:00",
			"2026-01-15T10:20:00+01:00" })
	void expirationTimeComesWithOrWithoutMillisecondsAndZone(String expirationTime) {
		TradovateAnswer answer = read(Operation.RENEW, 200,
				"{\"accessToken\":\"A1\",\"expirationTime\":\"" + expirationTime + "\"}");

		assertThat(((Granted) answer).token().expiresAt()).isEqualTo(Instant.parse("2026-01-15T09:20:00Z"));
	}

	@Test
	void errorTextWithHttp200IsARejectedLoginWithTheTextRedacted() {
		TradovateAnswer answer = read(Operation.LOGIN, 200,
				"{\"errorText\":\"Incorrect username or password pa55word\\nforged log line\"}");

		assertThat(answer).isEqualTo(new Rejected("Tradovate: Incorrect username or password *** forged log line"));
	}

	@Test
	void unauthorizedLoginIsRejected() {
		assertThat(read(Operation.LOGIN, 401, "")).isInstanceOf(Rejected.class);
	}

	@Test
	void violationsAreARefusal() {
		assertThat(read(Operation.LOGIN, 200, "{\"violations\":[{\"constraint\":\"name\"}]}"))
			.isInstanceOf(Rejected.class);
	}

	@Test
	void errorTextOnARenewalIsAFailureWorthRetrying() {
		assertThat(read(Operation.RENEW, 200, "{\"errorText\":\"Busy\"}")).isEqualTo(new Failed("Tradovate: Busy"));
	}

	@Test
	void errorTextOnMeIsADeadTokenAsA401Is() {
		assertThat(read(Operation.ME, 200, "{\"errorText\":\"Access is denied\"}")).isEqualTo(new Expired());
		assertThat(read(Operation.ME, 401, "")).isEqualTo(new Expired());
	}

	@Test
	void meWithAnEmptyErrorTextIsTheUser() {
		assertThat(read(Operation.ME, 200, "{\"errorText\":\"\",\"userId\":123,\"name\":\"trader\"}"))
			.isEqualTo(new Identified(123, "trader"));
	}

	@Test
	void anErrorTextNeverRepeatsATokenOfTheAnswer() {
		assertThat(read(Operation.RENEW, 200,
				"{\"errorText\":\"not renewed, new token N1 and md M1 dropped\",\"accessToken\":\"N1\",\"mdAccessToken\":\"M1\"}"))
			.isEqualTo(new Failed("Tradovate: not renewed, new token [token " + Secret.fingerprint("N1")
					+ "] and md [token " + Secret.fingerprint("M1") + "] dropped"));
	}

	@Test
	void anythingShapedLikeATokenInAnErrorTextIsMasked() {
		assertThat(read(Operation.RENEW, 200,
				"{\"errorText\":\"md token dHcPAJ3gG-irEcAk60uAVamRInnUnPuxHzNTErqo1wRY is not yours\"}"))
			.isEqualTo(new Failed("Tradovate: md token [redacted] is not yours"));
	}

	@Test
	void aPenaltyTicketCarriesItsWait() {
		assertThat(read(Operation.LOGIN, 200, "{\"p-ticket\":\"T\",\"p-time\":15}"))
			.isEqualTo(new Penalized("T", Duration.ofSeconds(15), false));
	}

	@Test
	void aCaptchaDemandIsMarked() {
		assertThat(read(Operation.LOGIN, 200, "{\"p-ticket\":\"T\",\"p-time\":15,\"p-captcha\":true}"))
			.isEqualTo(new Penalized("T", Duration.ofSeconds(15), true));
	}

	@Test
	void aPenaltyWithoutUsableWaitWaitsTheDefault() {
		assertThat(((Penalized) read(Operation.LOGIN, 200, "{\"p-ticket\":\"T\",\"p-time\":\"soon\"}")).waitFor())
			.isEqualTo(AnswerReader.DEFAULT_PENALTY_WAIT);
	}

	@ParameterizedTest
	@ValueSource(ints = { 423, 429 })
	void lockOutStatuses(int status) {
		assertThat(read(Operation.LOGIN, status, "")).isEqualTo(new LockedOut(status));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			500 | {"accessToken":"A1","expirationTime":"2026-01-15T09:20:00Z"} | HTTP 500
			502 | <html><body>Bad gateway</body></html>                        | HTTP 502
			200 | <html><body>Maintenance</body></html>                        | not JSON
			200 | {"accessToken":"A1","expirat                                 | not JSON
			200 | ["accessToken"]                                              | not a JSON object
			200 | {"expirationTime":"2026-01-15T09:20:00Z"}                    | lacks accessToken
			200 | {"accessToken":"","expirationTime":"2026-01-15T09:20:00Z"}   | lacks accessToken
			200 | {"accessToken":42,"expirationTime":"2026-01-15T09:20:00Z"}   | lacks accessToken
			200 | {"accessToken":"A1"}                                         | lacks expirationTime
			200 | {"accessToken":"A1","expirationTime":"tomorrow"}             | not an ISO-8601 time
			200 | {"accessToken":"A1","expirationTime":"2026-01-15T07:00:00Z"} | is not after
			200 | {"accessToken":"A1","expirationTime":"2031-01-15T07:00:00Z"} | implausibly far ahead
			200 | ''                                                           | empty body
			""")
	void garbageIsAFailureThatSaysWhy(int status, String body, String reason) {
		TradovateAnswer answer = read(Operation.RENEW, status, body);

		assertThat(answer).isInstanceOf(Failed.class);
		assertThat(((Failed) answer).reason()).contains(reason);
	}

	@Test
	void redirectsAreFailures() {
		HttpHeaders headers = new HttpHeaders();
		headers.setLocation(java.net.URI.create("https://elsewhere.invalid/v1/auth/renewaccesstoken"));

		TradovateAnswer answer = this.reader.read(Operation.RENEW, 307, headers, "", SENT_AT, REDACT);

		assertThat(((Failed) answer).reason()).contains("elsewhere.invalid");
	}

	@Test
	void aClockSkewOfMinusOneHourStillGivesTheFullLifetime() {
		// Tradovate's clock is an hour behind ours: expirationTime looks past to us
		HttpHeaders headers = new HttpHeaders();
		headers.setDate(SENT_AT.minus(Duration.ofHours(1)).toEpochMilli());

		TradovateAnswer answer = this.reader.read(Operation.LOGIN, 200, headers,
				"{\"accessToken\":\"A1\",\"expirationTime\":\"2026-01-15T08:20:00Z\"}", SENT_AT, REDACT);

		IssuedToken token = ((Granted) answer).token();
		assertThat(token.lifetime()).isEqualTo(Duration.ofMinutes(80));
		assertThat(token.expiresAt()).isEqualTo(SENT_AT.plus(Duration.ofMinutes(80)).minusSeconds(1));
	}

}
