package io.tokenbroker.events;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A client holds as many token event streams as
 * {@code broker.events.max-streams-per-client} allows: 429.
 */
class TooManyStreamsException extends ErrorResponseException {

	TooManyStreamsException(String client, int limit) {
		super(HttpStatus.TOO_MANY_REQUESTS, problem(client, limit), null);
	}

	private static ProblemDetail problem(String client, int limit) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				"Client " + client + " holds " + limit
						+ " open token streams already (broker.events.max-streams-per-client); close one first.");
		problem.setType(URI.create("urn:tradovate-token-broker:problem:too-many-streams"));
		problem.setTitle("Too many streams");
		return problem;
	}

}
