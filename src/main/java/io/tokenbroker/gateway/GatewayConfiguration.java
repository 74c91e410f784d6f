package io.tokenbroker.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.webmvc.autoconfigure.WebMvcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.ServletWebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;
import io.tokenbroker.account.SettingsException;
import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.account.TradovateAccounts;
import io.tokenbroker.api.AccountAccess;
import io.tokenbroker.caller.CallerAccessRules;
import io.tokenbroker.caller.CallerKeys;
import io.tokenbroker.caller.ClientAddresses;
import io.tokenbroker.caller.FailedAuthentications;
import io.tokenbroker.caller.KeyCheck;
import io.tokenbroker.session.SessionEvents;
import io.tokenbroker.session.SessionProperties;
import io.tokenbroker.session.UpstreamBudget;
import io.tokenbroker.store.Holds;
import io.tokenbroker.store.SocketRegistry;
import io.tokenbroker.store.StateStore;
import io.tokenbroker.tradovate.UpstreamProperties;

/**
 * The gateway, when {@code broker.gateway.enabled} is true: its REST route, its two
 * WebSockets, the clients that call Tradovate for them (their own timeouts and size
 * limits, no redirects), and its place in the callers' security chain.
 */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.GATEWAY)
@EnableWebSocket
class GatewayConfiguration implements WebSocketConfigurer {

	/** Tomcat's own limit on an asynchronous request when Spring MVC sets none. */
	private static final Duration CONTAINER_ASYNC_TIMEOUT = Duration.ofSeconds(30);

	private final GatewayProperties properties;

	private final ObjectProvider<GatewaySocketHandler> handler;

	private final ObjectProvider<SocketHandshake> handshake;

	GatewayConfiguration(GatewayProperties properties, ObjectProvider<GatewaySocketHandler> handler,
			ObjectProvider<SocketHandshake> handshake) {
		this.properties = properties;
		this.handler = handler;
		this.handshake = handshake;
	}

	@Bean
	GatewayMetrics gatewayMetrics(MeterRegistry registry) {
		return new GatewayMetrics(registry);
	}

	@Bean
	RequestBudget gatewayRequestBudget(StateStore store, Holds holds, Clock clock) {
		return new RequestBudget(this.properties.limits(), store, holds, clock);
	}

	@Bean
	RestPassthrough gatewayRestPassthrough(WebClient.Builder builder, UpstreamProperties upstream,
			SessionProperties session, RequestBudget budget, UpstreamBudget sessionBudget, GatewayMetrics metrics,
			Clock clock, WebMvcProperties mvc) {
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) upstream.connectTimeout().toMillis())
			.responseTimeout(this.properties.timeout())
			.resolver((dns) -> dns.cacheMaxTimeToLive(Duration.ofSeconds(60)))
			// a redirect must never carry the token to another host
			.followRedirect(false);
		WebClient webClient = builder.clone().clientConnector(new ReactorClientHttpConnector(http)).build();
		Duration asyncTimeout = (mvc.getAsync().getRequestTimeout() != null) ? mvc.getAsync().getRequestTimeout()
				: CONTAINER_ASYNC_TIMEOUT;
		return new RestPassthrough(webClient, budget, sessionBudget.failedChecks(), metrics, clock,
				session.waitForToken(), this.properties.timeout(), this.properties.maxResponseSize().toBytes(),
				asyncTimeout.minusSeconds(1));
	}

	@Bean
	GatewayController gatewayController(AccountAccess access, TradovateAccounts accounts, RestPassthrough passthrough,
			GatewayMetrics metrics) {
		return new GatewayController(access, accounts, passthrough, metrics, this.properties);
	}

	/** Frames from Tradovate reach callers on these threads, never on the network's. */
	@Bean(destroyMethod = "dispose")
	Scheduler gatewayDeliveries() {
		return Schedulers.newBoundedElastic(Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE,
				Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE, "gateway-frames", 60, true);
	}

	@Bean
	SocketServices gatewaySocketServices(CallerKeys keys, FailedAuthentications failures, AccountAccess access,
			TradovateAccounts accounts, SocketRegistry registry, RequestBudget budget, GatewayMetrics metrics,
			@Qualifier("gatewayDeliveries") Scheduler deliveries, Clock clock, UpstreamProperties upstream,
			SessionProperties session, StateStore store) {
		Map<String, SocketUrls> urls = new LinkedHashMap<>();
		this.properties.accounts().keySet().forEach((id) -> {
			if (accounts.find(id).isEmpty()) {
				throw new SettingsException("broker.gateway.accounts." + id + " names no account of broker.accounts",
						"Set the WebSocket URLs of configured accounts only.", null);
			}
		});
		for (TradovateAccount account : accounts.all()) {
			urls.put(account.id(), SocketUrls.of(account.baseUrl(), this.properties.accounts().get(account.id())));
		}
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) upstream.connectTimeout().toMillis())
			.resolver((dns) -> dns.cacheMaxTimeToLive(Duration.ofSeconds(60)))
			.followRedirect(false);
		ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient(http,
				() -> WebsocketClientSpec.builder()
					.maxFramePayloadLength((int) this.properties.maxFrameSize().toBytes())
					.handlePing(true));
		return new SocketServices(new KeyCheck(keys, failures), access, Map.copyOf(urls), registry, budget, metrics,
				client, deliveries, clock, this.properties, session.waitForToken());
	}

	@Bean
	OpenSockets gatewayOpenSockets(SocketServices services) {
		return new OpenSockets(services);
	}

	@Bean
	GatewaySocketHandler gatewaySocketHandler(SocketServices services, OpenSockets open) {
		return new GatewaySocketHandler(services, open);
	}

	@Bean
	SocketHandshake gatewaySocketHandshake(SocketServices services, ClientAddresses addresses,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
		return new SocketHandshake(this.properties.prefix(), services, addresses, problems);
	}

	/** The sockets of a session the broker replaced with a new login close. */
	@Bean
	SessionEvents gatewaySessionLosses(ObjectProvider<OpenSockets> open,
			@Qualifier("brokerTaskScheduler") ThreadPoolTaskScheduler brokerTaskScheduler) {
		return new SessionLosses(open, brokerTaskScheduler);
	}

	/**
	 * The WebSockets' upgrades may come without a key (it comes in the first frame); the
	 * REST route needs one, as everything else.
	 */
	@Bean
	CallerAccessRules gatewayAccessRules() {
		String prefix = this.properties.prefix();
		return (requests) -> requests
			.requestMatchers(prefix + "/*" + SocketKind.TRADING.suffix(),
					prefix + "/*" + SocketKind.MARKET_DATA.suffix())
			.permitAll();
	}

	@Override
	public void registerWebSocketHandlers(
			org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry registry) {
		String prefix = this.properties.prefix();
		registry
			.addHandler(this.handler.getObject(), prefix + "/*" + SocketKind.TRADING.suffix(),
					prefix + "/*" + SocketKind.MARKET_DATA.suffix())
			.addInterceptors(this.handshake.getObject());
		if (registry instanceof ServletWebSocketHandlerRegistry servlet) {
			// ahead of the gateway's REST route, which would take the same paths
			servlet.setOrder(Ordered.HIGHEST_PRECEDENCE);
		}
	}

}
