// The npm package `tradovate` (a third-party Tradovate client, not ours) run with the
// broker's token against the broker's embedded simulator, the way a caller should run
// it: it never logs in and never renews; the broker does.
//
//   TRADOVATE_BROKER_URL=http://127.0.0.1:8080 TRADOVATE_BROKER_KEY=sim-demo-key \
//   TRADOVATE_NPM_MODULES=/tmp/dir-with-node_modules node check.mjs
//
// Steps: the token from GET /token; /auth/me and account/list through the package's REST
// service; its trading socket connected and authorized; ten seconds of heartbeats; a quote
// subscription on its market-data socket that receives quotes; and no login or renewal by
// the package meanwhile. Exits 1 when a step fails. clients/tradovate-npm/check.sh installs
// the package and starts the broker first.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const broker = (process.env.TRADOVATE_BROKER_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const key = process.env.TRADOVATE_BROKER_KEY || 'sim-demo-key';
const modules = process.env.TRADOVATE_NPM_MODULES || process.cwd();
const require = createRequire(join(modules, 'package.json'));

const results = [];
const fingerprint = (token) => createHash('sha256').update(token).digest('hex').slice(0, 8);
const within = (ms, promise, what) =>
	Promise.race([promise, new Promise((_, fail) => setTimeout(() => fail(new Error(`${what}: no answer in ${ms} ms`)), ms))]);

async function step(name, run) {
	try {
		const detail = await run();
		results.push(true);
		console.log(`PASS ${name}${detail ? `: ${detail}` : ''}`);
	} catch (err) {
		results.push(false);
		console.log(`FAIL ${name}: ${err && err.message ? err.message : err}`);
	}
}

async function simulatorCalls() {
	const stats = await (await fetch(`${broker}/simulator/stats`)).json();
	return { logins: stats.loginCalls, renewals: stats.renewalCalls };
}

// 1. The token, from the broker: the only place a caller gets one.
const answer = await fetch(`${broker}/token`, { headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' } });
if (answer.status !== 200) {
	console.log(`FAIL GET /token: HTTP ${answer.status}`);
	process.exit(1);
}
const token = await answer.json();
console.log(`PASS GET /token: account ${token.account}, token ${fingerprint(token.accessToken)}, renewAt ${token.renewAt}`);
const before = await simulatorCalls();

// 2. Point the package at the broker's simulator. Its URLs are constants, which its sockets
// also check every URL against, and its REST service copies them when it is loaded: so
// they change before the package's entry point is required.
const { URLs } = require('tradovate/dist/types');
const ws = broker.replace(/^http/, 'ws');
URLs.DEMO_URL = `${broker}/v1`;
URLs.WS_DEMO_URL = `${ws}/v1/websocket`;
URLs.MD_URL = `${ws}/md/v1/websocket`;
const { TradovateService, Storage, RequestSocket, MarketDataSocket } = require('tradovate');

// 3. Hand it the broker's token. Its own renewal and login (TradovateService.renewAccessToken
// and connect, which renew or log in when under 10 minutes remain) are never called, and
// are replaced so that nothing in the process can call them by mistake.
Storage.getInstance().setAccessToken(token.accessToken, token.mdAccessToken, token.expirationTime);
Storage.getInstance().setUserData({ userId: token.userId, name: token.account });
const service = new TradovateService();
const fromBroker = async () => {
	throw new Error('take the token from the broker (GET /token), never from Tradovate');
};
service.renewAccessToken = fromBroker;
service.connect = fromBroker;

// The package sends authorize's token through JSON.stringify, so the server sees it
// JSON-quoted, which Tradovate refuses (401); and its trading socket presents the md token.
// This socket sends the raw token, as documented, and the token its URL calls for.
class RawTokenSocket extends RequestSocket {
	connect(accessToken) {
		const connecting = super.connect(accessToken);
		const send = this.ws.send.bind(this.ws);
		this.sent = { heartbeats: 0 };
		this.ws.send = (frame, ...rest) => {
			if (frame === '[]') {
				this.sent.heartbeats++;
			}
			const authorize = /^authorize\n(\d+)\n([^\n]*)\n"(.*)"$/s.exec(frame);
			return send(authorize ? `authorize\n${authorize[1]}\n${authorize[2]}\n${authorize[3]}` : frame, ...rest);
		};
		return connecting;
	}
}

await step('/auth/me (the package\'s REST service)', async () => {
	const me = await service.get('auth/me');
	if (!(me.userId > 0)) throw new Error(`no userId in ${JSON.stringify(me)}`);
	return `userId ${me.userId}, name ${me.name}`;
});

await step('account/list (REST)', async () => {
	const accounts = await service.get('account/list');
	if (!Array.isArray(accounts) || !accounts.some((account) => account.active)) throw new Error('no active account');
	return `${accounts.length} account(s), ${accounts[0].name}`;
});

await step('the package\'s own authorize is refused (it sends the token JSON-quoted)', async () => {
	const refused = new Promise((resolve) => process.once('unhandledRejection', (reason) => resolve(String(reason))));
	const plain = new RequestSocket(URLs.WS_DEMO_URL);
	const outcome = await within(10_000, Promise.race([refused, plain.connect(token.accessToken).then(() => 'connected')]), 'authorize');
	plain.ws.close();
	// the rejection's text quotes the request, token included: only its status is shown
	if (!/"s": 401/.test(outcome)) throw new Error(outcome === 'connected' ? 'it was accepted' : 'not a 401');
	return 'HTTP-like status 401, as Tradovate answers a quoted token';
});

const trading = new RawTokenSocket(URLs.WS_DEMO_URL);
await step('trading WebSocket: connect and authorize', async () => {
	await within(10_000, trading.connect(token.accessToken), 'connect');
	return 'connected';
});

await step('account/list over the trading WebSocket', async () => {
	const listed = await within(10_000, trading.request({ url: 'account/list' }), 'account/list');
	if (!Array.isArray(listed.d) || listed.d.length === 0) throw new Error(`no accounts in ${JSON.stringify(listed)}`);
	return `${listed.d.length} account(s)`;
});

await step('ten seconds of heartbeats', async () => {
	await new Promise((resolve) => setTimeout(resolve, 10_000));
	if (!trading.isConnected()) throw new Error('the socket was closed');
	if (trading.sent.heartbeats < 3) throw new Error(`only ${trading.sent.heartbeats} heartbeat(s) sent`);
	return `still connected, ${trading.sent.heartbeats} heartbeats sent`;
});

const marketData = new MarketDataSocket(new RawTokenSocket(URLs.MD_URL));
await step('market-data WebSocket: connect, subscribe to ESM6, receive quotes', async () => {
	await within(10_000, marketData.connect(), 'connect');
	const quotes = [];
	let enough;
	const received = new Promise((resolve) => (enough = resolve));
	await within(10_000, marketData.subscribeQuote('ESM6', (quote) => {
		quotes.push(quote);
		if (quotes.length === 3) enough();
	}), 'md/subscribeQuote');
	await within(10_000, received, 'quotes');
	const last = quotes[quotes.length - 1];
	return `${quotes.length} quotes, last bid ${last.entries.Bid.price} / offer ${last.entries.Offer.price}`;
});

await step('no login or renewal by the package', async () => {
	const after = await simulatorCalls();
	if (after.logins !== before.logins || after.renewals !== before.renewals) {
		throw new Error(`logins ${before.logins} -> ${after.logins}, renewals ${before.renewals} -> ${after.renewals}`);
	}
	return `logins ${after.logins}, renewals ${after.renewals}, unchanged`;
});

trading.disconnect();
// not marketData.disconnect(): it sends its unsubscribe without waiting, on a closing socket
marketData.socket.disconnect();
const failed = results.filter((passed) => !passed).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
