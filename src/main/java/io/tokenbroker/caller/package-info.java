/**
 * Who is calling: internal clients identified by an API key whose SHA-256 is configured
 * under {@code broker.clients.<client>}, the accounts each may read, and the Spring
 * Security chain that enforces it.
 */
package io.tokenbroker.caller;
