#!/usr/bin/env bash
# Checks that every relative link and #anchor in the project's Markdown resolves, and that
# every runbook_url of the Kubernetes alerts points to an existing heading of docs/operate.md.
#
#   bash docs/check-links.sh
#
# Files: README.md, CHANGELOG.md, docs/*.md, deploy/kubernetes/README.md, clients/**/README*.
# Links to https://github.com/tokenbroker/tradovate-token-broker/blob/main/<path> count as
# links to <path> in this checkout; other http(s) and mailto links are not followed.
# Anchors follow GitHub's rules: the heading's text, lower case, punctuation removed,
# spaces to '-', and -1, -2... for repeated headings.
#
# Exits 1 naming each broken link (file:line). Needs node (18+), as deploy/kubernetes/check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null || { echo "check-links: node is needed (Node.js 18+)" >&2; exit 1; }

# Files other work adds; a link to one that is still missing is a warning, not a failure.
# Remove an entry once the file is in the repository.
PENDING=()

PENDING_LIST=$(printf '%s\n' "${PENDING[@]}") node -e '
const fs = require("fs");
const path = require("path");

const REPO_URL = "https://github.com/tokenbroker/tradovate-token-broker/blob/main/";
const pending = new Set(process.env.PENDING_LIST.split("\n").filter(Boolean));
const problems = [];
const warnings = [];
let checked = 0;

function walk(dir, found) {
	if (!fs.existsSync(dir)) return found;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			if (entry.name !== "node_modules" && !entry.name.startsWith(".")) walk(full, found);
		} else {
			found.push(full);
		}
	}
	return found;
}

const files = [
	"README.md",
	"CHANGELOG.md",
	...(fs.existsSync("docs") ? fs.readdirSync("docs").filter((f) => f.endsWith(".md")).sort().map((f) => "docs/" + f) : []),
	"deploy/kubernetes/README.md",
	...walk("clients", []).filter((f) => /^README/i.test(path.basename(f))).sort(),
].filter((f) => fs.existsSync(f));

// Lines outside fenced code blocks, with their numbers
function proseLines(text) {
	const out = [];
	let fence = null;
	text.split("\n").forEach((line, i) => {
		const m = line.match(/^ {0,3}(`{3,}|~{3,})/);
		if (m && fence === null) { fence = m[1]; return; }
		if (m && fence !== null && m[1][0] === fence[0] && m[1].length >= fence.length && /^ {0,3}(`+|~+)\s*$/.test(line)) { fence = null; return; }
		if (fence === null) out.push({ line, number: i + 1 });
	});
	return out;
}

// GitHub: the rendered text of a heading, lower case, without punctuation, spaces to "-"
function slug(heading) {
	const text = heading
		.replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
		.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
		.replace(/<[^>]+>/g, "")
		.trim()
		.toLowerCase();
	return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

const anchorCache = new Map();
function anchorsOf(file) {
	if (anchorCache.has(file)) return anchorCache.get(file);
	const anchors = new Set();
	const seen = new Map();
	const add = (base) => {
		const n = seen.get(base) || 0;
		anchors.add(n === 0 ? base : base + "-" + n);
		seen.set(base, n + 1);
	};
	const lines = proseLines(fs.readFileSync(file, "utf8"));
	lines.forEach(({ line }, i) => {
		const atx = line.match(/^ {0,3}#{1,6}\s+(.*?)(\s+#+\s*)?$/);
		if (atx) { add(slug(atx[1])); return; }
		const next = lines[i + 1];
		if (next && /^ {0,3}(=+|-+)\s*$/.test(next.line) && next.number === lines[i].number + 1
			&& line.trim() !== "" && !/^\s*([|>#*+-]|\d+\.)/.test(line) && !/^ {4}/.test(line)) {
			add(slug(line));
		}
		for (const m of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(m[1]);
	});
	anchorCache.set(file, anchors);
	return anchors;
}

function check(source, number, target, what) {
	checked++;
	const where = `${source}:${number}`;
	let link = target.trim();
	if (link.startsWith("<") && link.endsWith(">")) link = link.slice(1, -1);
	if (link.startsWith(REPO_URL)) {
		link = path.relative(path.dirname(source), link.slice(REPO_URL.length)) || path.basename(source);
	} else if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith("//")) {
		checked--;
		return;
	}
	const hash = link.indexOf("#");
	let file = hash >= 0 ? link.slice(0, hash) : link;
	const anchor = hash >= 0 ? decodeURIComponent(link.slice(hash + 1)) : null;
	file = decodeURIComponent(file.replace(/\?.*$/, ""));
	const resolved = file === "" ? source : path.normalize(path.join(path.dirname(source), file));
	if (!fs.existsSync(resolved)) {
		const key = resolved.replace(/\/$/, "");
		if (pending.has(key)) {
			warnings.push(`${where}: ${what} ${target}: ${key} is not in this checkout yet (listed as pending)`);
		} else {
			problems.push(`${where}: ${what} ${target}: ${resolved} does not exist`);
		}
		return;
	}
	if (anchor === null || anchor === "") return;
	if (!resolved.endsWith(".md")) {
		problems.push(`${where}: ${what} ${target}: an anchor into ${resolved}, which is not Markdown`);
		return;
	}
	if (!anchorsOf(resolved).has(anchor)) {
		const near = [...anchorsOf(resolved)].filter((a) => a.includes(anchor) || anchor.includes(a)).slice(0, 3);
		problems.push(`${where}: ${what} ${target}: no heading #${anchor} in ${resolved}` + (near.length ? ` (near: ${near.map((a) => "#" + a).join(", ")})` : ""));
	}
}

for (const file of files) {
	const text = fs.readFileSync(file, "utf8");
	for (const { line, number } of proseLines(text)) {
		const prose = line.replace(/(`+)(?:(?!\1).)+?\1/g, "");
		for (const m of prose.matchAll(/!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^()\s]*(?:\([^()]*\)[^()\s]*)*)(?:\s+"[^"]*")?\s*\)/g)) {
			check(file, number, m[1], "link");
		}
		const definition = prose.match(/^ {0,3}\[[^\]]+\]:\s*(\S+)/);
		if (definition) check(file, number, definition[1], "link");
		for (const m of prose.matchAll(/<a\s+[^>]*href="([^"]+)"/g)) check(file, number, m[1], "link");
	}
}

// runbook_url of every alert (the self-tests of deploy/kubernetes/test are wrong on purpose)
const rules = walk("deploy/kubernetes", []).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith("deploy/kubernetes/test/"));
let runbooks = 0;
for (const file of rules) {
	fs.readFileSync(file, "utf8").split("\n").forEach((line, i) => {
		const m = line.match(/^\s*runbook_url:\s*["\x27]?([^"\x27\s]+)/);
		if (!m) return;
		runbooks++;
		if (!m[1].startsWith(REPO_URL)) {
			problems.push(`${file}:${i + 1}: runbook_url ${m[1]} is not a page of this repository (${REPO_URL}...)`);
			return;
		}
		check(file, i + 1, m[1], "runbook_url");
	});
}

for (const w of warnings) console.error("check-links: warning: " + w);
for (const p of problems) console.error("check-links: " + p);
console.error(`check-links: ${files.length} Markdown files, ${checked} links (${runbooks} runbook URLs): ${problems.length} broken, ${warnings.length} pending`);
process.exit(problems.length ? 1 : 0);
'
