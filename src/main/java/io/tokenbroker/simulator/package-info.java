/**
 * A faithful stand-in for Tradovate's auth API ({@code /v1/auth/...}): logins, renewals,
 * the two-session cap, per-IP rate limits with p-ticket penalties and captcha, plus fault
 * injection and counters for tests and benchmarks. Exists only when
 * {@code simulator.enabled=true}: inside the broker under the {@code sim} profile, or
 * alone under the {@code simulator} profile.
 */
package io.tokenbroker.simulator;
