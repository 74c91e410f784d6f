package io.tokenbroker.simulator;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * The simulator's admin API for containers and benchmarks: the same controls
 * {@link SimulatedTradovate} gives tests in the same JVM. Exists only with the simulator.
 */
@RestController
@RequestMapping("/simulator")
@PartOf(Feature.SIMULATOR)
class SimulatorAdminController {

	private final SimulatedTradovate tradovate;

	SimulatorAdminController(SimulatedTradovate tradovate) {
		this.tradovate = tradovate;
	}

	@GetMapping("/stats")
	SimulatorStats stats() {
		return this.tradovate.stats();
	}

	@PostMapping("/faults")
	FaultRequest addFault(@RequestBody FaultRequest request) {
		AuthOperation operation = request.toOperation();
		Fault fault = request.toFault();
		if (request.isSticky()) {
			this.tradovate.stick(operation, fault);
		}
		else {
			this.tradovate.enqueue(operation, fault, request.timesOrOnce());
		}
		return request;
	}

	@DeleteMapping("/faults")
	ResponseEntity<Void> clearFaults(@RequestParam(required = false) String operation) {
		if (operation != null) {
			this.tradovate.clearFaults(AuthOperation.of(operation));
		}
		else {
			this.tradovate.clearFaults();
		}
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/reset")
	ResponseEntity<Void> reset() {
		this.tradovate.reset();
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/settings")
	SimulatorSettings settings() {
		return new SimulatorSettings(this.tradovate.tokenLifetime().toSeconds(),
				this.tradovate.clockOffset().toSeconds(), this.tradovate.now().toString());
	}

	@PutMapping("/settings")
	SimulatorSettings changeSettings(@RequestBody SimulatorSettings settings) {
		FaultRequest.within("tokenLifetimeSeconds", settings.tokenLifetimeSeconds(), 1, 86_400);
		FaultRequest.within("clockOffsetSeconds", settings.clockOffsetSeconds(), -30 * 86_400, 30 * 86_400);
		if (settings.tokenLifetimeSeconds() != null) {
			this.tradovate.setTokenLifetime(Duration.ofSeconds(settings.tokenLifetimeSeconds()));
		}
		if (settings.clockOffsetSeconds() != null) {
			this.tradovate.setClockOffset(Duration.ofSeconds(settings.clockOffsetSeconds()));
		}
		return settings();
	}

	@DeleteMapping("/sessions/{username}")
	Map<String, Integer> closeSessions(@PathVariable String username) {
		return Map.of("closed", this.tradovate.closeSessions(username));
	}

	@ExceptionHandler({ IllegalArgumentException.class, HttpMessageNotReadableException.class })
	ResponseEntity<Map<String, String>> badRequest(Exception ex) {
		String message = (ex instanceof HttpMessageNotReadableException) ? "Malformed JSON request body"
				: ex.getMessage();
		return ResponseEntity.badRequest().body(Map.of("errorText", message));
	}

}
