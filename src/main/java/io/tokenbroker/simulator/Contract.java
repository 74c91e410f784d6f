package io.tokenbroker.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A futures contract of the simulator's synthetic market: any symbol exists, with an id
 * and a price derived from its name, so the same symbol always has the same id.
 *
 * @param id the contract id
 * @param name the symbol, e.g. {@code ESM6}
 */
record Contract(long id, String name) {

	static final int MAX_SYMBOL = 64;

	/**
	 * The contract of a symbol.
	 * @param symbol the symbol, any case
	 * @return the contract, or {@code null} for a blank or overlong symbol
	 */
	static Contract of(String symbol) {
		if (symbol == null || symbol.isBlank() || symbol.length() > MAX_SYMBOL) {
			return null;
		}
		String name = symbol.trim().toUpperCase(Locale.ROOT);
		return new Contract(2_000_000L + Math.floorMod(hash(name), 1_000_000), name);
	}

	/**
	 * The price quotes of this contract start from, in ticks of 0.25.
	 * @return the first price
	 */
	double firstPrice() {
		return 1000 + Math.floorMod(hash(this.name), 16_000) * 0.25;
	}

	private static int hash(String name) {
		return ByteBuffer.wrap(Fingerprint.sha256(name.getBytes(StandardCharsets.UTF_8))).getInt();
	}

}
