package io.tokenbroker.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a subclass of {@link AgainstEmbeddedSimulator}: each test starts on a broker and a
 * simulator as they are after start (see {@link FreshBroker}), instead of only the first
 * test of the class. What {@code @DirtiesContext(AFTER_EACH_TEST_METHOD)} did, without a
 * restart.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface FreshBrokerPerTest {

}
