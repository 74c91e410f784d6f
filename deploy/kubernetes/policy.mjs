#!/usr/bin/env node
// The deployment's hardening and operating rules, checked on a rendered manifest (stdin):
//
//   kubectl kustomize overlays/fleet | node policy.mjs [--label fleet]
//
// Prints one line per finding, `ERROR [rule] object: message` or `WARN [rule] ...`, and
// exits 1 when there is any error (warnings alone exit 0). test/bad-deployment.yaml must
// trip every rule listed in test/bad-deployment.expect (check.sh verifies it), so this
// check cannot quietly pass everything.
import { describe, option, parseObjects, readStdin } from './lib/objects.mjs';

const label = option('label', 'stdin');
const BROKER_UID = 10001;
const BROKER_IMAGE = 'tradovate-token-broker';
const GRACEFUL_SHUTDOWN_SECONDS = 20; // spring.lifecycle.timeout-per-shutdown-phase
const STATE_DIR = '/var/lib/tradovate-token-broker';
const RUNBOOK_PREFIX = 'https://github.com/tokenbroker/tradovate-token-broker/blob/main/docs/operate.md#';
const SEVERITIES = ['critical', 'warning', 'info'];
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

const findings = [];
const error = (rule, obj, message) => findings.push({ level: 'ERROR', rule, what: describe(obj), message });
const warn = (rule, obj, message) => findings.push({ level: 'WARN', rule, what: describe(obj), message });

const { objects: parsed, errors: parseErrors } = parseObjects(await readStdin());
const objects = parsed.map(({ obj }) => obj);
for (const message of parseErrors) {
	findings.push({ level: 'ERROR', rule: 'yaml', what: 'input', message });
}

const namespaceOf = (obj) => obj?.metadata?.namespace ?? '';
const ofKind = (kind) => objects.filter((obj) => obj?.kind === kind);

function podTemplate(obj) {
	switch (obj.kind) {
		case 'Pod':
			return { metadata: obj.metadata, spec: obj.spec };
		case 'CronJob':
			return obj.spec?.jobTemplate?.spec?.template;
		default:
			return obj.spec?.template;
	}
}

// a label selector (matchLabels + matchExpressions) against a set of labels; {} selects all
function selects(selector, labels = {}) {
	if (!selector || typeof selector !== 'object') {
		return false;
	}
	for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
		if (labels[key] !== value) {
			return false;
		}
	}
	for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
		const has = Object.hasOwn(labels, key);
		const ok = {
			In: has && values.includes(labels[key]),
			NotIn: !has || !values.includes(labels[key]),
			Exists: has,
			DoesNotExist: !has,
		}[operator];
		if (!ok) {
			return false;
		}
	}
	return true;
}

function envValue(container, name) {
	const entry = (container.env ?? []).find((e) => e.name === name);
	return entry && entry.value !== undefined ? String(entry.value) : undefined;
}

function isBroker(container) {
	const image = String(container.image ?? '');
	const repository = image.split('@')[0].replace(/:[^/:]*$/, '');
	return repository === BROKER_IMAGE || repository.endsWith(`/${BROKER_IMAGE}`);
}

function imageTag(image) {
	if (image.includes('@')) {
		return { digest: true };
	}
	const lastPart = image.split('/').pop();
	return { tag: lastPart.includes(':') ? lastPart.split(':').pop() : undefined };
}

// the port number of a probe's httpGet (a number, or a named port of the container)
function probePort(container, probe) {
	const port = probe?.httpGet?.port;
	if (typeof port === 'number') {
		return port;
	}
	if (typeof port === 'string' && /^\d+$/.test(port)) {
		return Number(port);
	}
	return (container.ports ?? []).find((p) => p.name === port)?.containerPort;
}

function preStopSleepSeconds(container) {
	const preStop = container.lifecycle?.preStop;
	if (preStop?.sleep?.seconds !== undefined) {
		return Number(preStop.sleep.seconds);
	}
	const command = preStop?.exec?.command ?? [];
	const at = command.findIndex((part) => /(^|\/)sleep$/.test(String(part)));
	return at >= 0 ? Number(command[at + 1]) || 0 : 0;
}

function checkContainerSecurity(obj, pod, container, where) {
	const sc = container.securityContext ?? {};
	if (sc.readOnlyRootFilesystem !== true) {
		error('container.readOnlyRootFilesystem', obj, `${where}: securityContext.readOnlyRootFilesystem must be true`);
	}
	if (sc.allowPrivilegeEscalation !== false) {
		error('container.allowPrivilegeEscalation', obj, `${where}: securityContext.allowPrivilegeEscalation must be false`);
	}
	if (sc.privileged === true) {
		error('container.privileged', obj, `${where}: must not be privileged`);
	}
	const drop = (sc.capabilities?.drop ?? []).map(String);
	if (!drop.includes('ALL')) {
		error('container.capabilities', obj, `${where}: securityContext.capabilities.drop must contain ALL`);
	}
	if ((sc.capabilities?.add ?? []).length > 0) {
		error('container.capabilities', obj, `${where}: adds capabilities ${JSON.stringify(sc.capabilities.add)}`);
	}
	if (sc.runAsNonRoot === false) {
		error('pod.runAsNonRoot', obj, `${where}: securityContext.runAsNonRoot must not be false`);
	}
	if (sc.runAsUser !== undefined && sc.runAsUser !== BROKER_UID) {
		error('pod.runAsUser', obj, `${where}: runs as uid ${sc.runAsUser}, not the image's ${BROKER_UID}`);
	}
	if (sc.runAsGroup !== undefined && sc.runAsGroup !== BROKER_UID) {
		error('pod.runAsGroup', obj, `${where}: runs as gid ${sc.runAsGroup}, not ${BROKER_UID}`);
	}
	const seccomp = sc.seccompProfile?.type ?? pod.spec?.securityContext?.seccompProfile?.type;
	if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
		error('pod.seccomp', obj, `${where}: seccompProfile.type must be RuntimeDefault (pod or container), is ${seccomp ?? 'unset'}`);
	}
	for (const env of container.env ?? []) {
		if (env.valueFrom?.secretKeyRef) {
			error('container.secretEnv', obj, `${where}: env ${env.name} comes from a Secret; mount secrets as files (configtree) instead: environment variables leak into /proc, crash reports and child processes`);
		}
	}
	for (const source of container.envFrom ?? []) {
		if (source.secretRef) {
			error('container.secretEnv', obj, `${where}: envFrom Secret ${source.secretRef.name}; mount secrets as files (configtree) instead`);
		}
	}
	const image = String(container.image ?? '');
	const { tag, digest } = imageTag(image);
	if (!digest && (tag === undefined || tag === 'latest')) {
		warn('container.imageTag', obj, `${where}: image ${image} is not pinned (:latest or no tag); set a version with kustomize images: in your overlay`);
	}
}

function checkBroker(obj, pod, container, where) {
	const resources = container.resources ?? {};
	for (const [path, value] of [
		['requests.memory', resources.requests?.memory],
		['limits.memory', resources.limits?.memory],
		['requests.cpu', resources.requests?.cpu],
	]) {
		if (value === undefined || value === null || value === '') {
			error('container.resources', obj, `${where}: resources.${path} must be set`);
		}
	}

	// probes on the management port, which must be a port of its own
	const managementValue = envValue(container, 'MANAGEMENT_SERVER_PORT');
	const managementPort = managementValue !== undefined ? Number(managementValue) : undefined;
	const namedManagement = (container.ports ?? []).find((p) => p.name === 'management');
	const httpPort = Number(envValue(container, 'SERVER_PORT') ?? 8080);
	if (managementPort === undefined || Number.isNaN(managementPort)) {
		error('container.managementPort', obj, `${where}: MANAGEMENT_SERVER_PORT must be set (probes and metrics on their own port)`);
	} else if (managementPort === httpPort) {
		error('container.managementPort', obj, `${where}: the management port must differ from the callers' port ${httpPort}`);
	} else if (namedManagement?.containerPort !== managementPort) {
		error('container.managementPort', obj, `${where}: a container port named "management" must be ${managementPort} (MANAGEMENT_SERVER_PORT)`);
	}
	for (const [field, path] of [
		['startupProbe', '/actuator/health/liveness'],
		['livenessProbe', '/actuator/health/liveness'],
		['readinessProbe', '/actuator/health/readiness'],
	]) {
		const probe = container[field];
		if (!probe) {
			error('container.probes', obj, `${where}: ${field} is missing`);
			continue;
		}
		if (!probe.httpGet) {
			error('container.probes', obj, `${where}: ${field} must be an httpGet on ${path}`);
			continue;
		}
		if (probe.httpGet.path !== path) {
			error('container.probes', obj, `${where}: ${field} must GET ${path}, not ${probe.httpGet.path}`);
		}
		if (managementPort !== undefined && probePort(container, probe) !== managementPort) {
			error('container.probes', obj, `${where}: ${field} must use the management port ${managementPort}, not ${probe.httpGet.port}`);
		}
	}

	// writable places on a read-only root file system
	const mounts = container.volumeMounts ?? [];
	const mountAt = (path) => mounts.find((m) => m.mountPath.replace(/\/+$/, '') === path);
	if (!mountAt('/tmp')) {
		error('container.tmp', obj, `${where}: needs a writable volume at /tmp (Tomcat's work directory; the root file system is read-only)`);
	}
	const storeType = envValue(container, 'BROKER_STORE_TYPE') ?? 'file';
	if (storeType === 'file' && !mountAt(envValue(container, 'BROKER_STORE_PATH') ?? STATE_DIR)) {
		error('store.fileVolume', obj, `${where}: the file store needs a volume at ${STATE_DIR}`);
	}

	// secrets: every mounted Secret is read through configtree
	const secretVolumes = new Set((pod.spec?.volumes ?? []).filter((v) => v.secret).map((v) => v.name));
	const imports = envValue(container, 'SPRING_CONFIG_IMPORT') ?? '';
	for (const mount of mounts.filter((m) => secretVolumes.has(m.name))) {
		const path = mount.mountPath.replace(/\/+$/, '');
		if (!imports.split(',').some((location) => location.replace(/^optional:/, '').replace(/\/+$/, '') === `configtree:${path}`)) {
			error('container.configtree', obj, `${where}: the Secret mounted at ${path} is not read: SPRING_CONFIG_IMPORT needs optional:configtree:${path}/`);
		}
		if (mount.readOnly !== true) {
			error('container.configtree', obj, `${where}: mount the Secret at ${path} readOnly`);
		}
	}

	return { storeType, preStop: preStopSleepSeconds(container) };
}

function checkWorkload(obj) {
	const pod = podTemplate(obj);
	if (!pod?.spec) {
		error('workload.template', obj, 'has no pod template');
		return;
	}
	const spec = pod.spec;
	const psc = spec.securityContext ?? {};
	// a workload of the deployment that is not the broker (examples/redis): the same
	// hardening, under its image's own user
	const podLabels = pod.metadata?.labels ?? {};
	const companion = !(spec.containers ?? []).some(isBroker)
		&& podLabels['app.kubernetes.io/part-of'] === BROKER_IMAGE
		&& (podLabels['app.kubernetes.io/component'] ?? 'token-broker') !== 'token-broker';
	if (psc.runAsNonRoot !== true) {
		error('pod.runAsNonRoot', obj, 'securityContext.runAsNonRoot must be true');
	}
	for (const [field, rule] of [
		['runAsUser', 'pod.runAsUser'],
		['runAsGroup', 'pod.runAsGroup'],
		['fsGroup', 'pod.fsGroup'],
	]) {
		if (companion) {
			if (!(psc[field] > 0)) {
				error(rule, obj, `securityContext.${field} must be set to its image's non-root user, is ${psc[field] ?? 'unset'}`);
			}
		} else if (psc[field] !== BROKER_UID) {
			error(rule, obj, `securityContext.${field} must be ${BROKER_UID} (the image's user broker), is ${psc[field] ?? 'unset'}`);
		}
	}
	if (spec.enableServiceLinks !== false) {
		error('pod.enableServiceLinks', obj, 'enableServiceLinks must be false: a Service named broker would inject BROKER_* variables, which the broker reads as settings');
	}
	if (spec.automountServiceAccountToken !== false) {
		error('pod.automountServiceAccountToken', obj, 'automountServiceAccountToken must be false: the broker never calls the Kubernetes API');
	}
	for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
		if (spec[field] === true) {
			error('pod.hostNamespaces', obj, `${field} must not be true`);
		}
	}
	const containers = spec.containers ?? [];
	const all = [
		...(spec.initContainers ?? []).map((c) => [c, `init container ${c.name}`]),
		...containers.map((c) => [c, `container ${c.name}`]),
	];
	for (const [container, where] of all) {
		checkContainerSecurity(obj, pod, container, where);
	}
	const brokers = containers.filter(isBroker);
	if (brokers.length === 0 && !companion) {
		error('workload.broker', obj, `no container runs the ${BROKER_IMAGE} image`);
	}
	let maxPreStop = 0;
	let storeType = 'file';
	for (const container of brokers) {
		const result = checkBroker(obj, pod, container, `container ${container.name}`);
		maxPreStop = Math.max(maxPreStop, result.preStop);
		storeType = result.storeType;
	}
	const grace = spec.terminationGracePeriodSeconds ?? 30;
	if (!companion && grace <= GRACEFUL_SHUTDOWN_SECONDS + maxPreStop) {
		error('pod.terminationGracePeriod', obj, `terminationGracePeriodSeconds ${grace} must exceed the broker's ${GRACEFUL_SHUTDOWN_SECONDS} s graceful shutdown plus the ${maxPreStop} s preStop pause`);
	}

	const labels = pod.metadata?.labels ?? {};
	const namespace = namespaceOf(obj);
	const replicas = obj.kind === 'Deployment' || obj.kind === 'StatefulSet' || obj.kind === 'ReplicaSet' ? (obj.spec.replicas ?? 1) : 1;

	// the file store locks its directory: one broker, and never two at once in a rollout
	if (obj.kind === 'Deployment' && brokers.length > 0 && storeType === 'file') {
		if (replicas > 1) {
			error('store.fileReplicas', obj, `${replicas} replicas on the file store: each needs its own directory and they would not share state; use the redis store (overlays/fleet)`);
		}
		const claims = (spec.volumes ?? []).filter((v) => v.persistentVolumeClaim);
		if (claims.length > 0 && obj.spec.strategy?.type !== 'Recreate') {
			error('store.fileStrategy', obj, 'the file store on a PersistentVolumeClaim needs strategy Recreate: a rolling update would start the new pod while the old one holds the directory lock');
		}
	}

	// who may talk to it
	const policies = ofKind('NetworkPolicy').filter((p) => namespaceOf(p) === namespace && selects(p.spec?.podSelector, labels));
	const types = (p) => p.spec?.policyTypes ?? (p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
	if (!policies.some((p) => types(p).includes('Ingress'))) {
		error('networkpolicy.ingress', obj, 'no NetworkPolicy restricts ingress to these pods');
	}
	if (!policies.some((p) => types(p).includes('Egress'))) {
		error('networkpolicy.egress', obj, 'no NetworkPolicy restricts egress from these pods');
	}

	// several replicas: a PodDisruptionBudget that still lets a drain proceed
	if (replicas > 1) {
		const budgets = ofKind('PodDisruptionBudget').filter((b) => namespaceOf(b) === namespace && selects(b.spec?.selector, labels));
		if (budgets.length === 0) {
			error('pdb.missing', obj, `${replicas} replicas and no PodDisruptionBudget selects them`);
		}
		for (const budget of budgets) {
			const { minAvailable, maxUnavailable } = budget.spec;
			if ((typeof minAvailable === 'number' && minAvailable >= replicas) || maxUnavailable === 0 || maxUnavailable === '0%') {
				error('pdb.blocksDrains', budget, `allows no disruption of ${replicas} replicas: node drains would hang`);
			}
		}
	}
}

// The management port (probes, metrics, admin endpoints) is never on the Service callers
// use: a Service that selects broker pods exposes the callers' port or the management port.
function checkServices() {
	const brokerPods = workloads
		.filter((obj) => (podTemplate(obj)?.spec?.containers ?? []).some(isBroker))
		.map((obj) => ({ namespace: namespaceOf(obj), pod: podTemplate(obj) }));
	for (const service of ofKind('Service')) {
		const selector = service.spec?.selector;
		if (!selector || !brokerPods.some(({ namespace, pod }) => namespace === namespaceOf(service)
			&& selects({ matchLabels: selector }, pod.metadata?.labels))) {
			continue;
		}
		const ports = service.spec?.ports ?? [];
		const management = ports.filter((p) => p.name === 'management' || p.targetPort === 'management' || p.targetPort === 8081);
		if (management.length > 0 && management.length < ports.length) {
			error('service.managementApart', service, 'exposes the management port beside the callers\' port: put management on a Service of its own (probes, metrics and admin endpoints are not for callers)');
		}
	}
}

function checkServiceMonitor(monitor) {
	const services = ofKind('Service').filter((s) => namespaceOf(s) === namespaceOf(monitor) && selects(monitor.spec?.selector, s.metadata?.labels));
	if (services.length === 0) {
		error('servicemonitor.service', monitor, 'selects no Service of this manifest');
	}
	for (const endpoint of monitor.spec?.endpoints ?? []) {
		const name = endpoint.port ?? endpoint.targetPort;
		if (services.length > 0 && !services.some((s) => (s.spec?.ports ?? []).some((p) => p.name === name))) {
			error('servicemonitor.port', monitor, `endpoint port ${name} is no port of the selected Service`);
		}
		if (name !== 'management') {
			error('servicemonitor.port', monitor, `scrape the management port, not ${name}`);
		}
		const bearer = endpoint.authorization?.credentials?.name || endpoint.bearerTokenSecret?.name;
		if (!bearer) {
			error('servicemonitor.auth', monitor, `endpoint ${endpoint.path ?? '/metrics'} sends no bearer token: /actuator/prometheus needs a client key with the metrics right (authorization.credentials)`);
		}
	}
}

function checkPrometheusRule(rule) {
	for (const group of rule.spec?.groups ?? []) {
		for (const alert of (group.rules ?? []).filter((r) => r.alert)) {
			const what = `alert ${alert.alert}`;
			const severity = alert.labels?.severity;
			if (!SEVERITIES.includes(severity)) {
				error('alert.severity', rule, `${what}: labels.severity must be one of ${SEVERITIES.join(', ')}, is ${severity ?? 'unset'}`);
			}
			for (const field of ['summary', 'description']) {
				if (!alert.annotations?.[field]) {
					error(`alert.${field}`, rule, `${what}: annotations.${field} is missing`);
				}
			}
			const runbook = alert.annotations?.runbook_url;
			if (!runbook) {
				error('alert.runbookUrl', rule, `${what}: annotations.runbook_url is missing`);
			} else if (runbook !== RUNBOOK_PREFIX + alert.alert.toLowerCase()) {
				error('alert.runbookUrl', rule, `${what}: runbook_url must be ${RUNBOOK_PREFIX}${alert.alert.toLowerCase()} (the heading of docs/operate.md), is ${runbook}`);
			}
		}
	}
}

// Secrets in a committed manifest may only hold the examples' placeholder.
function checkSecret(secret) {
	const values = [
		...Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(String(value), 'base64').toString('utf8')]),
		...Object.entries(secret.stringData ?? {}),
	];
	for (const [key, value] of values) {
		if (String(value).trim() !== 'CHANGE-ME') {
			error('secret.realValue', secret, `key ${key} holds something other than the placeholder CHANGE-ME: never commit secrets; create them in the cluster`);
		}
	}
}

const workloads = objects.filter((obj) => WORKLOAD_KINDS.includes(obj?.kind));
if (workloads.length === 0) {
	findings.push({ level: 'ERROR', rule: 'workload.missing', what: 'input', message: 'no Deployment (or other workload) in the input' });
}
workloads.forEach(checkWorkload);
checkServices();
ofKind('ServiceMonitor').forEach(checkServiceMonitor);
ofKind('PrometheusRule').forEach(checkPrometheusRule);
ofKind('Secret').forEach(checkSecret);

for (const { level, rule, what, message } of findings) {
	console.log(`[policy ${label}] ${level.padEnd(5)} [${rule}] ${what}: ${message}`);
}
const errors = findings.filter((f) => f.level === 'ERROR').length;
const warnings = findings.length - errors;
console.log(`[policy ${label}] ${objects.length} objects, ${workloads.length} workload(s): ${errors} error(s), ${warnings} warning(s)`);
process.exit(errors > 0 ? 1 : 0);
