// Reads the Kubernetes objects of a multi-document YAML stream (kubectl kustomize's
// output) from stdin. Parsed as YAML 1.1, as kubectl and the API server read it
// (sigs.k8s.io/yaml): `0440` is octal there, `yes` a boolean.
import { parseAllDocuments } from 'yaml';

export async function readStdin() {
	const chunks = [];
	for await (const chunk of process.stdin) {
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

// Returns { objects: [{ obj, index }], errors: [message] }; empty documents are skipped.
export function parseObjects(text) {
	const objects = [];
	const errors = [];
	parseAllDocuments(text, { version: '1.1', prettyErrors: true }).forEach((doc, index) => {
		for (const error of doc.errors) {
			errors.push(`document ${index + 1}: ${error.message}`);
		}
		if (doc.errors.length > 0) {
			return;
		}
		const obj = doc.toJS({ maxAliasCount: 100 });
		if (obj === null || obj === undefined) {
			return;
		}
		if (typeof obj !== 'object' || Array.isArray(obj)) {
			errors.push(`document ${index + 1}: not an object`);
			return;
		}
		objects.push({ obj, index: index + 1 });
	});
	return { objects, errors };
}

export function describe(obj) {
	const kind = obj?.kind ?? '<no kind>';
	const name = obj?.metadata?.name ?? '<no name>';
	const namespace = obj?.metadata?.namespace;
	return namespace ? `${kind}/${name} (namespace ${namespace})` : `${kind}/${name}`;
}

// --name value options, and the label printed before each line
export function option(name, fallback) {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}
