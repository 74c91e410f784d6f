// The npm package `tradovate` (a third-party Tradovate client, not ours) through the
// broker's gateway (docs/gateway.md): the caller holds only its client key, never a
// Tradovate token. The package is used as it comes, but for its URLs, which point at the
// gateway, and the key stored where it keeps its tokens.
//
//   TRADOVATE_BROKER_URL=http://127.0.0.1:8080 TRADOVATE_BROKER_KEY=sim-demo-key \
//   TRADOVATE_NPM_MODULES=/tmp/dir-with-node_modules node gateway.mjs
//
// Steps: /auth/me, account/list (GET) and user/syncrequest (POST) through the package's
// REST service; its renewal refused by the gateway (the broker's own endpoint); its
// trading socket connected and authorized with the key (JSON-quoted, as the package sends
// it), account/list over it, ten seconds of heartbeats; its market-data socket subscribed
// to a quote and receiving quotes; and meanwhile no login or renewal at the simulator, no
// token of Tradovate's in anything the caller received, and no socket token revoked.
// Exits 1 when a step fails. clients/tradovate-npm/check.sh installs the package and
// starts the broker first.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const broker = (process.env.TRADOVATE_BROKER_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const key = process.env.TRADOVATE_BROKER_KEY || 'sim-demo-key';
const account = process.env.TRADOVATE_BROKER_ACCOUNT || 'sim';
const prefix = process.env.TRADOVATE_GATEWAY_PREFIX || '/tradovate';
const modules = process.env.TRADOVATE_NPM_MODULES || process.cwd();
const require = createRequire(join(modules, 'package.json'));

const results = [];
const received = [];
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

async function simulatorStats() {
	return (await fetch(`${broker}/simulator/stats`)).json();
}

// The simulator's tokens, for the check that none reached the caller: the only
// place this script looks at one (a caller of the gateway never needs it).
async function tradovateTokens() {
	const answer = await fetch(`${broker}/token/${account}`, { headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' } });
	const token = await answer.json();
	return [token.accessToken, token.mdAccessToken].filter(Boolean);
}

const before = await simulatorStats();

// 1. The package's URLs point at the gateway, before its entry point is required (its
// REST service copies them when loaded; its sockets accept no other URL).
const { URLs } = require('tradovate/dist/types');
const gateway = `${broker}${prefix}/${account}`;
URLs.DEMO_URL = gateway;
URLs.WS_DEMO_URL = `${gateway.replace(/^http/, 'ws')}/websocket`;
URLs.MD_URL = `${gateway.replace(/^http/, 'ws')}/md/websocket`;
const { TradovateService, Storage, RequestSocket, MarketDataSocket } = require('tradovate');

// 2. The client key where the package keeps its tokens; it never expires, so the package
// never tries to renew it.
const aDayFromNow = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
Storage.getInstance().setAccessToken(key, key, aDayFromNow);
Storage.getInstance().setUserData({ userId: 0, name: account });
const service = new TradovateService();

// Everything the package reads from the broker passes here, for the final check.
const axios = require('axios');
(axios.default ?? axios).interceptors.response.use(
	(response) => {
		received.push(typeof response.data === 'string' ? response.data : JSON.stringify(response.data));
		return response;
	},
	(error) => {
		if (error.response) received.push(JSON.stringify(error.response.data ?? ''));
		return Promise.reject(error);
	},
);
const listened = (socket) => {
	socket.ws.addEventListener('message', (message) => received.push(String(message.data)));
	return socket;
};

let userId = 0;
await step('auth/me through the gateway (REST, the key as bearer)', async () => {
	const me = await service.get('auth/me');
	userId = me.userId;
	if (!(me.userId > 0)) throw new Error(`no userId in ${JSON.stringify(me)}`);
	return `userId ${me.userId}, name ${me.name}`;
});

await step('account/list through the gateway (REST GET)', async () => {
	const accounts = await service.get('account/list');
	if (!Array.isArray(accounts) || !accounts.some((it) => it.active)) throw new Error('no active account');
	return `${accounts.length} account(s), ${accounts[0].name}`;
});

await step('user/syncrequest through the gateway (REST POST)', async () => {
	const sync = await service.post('user/syncrequest', { users: [userId] });
	if (!sync || typeof sync !== 'object' || 'p-ticket' in sync) throw new Error(`unexpected answer ${JSON.stringify(sync)}`);
	return `${Object.keys(sync).length} collections`;
});

await step('the package\'s renewal is refused by the gateway (the broker renews)', async () => {
	try {
		await service.get('auth/renewaccesstoken');
	} catch (err) {
		if (/status code 403/.test(String(err.message))) return '403 reserved-endpoint';
		throw err;
	}
	throw new Error('it was passed on');
});

const trading = new RequestSocket(URLs.WS_DEMO_URL);
await step('trading WebSocket: connect, authorize with the key (answered by the broker)', async () => {
	const connecting = trading.connect();
	listened(trading);
	await within(10_000, connecting, 'connect');
	return 'connected';
});

await step('account/list over the trading WebSocket', async () => {
	const listed = await within(10_000, trading.request({ url: 'account/list' }), 'account/list');
	if (listed.s !== 200 || !Array.isArray(listed.d) || listed.d.length === 0) throw new Error(`no accounts in ${JSON.stringify(listed)}`);
	return `${listed.d.length} account(s)`;
});

await step('ten seconds of heartbeats', async () => {
	await new Promise((resolve) => setTimeout(resolve, 10_000));
	if (!trading.isConnected()) throw new Error('the socket was closed');
	return 'still connected';
});

const marketData = new MarketDataSocket(new RequestSocket(URLs.MD_URL));
await step('market-data WebSocket: connect, subscribe to ESM6, receive quotes', async () => {
	const connecting = marketData.connect();
	listened(marketData.socket);
	await within(10_000, connecting, 'connect');
	const quotes = [];
	let enough;
	const three = new Promise((resolve) => (enough = resolve));
	await within(10_000, marketData.subscribeQuote('ESM6', (quote) => {
		quotes.push(quote);
		if (quotes.length === 3) enough();
	}), 'md/subscribeQuote');
	await within(10_000, three, 'quotes');
	const last = quotes[quotes.length - 1];
	return `${quotes.length} quotes, last bid ${last.entries.Bid.price} / offer ${last.entries.Offer.price}`;
});

await step('no login or renewal, no token revoked', async () => {
	const after = await simulatorStats();
	const revoked = Object.values(after.revokedTokens || {}).reduce((sum, n) => sum + n, 0);
	const revokedBefore = Object.values(before.revokedTokens || {}).reduce((sum, n) => sum + n, 0);
	if (after.loginCalls !== before.loginCalls || after.renewalCalls !== before.renewalCalls || revoked !== revokedBefore) {
		throw new Error(`logins ${before.loginCalls} -> ${after.loginCalls}, renewals ${before.renewalCalls} -> `
			+ `${after.renewalCalls}, revoked ${revokedBefore} -> ${revoked}`);
	}
	return `logins ${after.loginCalls}, renewals ${after.renewalCalls}, revoked ${revoked}`;
});

await step('no Tradovate token in anything the caller received', async () => {
	const tokens = await tradovateTokens();
	if (tokens.length === 0) throw new Error('the broker holds no token to look for');
	const leaked = received.filter((text) => tokens.some((token) => text.includes(token)));
	if (leaked.length > 0) throw new Error(`${leaked.length} answer(s) or frame(s) carry a token`);
	return `${received.length} answers and frames, none with a token`;
});

trading.disconnect();
// not marketData.disconnect(): it sends its unsubscribe without waiting, on a closing socket
marketData.socket.disconnect();
const failed = results.filter((passed) => !passed).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
