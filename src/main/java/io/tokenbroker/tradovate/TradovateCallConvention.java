package io.tokenbroker.tradovate;

import java.net.URI;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import org.springframework.web.reactive.function.client.ClientHttpObservationDocumentation.HighCardinalityKeyNames;
import org.springframework.web.reactive.function.client.ClientHttpObservationDocumentation.LowCardinalityKeyNames;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;

/**
 * How a call to Tradovate is observed ({@code http.client.requests}, and its span when
 * tracing is on): the span is named after the call ({@code tradovate login},
 * {@code tradovate renew}, {@code tradovate me}), the {@code uri} tag is the path called
 * (the default would be {@code none}: the URI is not built from a template), and the span
 * also carries {@code tradovate.operation} and {@code tradovate.account}. Nothing of a
 * request's headers (the renewal's bearer token) or body (the login's password and
 * secret) is read, and the URL is recorded without user information or query.
 */
class TradovateCallConvention extends DefaultClientRequestObservationConvention {

	/** The request attribute naming the {@link Operation}. */
	static final String OPERATION = Operation.class.getName();

	/** The request attribute naming the account. */
	static final String ACCOUNT = TradovateCallConvention.class.getName() + ".account";

	@Override
	public String getContextualName(ClientRequestObservationContext context) {
		Operation operation = attribute(context, OPERATION, Operation.class);
		return (operation != null) ? "tradovate " + operation.tag() : super.getContextualName(context);
	}

	@Override
	protected KeyValue uri(ClientRequestObservationContext context) {
		ClientRequest request = context.getRequest();
		if (request == null || request.url().getRawPath() == null || request.url().getRawPath().isEmpty()) {
			return super.uri(context);
		}
		return KeyValue.of(LowCardinalityKeyNames.URI, request.url().getRawPath());
	}

	@Override
	protected KeyValue httpUrl(ClientRequestObservationContext context) {
		ClientRequest request = context.getRequest();
		if (request == null) {
			return super.httpUrl(context);
		}
		URI url = request.url();
		String port = (url.getPort() != -1) ? ":" + url.getPort() : "";
		return KeyValue.of(HighCardinalityKeyNames.HTTP_URL,
				url.getScheme() + "://" + url.getHost() + port + ((url.getRawPath() != null) ? url.getRawPath() : ""));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ClientRequestObservationContext context) {
		KeyValues values = super.getHighCardinalityKeyValues(context);
		Operation operation = attribute(context, OPERATION, Operation.class);
		String account = attribute(context, ACCOUNT, String.class);
		if (operation != null) {
			values = values.and("tradovate.operation", operation.tag());
		}
		if (account != null) {
			values = values.and("tradovate.account", account);
		}
		return values;
	}

	private static <T> T attribute(ClientRequestObservationContext context, String name, Class<T> type) {
		ClientRequest request = context.getRequest();
		Object value = (request != null) ? request.attribute(name).orElse(null) : null;
		return type.isInstance(value) ? type.cast(value) : null;
	}

}
