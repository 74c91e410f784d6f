/**
 * How text from outside (callers, Tradovate, configuration) reaches a log line: quoted or
 * cleaned, bounded, never able to forge a field or a line.
 */
package io.tokenbroker.logging;
