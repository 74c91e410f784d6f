/**
 * Running the broker in production: a health contributor per account, a readiness probe
 * that says whether callers can get a token, Micrometer metrics (Prometheus), the
 * {@code tokens} admin endpoint that lists every account and makes one act now, a request
 * id on every log line of a request, and OpenTelemetry tracing over OTLP once an endpoint
 * is set.
 */
package io.tokenbroker.operations;
