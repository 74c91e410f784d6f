package io.tokenbroker.simulator;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.tokenbroker.Feature;
import io.tokenbroker.PartOf;

/**
 * The REST calls Tradovate clients make right after they have a token, with small fixed
 * data ({@code /account/list}, {@code /user/list}, {@code /contract/find},
 * {@code POST /user/syncrequest}), and Tradovate's answer to every path it does not know.
 */
@RestController
@RequestMapping("/v1")
@PartOf(Feature.SIMULATOR)
class TradovateDataController {

	private final SimulatedTradovate tradovate;

	TradovateDataController(SimulatedTradovate tradovate) {
		this.tradovate = tradovate;
	}

	@GetMapping("/account/list")
	ResponseEntity<byte[]> accounts(HttpServletRequest request) {
		return ReplyDelivery.toEntity(this.tradovate.userData(authorization(request), "account/list",
				(user) -> List.of(UserEntities.account(user))));
	}

	@GetMapping("/user/list")
	ResponseEntity<byte[]> users(HttpServletRequest request) {
		return ReplyDelivery.toEntity(this.tradovate.userData(authorization(request), "user/list",
				(user) -> List.of(UserEntities.user(user))));
	}

	@GetMapping("/contract/find")
	ResponseEntity<byte[]> findContract(@RequestParam(required = false) String name, HttpServletRequest request) {
		Contract contract = Contract.of(name);
		if (contract == null) {
			return ReplyDelivery.toEntity(SimulatedReply.notFound("contract/find"));
		}
		return ReplyDelivery.toEntity(this.tradovate.userData(authorization(request), "contract/find",
				(user) -> UserEntities.contract(contract)));
	}

	@PostMapping("/user/syncrequest")
	ResponseEntity<byte[]> syncRequest(HttpServletRequest request) {
		return ReplyDelivery.toEntity(this.tradovate.syncRequest(authorization(request), request.getRemoteAddr()));
	}

	// Only paths no other mapping of the application claims get here.
	@RequestMapping("/**")
	ResponseEntity<byte[]> unknown(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return ReplyDelivery.toEntity(SimulatedReply.notFound(path.substring(Math.min(path.length(), 4))));
	}

	// The header is read here, not bound as an argument: Spring logs arguments at TRACE.
	private static String authorization(HttpServletRequest request) {
		return request.getHeader(HttpHeaders.AUTHORIZATION);
	}

}
