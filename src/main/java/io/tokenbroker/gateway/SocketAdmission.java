package io.tokenbroker.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tokenbroker.api.AccountNotAllowedException;
import io.tokenbroker.api.UnknownAccountException;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.KeyCheck;
import io.tokenbroker.session.AccountSession;
import io.tokenbroker.store.StoreUnavailableException;

/**
 * The caller's side of a relayed socket's authorization: whether it gets an upstream
 * socket for the account its path names. Its key comes from the upgrade's
 * {@code Authorization} header or its {@code authorize} frame; then the client must be
 * allowed the gateway and the account, and the fleet must have a place left for one more
 * upstream socket of the account, which the socket holds until it closes.
 */
final class SocketAdmission {

	// the socket's lines keep the socket's logger
	private static final Logger log = LoggerFactory.getLogger(RelayedSocket.class);

	private final String account;

	private final SocketKind kind;

	private final String address;

	private final String socketId;

	private final SocketServices services;

	/**
	 * @param account the account the caller's path names (not yet checked)
	 * @param address the caller's address, as the lock-out knows it
	 * @param socketId the socket's id in the fleet's registry
	 */
	SocketAdmission(String account, SocketKind kind, String address, String socketId, SocketServices services) {
		this.account = account;
		this.kind = kind;
		this.address = address;
		this.socketId = socketId;
		this.services = services;
	}

	/** A caller whose key comes in its {@code authorize} frame. */
	Outcome ofFrame(CallerFrame authorize) {
		KeyCheck.Outcome outcome = this.services.keys().check(authorize.key(), this.address);
		if (outcome instanceof KeyCheck.Known known) {
			return of(known.caller());
		}
		if (outcome instanceof KeyCheck.LockedOut lockedOut) {
			return new Refused(null,
					authorize
						.answer(429,
								"Too many failed authentications from this address; try " + "again in "
										+ GatewayRefusal.seconds(lockedOut.retryAfter()) + " s"),
					SocketClosure.LOCKED_OUT);
		}
		// the answer Tradovate gives a token it does not know
		return new Refused(null, authorize.answer(401, "Invalid access token"), SocketClosure.WRONG_KEY);
	}

	/** A caller whose key is known. */
	Outcome of(Caller caller) {
		if (!caller.gateway()) {
			return new Refused(caller, null, SocketClosure.NOT_ALLOWED);
		}
		AccountSession session;
		try {
			session = this.services.access().session(this.account, caller);
		}
		catch (UnknownAccountException ex) {
			return new Refused(caller, null, SocketClosure.UNKNOWN_ACCOUNT);
		}
		catch (AccountNotAllowedException ex) {
			return new Refused(caller, null, SocketClosure.NOT_ALLOWED);
		}
		boolean counted;
		try {
			counted = this.services.registry()
				.tryOpen(this.account, this.socketId, this.services.settings().maxSockets(),
						this.services.clock().instant(), this.services.settings().sockets().leaseTime());
		}
		catch (StoreUnavailableException ex) {
			log.warn("Gateway: the {} socket of account {} cannot be counted: {}", this.kind.tag(), this.account,
					ex.getMessage());
			return new Refused(caller, null, SocketClosure.STORE_UNAVAILABLE);
		}
		if (!counted) {
			log.warn(
					"Gateway: account {} holds {} upstream WebSockets across the fleet (broker.gateway.max-sockets); "
							+ "refused one more to client {}",
					this.account, this.services.settings().maxSockets(), caller.id());
			return new Refused(caller, null, SocketClosure.SOCKET_LIMIT);
		}
		return new Admitted(caller, session);
	}

	/** The admitted socket closed: its place in the fleet is free. */
	void release() {
		try {
			this.services.registry().release(this.account, this.socketId);
		}
		catch (StoreUnavailableException ex) {
			// it stops counting when its lease time has passed
		}
	}

	/** Whether the caller gets its upstream socket. */
	sealed interface Outcome permits Admitted, Refused {

	}

	/**
	 * The caller gets its upstream socket, and holds one of the fleet's places for it.
	 *
	 * @param session the account's session, which gives the token
	 */
	record Admitted(Caller caller, AccountSession session) implements Outcome {

	}

	/**
	 * The socket closes.
	 *
	 * @param caller the client its key named, or {@code null} when the key is not known
	 * @param answer the answer to its {@code authorize} frame, or {@code null}
	 */
	record Refused(Caller caller, String answer, SocketClosure closure) implements Outcome {

	}

}
