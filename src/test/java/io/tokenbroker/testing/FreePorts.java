package io.tokenbroker.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the servers a test must name before they bind (the broker logs in to its own
 * port; a process is told its port on the command line). Each Surefire JVM takes its own
 * block below Linux's ephemeral range (32768 and up), in turn from a random start:
 * neither the other JVM nor a client socket's ephemeral port can take one between the
 * choice and the bind, which can be a minute apart on a loaded machine.
 */
public final class FreePorts {

	private static final int FIRST = 20000;

	private static final int BLOCK = 3000;

	/** Surefire's fork number, from 1 (the pom passes it); 1 outside Surefire. */
	private static final int BASE = FIRST + ((Integer.getInteger("tests.fork", 1) - 1) % 4) * BLOCK;

	private static final AtomicInteger next = new AtomicInteger(ThreadLocalRandom.current().nextInt(BLOCK));

	private FreePorts() {
	}

	/** A port no socket of this machine is bound to now. */
	public static int next() {
		for (int tried = 0; tried < BLOCK; tried++) {
			int port = BASE + Math.floorMod(next.getAndIncrement(), BLOCK);
			if (free(port)) {
				return port;
			}
		}
		throw new IllegalStateException("No free port in " + BASE + "-" + (BASE + BLOCK - 1));
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
