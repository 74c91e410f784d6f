/**
 * A faithful stand-in for Tradovate as its clients see it: the auth API
 * ({@code /v1/auth/...}: logins, renewals, the two-session cap, per-IP rate limits with
 * p-ticket penalties keyed to the /24 subnet, captcha, the per-user hourly limit), a
 * little REST user data, and the trading and market-data WebSockets with their connection
 * limits; plus fault injection and counters for tests and benchmarks. Exists only when
 * {@code simulator.enabled=true}: inside the broker under the {@code sim} profile, or
 * alone under the {@code simulator} profile.
 * <p>
 * {@link io.tokenbroker.simulator.SimulatedTradovate} is the handle tests script it with
 * and the entry point of its HTTP and WebSocket adapters (the {@code Tradovate*}
 * controllers and socket handler). It hands the calls to {@code SimulatedAuth},
 * {@code SimulatedUserData} and {@code SimulatedSockets}, which change the state of
 * {@code SimulatorState} (sessions, sockets, rate limits, penalties) under its one lock
 * and send frames and close sockets after releasing it.
 */
package io.tokenbroker.simulator;
