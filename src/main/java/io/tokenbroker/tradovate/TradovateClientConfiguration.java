package io.tokenbroker.tradovate;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Builds the one WebClient that talks to Tradovate: explicit timeouts, a bounded answer
 * size, no redirects (a redirect must never carry credentials to another host), and
 * observations named after the call ({@link TradovateCallConvention}).
 */
@Configuration(proxyBeanMethods = false)
@PartOf(Feature.BROKER)
class TradovateClientConfiguration {

	@Bean
	PasswordExpiries passwordExpiries(MeterRegistry meters) {
		return new PasswordExpiries(meters);
	}

	@Bean
	TradovateClient tradovateClient(WebClient.Builder builder, UpstreamProperties upstream, Clock clock,
			MeterRegistry meters, PasswordExpiries passwords) {
		HttpClient httpClient = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) upstream.connectTimeout().toMillis())
			.responseTimeout(upstream.timeout())
			// a moved upstream (a new load balancer or container address) is found within
			// a minute, whatever the DNS answer's time to live
			.resolver((dns) -> dns.cacheMaxTimeToLive(Duration.ofSeconds(60)))
			.followRedirect(false);
		WebClient webClient = builder.clientConnector(new ReactorClientHttpConnector(httpClient))
			.observationConvention(new TradovateCallConvention())
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize((int) upstream.maxResponseSize().toBytes()))
			.build();
		return new TradovateClient(webClient, clock, upstream.timeout(), upstream.maxTokenLifetime(), meters,
				passwords);
	}

}
