package io.tokenbroker.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * An OpenAPI 3.1 document as a contract that real answers are held to: each answer's
 * status must be documented for its operation, its media type for that status, its body
 * must validate against the documented schema (JSON Schema 2020-12, {@code $ref}s
 * resolved, formats asserted) and every required header must be there with a valid value.
 * Every answer checked is recorded, so that a test can tell which documented answers were
 * never seen.
 */
final class OpenApiContract {

	/** The IRI the document is known by to the schema validator. */
	private static final String BASE = "https://tokenbroker.io/openapi.json";

	private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
			"trace");

	/** An operation's custom extension describing the events of a text/event-stream. */
	private static final String EVENTS = "x-events";

	private static final String EVENT_STREAM = "text/event-stream";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String text;

	private final JsonNode document;

	private final SchemaRegistry schemas;

	private final Set<String> seen = new ConcurrentSkipListSet<>();

	private OpenApiContract(String text) {
		this.text = text;
		this.document = YAMLMapper.builder().build().readTree(text);
		String asJson = json.writeValueAsString(this.document);
		this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
				(registry) -> registry.schemas(Map.of(BASE, asJson))
					.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
	}

	static OpenApiContract load(Path document) {
		try {
			return new OpenApiContract(Files.readString(document));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The document as swagger-parser reads it, every reference resolved. */
	SwaggerParseResult parse() {
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		options.setValidateInternalRefs(true);
		return new OpenAPIV3Parser().readContents(this.text, null, options);
	}

	JsonNode document() {
		return this.document;
	}

	/** Every documented operation, as {@code GET /token/{account}}. */
	Set<String> operations() {
		Set<String> operations = new TreeSet<>();
		this.document.path("paths").properties().forEach((path) -> path.getValue().propertyNames().forEach((method) -> {
			if (METHODS.contains(method)) {
				operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
			}
		}));
		return operations;
	}

	/**
	 * Every documented answer, as {@code GET /token 200 application/json} ({@code -} for
	 * an answer without a body).
	 */
	Set<String> answers() {
		Set<String> answers = new TreeSet<>();
		for (String operation : operations()) {
			String[] parts = operation.split(" ");
			Located responses = operation(parts[0], parts[1]).at("responses");
			responses.node().propertyNames().forEach((status) -> {
				Located content = resolve(responses.at(status)).at("content");
				if (content.node().isMissingNode() || content.node().isEmpty()) {
					answers.add(operation + " " + status + " -");
				}
				content.node().propertyNames().forEach((type) -> answers.add(operation + " " + status + " " + type));
			});
		}
		return answers;
	}

	/** The documented answers no {@link #check} has seen yet. */
	Set<String> unseen() {
		Set<String> unseen = new TreeSet<>(answers());
		unseen.removeAll(this.seen);
		return unseen;
	}

	/**
	 * Holds a real answer to the contract of the operation it answers.
	 * @param method the request's method
	 * @param path the documented path template the request was sent to, such as
	 * {@code /token/{account}}
	 * @throws AssertionError naming every way the answer differs from the document
	 */
	void check(String method, String path, Answer answer) {
		List<String> violations = new ArrayList<>();
		Located response = documentedResponse(method, path, answer.status(), violations);
		if (response != null) {
			checkHeaders(response, answer, violations);
			checkBody(method, path, response, answer, violations);
		}
		fail(method + " " + path + " answered " + answer.status(), violations, answer);
	}

	/**
	 * Holds the events a stream answered with to the {@code x-events} of its documented
	 * {@code text/event-stream} answer: each event's name is documented, it has an
	 * {@code id} when documented so and none when documented so, and its data validates.
	 */
	void checkEvents(String method, String path, Answer head, List<Event> events) {
		check(method, path, head);
		Located eventsOf = documentedResponse(method, path, head.status(), new ArrayList<>()).at("content")
			.at(EVENT_STREAM)
			.at(EVENTS);
		for (Event event : events) {
			List<String> violations = new ArrayList<>();
			Located documented = eventsOf.at(event.name());
			if (documented.node().isMissingNode()) {
				violations.add("event \"" + event.name() + "\" is not documented (" + eventsOf.pointer() + ")");
			}
			else {
				String id = documented.node().path("id").asString("optional");
				if (id.equals("required") && event.id() == null) {
					violations.add("event \"" + event.name() + "\" has no id");
				}
				if (id.equals("none") && event.id() != null) {
					violations.add("event \"" + event.name() + "\" has an id: " + event.id());
				}
				validate(documented.at("data"), json.readTree(event.data()), "data of event " + event.name(),
						violations);
			}
			fail(method + " " + path + " event " + event.name(), violations, null);
		}
	}

	/**
	 * Every {@code example} of a media type and every {@code examples} entry of a schema
	 * that does not validate against its schema.
	 */
	List<String> invalidExamples() {
		List<String> violations = new ArrayList<>();
		collectExamples(new Located(this.document, ""), violations);
		return violations;
	}

	private void collectExamples(Located at, List<String> violations) {
		JsonNode node = at.node();
		if (node.isObject()) {
			if (node.has("example") && node.has("schema")) {
				validate(at.at("schema"), node.get("example"), "example at " + at.pointer(), violations);
			}
			if (at.pointer().startsWith("/components/schemas/") && node.path("examples").isArray()) {
				for (int i = 0; i < node.get("examples").size(); i++) {
					validate(at, node.get("examples").get(i), "examples/" + i + " at " + at.pointer(), violations);
				}
			}
			node.propertyNames().forEach((name) -> collectExamples(at.at(name), violations));
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				collectExamples(at.at(Integer.toString(i)), violations);
			}
		}
	}

	private Located documentedResponse(String method, String path, int status, List<String> violations) {
		Located operation = operation(method, path);
		if (operation.node().isMissingNode()) {
			violations.add("the operation " + method + " " + path + " is not documented");
			return null;
		}
		Located response = operation.at("responses").at(Integer.toString(status));
		if (response.node().isMissingNode()) {
			violations.add("status " + status + " is not documented for " + method + " " + path + " (documented: "
					+ operation.at("responses").node().propertyNames() + ")");
			return null;
		}
		return resolve(response);
	}

	private void checkHeaders(Located response, Answer answer, List<String> violations) {
		Located headers = response.at("headers");
		headers.node().propertyNames().forEach((name) -> {
			Located header = resolve(headers.at(name));
			List<String> values = answer.header(name);
			if (values.isEmpty()) {
				if (header.node().path("required").asBoolean(false)) {
					violations.add("the required header " + name + " is missing");
				}
				return;
			}
			for (String value : values) {
				validate(header.at("schema"), headerValue(header.at("schema"), value), "header " + name, violations);
			}
		});
	}

	private void checkBody(String method, String path, Located response, Answer answer, List<String> violations) {
		Located content = response.at("content");
		String type = answer.mediaType();
		if (content.node().isMissingNode() || content.node().isEmpty()) {
			if (!answer.body().isEmpty()) {
				violations.add("a body is not documented for this status: " + answer.body());
			}
			this.seen.add(method + " " + path + " " + answer.status() + " -");
			return;
		}
		if (type == null || content.at(type).node().isMissingNode()) {
			violations.add("content type " + answer.contentType() + " is not documented (documented: "
					+ content.node().propertyNames() + ")");
			return;
		}
		this.seen.add(method + " " + path + " " + answer.status() + " " + type);
		if (type.equals(EVENT_STREAM)) {
			return;
		}
		JsonNode body = (type.equals("application/json") || type.endsWith("+json")) ? json.readTree(answer.body())
				: JsonNodeFactory.instance.stringNode(answer.body());
		validate(content.at(type).at("schema"), body, "body", violations);
	}

	private void validate(Located schema, JsonNode value, String what, List<String> violations) {
		Schema validator = this.schemas.getSchema(SchemaLocation.of(BASE + "#" + schema.pointer()));
		for (Error error : validator.validate(value)) {
			violations.add(what + ": " + error + " (schema " + schema.pointer() + ")");
		}
	}

	/**
	 * A header's value as the JSON its schema describes: a number where it asks for one.
	 */
	private JsonNode headerValue(Located schema, String value) {
		String type = resolve(schema).node().path("type").asString("");
		if ((type.equals("integer") || type.equals("number")) && value.matches("-?[0-9]{1,18}")) {
			return JsonNodeFactory.instance.numberNode(Long.parseLong(value));
		}
		return JsonNodeFactory.instance.stringNode(value);
	}

	private Located operation(String method, String path) {
		return new Located(this.document, "").at("paths").at(path).at(method.toLowerCase(Locale.ROOT));
	}

	/** Follows local {@code $ref}s, keeping the pointer of the node reached. */
	private Located resolve(Located at) {
		Located resolved = at;
		for (int hops = 0; resolved.node().has("$ref"); hops++) {
			String ref = resolved.node().get("$ref").asString();
			if (!ref.startsWith("#/") || hops > 10) {
				throw new IllegalStateException("Cannot resolve " + ref + " at " + resolved.pointer());
			}
			String pointer = ref.substring(1);
			resolved = new Located(this.document.at(pointer), pointer);
		}
		return resolved;
	}

	private static void fail(String what, List<String> violations, Answer answer) {
		if (!violations.isEmpty()) {
			throw new AssertionError(what + " differs from docs/openapi.yaml:\n  " + String.join("\n  ", violations)
					+ ((answer != null) ? "\nanswer: " + answer : ""));
		}
	}

	/** A node of the document and its JSON pointer. */
	private record Located(JsonNode node, String pointer) {

		Located at(String name) {
			String escaped = name.replace("~", "~0").replace("/", "~1");
			JsonNode child = this.node.isArray() ? this.node.path(Integer.parseInt(name)) : this.node.path(name);
			return new Located(child, this.pointer + "/" + escaped);
		}

	}

	/**
	 * One answer as it came over the wire.
	 *
	 * @param status the status
	 * @param headers every header, names in any case
	 * @param body the body, empty when none
	 */
	record Answer(int status, Map<String, List<String>> headers, String body) {

		List<String> header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((header) -> header.getKey().equalsIgnoreCase(name))
				.map(Map.Entry::getValue)
				.findFirst()
				.orElse(List.of());
		}

		String contentType() {
			List<String> types = header("Content-Type");
			return types.isEmpty() ? null : types.get(0);
		}

		/** The content type without its parameters, in lower case. */
		String mediaType() {
			String type = contentType();
			return (type != null) ? type.split(";")[0].strip().toLowerCase(Locale.ROOT) : null;
		}

		/** Status, headers and, unless it may hold a token, the body. */
		@Override
		public String toString() {
			String shown = "application/problem+json".equals(mediaType()) ? this.body
					: "(" + this.body.length() + " characters)";
			return this.status + " " + this.headers + " " + shown;
		}

	}

	/**
	 * One Server-Sent Event.
	 *
	 * @param name its {@code event} field
	 * @param id its {@code id} field, or {@code null}
	 * @param data its data
	 */
	record Event(String name, String id, String data) {

	}

}
