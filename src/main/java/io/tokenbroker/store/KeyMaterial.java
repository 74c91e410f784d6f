package io.tokenbroker.store;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Base64;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import io.tokenbroker.account.Secret;

/**
 * A store key: the Base64 of 32 bytes, checked without the value ever reaching an error
 * message.
 */
@Documented
@Constraint(validatedBy = KeyMaterial.Check.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface KeyMaterial {

	String message() default "must be the Base64 of 32 random bytes (openssl rand -base64 32)";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Check implements ConstraintValidator<KeyMaterial, Secret> {

		@Override
		public boolean isValid(Secret value, ConstraintValidatorContext context) {
			return value == null || decode(value) != null;
		}

		/** The key's bytes, or {@code null} when it is not the Base64 of 32 bytes. */
		static byte[] decode(Secret value) {
			try {
				byte[] key = Base64.getDecoder().decode(value.reveal());
				return (key.length == SealingKey.LENGTH) ? key : null;
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

	}

}
