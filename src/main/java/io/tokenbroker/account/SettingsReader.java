package io.tokenbroker.account;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
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
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * Reads the {@code broker.*} settings anew from an environment, bound and checked as at
 * start-up: the same converters ({@link Secret}, {@link KeyDigest}), the same validation,
 * the same refusal of unknown settings and of durations without a unit. Every
 * {@code broker.*} settings class is bound, so that nothing invalid passes; the core
 * contract is returned.
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
	 * @throws SettingsException for an unknown setting or a duration without a unit
	 * @throws org.springframework.boot.context.properties.bind.BindException for a value
	 * that cannot be bound or is invalid; {@link #describe} says which, without a value
	 */
	public synchronized BrokerProperties read(ConfigurableEnvironment environment) {
		if (this.validator == null) {
			this.validator = new LocalValidatorFactoryBean();
			this.validator.afterPropertiesSet();
		}
		UnknownSettings.check(environment);
		Binder binder = new Binder(ConfigurationPropertySources.get(environment),
				new PropertySourcesPlaceholdersResolver(environment), List.of(this.conversions), null, null, null);
		BrokerProperties broker = null;
		for (Class<?> type : UnknownSettings.settingsClasses()) {
			MergedAnnotation<ConfigurationProperties> settings = MergedAnnotations.from(type)
				.get(ConfigurationProperties.class);
			String prefix = settings.isPresent() ? settings.getString("prefix") : "";
			if (prefix.equals(ROOT) || prefix.startsWith(ROOT + ".")) {
				Object bound = binder.bindOrCreate(prefix, Bindable.of(type), handler());
				if (bound instanceof BrokerProperties properties) {
					broker = properties;
				}
			}
		}
		if (broker == null) {
			throw new IllegalStateException("The settings metadata names no " + BrokerProperties.class.getName());
		}
		return broker;
	}

	private BindHandler handler() {
		return new ValidationBindHandler(this.durations.apply(new IgnoreTopLevelConverterNotFoundBindHandler()),
				this.validator);
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

}
