import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the broker with Spring's start-up recorder and prints the longest steps (each
 * includes the steps it contains), then stops it. Run by bench/startup-timeline.sh.
 */
public class StartupTimeline {

	public static void main(String[] args) {
		long start = System.nanoTime();
		SpringApplication application = new SpringApplication(io.tokenbroker.TokenBrokerApplication.class);
		// with -Dspring.aot.enabled=true, the generated code is found by the broker's main class
		application.setMainApplicationClass(io.tokenbroker.TokenBrokerApplication.class);
		BufferingApplicationStartup recorder = new BufferingApplicationStartup(100_000);
		application.setApplicationStartup(recorder);
		ConfigurableApplicationContext context = application.run(args);
		System.out.printf("SpringApplication.run: %d ms%n", (System.nanoTime() - start) / 1_000_000);
		List<org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent> steps = new ArrayList<>(recorder.getBufferedTimeline().getEvents());
		steps.sort((a, b) -> b.getDuration().compareTo(a.getDuration()));
		for (org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent step : steps.subList(0, Math.min(Integer.getInteger("top", 40), steps.size()))) {
			StringBuilder tags = new StringBuilder();
			step.getStartupStep().getTags().forEach((tag) -> tags.append(' ').append(tag.getKey()).append('=').append(tag.getValue()));
			System.out.printf("%6d ms  %s%s%n", step.getDuration().toMillis(), step.getStartupStep().getName(), tags);
		}
		context.close();
	}

}
