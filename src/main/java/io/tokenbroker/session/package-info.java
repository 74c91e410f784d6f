/**
 * The token lifecycle of each account: one login, renewals scheduled from the token's
 * expiry, one upstream call in flight at a time, back-off, penalties and cool-downs, all
 * within Tradovate's hourly limits. Tokens live in a Caffeine cache whose entries expire
 * with the tokens themselves. {@code AccountLifecycle} decides, as a pure function of a
 * {@code SessionModel} and an event; {@link io.tokenbroker.session.AccountSession} holds
 * the lock and runs what it decides.
 */
package io.tokenbroker.session;
