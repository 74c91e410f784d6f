package io.tokenbroker.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.TestPropertySource;

import io.tokenbroker.testing.AgainstEmbeddedSimulator;
import io.tokenbroker.testing.BrokerCaller;
import io.tokenbroker.testing.EventStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every query of every dashboard in {@code deploy/grafana/} (panel expressions and
 * template variables) uses only metric names that a real {@code /actuator/prometheus}
 * answer of the broker carries: a renamed or misspelt metric fails here, not on an
 * operator's empty panel. The broker runs on its file store, with a caller that fetched a
 * token and one that keeps an event stream open, so that every broker metric is there.
 */
@TestPropertySource(properties = { "broker.store.type=file",
		"broker.store.path=${java.io.tmpdir}/grafana-dashboard-tests-${random.uuid}" })
class GrafanaDashboardTests extends AgainstEmbeddedSimulator {

	private static final Path DASHBOARDS = Path.of("deploy", "grafana");

	/** PromQL's words that are not metric names. */
	private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
			"bool", "and", "or", "unless", "offset", "inf", "nan", "atan2");

	private final BrokerCaller admin = caller("sim-demo-key");

	@Test
	void everyMetricOfEveryDashboardIsOneTheBrokerExposes() throws IOException {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.admin.get("/token").statusCode() == 200);
		Set<String> exposed;
		try (EventStream stream = EventStream.open(PORT, "/token/events", "sim-demo-key", null)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> !stream.tokens().isEmpty());
			exposed = exposedMetrics(this.admin.get("/actuator/prometheus").body());
		}
		assertThat(exposed).contains("broker_token_seconds_left", "broker_store_operations_seconds_count",
				"broker_token_streams");

		Map<String, Set<String>> used = dashboardMetrics();
		assertThat(used).as("dashboards in %s", DASHBOARDS).isNotEmpty();
		used.forEach((dashboard, metrics) -> {
			assertThat(metrics).as("%s: its queries", dashboard).hasSizeGreaterThan(10);
			assertThat(exposed)
				.as("%s: metric names its queries use that /actuator/prometheus does not carry", dashboard)
				.containsAll(metrics);
		});
	}

	@Test
	void theMetricNamesOfAQueryAreFoundAndNothingElse() {
		assertThat(metricNames("sum by (operation, outcome) (rate(broker_upstream_calls_seconds_count"
				+ "{job=~\"$job\", account=~\"$account\", outcome!~\"granted|identified\"}[$__rate_interval]))"))
			.containsExactly("broker_upstream_calls_seconds_count");
		assertThat(metricNames("max by (kind) (broker_upstream_budget_used{instance=~\"a:1\"}) / on (kind) "
				+ "max by (kind) (broker_upstream_budget_limit) > bool 0.8 offset 5m"))
			.containsExactly("broker_upstream_budget_limit", "broker_upstream_budget_used");
		assertThat(metricNames("label_values(broker_token_seconds_left{job=~\"$job\"}, account)"))
			.containsExactly("broker_token_seconds_left");
		assertThat(metricNames("label_values(job)")).isEmpty();
		assertThat(metricNames(
				"histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket[5m])))" + " * 1e3"))
			.containsExactly("http_server_requests_seconds_bucket");
	}

	@Test
	void aMisspeltMetricIsReported() {
		Set<String> exposed = exposedMetrics("""
				# HELP broker_logins_total Logins started
				# TYPE broker_logins_total counter
				broker_logins_total{account="sim",reason="scheduled"} 1.0
				""");
		assertThat(exposed).containsExactly("broker_logins_total");
		assertThat(metricNames("increase(broker_login_total[1h])")).isNotEmpty().doesNotContainAnyElementsOf(exposed);
	}

	/** The metric names of a Prometheus text exposition. */
	static Set<String> exposedMetrics(String scrape) {
		return scrape.lines()
			.filter((line) -> !line.isBlank() && !line.startsWith("#"))
			.map((line) -> line.split("[{ ]", 2)[0])
			.collect(Collectors.toCollection(TreeSet::new));
	}

	/** Each dashboard's metric names, from its panels' and variables' queries. */
	static Map<String, Set<String>> dashboardMetrics() throws IOException {
		Map<String, Set<String>> dashboards = new LinkedHashMap<>();
		try (Stream<Path> files = Files.list(DASHBOARDS)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".json")).sorted().toList()) {
				JsonNode dashboard = JsonMapper.shared().readTree(file.toFile());
				List<String> queries = new ArrayList<>();
				collectQueries(dashboard, queries);
				Set<String> metrics = new TreeSet<>();
				queries.forEach((query) -> metrics.addAll(metricNames(query)));
				dashboards.put(file.toString(), metrics);
			}
		}
		return dashboards;
	}

	/** Every {@code expr}, and every variable's {@code query} and {@code definition}. */
	private static void collectQueries(JsonNode node, List<String> queries) {
		if (node.isObject()) {
			for (String field : List.of("expr", "definition")) {
				if (node.path(field).isString()) {
					queries.add(node.path(field).stringValue());
				}
			}
			if (node.path("query").isString() && node.has("refId")) {
				queries.add(node.path("query").stringValue());
			}
			node.values().forEach((child) -> collectQueries(child, queries));
		}
		else if (node.isArray()) {
			node.values().forEach((child) -> collectQueries(child, queries));
		}
	}

	/** The metric names a PromQL query (or Grafana's {@code label_values}) reads. */
	static Set<String> metricNames(String query) {
		Set<String> names = new TreeSet<>();
		Matcher labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{,]").matcher(query);
		if (query.strip().startsWith("label_values(")) {
			if (labelValues.find()) {
				names.add(labelValues.group(1));
			}
			return names;
		}
		String text = query.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
			.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
			.replaceAll("\\$\\{?\\w+}?", "")
			.replaceAll("\\{[^}]*}", " ")
			.replaceAll("\\[[^]]*]", " ")
			.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
		Matcher word = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(text);
		while (word.find()) {
			if (word.group(2) == null && !KEYWORDS.contains(word.group(1))) {
				names.add(word.group(1));
			}
		}
		return names;
	}

}
