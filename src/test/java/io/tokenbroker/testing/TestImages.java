package io.tokenbroker.testing;

/**
 * Container images the tests run, from a system property or an environment variable so
 * that a machine without Docker Hub (CI builds both images locally) can name its own; by
 * default the public images.
 */
public final class TestImages {

	private TestImages() {
	}

	/**
	 * A Java runtime (the image ships Java 25) to build the broker's image on:
	 * {@code -Dtokenbroker.test.base-image} or {@code TOKENBROKER_TEST_BASE_IMAGE}, else
	 * {@code eclipse-temurin:25-jre}.
	 */
	public static String javaBase() {
		return named("tokenbroker.test.base-image", "TOKENBROKER_TEST_BASE_IMAGE", "eclipse-temurin:25-jre");
	}

	/**
	 * A Redis server: {@code -Dtokenbroker.test.redis-image} or
	 * {@code TOKENBROKER_TEST_REDIS_IMAGE}, else {@code redis:7}.
	 */
	public static String redis() {
		return named("tokenbroker.test.redis-image", "TOKENBROKER_TEST_REDIS_IMAGE", "redis:7");
	}

	private static String named(String property, String variable, String fallback) {
		String value = System.getProperty(property);
		if (value != null && !value.isBlank()) {
			return value;
		}
		value = System.getenv(variable);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}
