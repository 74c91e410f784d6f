package io.tokenbroker.session;

import io.tokenbroker.session.AccountRecord.StoredTicket;
import io.tokenbroker.session.AccountRecord.StoredToken;
import io.tokenbroker.store.StoredEntry;
import io.tokenbroker.store.UnreadableEntryException;

/**
 * How an account's record and its secrets take the form the store keeps. The decisions
 * call it and no more; {@link RecordCodec} is the real one (JSON, sealed secrets), tests
 * give a readable one.
 */
interface RecordForm {

	StoredEntry write(AccountRecord record);

	/**
	 * @throws UnreadableEntryException when the text is not a record
	 */
	AccountRecord read(StoredEntry entry);

	/** Whether tokens are kept in the store at all. */
	boolean keepsTokens();

	/** The token as the store keeps it, or {@code null} when tokens are not kept. */
	StoredToken seal(HeldToken token);

	/**
	 * @throws UnreadableEntryException when it cannot be opened
	 */
	HeldToken open(StoredToken token, long revision);

	/** Whether a token is sealed with another key than the active one. */
	boolean sealedWithOldKey(StoredToken token);

	StoredTicket seal(PendingTicket ticket);

	/** The ticket and the login it answers, or {@code null} when it answers another. */
	PendingTicket open(StoredTicket ticket);

}
