package io.tokenbroker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component or configuration class (and the beans it declares, and its nested
 * classes) as part of a {@link Feature}: the beans exist only when the settings switch
 * the feature on, decided at each start by {@link FeaturesBySettings}, not when the bean
 * definitions are built, so one ahead-of-time processed build serves every configuration.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface PartOf {

	Feature value();

}
