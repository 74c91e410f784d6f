/**
 * The token lifecycle of each account: one login, renewals scheduled from the token's
 * expiry, one upstream call in flight at a time, back-off, penalties and cool-downs, all
 * within Tradovate's hourly limits. Tokens live in a Caffeine cache whose entries expire
 * with the tokens themselves.
 */
package io.tokenbroker.session;
