/**
 * The Tradovate users the broker logs in as, and the secrets that belong to them: bound
 * from {@code broker.*} settings, checked at start-up, never printed.
 */
package io.tokenbroker.account;
