/**
 * {@code GET /token[/{account}]/events}: a Server-Sent Events stream per caller that
 * pushes each new token of an account, and tells when the account stops serving and
 * serves again.
 */
package io.tokenbroker.events;
