package io.tokenbroker.session;

import io.tokenbroker.tradovate.LoginRequest;

/**
 * A penalty ticket and the exact login it answers: the retry resends that body plus the
 * ticket, once.
 */
record PendingTicket(LoginRequest answered, String ticket) {

	LoginRequest resend() {
		return this.answered.withPenaltyTicket(this.ticket);
	}

	@Override
	public String toString() {
		return "PendingTicket[***]";
	}

}
