/**
 * Changes without restarts: the broker re-reads the sources of its settings (imported
 * files and {@code configtree} directories, as Kubernetes updates mounted Secrets),
 * checks the whole new set, and takes the clients, their keys and rights, and the
 * accounts' credentials from it, or refuses it whole.
 */
package io.tokenbroker.reload;
