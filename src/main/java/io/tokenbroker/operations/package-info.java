/**
 * Running the broker in production: a health contributor per account, a readiness probe
 * that says whether callers can get a token, Micrometer metrics (Prometheus), the
 * {@code tokens} admin endpoint that lists every account and makes one act now, and a
 * request id on every log line of a request.
 */
package io.tokenbroker.operations;
