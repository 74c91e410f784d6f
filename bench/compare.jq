# Two bench/run results side by side, in Markdown:
#   jq -r -n --slurpfile before bench/results/before.json --slurpfile after bench/results/latest.json -f bench/compare.jq

def r(digits): if . == null then "–" else (pow(10; digits) as $p | . * $p | round / $p | tostring) end;
def ratio(a; b): if a == null or b == null or b == 0 then "–" else (a / b | r(2)) end;
def row: "| " + (map(tostring) | join(" | ")) + " |";
def header(columns): (columns | row), (columns | map("---:") | row);
def median: sort | if length == 0 then null else .[(length - 1) / 2 | floor] end;

$before[0] as $b | $after[0] as $a
| "Before: `\($b.meta.jar | split("/") | last)` (SHA-256 \($b.meta.jarSha256)…), \($b.meta.date); after: `\($a.meta.jar | split("/") | last)` (SHA-256 \($a.meta.jarSha256)…), \($a.meta.date). Each run measures the broker beside the same bare servlet and nginx, so compare the ratios first: the machine's speed differs between runs.",
"",
(if $b.token != null and $a.token != null then
	("### GET /token (wrk -t1, authenticated, 4 accounts, default logging)",
	"",
	header(["connections", "req/s before", "req/s after", "broker/servlet before", "broker/servlet after",
		"p99 ms before", "p99 ms after", "p99 broker/servlet before", "p99 broker/servlet after"]),
	($a.token.runs[] | . as $x | ($b.token.runs[] | select(.connections == $x.connections)) as $y
		| [$x.connections, ($y.broker.rps | r(0)), ($x.broker.rps | r(0)),
			ratio($y.broker.rps; $y.servlet.rps), ratio($x.broker.rps; $x.servlet.rps),
			($y.broker.p99Ms | r(2)), ($x.broker.p99Ms | r(2)),
			ratio($y.broker.p99Ms; $y.servlet.p99Ms), ratio($x.broker.p99Ms; $x.servlet.p99Ms)] | row),
	"")
else empty end),
(if $b.startup != null and $a.startup != null then
	("### Start-up (profile sim, median of the runs)",
	"",
	header(["", "to readiness (s)", "to first token (s)", "RSS idle (MiB)"]),
	(["before", ([$b.startup.runs[].readySeconds] | median | r(2)), ([$b.startup.runs[].firstTokenSeconds] | median | r(2)),
		([$b.startup.runs[].rssIdleMiB] | median | r(1))] | row),
	(["after", ([$a.startup.runs[].readySeconds] | median | r(2)), ([$a.startup.runs[].firstTokenSeconds] | median | r(2)),
		([$a.startup.runs[].rssIdleMiB] | median | r(1))] | row),
	(if $b.startup.image != null then (["before, image", ([$b.startup.image.runs[].readySeconds] | median | r(2)),
		([$b.startup.image.runs[].firstTokenSeconds] | median | r(2)), "–"] | row) else empty end),
	(if $a.startup.image != null then (["after, image", ([$a.startup.image.runs[].readySeconds] | median | r(2)),
		([$a.startup.image.runs[].firstTokenSeconds] | median | r(2)), "–"] | row) else empty end),
	"")
else empty end),
(if $b.accounts != null and $a.accounts != null then
	("### Accounts (-Xmx256m)",
	"",
	header(["accounts", "all tokens (s) before", "after", "heap after GC (MiB) before", "after"]),
	($a.accounts.runs[] | . as $x | ($b.accounts.runs[] | select(.accounts == $x.accounts)) as $y
		| [$x.accounts, ($y.allTokensSeconds | r(2)), ($x.allTokensSeconds | r(2)), ($y.heapAfterGcMiB | r(1)),
			($x.heapAfterGcMiB | r(1))] | row),
	"")
else empty end)
