package io.tokenbroker.account;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * The SHA-256 of a client key, as configured in
 * {@code broker.clients.<client>.key-sha256}. Prints only its first eight digits, and
 * nothing at all when it is not a digest (say a raw key pasted by mistake): no error
 * message ever shows it.
 */
public final class KeyDigest {

	private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");

	private final String value;

	private KeyDigest(String value) {
		this.value = value.strip();
	}

	public static KeyDigest of(String value) {
		return new KeyDigest(value);
	}

	/** Whether it is 64 hex digits. */
	public boolean wellFormed() {
		return HEX_64.matcher(this.value).matches();
	}

	/** The digest's bytes; only for a well-formed digest. */
	public byte[] bytes() {
		return HexFormat.of().parseHex(this.value);
	}

	/** Lower-case hex, to compare digests whatever their case. */
	public String normalized() {
		return this.value.toLowerCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return wellFormed() ? "sha256:" + normalized().substring(0, 8) + "..." : "(not a SHA-256 digest, not shown)";
	}

	/** 64 hex digits, checked without the value reaching an error message. */
	@Documented
	@Constraint(validatedBy = WellFormed.Check.class)
	@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE })
	@Retention(RetentionPolicy.RUNTIME)
	public @interface WellFormed {

		String message() default "must be 64 hex digits (the SHA-256 of the key, as new-client-key prints it)";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

		class Check implements ConstraintValidator<WellFormed, KeyDigest> {

			@Override
			public boolean isValid(KeyDigest value, ConstraintValidatorContext context) {
				return value == null || value.wellFormed();
			}

		}

	}

}
