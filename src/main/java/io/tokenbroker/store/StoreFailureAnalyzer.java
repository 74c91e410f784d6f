package io.tokenbroker.store;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Start-up stopped by the state store: one description and one action, instead of a stack
 * trace.
 */
class StoreFailureAnalyzer extends AbstractFailureAnalyzer<StoreSetupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StoreSetupException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

}
