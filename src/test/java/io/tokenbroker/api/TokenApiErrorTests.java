package io.tokenbroker.api;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every error a caller of {@code GET /token} can get, each as problem details. Tradovate
 * is unreachable here (a closed local port), so a permitted caller gets 503.
 */
@SpringBootTest(properties = { "broker.accounts.main.base-url=http://127.0.0.1:9/v1",
		"broker.accounts.main.username=trader", "broker.accounts.main.password=pa55word",
		"broker.accounts.main.app-id=app", "broker.accounts.main.cid=1", "broker.accounts.main.secret=s3cret",
		"broker.accounts.other.base-url=http://127.0.0.1:9/v1", "broker.accounts.other.username=trader2",
		"broker.accounts.other.password=pa55word2", "broker.accounts.other.app-id=app", "broker.accounts.other.cid=2",
		"broker.accounts.other.secret=s3cret2", "broker.default-account=main",
		// SHA-256 of "bot-key" and of "reporting-key"
		"broker.clients.bot.key-sha256=3a1fb6628e3632ba5935f8317570b197c8b3d576dd619f1c6fd917efc3fa6366",
		"broker.clients.bot.accounts=main",
		"broker.clients.reporting.key-sha256=540a37a56f64c28b55bf6ca3b97ce3f7df5e8a78cd117b8f44b8f52d36460eb9",
		"broker.clients.reporting.accounts=other", "broker.wait-for-token=3s", "broker.upstream.connect-timeout=500ms",
		"broker.upstream.timeout=1s" })
@AutoConfigureMockMvc
class TokenApiErrorTests {

	private static final String PROBLEM = "urn:tradovate-token-broker:problem:";

	@Autowired
	private MockMvc mvc;

	private static ResultActions isProblem(ResultActions result, int status) throws Exception {
		return result.andExpect(status().is(status))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(status))
			.andExpect(jsonPath("$.detail").isNotEmpty())
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("Exception"))))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("pa55word"))));
	}

	@Test
	void noKeyIsUnauthorizedWithABearerChallenge() throws Exception {
		isProblem(this.mvc.perform(get("/token")), 401)
			.andExpect(header().string("WWW-Authenticate", "Bearer realm=\"tradovate-token-broker\""))
			.andExpect(jsonPath("$.type").value(PROBLEM + "unauthorized"));
	}

	@Test
	void aWrongKeyIsUnauthorizedAsAnInvalidToken() throws Exception {
		isProblem(this.mvc.perform(get("/token").header("Authorization", "Bearer not-a-key")), 401)
			.andExpect(header().string("WWW-Authenticate", containsString("error=\"invalid_token\"")));
	}

	@Test
	void anotherAuthorizationSchemeIsUnauthorized() throws Exception {
		isProblem(this.mvc.perform(get("/token").header("Authorization", "Basic Ym90LWtleTo=")), 401)
			.andExpect(jsonPath("$.detail").value(containsString("Bearer")));
	}

	@Test
	void aKeyForAnotherAccountIsForbidden() throws Exception {
		isProblem(this.mvc.perform(get("/token/main").header("Authorization", "Bearer reporting-key")), 403)
			.andExpect(jsonPath("$.type").value(PROBLEM + "forbidden"));
	}

	@Test
	void anUnknownAccountIsNotFound() throws Exception {
		isProblem(this.mvc.perform(get("/token/nobody").header("Authorization", "Bearer bot-key")), 404)
			.andExpect(jsonPath("$.type").value(PROBLEM + "unknown-account"));
	}

	@Test
	void anUnknownPathIsNotFound() throws Exception {
		isProblem(this.mvc.perform(get("/tokens").header("Authorization", "Bearer bot-key")), 404);
	}

	@Test
	void aNegativeOrNonNumericMinValidityIsABadRequest() throws Exception {
		isProblem(this.mvc.perform(get("/token?minValidity=-1").header("Authorization", "Bearer bot-key")), 400);
		isProblem(this.mvc.perform(get("/token?minValidity=soon").header("Authorization", "Bearer bot-key")), 400);
		isProblem(this.mvc.perform(get("/token?minValidity=86401").header("Authorization", "Bearer bot-key")), 400);
	}

	@Test
	void anotherMethodIsNotAllowed() throws Exception {
		isProblem(this.mvc.perform(post("/token").header("Authorization", "Bearer bot-key")), 405);
	}

	@Test
	void anUnsupportedMediaTypeIsNotAcceptable() throws Exception {
		isProblem(
				this.mvc
					.perform(get("/token").header("Authorization", "Bearer bot-key").accept(MediaType.APPLICATION_XML)),
				406);
	}

	@Test
	void unreachableTradovateIsServiceUnavailableWithRetryAfter() throws Exception {
		isProblem(this.mvc.perform(get("/token").header("Authorization", "Bearer bot-key")), 503)
			.andExpect(header().string("Retry-After", matchesPattern("[1-9][0-9]*")))
			.andExpect(header().string("Cache-Control", "no-store"))
			.andExpect(jsonPath("$.type").value(PROBLEM + "token-unavailable"))
			.andExpect(jsonPath("$.reason").value("upstream_failed"))
			.andExpect(jsonPath("$.detail").value(containsString("cannot reach Tradovate")));
	}

}
