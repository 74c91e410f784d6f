package io.tokenbroker.store;

/**
 * Who may call Tradovate for one account. The fencing number grows each time the lease
 * changes hands, so a write from a replica whose lease ran out is refused.
 *
 * @param account account id
 * @param holder replica id of the holder, or {@code null} when nobody holds it
 * @param fence fencing number of the current (or last) holder
 */
public record Lease(String account, String holder, long fence) {

	public boolean heldBy(String replica) {
		return replica.equals(this.holder);
	}

}
