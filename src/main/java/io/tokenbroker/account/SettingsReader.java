package io.tokenbroker.account;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.handler.IgnoreTopLevelConverterNotFoundBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;
import org.springframework.validation.Validator;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * Reads the {@code broker.*} settings anew from an environment, bound and checked as at
 * start-up: the same converters ({@link Secret}, {@link KeyDigest}), the same validation
 * and checks across features ({@link SettingsAcrossFeatures}), the same refusal of
 * unknown settings and of durations without a unit. Every {@code broker.*} settings
 * record is bound, each feature's, so that nothing invalid passes, and every problem is
 * named at once.
 */
@Component
public class SettingsReader {

	private static final String ROOT = "broker";

	private final ApplicationConversionService conversions = new ApplicationConversionService();

	/** Built at the first read: a reload may never come, and it costs start-up time. */
	private LocalValidatorFactoryBean validator;

	private final DurationsWithUnits durations = new DurationsWithUnits();

	public SettingsReader() {
		this.conversions.addConverter(new SecretConverter());
		this.conversions.addConverter(new KeyDigestConverter());
	}

	/**
	 * @throws SettingsException for an unknown setting, a duration without a unit, or
	 * values that cannot be bound or are invalid, naming each setting and never a value
	 * ({@link #describe} puts it in one line)
	 */
	public synchronized Bound read(ConfigurableEnvironment environment) {
		UnknownSettings.check(environment);
		Map<Class<?>, Object> bound = new LinkedHashMap<>();
		Set<String> problems = bind(environment, bound);
		if (!problems.isEmpty()) {
			throw new SettingsException(SettingsFailureAnalyzer.INVALID + String.join("\n", problems),
					SettingsFailureAnalyzer.ACTION, null);
		}
		return new Bound(bound);
	}

	/**
	 * What is wrong with the {@code broker.*} settings of an environment, one line each
	 * as the start-up report has them; none when they bind (unknown settings aside).
	 */
	synchronized Set<String> problems(ConfigurableEnvironment environment) {
		return bind(environment, new LinkedHashMap<>());
	}

	private Set<String> bind(ConfigurableEnvironment environment, Map<Class<?>, Object> bound) {
		if (this.validator == null) {
			this.validator = new LocalValidatorFactoryBean();
			this.validator.afterPropertiesSet();
		}
		Binder binder = new Binder(ConfigurationPropertySources.get(environment),
				new PropertySourcesPlaceholdersResolver(environment), List.of(this.conversions), null, null, null);
		SettingsAcrossFeatures acrossFeatures = new SettingsAcrossFeatures(() -> unchecked(binder));
		Set<String> problems = new LinkedHashSet<>();
		for (Class<?> type : UnknownSettings.settingsClasses()) {
			MergedAnnotation<ConfigurationProperties> settings = MergedAnnotations.from(type)
				.get(ConfigurationProperties.class);
			String prefix = settings.isPresent() ? settings.getString("prefix") : "";
			if (prefix.equals(ROOT) || prefix.startsWith(ROOT + ".")) {
				try {
					bound.put(type, binder.bindOrCreate(prefix, Bindable.of(type), handler(type, acrossFeatures)));
				}
				catch (BindException ex) {
					List<String> lines = SettingsFailureAnalyzer.lines(ex);
					if (lines.isEmpty()) {
						throw ex;
					}
					problems.addAll(lines);
				}
			}
		}
		return problems;
	}

	/**
	 * Validation as Spring Boot's: the constraints of the record, which cascade to what
	 * it holds (checking a nested record on its own as well would name its problems
	 * twice, the second time without the setting).
	 */
	private <T> BindHandler handler(Class<T> type, SettingsAcrossFeatures acrossFeatures) {
		return new ValidationBindHandler(this.durations.apply(new IgnoreTopLevelConverterNotFoundBindHandler()),
				Validator.forType(type, this.validator::validate), acrossFeatures);
	}

	/**
	 * The accounts as set, before their own checks, for the checks across features;
	 * {@code null} when they cannot be bound (their own binding says why).
	 */
	private static AccountsProperties unchecked(Binder binder) {
		try {
			return binder.bindOrCreate(ROOT, AccountsProperties.class);
		}
		catch (BindException ex) {
			return null;
		}
	}

	/**
	 * What is wrong with settings, in one line naming each setting and never a value: the
	 * start-up report ({@link SettingsFailureAnalyzer}) with its lines joined.
	 */
	public static String describe(RuntimeException failure) {
		var analysis = new SettingsFailureAnalyzer().analyze(failure);
		String text = (analysis != null) ? analysis.getDescription()
				: "the settings cannot be read (" + failure.getClass().getSimpleName() + ")";
		String[] lines = text.split("\n");
		List<String> items = new ArrayList<>();
		for (int i = 1; i < lines.length; i++) {
			String item = lines[i].strip();
			item = item.startsWith("- ") ? item.substring(2) : item;
			if (!item.isEmpty()) {
				items.add(item);
			}
		}
		return items.isEmpty() ? lines[0].strip() : lines[0].strip() + " " + String.join("; ", items);
	}

	/**
	 * Settings read: one record per feature, each bound and checked.
	 */
	public static final class Bound {

		private final Map<Class<?>, Object> records;

		private Bound(Map<Class<?>, Object> records) {
			this.records = records;
		}

		/** The record of this type, as bound. */
		public <T> T get(Class<T> type) {
			Object record = this.records.get(type);
			if (record == null) {
				throw new IllegalStateException("The settings metadata names no " + type.getName());
			}
			return type.cast(record);
		}

	}

}
