package io.tokenbroker.container;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The project's image, built from its {@code Dockerfile} and the packaged jar once per
 * test run (on first use) for every container test class, and removed when the run ends:
 * without Ryuk (as in CI) Testcontainers would leave it behind.
 */
final class ProjectImage implements BeforeAllCallback {

	private static final ImageFromDockerfile IMAGE = Containers.image();

	/** The one image of this run. */
	static ImageFromDockerfile get() {
		return IMAGE;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		// the root store closes what it holds once every test class has run
		context.getRoot()
			.getStore(ExtensionContext.Namespace.create(ProjectImage.class))
			.computeIfAbsent("removal", (key) -> (AutoCloseable) () -> Containers.removeImage(IMAGE),
					AutoCloseable.class);
	}

}
