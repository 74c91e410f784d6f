#!/usr/bin/env node
// A client of the Tradovate token broker: Node 18+, built-in fetch, no dependencies.
//
// Copy this file. It caches the token, reuses it until a safety margin before it expires
// (time measured on the monotonic clock from the moment the answer arrived) or until the
// broker's renewAt has passed (then it revalidates with If-None-Match: a 304 keeps the
// cached token), honours Retry-After on 503/429, fails at once with the problem's detail
// on 400/401/403/404/422, and never logs the token or the key (a fingerprint: the first 8
// hex digits of the token's SHA-256, as in the broker's own logs). Concurrent callers
// share one request.
//
//   import { BrokerTokens, BrokerError } from './broker-tokens.mjs';
//   const tokens = BrokerTokens.fromEnv();   // TRADOVATE_BROKER_URL, TRADOVATE_BROKER_KEY_FILE, ...
//   const headers = { Authorization: `Bearer ${await tokens.accessToken()}` };
//   // Tradovate answered 401 for that token:
//   const fresh = await tokens.reportRefused(refusedToken);
//
// Run it: `node broker-tokens.mjs [--check]` prints a one-line summary (never the token).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { inspect } from 'node:util';
import { pathToFileURL } from 'node:url';

const NAME = 'broker-tokens';
const REVALIDATE_EVERY = 15; // seconds between If-None-Match checks once renewAt has passed

/** The first 8 hex digits of the SHA-256 of a token: safe to log, matches the broker's logs. */
export function fingerprint(secret) {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 8);
}

const log = (message) => process.stderr.write(`${NAME}: ${message}\n`);
const monotonic = () => performance.now() / 1000;
const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** The broker refused, or could not give, a token. Never carries the key or a token. */
export class BrokerError extends Error {
  constructor(status, title, detail, reason = null) {
    super();
    this.name = 'BrokerError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.reason = reason;
  }

  get message() {
    return `${this.status ? `HTTP ${this.status}` : 'no answer'}${this.reason ? ` (${this.reason})` : ''}: ${
      this.detail || this.title || 'no detail'}`;
  }

  set message(_) {}
}

/** One answer of the broker; inspecting, logging or JSON.stringify-ing it never shows the tokens. */
export class BrokerToken {
  #accessToken;
  #mdAccessToken;

  constructor(body, etag, receivedAt) {
    this.#accessToken = body.accessToken;
    this.#mdAccessToken = body.mdAccessToken ?? null;
    this.account = body.account;
    this.expirationTime = body.expirationTime;
    this.expiresIn = Number(body.expiresIn ?? 0);
    this.userId = body.userId ?? null;
    this.renewAt = body.renewAt;
    this.etag = etag;
    this.receivedAt = receivedAt; // monotonic seconds when the answer arrived
    // seconds from receipt to renewAt, from the answer alone (both instants are on the
    // broker's clock, expiresIn needs none): no dependence on the local wall clock
    const expiry = Date.parse(this.expirationTime);
    const renew = Date.parse(this.renewAt);
    this.renewIn = Number.isNaN(expiry) || Number.isNaN(renew) ? null : this.expiresIn - (expiry - renew) / 1000;
  }

  get accessToken() { return this.#accessToken; }

  get mdAccessToken() { return this.#mdAccessToken; }

  get fingerprint() { return fingerprint(this.#accessToken); }

  /** Seconds until the token expires, on the monotonic clock. */
  secondsLeft(now = monotonic()) { return this.expiresIn - (now - this.receivedAt); }

  summary() {
    const left = Math.max(0, Math.floor(this.secondsLeft()));
    return `account=${this.account} fingerprint=${this.fingerprint} expiresIn=${left} renewAt=${this.renewAt}`;
  }

  toString() { return `BrokerToken(${this.summary()})`; }

  toJSON() { return { account: this.account, fingerprint: this.fingerprint, expirationTime: this.expirationTime }; }

  [inspect.custom]() { return this.toString(); }
}

/** Keeps the token of one account. */
export class BrokerTokens {
  #key;
  #cached = null;
  #recheckAt = null; // monotonic: when to ask again, with If-None-Match
  #inFlight = null;

  constructor({ url, keyFile, account = null, margin = 60, attempts = 5, maxWait = 60, timeout = 30 }) {
    if (!url) throw new Error('TRADOVATE_BROKER_URL is not set');
    if (!keyFile) throw new Error('TRADOVATE_BROKER_KEY_FILE is not set');
    this.#key = readFileSync(keyFile, 'utf8').trim();
    if (!this.#key) throw new Error(`the key file ${keyFile} is empty`);
    this.url = url.replace(/\/+$/, '');
    this.account = account || null;
    this.margin = Number(margin); // a token is not used this close to its expiry
    this.attempts = Number(attempts); // requests per call, retries included
    this.maxWait = Number(maxWait); // longest Retry-After honoured; a longer one fails at once
    this.timeout = Number(timeout); // per request; the broker may hold a caller 10 s for a login
    this.requests = 0; // HTTP requests sent (for tests and metrics)
    this.lastStatus = null;
  }

  static fromEnv(overrides = {}) {
    const env = process.env;
    return new BrokerTokens({
      url: env.TRADOVATE_BROKER_URL,
      keyFile: env.TRADOVATE_BROKER_KEY_FILE,
      account: env.TRADOVATE_BROKER_ACCOUNT || null,
      margin: env.TRADOVATE_BROKER_MARGIN ?? 60,
      attempts: env.TRADOVATE_BROKER_ATTEMPTS ?? 5,
      maxWait: env.TRADOVATE_BROKER_MAX_WAIT ?? 60,
      ...overrides,
    });
  }

  #path(suffix = '') {
    return `${this.url}/token${this.account ? `/${encodeURIComponent(this.account)}` : ''}${suffix}`;
  }

  [inspect.custom]() { return `BrokerTokens(${this.url}, account=${this.account ?? '(default)'})`; }

  // ---- the API ----

  /**
   * A token valid for at least max(margin, minValidity) seconds: the cached one if it still is
   * and renewAt has not passed, else one asked of the broker (callers at the same time share it).
   */
  async token(minValidity = 0) {
    const now = monotonic();
    const cached = this.#cached;
    if (cached && cached.secondsLeft(now) >= Math.max(this.margin, minValidity)) {
      if (this.#recheckAt === null || now < this.#recheckAt) return cached;
      // renewAt has passed: the broker may hold a newer token; 304 if not
      return this.#single(() => this.#send('GET', this.#path(), null, cached.etag));
    }
    const query = minValidity ? `?minValidity=${Math.floor(minValidity)}` : '';
    return this.#single(() => this.#send('GET', this.#path(query), null, null));
  }

  async accessToken(minValidity = 0) {
    return (await this.token(minValidity)).accessToken;
  }

  /** Ask the broker on the next call (with If-None-Match), as if renewAt had passed. */
  revalidate() {
    this.#recheckAt = monotonic();
  }

  /**
   * Tradovate answered 401 for refusedToken: tell the broker, keep and return its answer (the
   * same token if its session is still open, else a new one).
   */
  async reportRefused(refusedToken) {
    return this.#send('POST', this.#path('/refused'), String(refusedToken).trim(), null);
  }

  // ---- the exchange ----

  async #single(call) {
    if (!this.#inFlight) {
      this.#inFlight = call().finally(() => { this.#inFlight = null; });
    }
    return this.#inFlight;
  }

  async #send(method, url, body, etag) {
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const headers = { Authorization: `Bearer ${this.#key}`, Accept: 'application/json' };
      if (etag) headers['If-None-Match'] = etag;
      if (body !== null) headers['Content-Type'] = 'text/plain; charset=utf-8';
      let problem;
      let wait;
      let how;
      this.requests++;
      try {
        // never follow a redirect: it would carry the key somewhere else
        const answer = await fetch(url, {
          method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.timeout * 1000),
        });
        this.lastStatus = answer.status;
        if (answer.status === 200) {
          const received = monotonic();
          return this.#keep(new BrokerToken(await answer.json(), answer.headers.get('etag'), received));
        }
        const text = await answer.text();
        if (answer.status === 304 && this.#cached) {
          this.#recheckAt = monotonic() + REVALIDATE_EVERY;
          return this.#cached;
        }
        problem = BrokerTokens.#problem(answer.status, text);
        if (![429, 500, 502, 503, 504].includes(answer.status)) throw problem;
        const retryAfter = BrokerTokens.#retryAfter(answer.headers.get('retry-after'));
        if (retryAfter === null) {
          wait = Math.min(2 ** (attempt - 1), this.maxWait);
          how = '(no Retry-After)';
        } else if (retryAfter > this.maxWait) {
          problem.detail += ` (the broker asks to retry after ${retryAfter} s, longer than this client waits: ${
            this.maxWait} s)`;
          throw problem;
        } else {
          wait = retryAfter;
          how = 'as Retry-After asks';
        }
      } catch (error) {
        if (error instanceof BrokerError) throw error;
        this.lastStatus = null;
        const cause = error.cause?.code ?? error.cause?.message ?? error.message;
        problem = new BrokerError(null, 'Broker unreachable', `${this.url}: ${cause}`);
        wait = Math.min(2 ** (attempt - 1), this.maxWait);
        how = '(back-off)';
      }
      if (attempt === this.attempts) {
        problem.detail += ` (gave up after ${attempt} attempts)`;
        throw problem;
      }
      log(`${problem.message}; waiting ${Math.round(wait)} s ${how}, attempt ${attempt} of ${this.attempts}`);
      await sleep(wait);
    }
    throw new Error('unreachable');
  }

  #keep(token) {
    if (!token.accessToken) {
      throw new BrokerError(this.lastStatus, 'Malformed answer', "the broker's answer has no accessToken");
    }
    this.#cached = token;
    const renewIn = token.renewIn ?? token.expiresIn - this.margin;
    // a renewAt already past (the broker retries its renewal) is checked again shortly, not at once
    this.#recheckAt = token.receivedAt + Math.max(renewIn, 5);
    return token;
  }

  static #retryAfter(value) {
    if (!value) return null;
    const text = value.trim();
    if (/^\d+$/.test(text)) return Number(text);
    const at = Date.parse(text);
    return Number.isNaN(at) ? null : Math.max(0, (at - Date.now()) / 1000);
  }

  static #problem(status, text) {
    let problem = {};
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object') problem = parsed;
    } catch { /* not problem details */ }
    return new BrokerError(status, problem.title ?? null, problem.detail || '(no problem details)',
      problem.reason ?? null);
  }
}

// ---- the command line: a summary, and with --check a self-test against a live broker ----

async function check(tokens) {
  const failures = [];
  const ok = (condition, message, failure) => {
    process.stderr.write(condition ? `ok: ${message}\n` : `FAIL: ${failure}\n`);
    if (!condition) failures.push(failure);
  };

  const first = await tokens.token();
  ok(tokens.requests === 1 && first.accessToken && first.fingerprint.length === 8 && first.expiresIn > tokens.margin,
    `first token ${first.fingerprint} fetched with 1 request, valid ${first.expiresIn} s`,
    `first token: ${tokens.requests} requests, expiresIn ${first.expiresIn}`);

  const [again, together] = await Promise.all([tokens.token(), tokens.token()]);
  ok(tokens.requests === 1 && again === first && together === first,
    'second and third calls served from the cache (no HTTP request)',
    `later calls sent ${tokens.requests} requests in all`);

  tokens.revalidate();
  const [kept, shared] = await Promise.all([tokens.token(), tokens.token()]);
  ok(tokens.requests === 2 && tokens.lastStatus === 304 && kept === first && shared === first,
    'revalidation sent If-None-Match (once for two concurrent callers) and got 304: cached token kept',
    `revalidation answered HTTP ${tokens.lastStatus} (requests ${tokens.requests})`);

  const answered = await tokens.reportRefused(first.accessToken);
  ok(tokens.lastStatus === 200 && answered.accessToken && answered.account === first.account,
    `refused-token report answered token ${answered.fingerprint} (${
      answered.accessToken === first.accessToken ? 'the same: its session is open' : 'a new one'})`,
    `refused-token report answered HTTP ${tokens.lastStatus}`);
  let before = tokens.requests;
  ok((await tokens.token()) === answered && tokens.requests === before, 'the cache holds the answered token',
    'the answered token was not cached');

  const shown = inspect(answered) + String(answered) + JSON.stringify(answered);
  ok(!shown.includes(answered.accessToken), 'inspect, toString and JSON.stringify do not show the token',
    'the token shows when the object is printed');

  before = tokens.requests;
  try {
    await tokens.token(86400);
    ok(false, '', 'minValidity=86400 was answered with a token');
  } catch (error) {
    if (!(error instanceof BrokerError)) throw error;
    ok(error.status === 422 && tokens.requests === before + 1 && Boolean(error.detail),
      `impossible minValidity fails at once: ${error.message}`,
      `minValidity=86400: ${error.message} after ${tokens.requests - before} requests`);
  }

  const stranger = BrokerTokens.fromEnv({ account: 'no-such-account-check' });
  try {
    await stranger.token();
    ok(false, '', 'an unknown account was answered with a token');
  } catch (error) {
    if (!(error instanceof BrokerError)) throw error;
    ok([403, 404].includes(error.status) && stranger.requests === 1 && Boolean(error.detail),
      `unknown account fails at once: ${error.message}`,
      `unknown account: ${error.message} after ${stranger.requests} requests`);
  }
  return failures;
}

async function main(args) {
  if (args.some((arg) => arg !== '--check')) {
    process.stderr.write('usage: broker-tokens.mjs [--check]   (settings: TRADOVATE_BROKER_URL, '
      + 'TRADOVATE_BROKER_KEY_FILE, TRADOVATE_BROKER_ACCOUNT)\n');
    return 2;
  }
  try {
    const tokens = BrokerTokens.fromEnv();
    process.stdout.write(`${(await tokens.token()).summary()}\n`);
    if (args.includes('--check')) {
      const failures = await check(tokens);
      if (failures.length) {
        log(`check failed: ${failures.length} of the checks`);
        return 1;
      }
      log('check passed');
    }
    return 0;
  } catch (error) {
    log(`error: ${error instanceof BrokerError ? error.message : error.message ?? error}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
