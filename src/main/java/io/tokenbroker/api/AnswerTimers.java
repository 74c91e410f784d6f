package io.tokenbroker.api;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.observation.ServerHttpObservationDocumentation;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;

/**
 * The {@code http.server.requests} timers of the hot path's answers, the ones the chain's
 * request observation records for the same answers. At start-up each kind of answer (200
 * or 304, of {@code /token} or {@code /token/{account}}) is observed once on a stand-in
 * exchange, with the chain's convention and the application's observation predicates and
 * filters, by Micrometer's meter handler on a registry of its own; the timer it made
 * there names the one to record into. No tag is written here, and an answer the chain
 * would not observe gets no timer. A whole observation per request would cost more than
 * the rest of the hot path allocates; its answer takes microseconds, so nothing is lost
 * by leaving it out of {@code http.server.requests.active}.
 */
final class AnswerTimers {

	/** For a chain that observes no request. */
	static final AnswerTimers NONE = new AnswerTimers(new Timer[4]);

	/** By {@link #index}; {@code null} where the chain observes nothing. */
	private final Timer[] timers;

	private AnswerTimers(Timer[] timers) {
		this.timers = timers;
	}

	static AnswerTimers of(ServerRequestObservationConvention convention, List<ObservationPredicate> predicates,
			List<ObservationFilter> filters, MeterRegistry meters) {
		Timer[] timers = new Timer[4];
		for (boolean named : new boolean[] { false, true }) {
			for (boolean notModified : new boolean[] { false, true }) {
				Meter.Id id = observed(convention, predicates, filters, named, notModified);
				timers[index(named, notModified)] = (id != null) ? Timer.builder(id.getName())
					.tags(id.getTags())
					.description(id.getDescription())
					.register(meters) : null;
			}
		}
		return new AnswerTimers(timers);
	}

	/** The timer for this kind of answer, or {@code null}. */
	Timer of(boolean named, boolean notModified) {
		return this.timers[index(named, notModified)];
	}

	/** The id of the timer an observation of this answer makes, or {@code null}. */
	private static Meter.Id observed(ServerRequestObservationConvention convention,
			List<ObservationPredicate> predicates, List<ObservationFilter> filters, boolean named,
			boolean notModified) {
		ObservationRegistry registry = ObservationRegistry.create();
		predicates.forEach(registry.observationConfig()::observationPredicate);
		filters.forEach(registry.observationConfig()::observationFilter);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		String pattern = named ? TokenController.NAMED_PATH : TokenController.PATH;
		StandInExchange.Response response = StandInExchange.response();
		response.servlet().setStatus(notModified ? HttpStatus.NOT_MODIFIED.value() : HttpStatus.OK.value());
		ServerRequestObservationContext context = new ServerRequestObservationContext(
				StandInExchange.request(pattern, false, Map.of()), response.servlet());
		Observation observation = ServerHttpObservationDocumentation.HTTP_SERVLET_SERVER_REQUESTS
			.observation(convention, convention, () -> context, registry);
		if (observation.isNoop()) {
			return null;
		}
		observation.start();
		// what Spring MVC notes once it has mapped the request
		context.setPathPattern(pattern);
		observation.stop();
		return meters.getMeters()
			.stream()
			.filter(Timer.class::isInstance)
			.map(Meter::getId)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("An observation of " + pattern + " made no timer"));
	}

	private static int index(boolean named, boolean notModified) {
		return (named ? 2 : 0) + (notModified ? 1 : 0);
	}

}
