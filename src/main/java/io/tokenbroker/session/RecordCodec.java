package io.tokenbroker.session;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.session.AccountRecord.StoredTicket;
import io.tokenbroker.session.AccountRecord.StoredToken;
import io.tokenbroker.store.SealingKey;
import io.tokenbroker.store.StoreKeys;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.store.UnreadableEntryException;
import io.tokenbroker.tradovate.LoginRequest;

/**
 * Turns one account's record into what the store keeps and back: JSON, with the token
 * sealed by the active store key and the penalty ticket sealed by a key derived from the
 * account's credentials (so a ticket survives restarts without a store key, and opens
 * only for the login it answers).
 */
final class RecordCodec {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final TradovateAccount account;

	private final StoreKeys keys;

	private final SealingKey ticketKey;

	RecordCodec(TradovateAccount account, StoreKeys keys) {
		this.account = account;
		this.keys = keys;
		this.ticketKey = SealingKey.derive("credentials", account.credentials().keyMaterial(),
				"penalty-ticket:" + account.id());
	}

	StoredEntry write(AccountRecord record) {
		return new StoredEntry(record.revision(), json.writeValueAsString(record));
	}

	/**
	 * @throws UnreadableEntryException when the text is not a record
	 */
	AccountRecord read(StoredEntry entry) {
		try {
			AccountRecord record = json.readValue(entry.content(), AccountRecord.class);
			if (record.state() == null || record.revision() != entry.revision()) {
				throw new UnreadableEntryException("the record is incomplete");
			}
			return record;
		}
		catch (JacksonException ex) {
			throw new UnreadableEntryException("the record is not valid JSON of this broker's version");
		}
	}

	/** Whether tokens are kept at all: only sealed, so only with a store key. */
	boolean keepsTokens() {
		return this.keys.canSeal();
	}

	/**
	 * The token as the store keeps it, or {@code null} when no store key is configured.
	 */
	StoredToken seal(HeldToken token) {
		if (!this.keys.canSeal()) {
			return null;
		}
		byte[] secrets = json.writeValueAsBytes(new TokenSecrets(token.accessToken(), token.mdAccessToken()));
		return new StoredToken(this.keys.seal(secrets, tokenContext()), token.expiresAt(), token.lifetime(),
				token.obtainedAt(), token.userId(), token.fingerprint());
	}

	/**
	 * @throws UnreadableEntryException when no configured key opens it
	 */
	HeldToken open(StoredToken token, long revision) {
		byte[] opened = this.keys.open(token.secrets(), tokenContext());
		TokenSecrets secrets;
		try {
			secrets = json.readValue(opened, TokenSecrets.class);
		}
		catch (JacksonException ex) {
			throw new UnreadableEntryException("the sealed token is not readable");
		}
		return new HeldToken(this.account.id(), secrets.accessToken(), secrets.mdAccessToken(), token.expiresAt(),
				token.lifetime(), token.obtainedAt(), token.userId(), revision, token.fingerprint());
	}

	/** Whether a token is sealed with another key than the active one. */
	boolean sealedWithOldKey(StoredToken token) {
		return this.keys.canSeal() && !this.keys.activeId().equals(token.secrets().keyId());
	}

	StoredTicket seal(PendingTicket ticket) {
		return new StoredTicket(
				this.ticketKey.seal(ticket.ticket().getBytes(StandardCharsets.UTF_8), "ticket:" + this.account.id()),
				this.account.credentials().fingerprint());
	}

	/**
	 * The penalty ticket and the login it answers, or {@code null} when the credentials
	 * changed since (the ticket answers another login) or it cannot be opened.
	 */
	PendingTicket open(StoredTicket ticket) {
		if (!this.account.credentials().fingerprint().equals(ticket.credentials())) {
			return null;
		}
		try {
			String value = new String(this.ticketKey.open(ticket.ticket(), "ticket:" + this.account.id()),
					StandardCharsets.UTF_8);
			return new PendingTicket(LoginRequest.of(this.account.credentials()), value);
		}
		catch (UnreadableEntryException ex) {
			return null;
		}
	}

	private String tokenContext() {
		return "token:" + this.account.id();
	}

	/** What a sealed token holds. */
	private record TokenSecrets(String accessToken, String mdAccessToken) {

		@Override
		public String toString() {
			return "TokenSecrets[***]";
		}

	}

}
