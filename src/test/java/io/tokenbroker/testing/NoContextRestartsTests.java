package io.tokenbroker.testing;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No test restarts an application with {@code @DirtiesContext}, on a class or a method: a
 * restart costs seconds on the 2-core machine at every run. A test that needs the broker
 * as it is after start says {@link FreshBrokerPerTest}; one that needs other settings
 * gets its own cached application from them.
 */
class NoContextRestartsTests {

	@Test
	void noTestDirtiesItsApplication() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return true; // nested, abstract and interface types too
			}

		};
		String dirties = DirtiesContext.class.getName();
		scanner.addIncludeFilter((type, factory) -> type.getAnnotationMetadata().isAnnotated(dirties)
				|| type.getAnnotationMetadata().hasAnnotatedMethods(dirties));

		assertThat(scanner.findCandidateComponents("io.tokenbroker")).extracting(BeanDefinition::getBeanClassName)
			.isEmpty();
	}

}
