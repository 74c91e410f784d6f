package io.tokenbroker.simulator;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * Tradovate's auth endpoints under {@code /v1}, like
 * {@code https://demo.tradovateapi.com/v1}. Handlers return {@code Object}: Spring MVC
 * picks the handling from the actual value, a {@code ResponseEntity} or, for a delayed
 * reply, a {@code DeferredResult}.
 */
@RestController
@RequestMapping("/v1/auth")
@PartOf(Feature.SIMULATOR)
class TradovateAuthController {

	private final SimulatedTradovate tradovate;

	private final ReplyDelivery delivery;

	TradovateAuthController(SimulatedTradovate tradovate, ReplyDelivery delivery) {
		this.tradovate = tradovate;
		this.delivery = delivery;
	}

	// Both casings appear in Tradovate's own examples (auth doc, "Login").
	@PostMapping({ "/accesstokenrequest", "/accessTokenRequest" })
	Object accessTokenRequest(@RequestBody(required = false) byte[] body, HttpServletRequest request,
			HttpServletResponse response) {
		return this.delivery.deliver(this.tradovate.login(body, request.getRemoteAddr()), request, response);
	}

	// The header is read here, not bound as an argument: Spring logs arguments at TRACE,
	// and this one is a token.
	@GetMapping({ "/renewaccesstoken", "/renewAccessToken" })
	Object renewAccessToken(HttpServletRequest request, HttpServletResponse response) {
		return this.delivery.deliver(
				this.tradovate.renew(request.getHeader(HttpHeaders.AUTHORIZATION), request.getRemoteAddr()), request,
				response);
	}

	@GetMapping("/me")
	Object me(HttpServletRequest request, HttpServletResponse response) {
		return this.delivery.deliver(
				this.tradovate.me(request.getHeader(HttpHeaders.AUTHORIZATION), request.getRemoteAddr()), request,
				response);
	}

}
