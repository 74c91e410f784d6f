package io.tokenbroker.session;

import java.time.Instant;

import io.tokenbroker.session.TokenUnavailableException.Reason;

/**
 * The last thing that went wrong for an account.
 *
 * @param reason why no token could be had, as callers see it in a 503
 * @param detail what happened, in words an operator can act on; never a secret
 * @param at when
 */
record Failure(Reason reason, String detail, Instant at) {

}
