package io.tokenbroker.simulator;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Turns a {@link SimulatedReply} into what Spring MVC writes. A delayed reply is finished
 * later by a timer, so a delay fault of many seconds holds no Tomcat thread.
 */
@Component
@PartOf(Feature.SIMULATOR)
class ReplyDelivery implements DisposableBean {

	// Longer than any delay, so Spring's async timeout never answers in the reply's
	// place.
	private static final Duration ASYNC_TIMEOUT_MARGIN = Duration.ofSeconds(30);

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "simulator-delayed-replies");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * What a controller method returns for a reply.
	 * @param reply the reply
	 * @return a {@link ResponseEntity}, or a {@link DeferredResult} of one when delayed
	 */
	Object deliver(SimulatedReply reply, HttpServletRequest request, HttpServletResponse response) {
		if (reply.cut() != SimulatedReply.Cut.NONE) {
			cut(reply, request, response);
			return null;
		}
		if (reply.delay().isZero()) {
			return toEntity(reply);
		}
		DeferredResult<ResponseEntity<byte[]>> result = new DeferredResult<>(
				reply.delay().plus(ASYNC_TIMEOUT_MARGIN).toMillis());
		this.timer.schedule(() -> result.setResult(toEntity(reply)), reply.delay().toMillis(), TimeUnit.MILLISECONDS);
		return result;
	}

	static ResponseEntity<byte[]> toEntity(SimulatedReply reply) {
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(HttpStatusCode.valueOf(reply.status()));
		if (reply.contentType() != null) {
			builder.contentType(MediaType.parseMediaType(reply.contentType()));
		}
		// No body at all rather than an empty one, so no content type is made up.
		return reply.body().isEmpty() ? builder.build() : builder.body(reply.bodyBytes());
	}

	/**
	 * Half a body that says it is whole: the client sees the connection close early
	 * ({@code PARTIAL}), or nothing more until the delay has passed ({@code STALL}). The
	 * servlet's own asynchronous mode holds no thread meanwhile.
	 */
	private void cut(SimulatedReply reply, HttpServletRequest request, HttpServletResponse response) {
		AsyncContext async = request.startAsync();
		async.setTimeout(reply.delay().plus(ASYNC_TIMEOUT_MARGIN).toMillis());
		Runnable half = () -> {
			byte[] body = reply.bodyBytes();
			try {
				response.setStatus(reply.status());
				response.setContentType(reply.contentType());
				response.setContentLength(body.length);
				response.getOutputStream().write(body, 0, body.length / 2);
				response.flushBuffer();
			}
			catch (IOException ex) {
				// the client left already
			}
		};
		if (reply.cut() == SimulatedReply.Cut.STALL) {
			half.run();
			this.timer.schedule(async::complete, reply.delay().toMillis(), TimeUnit.MILLISECONDS);
		}
		else {
			this.timer.schedule(() -> {
				half.run();
				async.complete();
			}, reply.delay().toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
	}

}
