/**
 * What outlives the process: each account's record (its token sealed with AES-256-GCM,
 * its waits, its penalty ticket), Tradovate's hourly budgets and, for a fleet, the lease
 * that lets one replica at a time call Tradovate for an account. Kept in memory, in a
 * local directory, or in Redis.
 */
package io.tokenbroker.store;
