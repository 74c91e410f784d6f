#!/usr/bin/env python3
"""A client of the Tradovate token broker: Python 3.8+, standard library only.

Copy this file. It caches the token, reuses it until a safety margin before it expires
(time measured on the monotonic clock from the moment the answer arrived) or until the
broker's ``renewAt`` has passed (then it revalidates with ``If-None-Match``: a 304 keeps
the cached token), honours ``Retry-After`` on 503/429, fails at once with the problem's
``detail`` on 400/401/403/404/422, and never logs the token or the key (a fingerprint:
the first 8 hex digits of the token's SHA-256, as in the broker's own logs).

    from broker_tokens import BrokerTokens, BrokerError
    tokens = BrokerTokens.from_env()          # TRADOVATE_BROKER_URL, TRADOVATE_BROKER_KEY_FILE, ...
    headers = {"Authorization": "Bearer " + tokens.access_token()}
    ...                                       # Tradovate answered 401 for that token:
    fresh = tokens.report_refused(refused_token)

Run it: ``python3 broker_tokens.py [--check]`` prints a one-line summary (never the token).
"""

import email.utils
import hashlib
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

__all__ = ["BrokerTokens", "BrokerToken", "BrokerError", "fingerprint"]

NAME = "broker-tokens"


def fingerprint(secret):
    """The first 8 hex digits of the SHA-256 of a token: safe to log, matches the broker's logs."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:8]


def _log(message):
    print(NAME + ": " + message, file=sys.stderr, flush=True)


def _instant(text):
    """An ISO-8601 instant as seconds since the epoch, or None."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class BrokerError(Exception):
    """The broker refused, or could not give, a token. Never carries the key or a token."""

    def __init__(self, status, title, detail, reason=None, retry_after=None):
        self.status = status
        self.title = title
        self.detail = detail
        self.reason = reason
        self.retry_after = retry_after
        text = "HTTP %s" % status if status else "no answer"
        if reason:
            text += " (%s)" % reason
        super().__init__("%s: %s" % (text, detail or title or "no detail"))


class BrokerToken:
    """One answer of the broker. ``repr`` and ``str`` never show the tokens."""

    __slots__ = ("account", "access_token", "md_access_token", "expiration_time", "expires_in", "user_id",
                 "renew_at", "etag", "received_at", "renew_in")

    def __init__(self, body, etag, received_at):
        self.account = body.get("account")
        self.access_token = body.get("accessToken")
        self.md_access_token = body.get("mdAccessToken")
        self.expiration_time = body.get("expirationTime")
        self.expires_in = int(body.get("expiresIn") or 0)
        self.user_id = body.get("userId")
        self.renew_at = body.get("renewAt")
        self.etag = etag
        self.received_at = received_at  # time.monotonic() when the answer arrived
        # seconds from receipt to renewAt, from the answer alone (both instants are on the
        # broker's clock, expiresIn needs none): no dependence on the local wall clock
        expiry, renew = _instant(self.expiration_time), _instant(self.renew_at)
        self.renew_in = (self.expires_in - (expiry - renew)) if expiry is not None and renew is not None else None

    @property
    def fingerprint(self):
        return fingerprint(self.access_token)

    def seconds_left(self, now=None):
        """Seconds until the token expires, on the monotonic clock."""
        return self.expires_in - ((time.monotonic() if now is None else now) - self.received_at)

    def summary(self):
        return "account=%s fingerprint=%s expiresIn=%d renewAt=%s" % (
            self.account, self.fingerprint, max(0, int(self.seconds_left())), self.renew_at)

    def __repr__(self):
        return "BrokerToken(%s)" % self.summary()

    __str__ = __repr__


class _Secret:
    """Holds the client key; printing it (or a dict holding it) shows ``***``."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return "***"

    __str__ = __repr__


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: it would carry the key somewhere else."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class BrokerTokens:
    """Keeps the token of one account. Thread-safe: one request at a time."""

    def __init__(self, url, key_file, account=None, margin=60, attempts=5, max_wait=60, timeout=30):
        if not url:
            raise ValueError("TRADOVATE_BROKER_URL is not set")
        if not key_file:
            raise ValueError("TRADOVATE_BROKER_KEY_FILE is not set")
        with open(key_file, "r", encoding="utf-8") as f:
            self._key = _Secret(f.read().strip())
        if not self._key.value:
            raise ValueError("the key file %s is empty" % key_file)
        self.url = url.rstrip("/")
        self.account = account or None
        self.margin = float(margin)      # a token is not used this close to its expiry
        self.attempts = int(attempts)    # requests per call, retries included
        self.max_wait = float(max_wait)  # longest Retry-After honoured; a longer one fails at once
        self.timeout = float(timeout)    # per request; the broker may hold a caller 10 s for a login
        self.requests = 0                # HTTP requests sent (for tests and metrics)
        self.last_status = None
        self._cached = None
        self._recheck_at = None          # monotonic: when to ask again, with If-None-Match
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(_NoRedirect)

    def __repr__(self):
        return "BrokerTokens(%s, account=%s)" % (self.url, self.account or "(default)")

    @classmethod
    def from_env(cls, **overrides):
        env = os.environ
        settings = dict(url=env.get("TRADOVATE_BROKER_URL"), key_file=env.get("TRADOVATE_BROKER_KEY_FILE"),
                        account=env.get("TRADOVATE_BROKER_ACCOUNT") or None,
                        margin=float(env.get("TRADOVATE_BROKER_MARGIN", "60")),
                        attempts=int(env.get("TRADOVATE_BROKER_ATTEMPTS", "5")),
                        max_wait=float(env.get("TRADOVATE_BROKER_MAX_WAIT", "60")))
        settings.update(overrides)
        return cls(**settings)

    def _path(self, suffix=""):
        path = "/token" + ("/" + urllib.parse.quote(self.account, safe="") if self.account else "")
        return self.url + path + suffix

    # ---- the API ----

    def token(self, min_validity=0):
        """A token valid for at least ``max(margin, min_validity)`` seconds: the cached one if it
        still is and ``renewAt`` has not passed, else one asked of the broker."""
        with self._lock:
            now = time.monotonic()
            cached = self._cached
            needed = max(self.margin, float(min_validity))
            if cached is not None and cached.seconds_left(now) >= needed:
                if self._recheck_at is None or now < self._recheck_at:
                    return cached
                # renewAt has passed: the broker may hold a newer token; 304 if not
                return self._fetch(None, cached.etag)
            return self._fetch(min_validity or None, None)

    def access_token(self, min_validity=0):
        return self.token(min_validity).access_token

    def revalidate(self):
        """Ask the broker on the next call (with If-None-Match), as if renewAt had passed."""
        with self._lock:
            self._recheck_at = time.monotonic()

    def report_refused(self, refused_token):
        """Tradovate answered 401 for ``refused_token``: tell the broker, keep and return its answer
        (the same token if its session is still open, else a new one)."""
        with self._lock:
            return self._send("POST", self._path("/refused"), refused_token.strip().encode("utf-8"), None)

    # ---- the exchange ----

    def _fetch(self, min_validity, etag):
        query = "?minValidity=%d" % int(min_validity) if min_validity else ""
        return self._send("GET", self._path() + query, None, etag)

    def _send(self, method, url, body, etag):
        for attempt in range(1, self.attempts + 1):
            headers = {"Authorization": "Bearer " + self._key.value, "Accept": "application/json"}
            if etag:
                headers["If-None-Match"] = etag
            if body is not None:
                headers["Content-Type"] = "text/plain; charset=utf-8"
            request = urllib.request.Request(url, data=body, headers=headers, method=method)
            self.requests += 1
            try:
                with self._opener.open(request, timeout=self.timeout) as answer:
                    self.last_status = answer.status
                    received = time.monotonic()
                    data = json.loads(answer.read().decode("utf-8"))
                    return self._keep(BrokerToken(data, answer.headers.get("ETag"), received))
            except urllib.error.HTTPError as error:
                self.last_status = error.code
                raw = error.read()
                if error.code == 304 and self._cached is not None:
                    self._recheck_at = time.monotonic() + self._revalidate_every()
                    return self._cached
                problem = self._problem(error.code, raw)
                if error.code not in (429, 500, 502, 503, 504):
                    raise problem from None
                wait = self._retry_after(error.headers.get("Retry-After"))
                if wait is None:
                    wait = min(2 ** (attempt - 1), self.max_wait)
                elif wait > self.max_wait:
                    problem.detail = "%s (the broker asks to retry after %d s, longer than this client waits: %d s)" % (
                        problem.detail, wait, self.max_wait)
                    raise problem from None
                what = "HTTP %d%s: %s" % (error.code, " (%s)" % problem.reason if problem.reason else "",
                                          problem.detail)
                how = "as Retry-After asks" if error.headers.get("Retry-After") else "(no Retry-After)"
            except (urllib.error.URLError, OSError) as error:
                self.last_status = None
                reason = getattr(error, "reason", error)
                problem = BrokerError(None, "Broker unreachable", "%s: %s" % (self.url, reason))
                wait, what, how = min(2 ** (attempt - 1), self.max_wait), problem.detail, "(back-off)"
            if attempt == self.attempts:
                problem.detail = "%s (gave up after %d attempts)" % (problem.detail, attempt)
                raise problem
            _log("%s; waiting %d s %s, attempt %d of %d" % (what, round(wait), how, attempt, self.attempts))
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _keep(self, token):
        if not token.access_token:
            raise BrokerError(self.last_status, "Malformed answer", "the broker's answer has no accessToken")
        self._cached = token
        renew_in = token.renew_in if token.renew_in is not None else token.expires_in - self.margin
        # a renewAt already past (the broker retries its renewal) is checked again shortly, not at once
        self._recheck_at = token.received_at + max(renew_in, 5.0)
        return token

    def _revalidate_every(self):
        return 15.0

    @staticmethod
    def _retry_after(value):
        if not value:
            return None
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None

    @staticmethod
    def _problem(status, raw):
        try:
            problem = json.loads(raw.decode("utf-8")) if raw else {}
            if not isinstance(problem, dict):
                problem = {}
        except ValueError:
            problem = {}
        return BrokerError(status, problem.get("title"), problem.get("detail") or "(no problem details)",
                           problem.get("reason"))


# ---- the command line: a summary, and with --check a self-test against a live broker ----

def _check(tokens):
    failures = []

    def ok(condition, message, failure):
        print(("ok: " + message) if condition else ("FAIL: " + failure), file=sys.stderr, flush=True)
        if not condition:
            failures.append(failure)

    first = tokens.token()
    ok(tokens.requests == 1 and first.access_token and len(first.fingerprint) == 8 and first.expires_in > tokens.margin,
       "first token %s fetched with 1 request, valid %d s" % (first.fingerprint, first.expires_in),
       "first token: %d requests, expiresIn %d" % (tokens.requests, first.expires_in))

    again = tokens.token()
    ok(tokens.requests == 1 and again is first, "second call served from the cache (no HTTP request)",
       "second call sent %d requests in all" % tokens.requests)

    tokens.revalidate()
    kept = tokens.token()
    ok(tokens.requests == 2 and tokens.last_status == 304 and kept is first,
       "revalidation sent If-None-Match and got 304: cached token kept",
       "revalidation answered HTTP %s (requests %d)" % (tokens.last_status, tokens.requests))

    answered = tokens.report_refused(first.access_token)
    ok(tokens.last_status == 200 and answered.access_token and answered.account == first.account,
       "refused-token report answered token %s (%s)" % (
           answered.fingerprint, "the same: its session is open" if answered.access_token == first.access_token
           else "a new one"),
       "refused-token report answered HTTP %s" % tokens.last_status)
    before = tokens.requests
    ok(tokens.token() is answered and tokens.requests == before, "the cache holds the answered token",
       "the answered token was not cached")

    shown = repr(answered) + str(answered) + repr(tokens) + repr(tokens.__dict__)
    ok(answered.access_token not in shown and tokens._key.value not in shown,
       "repr and str of the token and the client show neither token nor key",
       "the token or the key shows when the objects are printed")

    before = tokens.requests
    try:
        tokens.token(min_validity=86400)
        ok(False, "", "minValidity=86400 was answered with a token")
    except BrokerError as error:
        ok(error.status == 422 and tokens.requests == before + 1 and bool(error.detail),
           "impossible minValidity fails at once: %s" % error,
           "minValidity=86400: %s after %d requests" % (error, tokens.requests - before))

    stranger = BrokerTokens.from_env(account="no-such-account-check")
    try:
        stranger.token()
        ok(False, "", "an unknown account was answered with a token")
    except BrokerError as error:
        ok(error.status in (403, 404) and stranger.requests == 1 and bool(error.detail),
           "unknown account fails at once: %s" % error,
           "unknown account: %s after %d requests" % (error, stranger.requests))

    return failures


def main(argv):
    if any(arg not in ("--check",) for arg in argv):
        print("usage: broker_tokens.py [--check]   (settings: TRADOVATE_BROKER_URL, TRADOVATE_BROKER_KEY_FILE, "
              "TRADOVATE_BROKER_ACCOUNT)", file=sys.stderr)
        return 2
    try:
        tokens = BrokerTokens.from_env()
        print(tokens.token().summary(), flush=True)
        if "--check" in argv:
            failures = _check(tokens)
            if failures:
                _log("check failed: %d of the checks" % len(failures))
                return 1
            _log("check passed")
        return 0
    except (BrokerError, ValueError, OSError) as error:
        _log("error: %s" % error)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
