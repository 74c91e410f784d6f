# bench/run's Markdown report, made from its JSON: jq -r -f bench/report.jq bench/results/latest.json

def r(digits): if . == null then "–" else (pow(10; digits) as $p | . * $p | round / $p | tostring) end;
def ratio(a; b): if a == null or b == null or b == 0 then "–" else (a / b | r(2)) end;
def row: "| " + (map(tostring) | join(" | ")) + " |";
def header(columns): (columns | row), (columns | map("---:") | row);
def errors: if . == null then "–" else (.non2xx + .connectErrors + .readErrors + .writeErrors + .timeouts) end;

.meta as $m
| "# tradovate-token-broker benchmarks",
"",
"- **Date**: \($m.date) (UTC), `bench/run\(if $m.mode == "smoke" then " --smoke" else "" end)`, \($m.wallSeconds | r(0)) s in all",
"- **Machine**: \($m.cores) cores (`nproc`), \($m.cpu); load average \($m.loadAverageAtStart) at the start, \($m.loadAverageAtEnd) at the end (load generators run on the same cores)",
"- **Java**: \($m.java); JVM flags default unless a section says otherwise (JAVA_TOOL_OPTIONS: \(if $m.javaToolOptions == "" then "unset" else "`\($m.javaToolOptions)`" end); default max heap \($m.defaultMaxHeap))",
"- **Commit**: \($m.commit)\(if $m.workTreeDirty then " (work tree with uncommitted changes)" else "" end); jar `\($m.jar)` (SHA-256 \($m.jarSha256)…, modified \($m.jarModified))",
"- **Settings**: \($m.secondsPerMeasurement) s per measurement, \($m.warmupSeconds) s warm-up per server, connections \($m.connections), accounts \($m.accounts); hourly limits raised (\($m.hourlyLimits // "–"))",
"",
(if .token == null then empty else ("## 1. GET /token throughput and latency",
"",
(.token as $t
	| "`wrk -t1` on keep-alive connections against the broker (\($t.accounts) accounts, default logging, audit line per token, JVM flags \($t.jvmFlags)), a bare embedded Tomcat servlet with the same key check and nginx serving the same \($t.bodyBytes)-byte body as a static file (no key check); latencies in ms. Each figure is the median of \($t.rounds // 1) round(s), each round measuring the three servers back to back on each row.",
	"",
	header(["connections", "broker req/s", "servlet req/s", "nginx req/s", "broker/servlet", "broker p50", "broker p99",
		"broker p99.9", "servlet p99", "nginx p99", "p99 broker/servlet", "errors broker/servlet/nginx"]),
	($t.runs[] | [.connections, (.broker.rps | r(0)), (.servlet.rps | r(0)), (.nginx.rps | r(0)),
		ratio(.broker.rps; .servlet.rps), (.broker.p50Ms | r(2)), (.broker.p99Ms | r(2)), (.broker.p999Ms | r(2)),
		(.servlet.p99Ms | r(2)), (.nginx.p99Ms | r(2)), ratio(.broker.p99Ms; .servlet.p99Ms),
		"\(.broker | errors)/\(.servlet | errors)/\(.nginx | errors)"] | row),
	"",
	(if $t.notModified == null then "Conditional requests: not measured (this jar gives no ETag)." else "Conditional requests: the broker answering `If-None-Match` with the current ETag (304, no body) at \($t.notModified.connections) connections: **\($t.notModified.rps | r(0)) req/s**, p50 \($t.notModified.p50Ms | r(2)) ms, p99 \($t.notModified.p99Ms | r(2)) ms." end),
	"",
	"Broker answers of 400 or more, warm-up included: **\($t.brokerNon2xx)** (must be 0).\(if $t.hotMethods then " JFR hot methods: `\($t.hotMethods)`." else "" end)"),
"") end),
(if .renewal == null then empty else ("## 2. Renewal under load",
"",
(.renewal as $r
	| "Tokens of \($r.lifetimeSeconds) s at the simulator, \($r.load.connections) connections (one thread and keep-alive connection each, `bench/RenewalLoad.java`) on GET /token/main; upstream calls counted by the simulator between just before and just after the load (\($r.windowSeconds | r(1)) s); a request *overlaps* a renewal when it was in flight at, or started at most \($r.load.windowMs) ms before, the first answer carrying a new token. Broker settings: `\($r.brokerSettings)`. The broker stops serving a token the margin before its expiry (current builds take 1 s more off, for the Date header's whole seconds) and renews a quarter of the lifetime (at most the lead) before that, so tokens this short are renewed more than once per lifetime; 0 logins means every renewal landed on the same session.",
	"",
	header(["token lifetime (s)", "duration (s)", "connections", "requests", "failed", "upstream renewals", "logins",
		"renewals per lifetime", "token changes seen (mean s between)", "p99 overlapping ms (n)", "p99 others ms (n)"]),
	([$r.lifetimeSeconds, ($r.load.seconds | r(1)), $r.load.connections, $r.load.requests, $r.load.failed,
		$r.upstreamRenewals, $r.logins, $r.renewalsPerLifetime, "\($r.load.tokenChanges) (\($r.load.meanSecondsBetweenChanges | r(2)))",
		"\($r.load.overlapping.p99Ms | r(2)) (\($r.load.overlapping.n))", "\($r.load.others.p99Ms | r(2)) (\($r.load.others.n))"] | row),
	"",
	"Statuses: \($r.load.statuses | to_entries | map("\(.key): \(.value)") | join(", ")); max latency \($r.load.all.maxMs | r(1)) ms (overlapping \($r.load.overlapping.maxMs | r(1)) ms); failed renewals \($r.failedRenewals)."),
"") end),
(if .accounts == null then empty else ("## 3. Accounts",
"",
(.accounts as $a
	| "One broker per row (JVM `\($a.jvmFlags)`), each account with its own simulator user: seconds from process launch to readiness 200 and until `/actuator/tokens` shows a token for every account; heap used after `jcmd GC.run` and RSS after a short `wrk` warm-up over all accounts; logins counted by the simulator; when the next renewals are due, from now.",
	"",
	header(["accounts", "ready (s)", "all tokens (s)", "heap after GC (MiB)", "RSS (MiB)", "logins", "next renewals in (s, min–max)"]),
	($a.runs[] | [.accounts, (.readySeconds | r(2)),
		(if .allTokensSeconds == null then "not within the time-out (\(.accountsWithToken) of \(.accounts))" else (.allTokensSeconds | r(2)) end),
		(.heapAfterGcMiB | r(1)), (.rssMiB | r(1)), .logins,
		(if .renewalInSeconds == null then "–" else "\(.renewalInSeconds.min)–\(.renewalInSeconds.max)" end)] | row)),
"") end),
(if .startup == null then empty else ("## 4. Start-up",
"",
(.startup as $s
	| "The broker with its embedded simulator (`--spring.profiles.active=sim`, JVM flags \($s.jvmFlags)): seconds from process launch to readiness 200 and to the first GET /token 200 (`sim-demo-key`), polled every 50 ms; RSS 5 s later, idle.",
	"",
	header(["run", "to readiness (s)", "to first token (s)", "RSS idle (MiB)"]),
	($s.runs[] | [.run, (.readySeconds | r(2)), (.firstTokenSeconds | r(2)), (.rssIdleMiB | r(1))] | row),
	(if $s.image == null then empty else
		("",
		"The project's image built from the same jar on `\($s.image.baseImage)` (\($s.image.java // "java"); \({"aot-cache": "the JVM's ahead-of-time cache", "cds": "a class data archive"}[$s.image.startArchive // (if $s.image.cds then "cds" else "none" end)] // "no start-up archive") from the build's training run), `docker run ... --spring.profiles.active=sim`\(if $s.image.memoryLimit then " with a memory limit of \($s.image.memoryLimit), JAVA_OPTS `\($s.image.javaOpts)`" else "" end): seconds from `docker run` to readiness 200 and to the first token; 5 s later, the container's memory (`docker stats`) and the RSS of its JVM (read inside the container).",
		"",
		header(["run", "to readiness (s)", "to first token (s)", "memory (MiB)", "JVM RSS (MiB)"]),
		($s.image.runs[] | [.run, (.readySeconds | r(2)), (.firstTokenSeconds | r(2)), (.memoryMiB | r(1)), (.jvmRssMiB | r(1))] | row),
		(if ([$s.image.runs[] | .steps // empty] | length) == 0 then empty else
			("",
			"Where each start's time went, in seconds, from the container's log (`bench/run`'s `start_steps`): Docker creating and starting the container until the JVM runs; the JVM, the settings and the logging until Spring logs `Starting`; the context until `Started` (bean creation, the web server; with the embedded simulator the first login starts with the web server, so it lies inside); the first login on its own (request to answer); from then until the poller, every 50 ms, had the token.",
			"",
			header(["run", "Docker until the JVM runs", "JVM and settings", "context", "of which the first login", "until the caller had it"]),
			($s.image.runs[] | select(.steps != null) | [.run, (.steps.container | r(2)), (.steps.jvm | r(2)), (.steps.context | r(2)), (.steps.login | r(2)), (.steps.toCaller | r(2))] | row))
		end),
		(if ($s.image.accounts // []) == [] then empty else
			("",
			"The image as the broker of N accounts (memory store) against the standalone simulator of the jar, on the host's network: seconds from `docker run` to readiness and to a token for every account; 5 s later, idle, the RSS of its JVM and the container's memory.",
			"",
			header(["accounts", "to readiness (s)", "every token (s)", "JVM RSS idle (MiB)", "memory (MiB)"]),
			($s.image.accounts[] | [.accounts, (.readySeconds | r(2)), (.allTokensSeconds | r(2)), (.jvmRssIdleMiB | r(1)), (.memoryMiB | r(1))] | row))
		end))
	end)),
"") end),
(if .gc == null then empty else ("## Collectors on the image's JVM",
"",
(.gc as $g
	| "`GET /token/main` at \($g.connections) connections, one container of the image per collector (memory limit \($g.memoryLimit), the image's JAVA_OPTS `\($g.imageJavaOpts)` with the collector's flags), beside the bare servlet measured right after each; medians of \($g.rounds) round(s). Pauses: the stop-the-world pauses the JVM's gc log printed over the whole run, warm-up included.",
	"",
	header(["collector", "flags", "req/s", "servlet req/s", "broker/servlet", "p99 ms", "servlet p99 ms", "p99 broker/servlet", "p99 ms by round", "pauses", "max pause ms", "total pause ms"]),
	($g.collectors[] | [.server, (if .flags == "" then "–" else "`\(.flags)`" end), (.rps | r(0)), (.servletRps | r(0)), ratio(.rps; .servletRps),
		(.p99Ms | r(2)), (.servletP99Ms | r(2)), ratio(.p99Ms; .servletP99Ms), (.p99MsRounds | map(r(1)) | join(" / ")),
		.pauses, (.maxPauseMs | r(1)), (.totalPauseMs | r(1))] | row)),
"") end),
(if .fanout == null then empty else ("## 5. Event stream fan-out",
"",
(.fanout as $f
	| "\($f.streams) callers hold `GET /token/main/events` open (`bench/StreamFanout.java`, the JDK's HTTP client, no thread per stream); once each has its first token event, one `POST /actuator/tokens/main` makes the broker renew, and each stream's next token event is timed from the moment that request was sent (the renewal at the simulator included). Connecting all streams took \($f.connectSeconds | r(2)) s.",
	"",
	header(["streams", "received the new token", "renewal request (ms)", "p50 (ms)", "p99 (ms)", "all within (ms)"]),
	([$f.streams, $f.received, ($f.renewCallMs | r(1)), ($f.p50Ms | r(1)), ($f.p99Ms | r(1)), ($f.maxMs | r(1))] | row)),
"") end)
,
(if .gateway == null then empty else ("## 6. The gateway",
"",
(.gateway as $g
	| "Tradovate's REST API and trading WebSocket against the standalone simulator: directly with the broker's token, and through the gateway (`/tradovate/main/...`) with the client key; the gateway's own hourly request count off, every other rule on. REST: `GET account/list` with wrk; WebSocket: `account/list` requests on one socket one after the other (round trip), and on 8 sockets with 32 in flight each (frames relayed per second, requests and answers; `bench/GatewaySockets.java`).",
	"",
	header(["REST", "connections", "requests/s", "p50 (ms)", "p99 (ms)", "errors"]),
	($g.rest[] | [.route, .connections, (.rps | r(0)), (.p50Ms | r(3)), (.p99Ms | r(3)), errors] | row),
	"",
	header(["WebSocket", "round trip p50 (ms)", "p99 (ms)", "max (ms)", "frames/s (8 sockets)"]),
	(["direct", ($g.socketRoundTrip.direct.p50Ms | r(3)), ($g.socketRoundTrip.direct.p99Ms | r(3)), ($g.socketRoundTrip.direct.maxMs | r(1)), ($g.framesPerSecond.direct.framesPerSecond | r(0))] | row),
	(["gateway", ($g.socketRoundTrip.gateway.p50Ms | r(3)), ($g.socketRoundTrip.gateway.p99Ms | r(3)), ($g.socketRoundTrip.gateway.maxMs | r(1)), ($g.framesPerSecond.gateway.framesPerSecond | r(0))] | row),
	"",
	"The connection limit: trading sockets asked for through the gateway one after the other and kept open (`broker.gateway.max-sockets` \($g.ceiling.maxSockets); the simulator, as Tradovate, allows \($g.ceiling.simulatorMaxConnections) and revokes the token past them).",
	"",
	header(["sockets asked for", "authorized", "refused by the broker", "close codes", "closed afterwards", "tokens revoked by the simulator"]),
	([$g.ceiling.asked, $g.ceiling.authorized, $g.ceiling.refused, ($g.ceiling.closeCodes | join(", ")), $g.ceiling.closedAfterwards, $g.ceiling.revokedBySimulator] | row)),
"") end)
