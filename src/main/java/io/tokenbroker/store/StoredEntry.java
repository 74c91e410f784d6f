package io.tokenbroker.store;

/**
 * One account's record as the store keeps it: the revision of the token it carries and
 * the record itself, as text the store does not read.
 *
 * @param revision revision of the account's token; only grows
 * @param content the record, with no secret in clear
 */
public record StoredEntry(long revision, String content) {

	@Override
	public String toString() {
		return "StoredEntry[revision=" + this.revision + ", " + this.content.length() + " characters]";
	}

}
