package io.tokenbroker.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * A p-ticket as issued with a penalty: good once, from the client it was issued to, after
 * p-time, for the identical request it answered.
 *
 * @param ticket the ticket string
 * @param clientIp the client it was issued to
 * @param operation the call that was penalized
 * @param requestFingerprint fingerprint of the penalized login body, {@code null} when
 * there was none
 * @param issuedAt when it was issued (simulator time)
 * @param penaltyTime the p-time the client must wait
 */
record PenaltyTicket(String ticket, String clientIp, AuthOperation operation, String requestFingerprint,
		Instant issuedAt, Duration penaltyTime) {

	Instant usableFrom() {
		return this.issuedAt.plus(this.penaltyTime);
	}

	@Override
	public String toString() {
		return "PenaltyTicket[ticket=" + Fingerprint.of(this.ticket) + "..., clientIp=" + this.clientIp + ", operation="
				+ this.operation + ", issuedAt=" + this.issuedAt + ", penaltyTime=" + this.penaltyTime + "]";
	}

}
