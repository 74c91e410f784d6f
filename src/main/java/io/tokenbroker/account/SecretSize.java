package io.tokenbroker.account;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Tradovate's length limit on a {@link Secret}, checked without the value ever reaching
 * an error message.
 */
@Documented
@Constraint(validatedBy = SecretSize.Check.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
public @interface SecretSize {

	int max();

	String message() default "must be at most {max} characters long";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Check implements ConstraintValidator<SecretSize, Secret> {

		private int max;

		@Override
		public void initialize(SecretSize annotation) {
			this.max = annotation.max();
		}

		@Override
		public boolean isValid(Secret value, ConstraintValidatorContext context) {
			return value == null || value.length() <= this.max;
		}

	}

}
