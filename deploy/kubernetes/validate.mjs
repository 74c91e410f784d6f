#!/usr/bin/env node
// Validates every object of a rendered manifest (stdin) offline against the schemas of
// the npm packages kubernetes-models (the Kubernetes API) and
// @kubernetes-models/prometheus-operator (ServiceMonitor, PrometheusRule...). An object
// whose apiVersion/kind has no model FAILS: nothing passes unchecked.
//
//   kubectl kustomize overlays/fleet | node validate.mjs [--label fleet] [--rules-out rules.yml]
//
// --rules-out writes the rule groups of every PrometheusRule as a Prometheus rule file,
// for `promtool check rules`.
//
// Limitation: the packages' compiled schemas check types, required fields, enums and
// formats, but not unknown fields (a misspelt field passes here; policy.mjs catches the
// misspelt hardening fields, since it requires them to be set).
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { describe, option, parseObjects, readStdin } from './lib/objects.mjs';

const label = option('label', 'stdin');
const rulesOut = option('rules-out', null);

function moduleFor(apiVersion) {
	if (apiVersion === 'v1') {
		return 'kubernetes-models/v1';
	}
	const match = /^([a-z0-9.-]+)\/([a-z0-9]+)$/.exec(apiVersion);
	if (!match) {
		return null;
	}
	const [, group, version] = match;
	if (group === 'monitoring.coreos.com') {
		return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}`;
	}
	return `kubernetes-models/${group}/${version}`;
}

const modules = new Map();
async function modelFor(apiVersion, kind) {
	const specifier = moduleFor(apiVersion);
	if (!specifier) {
		return { problem: `apiVersion "${apiVersion}" is not group/version` };
	}
	if (!modules.has(specifier)) {
		modules.set(specifier, await import(specifier).catch(() => null));
	}
	const module = modules.get(specifier);
	if (!module) {
		return { problem: `no model for apiVersion ${apiVersion} (is its package installed?)` };
	}
	const model = module[kind];
	if (typeof model !== 'function' || model.kind !== kind || model.apiVersion !== apiVersion) {
		return { problem: `no model for kind ${kind} in ${apiVersion}` };
	}
	return { model };
}

function schemaErrors(error) {
	const details = Array.isArray(error?.errors) ? error.errors : [];
	if (details.length === 0) {
		return [String(error?.message ?? error)];
	}
	return details.map((detail) => {
		const params = detail.params && Object.keys(detail.params).length ? ` ${JSON.stringify(detail.params)}` : '';
		return `${detail.instancePath || '/'} ${detail.message}${params}`;
	});
}

const { objects, errors: parseErrors } = parseObjects(await readStdin());
let failures = 0;
const failed = new Set();
const fail = (what, message) => {
	failures++;
	failed.add(what);
	console.log(`[validate ${label}] FAIL ${what}: ${message}`);
};
for (const message of parseErrors) {
	fail('YAML', message);
}
if (objects.length === 0) {
	fail('input', 'no Kubernetes object in the input');
}

const seen = new Set();
const ruleGroups = [];
for (const { obj, index } of objects) {
	const what = `${describe(obj)} (document ${index})`;
	if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
		fail(what, 'apiVersion and kind must be set');
		continue;
	}
	if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '') {
		fail(what, 'metadata.name must be set');
		continue;
	}
	const key = `${obj.apiVersion}|${obj.kind}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`;
	if (seen.has(key)) {
		fail(what, 'appears twice');
	}
	seen.add(key);
	const { model, problem } = await modelFor(obj.apiVersion, obj.kind);
	if (problem) {
		fail(what, problem);
		continue;
	}
	try {
		new model(obj).validate();
		console.log(`[validate ${label}] ok   ${describe(obj)} ${obj.apiVersion}`);
	} catch (error) {
		for (const message of schemaErrors(error)) {
			fail(what, message);
		}
	}
	if (obj.kind === 'PrometheusRule' && Array.isArray(obj.spec?.groups)) {
		ruleGroups.push(...obj.spec.groups);
	}
}

if (rulesOut) {
	writeFileSync(rulesOut, stringify({ groups: ruleGroups }));
}
const valid = objects.filter(({ obj, index }) => !failed.has(`${describe(obj)} (document ${index})`)).length;
console.log(`[validate ${label}] ${valid} of ${objects.length} objects valid, ${failures} failure(s)`);
process.exit(failures > 0 ? 1 : 0);
