package io.tokenbroker.session;

import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.tokenbroker.account.TradovateAccount;
import io.tokenbroker.session.AccountRecord.StoredTicket;
import io.tokenbroker.session.AccountRecord.StoredToken;
import io.tokenbroker.store.Sealed;
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
 * <p>
 * With a store key, the whole record is bound to the account and to that key: its JSON
 * (the token's expiry, lifetime and fingerprint, the sealed token itself, the renewal
 * time, the revision, every wait) is the associated data of an AES-GCM seal kept in
 * {@code integrity}. A record altered in any field, moved to another account, or given
 * another record's token does not open, and is unreadable like a record no configured key
 * opens. A record without that seal (written before this version, or stripped of it)
 * keeps its waits, which only ever make the broker more careful, and loses its token: one
 * login replaces it. A complete older record (a backup put back) still opens: the seal
 * proves who wrote a record, not that it is the latest (a replica serving a newer token
 * refuses it, see {@link RecordSync}).
 */
final class RecordCodec implements RecordForm {

	private static final Logger log = LoggerFactory.getLogger(RecordCodec.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	/** The field holding the record's seal: an AES-GCM tag over the rest of the JSON. */
	private static final String INTEGRITY = "integrity";

	private final TradovateAccount account;

	private final StoreKeys keys;

	private final SealingKey ticketKey;

	/** An unsealed record is reported once, not at every read of a fleet's store. */
	private volatile boolean warnedUnsealed;

	RecordCodec(TradovateAccount account, StoreKeys keys) {
		this.account = account;
		this.keys = keys;
		this.ticketKey = SealingKey.derive("credentials", account.credentials().keyMaterial(),
				"penalty-ticket:" + account.id());
	}

	@Override
	public StoredEntry write(AccountRecord record) {
		ObjectNode tree = json.valueToTree(record);
		if (this.keys.canSeal()) {
			tree.set(INTEGRITY, json.valueToTree(this.keys.seal(new byte[0], boundTo(tree))));
		}
		return new StoredEntry(record.revision(), json.writeValueAsString(tree));
	}

	/**
	 * @throws UnreadableEntryException when the text is not a record, or its seal does
	 * not open (another key, another account, or altered)
	 */
	@Override
	public AccountRecord read(StoredEntry entry) {
		ObjectNode tree;
		AccountRecord record;
		Sealed integrity;
		try {
			if (!(json.readTree(entry.content()) instanceof ObjectNode object)) {
				throw new UnreadableEntryException("the record is not a JSON object");
			}
			tree = object;
			JsonNode seal = tree.remove(INTEGRITY);
			integrity = (seal != null) ? json.treeToValue(seal, Sealed.class) : null;
			record = json.treeToValue(tree, AccountRecord.class);
		}
		catch (JacksonException ex) {
			throw new UnreadableEntryException("the record is not valid JSON of this broker's version");
		}
		if (record.state() == null || record.revision() != entry.revision()) {
			throw new UnreadableEntryException("the record is incomplete");
		}
		if (integrity != null) {
			if (integrity.keyId() == null || integrity.data() == null) {
				throw new UnreadableEntryException("the record's seal is incomplete");
			}
			this.keys.open(integrity, boundTo(tree));
			return record;
		}
		if (record.token() == null) {
			// written without a store key: nothing sealed, nothing served from it
			return record;
		}
		if (!this.warnedUnsealed) {
			this.warnedUnsealed = true;
			log.warn(
					"Account {}: the stored record carries no seal (written by a version before sealed records, or "
							+ "its seal was removed): its token {} is not trusted, and one login replaces it",
					this.account.id(), record.token().fingerprint());
		}
		return record.withoutToken(record.state());
	}

	/** What a record's seal binds: the account and the record's JSON without the seal. */
	private String boundTo(ObjectNode tree) {
		return "record:" + this.account.id() + ":" + json.writeValueAsString(tree);
	}

	/** Whether tokens are kept at all: only sealed, so only with a store key. */
	@Override
	public boolean keepsTokens() {
		return this.keys.canSeal();
	}

	/**
	 * The token as the store keeps it, or {@code null} when no store key is configured.
	 */
	@Override
	public StoredToken seal(HeldToken token) {
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
	@Override
	public HeldToken open(StoredToken token, long revision) {
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
	@Override
	public boolean sealedWithOldKey(StoredToken token) {
		return this.keys.canSeal() && !this.keys.activeId().equals(token.secrets().keyId());
	}

	@Override
	public StoredTicket seal(PendingTicket ticket) {
		return new StoredTicket(
				this.ticketKey.seal(ticket.ticket().getBytes(StandardCharsets.UTF_8), "ticket:" + this.account.id()),
				this.account.credentials().fingerprint());
	}

	/**
	 * The penalty ticket and the login it answers, or {@code null} when the credentials
	 * changed since (the ticket answers another login) or it cannot be opened.
	 */
	@Override
	public PendingTicket open(StoredTicket ticket) {
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
