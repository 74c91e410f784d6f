package io.tokenbroker;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Leaves out, at each start, the beans of every {@link Feature} the settings switch off:
 * what a {@code @Conditional} would decide once when the bean definitions are built, so
 * decided here at run time instead. Spring's ahead-of-time processing (the image) fixes
 * the bean definitions at build time; it keeps every feature, and this removes what the
 * settings of each start have no use for, the same way on a plain start.
 */
public class FeaturesBySettings implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, Ordered {

	private static final Logger log = LoggerFactory.getLogger(FeaturesBySettings.class);

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		// after the configuration classes made their bean definitions
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
			return; // the build keeps every feature: each start picks its own
		}
		Set<Feature> off = EnumSet.noneOf(Feature.class);
		for (Feature feature : Feature.values()) {
			if (!feature.isOn(this.environment)) {
				off.add(feature);
			}
		}
		if (off.isEmpty()) {
			return;
		}
		// decided on every definition before removing any: a bean names its configuration
		// class
		List<String> leftOut = Arrays.stream(registry.getBeanDefinitionNames()).filter((name) -> {
			String declaringClass = declaringClass(registry, registry.getBeanDefinition(name));
			return declaringClass != null && off.stream().anyMatch((feature) -> partOf(declaringClass, feature));
		}).toList();
		leftOut.forEach(registry::removeBeanDefinition);
		log.debug("Features off: {} ({} beans left out)", off, leftOut.size());
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
	}

	/** The class that declares this bean: its configuration class, or its own. */
	private static String declaringClass(BeanDefinitionRegistry registry, BeanDefinition definition) {
		String factoryBean = definition.getFactoryBeanName();
		if (factoryBean != null && registry.containsBeanDefinition(factoryBean)) {
			return registry.getBeanDefinition(factoryBean).getBeanClassName();
		}
		return definition.getBeanClassName();
	}

	private boolean partOf(String className, Feature feature) {
		if (feature.brings(className)) {
			return true;
		}
		if (!className.startsWith("io.tokenbroker.")) {
			return false;
		}
		Class<?> type = ClassUtils.resolveClassName(className, getClass().getClassLoader());
		for (Class<?> enclosing = type; enclosing != null; enclosing = enclosing.getEnclosingClass()) {
			PartOf partOf = enclosing.getAnnotation(PartOf.class);
			if (partOf != null && partOf.value() == feature) {
				return true;
			}
		}
		return false;
	}

}
