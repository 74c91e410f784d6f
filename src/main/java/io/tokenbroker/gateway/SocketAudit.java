package io.tokenbroker.gateway;

import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.caller.Caller;
import io.tokenbroker.session.HeldToken;

import static io.tokenbroker.logging.LogValue.quoted;

/**
 * What operators see of one relayed socket: its lines in the audit trail (opened,
 * refused) and the gateway's meters (open sockets, frames each way, refusals). Used under
 * its socket's lock.
 */
final class SocketAudit {

	private static final Logger audit = LoggerFactory.getLogger("io.tokenbroker.audit");

	private final String account;

	private final SocketKind kind;

	private final String address;

	private final GatewayMetrics metrics;

	private Counter toTradovate;

	private Counter toCaller;

	/**
	 * @param address the caller's address, as the lock-out knows it
	 */
	SocketAudit(String account, SocketKind kind, String address, GatewayMetrics metrics) {
		this.account = account;
		this.kind = kind;
		this.address = address;
		this.metrics = metrics;
	}

	/** The caller was let in: its frames count from now on. */
	void admitted() {
		this.toTradovate = this.metrics.frames(this.account, this.kind, true);
		this.toCaller = this.metrics.frames(this.account, this.kind, false);
	}

	void toTradovate() {
		this.toTradovate.increment();
	}

	void toCaller() {
		this.toCaller.increment();
	}

	/** Frames go both ways: the socket counts as open. */
	void relaying(Caller client, HeldToken token) {
		this.metrics.openSockets(this.account, this.kind).incrementAndGet();
		audit.info("gateway socket opened client={} account={} kind={} address={} token={}", quoted(client.id()),
				quoted(this.account), this.kind.tag(), quoted(this.address), quoted(token.fingerprint()));
	}

	/** The socket that relayed closed. */
	void relayed() {
		this.metrics.openSockets(this.account, this.kind).decrementAndGet();
	}

	/**
	 * The broker closes the socket: a closure that refuses the caller counts.
	 * @param client the client its key named, or {@code null}
	 */
	void closing(Caller client, SocketClosure closure) {
		if (closure.refusal() != null) {
			this.metrics.refused(this.account, closure.refusal());
			audit.info("gateway socket refused client={} account={} kind={} address={} code={} reason={}",
					quoted((client != null) ? client.id() : null), quoted(this.account), this.kind.tag(),
					quoted(this.address), closure.code(), quoted(closure.reason()));
		}
	}

}
