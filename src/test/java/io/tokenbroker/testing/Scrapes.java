package io.tokenbroker.testing;

import java.util.Arrays;

/** Samples of a Prometheus scrape (text format), as the tests read them. */
public final class Scrapes {

	private Scrapes() {
	}

	/**
	 * The value of the one sample of {@code name} that has every label given; fails when
	 * there is none.
	 */
	public static double sample(String scrape, String name, String... labels) {
		Double value = find(scrape, name, labels);
		if (value == null) {
			throw new AssertionError("no sample " + name + Arrays.toString(labels) + " in:\n" + scrape);
		}
		return value;
	}

	/**
	 * How much a counter (or the count of a timer) grew between two scrapes: the sample
	 * of {@code scrape} less the one of {@code before}, where it may not exist yet.
	 */
	public static double growth(String before, String scrape, String name, String... labels) {
		Double earlier = find(before, name, labels);
		return sample(scrape, name, labels) - ((earlier != null) ? earlier : 0);
	}

	private static Double find(String scrape, String name, String... labels) {
		return scrape.lines()
			.filter((line) -> line.startsWith(name + "{"))
			.filter((line) -> Arrays.stream(labels).allMatch(line::contains))
			.map((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.findFirst()
			.orElse(null);
	}

}
