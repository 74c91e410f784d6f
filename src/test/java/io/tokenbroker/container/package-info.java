/**
 * The project's own container image end to end: built from the {@code Dockerfile} and the
 * packaged jar, the simulator and the broker each in its own container on one Docker
 * network, called through the published port. Needs Docker; skipped without it.
 */
package io.tokenbroker.container;
