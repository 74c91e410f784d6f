package io.tokenbroker.store;

/**
 * The broker's key and channel names in Redis, all under the configured prefix. Every key
 * carries the same hash tag, so that on Redis Cluster they share one slot and each script
 * may touch several.
 */
record RedisKeys(String prefix) {

	String record(String account) {
		return key("account:" + account);
	}

	String fence(String account) {
		return key("fence:" + account);
	}

	String lease(String account) {
		return key("lease:" + account);
	}

	String ledger(String name) {
		return key("ledger:" + name);
	}

	String sockets(String group) {
		return key("sockets:" + group);
	}

	String hold(String name) {
		return key("hold:" + name);
	}

	String changes() {
		return this.prefix + "changes";
	}

	String messages() {
		return this.prefix + "messages";
	}

	private String key(String name) {
		return this.prefix + "{state}:" + name;
	}

}
