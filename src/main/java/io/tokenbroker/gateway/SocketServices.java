package io.tokenbroker.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import reactor.core.scheduler.Scheduler;

import org.springframework.web.reactive.socket.client.WebSocketClient;

import io.tokenbroker.api.AccountAccess;
import io.tokenbroker.caller.KeyCheck;
import io.tokenbroker.store.SocketRegistry;

/**
 * What every relayed WebSocket shares.
 *
 * @param keys recognizes the key of an {@code authorize} frame
 * @param access the one rule of which caller may use which account
 * @param urls each account's WebSocket URLs
 * @param registry the fleet-wide count of upstream sockets
 * @param budget Tradovate's request limits
 * @param metrics the gateway's meters
 * @param client opens sockets to Tradovate
 * @param deliveries where frames from Tradovate are handed to callers
 * @param clock every time-out reads it
 * @param settings the gateway's settings
 * @param waitForToken how long a socket may wait for a login or renewal in flight
 */
record SocketServices(KeyCheck keys, AccountAccess access, Map<String, SocketUrls> urls, SocketRegistry registry,
		RequestBudget budget, GatewayMetrics metrics, WebSocketClient client, Scheduler deliveries, Clock clock,
		GatewayProperties settings, Duration waitForToken) {

}
