#!/usr/bin/env python3
"""Byte-for-byte comparison of the HTTP answers of two `resumate` binaries.

    scripts/api-diff.py --base /path/to/old/resumate --new build/resumate

Each phase of the scenario starts the two binaries side by side, each with a fresh data
directory under one temporary directory, on its own free port on 127.0.0.1, with the
embedded defaults (SQLite, in-process cache, the offline AI model) and the same settings
(below). Both are prepared the same way through the CLI (`migrate`, `seed`,
`createsuperuser`), then the same scripted requests are sent to both, one at a time and
alternately (base, then new), as raw bytes over a socket, so malformed requests are
possible. Every answer is recorded as its status line, every header in order, and the body
(a chunked body is recorded de-chunked, its chunk boundaries dropped, since they follow
the timing of writes). The two recordings of each request are compared after normalizing
what legitimately differs between two runs, and a verdict is printed per request, then a
summary. Exit status: 0 when every answer matches, 1 on any difference, 2 when a server
could not be prepared or started.

Normalizations (applied to both recordings alike; nothing else is normalized):

* the value of a `Date` header becomes `<date>` (the header stays in its place);
* an `X-Request-ID` header (random per request; newer builds add it to every answer) is left
  out of both recordings;
* a JWT (`eyJ….eyJ….…`) in a body is replaced by its decoded header and payload: `iat`
  becomes `<int>`, `exp` becomes `<iat+seconds>` (that lifetime is compared as a clock number,
  below; an access token made by a refresh keeps the refresh token's `iat`), the `jti` keeps
  only its length and hex-ness, and the signature only its length: tokens are signed at
  another second and with a random `jti`;
* an ISO 8601 timestamp in a body (`2026-12-05T07:02:38.595977Z`) has its digits replaced
  by `N`, so its shape (microseconds, `Z`) is still compared but not the clock;
* the seconds of a `Retry-After` header and of an `"Expected available in N seconds"` text
  become `<wait>`.

The clock numbers taken out (waits, token lifetimes) must then agree within 2 s plus the
drift seen so far between the two servers' timelines: each step goes to base, then to new,
so a slow answer of one shifts the other's clock; the drift is the spread of the time
between the two sends over the steps so far.

Ids in bodies are not normalized: both servers start from empty databases and receive the
same requests, so they must hand out the same ids. Requests carry `Host: api.test`, so
absolute URLs in answers do not depend on the port. The generations use the offline model,
which is deterministic (the same input gives the same Markdown), so its text is compared
as is. Each request is sent on its own connection, except where a step says otherwise.

Phases: `main` (throttling off, which also turns the login lockout off; CORS_ALLOWED_ORIGINS
and a 64 KiB body limit) and `limits` (tiny throttle rates and storage quotas, the login
lockout after 2 failures), each on its own pair of fresh servers.
"""

import argparse
import base64
import difflib
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HOST_HEADER = "api.test"
SECRET_KEY = "api-diff-secret-key-0123456789-abcdefghijklmnop"
ADMIN = ("admin", "admin@example.com", "Adm1n!Passw0rd-77")
PASSWORD = "Str0ng!Passw0rd-42"
ORIGIN_OK = "https://app.example.com"
ORIGIN_BAD = "https://evil.example.net"
MAX_BODY = 65536
USER_INPUT = ("My name is Jane Doe, a backend engineer with 6 years of Python and PostgreSQL "
              "at Acme Corp. I led the billing rewrite and mentored four engineers.")
CLOCK_SLACK = 2

PHASE_ENV = {
    "main": {
        "RESUMATE_THROTTLE": "off",
        "CORS_ALLOWED_ORIGINS": ORIGIN_OK,
        "RESUMATE_MAX_BODY_BYTES": str(MAX_BODY),
    },
    "limits": {
        "RESUMATE_THROTTLE": "anon=1000/minute,user=1000/minute,generate=2/minute,"
                             "register=2/hour,login=20/minute",
        "RESUMATE_QUOTA_RESUMES": "2",
        "RESUMATE_QUOTA_JOB_APPLICATIONS": "1",
        "RESUMATE_QUOTA_BYTES": "3000",
        "RESUMATE_LOGIN_MAX_FAILURES": "2",
    },
}


# ---------------------------------------------------------------------------------------
# Servers


class SetupError(Exception):
    pass


class Server:
    """One `resumate serve` on a fresh data directory and a free port of 127.0.0.1."""

    def __init__(self, binary, root, extra_env):
        self.binary = os.path.abspath(binary)
        self.root = root
        self.data_dir = os.path.join(root, "data")
        self.port_file = os.path.join(root, "port")
        self.log_path = os.path.join(root, "serve.log")
        self.env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": root,
            "RESUMATE_DATA_DIR": self.data_dir,
            "SECRET_KEY": SECRET_KEY,
            "HOST": "127.0.0.1",
            "PORT": "0",
            "RESUMATE_PORT_FILE": self.port_file,
            "RESUMATE_LOG_LEVEL": "warning",
        }
        self.env.update(extra_env)
        self.proc = None
        self.port = None

    def cli(self, *args):
        r = subprocess.run([self.binary, *args], cwd=self.root, env=self.env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        if r.returncode != 0:
            raise SetupError("`resumate %s` (%s) exited %d:\n%s" % (
                " ".join(args), self.binary, r.returncode, r.stdout.decode(errors="replace")))

    def prepare(self):
        os.makedirs(self.data_dir, mode=0o700)
        self.cli("migrate")
        self.cli("seed")
        self.cli("createsuperuser", "--username", ADMIN[0], "--email", ADMIN[1],
                 "--password", ADMIN[2])

    def start(self):
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([self.binary, "serve"], cwd=self.root, env=self.env,
                                     stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with open(self.port_file) as f:
                    text = f.read()
            except FileNotFoundError:
                text = ""
            if text.endswith("\n"):
                self.port = int(text)
                return
            if self.proc.poll() is not None:
                raise SetupError("%s serve exited %d before listening:\n%s" % (
                    self.binary, self.proc.returncode, self.log_tail()))
            time.sleep(0.02)
        self.stop()
        raise SetupError("%s serve wrote no port file in 30 s:\n%s" % (
            self.binary, self.log_tail()))

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


# ---------------------------------------------------------------------------------------
# Raw HTTP


def raw(method, target, headers=(), body=None, host=HOST_HEADER, version="HTTP/1.1"):
    """The bytes of a request: Host first (unless None), the headers in order, then
    Content-Length when there is a body."""
    lines = ["%s %s %s" % (method, target, version)]
    if host is not None:
        lines.append("Host: " + host)
    for name, value in headers:
        lines.append("%s: %s" % (name, value))
    data = b""
    if body is not None:
        data = body if isinstance(body, bytes) else body.encode()
        lines.append("Content-Length: %d" % len(data))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


class Reader:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.eof = False

    def fill(self):
        if self.eof:
            return False
        try:
            data = self.sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def until(self, sep):
        while sep not in self.buf:
            if not self.fill():
                raise EOFError("connection closed before %r" % sep)
        i = self.buf.index(sep) + len(sep)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def exactly(self, n):
        while len(self.buf) < n:
            if not self.fill():
                raise EOFError("connection closed %d bytes into a %d-byte body" % (len(self.buf), n))
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def rest(self):
        while self.fill():
            pass
        out, self.buf = self.buf, b""
        return out


def read_response(reader, method):
    """One response: {"status", "headers": [[name, value]...], "body", "framing"}."""
    head = reader.until(b"\r\n\r\n").decode("latin-1")
    lines = head[:-4].split("\r\n")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append([name, value.strip()])
    status = lines[0]
    code = int(status.split(" ")[1]) if len(status.split(" ")) > 1 else 0
    lower = {n.lower(): v for n, v in headers}
    if method == "HEAD" or code in (204, 304) or 100 <= code < 200:
        body, framing = b"", "none"
    elif "chunked" in lower.get("transfer-encoding", "").lower():
        body, framing = b"", "chunked"
        while True:
            size = int(reader.until(b"\r\n").split(b";")[0].strip(), 16)
            if size == 0:
                reader.until(b"\r\n")  # no trailers are sent
                break
            body += reader.exactly(size)
            reader.exactly(2)
    elif "content-length" in lower:
        body, framing = reader.exactly(int(lower["content-length"])), "length"
    else:
        body, framing = reader.rest(), "close"
    return {"status": status, "headers": headers, "body": body, "framing": framing}


def exchange(port, data, methods):
    """Sends `data` on a new connection and reads one response per entry of `methods`."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered (and closed) before taking all of it
        reader = Reader(sock)
        out = []
        for m in methods:
            try:
                out.append(read_response(reader, m))
            except (EOFError, ValueError, socket.timeout) as e:
                out.append({"status": "<no response: %s>" % e, "headers": [], "body": reader.buf,
                            "framing": "none"})
                return out
        if reader.buf:
            # Bytes beyond the expected answers (a body on a HEAD answer, say) that have
            # already arrived; none arrive from a correct server.
            out[-1]["extra"] = len(reader.buf)
        return out


# ---------------------------------------------------------------------------------------
# Normalization


JWT_RE = re.compile(rb"eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
TS_RE = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z")
WAIT_RE = re.compile(rb"(Expected available in )(\d+)( second)")


def b64json(part):
    part += "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(part))


def describe_jwt(match, clock):
    token = match.group(0).decode()
    h, p, s = token.split(".")
    try:
        header, payload = b64json(h), b64json(p)
    except ValueError:
        return b"<undecodable jwt>"
    if isinstance(payload, dict):
        if isinstance(payload.get("exp"), int) and isinstance(payload.get("iat"), int):
            clock.append(payload["exp"] - payload["iat"])
            payload["exp"] = "<iat+seconds>"
        if isinstance(payload.get("iat"), int):
            payload["iat"] = "<int>"
        jti = payload.get("jti")
        if isinstance(jti, str):
            hexness = "hex" if re.fullmatch(r"[0-9a-f]*", jti) else "non-hex"
            payload["jti"] = "<%s %d>" % (hexness, len(jti))
    return ("<jwt %s %s sig:%d>" % (json.dumps(header), json.dumps(payload), len(s))).encode()


def normalize(resp):
    """(normalized text, the clock-dependent numbers taken out of it) of one response."""
    clock = []

    def wait(m):
        clock.append(int(m.group(2)))
        return m.group(1) + b"<wait>" + m.group(3)

    out = [resp["status"]]
    for name, value in resp["headers"]:
        if name.lower() == "x-request-id":
            continue
        if name.lower() == "date":
            value = "<date>"
        elif name.lower() == "retry-after" and value.isdigit():
            clock.append(int(value))
            value = "<wait>"
        out.append("%s: %s" % (name, value))
    body = JWT_RE.sub(lambda m: describe_jwt(m, clock), resp["body"])
    body = TS_RE.sub(lambda m: re.sub(rb"\d", b"N", m.group(0)), body)
    body = WAIT_RE.sub(wait, body)
    out.append("[body, %s framing, %d bytes as sent]" % (resp["framing"], len(resp["body"])))
    if resp.get("extra"):
        out.append("[%d unexpected bytes after the answer]" % resp["extra"])
    out.extend(body.decode("utf-8", errors="backslashreplace").split("\n"))
    return out, clock


# ---------------------------------------------------------------------------------------
# The scenario. A step builds its request bytes from the per-server context (tokens and ids
# that server handed out), and may read values from its answers into the context.


def jbody(obj):
    return json.dumps(obj, ensure_ascii=False)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(payload, key=SECRET_KEY, alg="HS256"):
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    if alg == "none":
        return header + "." + body + "."
    sig = hmac.new(key.encode(), (header + "." + body).encode(), hashlib.sha256).digest()
    return header + "." + body + "." + b64url(sig)


class Step:
    def __init__(self, name, build, capture=None, methods=None):
        self.name = name
        self.build = build        # ctx -> bytes
        self.capture = capture    # (ctx, [responses]) -> None
        self.methods = methods    # methods of the responses to read; default [method]


class Scenario:
    def __init__(self):
        self.steps = []

    def add(self, name, method, target, headers=(), body=None, token=None, capture=None,
            ctype="application/json", host=HOST_HEADER):
        """A request; `target`, header values and `body` may be callables of the context,
        `token` a context key holding a bearer token."""

        def build(ctx):
            t = target(ctx) if callable(target) else target
            hs = list(headers(ctx) if callable(headers) else headers)
            if token is not None:
                hs.append(("Authorization", "Bearer " + ctx[token]))
            b = body(ctx) if callable(body) else body
            if b is not None and not isinstance(b, (str, bytes)):
                b = jbody(b)
            if b is not None and ctype is not None:
                hs.append(("Content-Type", ctype))
            return raw(method, t, hs, b, host=host)

        self.steps.append(Step(name, build, capture, [method]))

    def add_raw(self, name, data, methods=("GET",)):
        self.steps.append(Step(name, lambda ctx: data, None, list(methods)))


def body_json(resp):
    return json.loads(resp["body"])


def keep(**fields):
    """A capture storing fields of the JSON answer: keep(ctx_key=json_key)."""

    def capture(ctx, resps):
        try:
            doc = body_json(resps[0])
        except ValueError:
            return
        for ctx_key, json_key in fields.items():
            if isinstance(doc, dict) and json_key in doc:
                ctx[ctx_key] = str(doc[json_key])

    return capture


def main_scenario():
    s = Scenario()
    A = s.add
    reg = lambda u, e, p, p2=None: {"username": u, "email": e, "password": p,
                                    "password2": p if p2 is None else p2}

    # Public data, caches, the API root.
    A("api root", "GET", "/api/")
    A("ai models (MISS)", "GET", "/api/ai/models/")
    A("ai models (HIT)", "GET", "/api/ai/models/")
    A("examples (MISS)", "GET", "/api/example-job-applications/")
    A("examples (HIT)", "GET", "/api/example-job-applications/")
    A("example 1", "GET", "/api/example-job-applications/1/")
    A("example 999 (404)", "GET", "/api/example-job-applications/999/")
    A("HEAD ai models", "HEAD", "/api/ai/models/")
    A("HEAD examples", "HEAD", "/api/example-job-applications/")
    A("OPTIONS ai generate", "OPTIONS", "/api/ai/generate/")
    A("OPTIONS register", "OPTIONS", "/api/auth/register/")
    A("OPTIONS resumes (anonymous)", "OPTIONS", "/api/resumes/")

    # Routing and protocol errors.
    A("unknown route (404)", "GET", "/api/nope/")
    A("unknown route outside /api/", "GET", "/nope")
    A("empty segment (404)", "GET", "/api/resumes//")
    A("append slash GET (301)", "GET", "/api/ai/models")
    A("append slash GET keeps query (301)", "GET", "/api/ai/models?x=1&y=%C3%A9")
    A("append slash HEAD (301)", "HEAD", "/api/example-job-applications")
    A("append slash POST (308)", "POST", "/api/auth/register", body={})
    A("append slash DELETE (308)", "DELETE", "/api/resumes/1")
    A("wrong method (405)", "PATCH", "/api/ai/models/", body={})
    A("wrong method DELETE register (405)", "DELETE", "/api/auth/register/")
    A("GET on POST-only route (405)", "GET", "/api/auth/token/")
    A("Accept image/png (406)", "GET", "/api/ai/models/", headers=[("Accept", "image/png")])
    A("Accept json with q", "GET", "/api/ai/models/",
      headers=[("Accept", "text/html;q=0.9, application/json;q=0.8")])
    A("text/plain body (415)", "POST", "/api/auth/register/", body="username=x",
      ctype="text/plain")
    A("JSON parse error (400)", "POST", "/api/auth/register/", body='{"username": ')
    A("JSON not an object", "POST", "/api/auth/register/", body="[1, 2]")
    A("invalid UTF-8 in JSON", "POST", "/api/auth/token/",
      body=b'{"username": "\xff\xfe", "password": "x"}')
    A("Content-Length over the limit (413)", "POST", "/api/auth/register/",
      headers=[("Content-Type", "application/json"), ("Content-Length", str(MAX_BODY + 1))],
      ctype=None)
    A("body over the limit (413)", "POST", "/api/auth/register/",
      body='{"username": "' + "x" * (MAX_BODY + 10) + '"}')
    chunk = b"x" * 4096
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(MAX_BODY // 4096 + 1))
    s.add_raw("chunked body over the limit (413)",
              raw("POST", "/api/auth/register/", [("Content-Type", "application/json"),
                                                  ("Transfer-Encoding", "chunked")])
              + chunked + b"0\r\n\r\n", methods=["POST"])
    s.add_raw("chunked JSON body",
              raw("POST", "/api/auth/token/", [("Content-Type", "application/json"),
                                               ("Transfer-Encoding", "chunked")])
              + b"5\r\n{\"use\r\n1c\r\nrname\": \"nobody\", \"password\"\r\n6\r\n: \"x\"}\r\n0\r\n\r\n",
              methods=["POST"])
    s.add_raw("huge header (431)",
              raw("GET", "/api/ai/models/", [("X-Filler", "a" * 9000)]))
    s.add_raw("bad request line (400)", b"GARBAGE\r\n\r\n")
    s.add_raw("bad HTTP version (400)", b"GET /api/ HTTP/9.9\r\nHost: api.test\r\n\r\n")
    s.add_raw("missing Host (400)", raw("GET", "/api/ai/models/", host=None))
    s.add_raw("two Hosts (400)", raw("GET", "/api/ai/models/", [("Host", "other.test")]))
    s.add_raw("invalid Host (400)", raw("GET", "/api/ai/models/", host="bad host!"))
    s.add_raw("Host with port", raw("GET", "/api/", host="api.test:8080"))
    s.add_raw("IPv6 Host", raw("GET", "/api/", host="[::1]:8000"))
    s.add_raw("HTTP/1.0 without Host", raw("GET", "/api/ai/models/", host=None,
                                           version="HTTP/1.0"))
    s.add_raw("folded header (400)",
              b"GET /api/ HTTP/1.1\r\nHost: api.test\r\nX-A: 1\r\n  continued\r\n\r\n")
    s.add_raw("keep-alive: two requests on one connection",
              raw("GET", "/api/ai/models/") + raw("GET", "/api/example-job-applications/1/"),
              methods=["GET", "GET"])
    s.add_raw("Connection: close", raw("GET", "/api/", [("Connection", "close")]))

    # CORS.
    A("preflight allowed origin", "OPTIONS", "/api/resumes/",
      headers=[("Origin", ORIGIN_OK), ("Access-Control-Request-Method", "POST"),
               ("Access-Control-Request-Headers", "authorization, content-type")])
    A("preflight disallowed origin", "OPTIONS", "/api/resumes/",
      headers=[("Origin", ORIGIN_BAD), ("Access-Control-Request-Method", "POST")])
    A("GET with allowed origin", "GET", "/api/ai/models/", headers=[("Origin", ORIGIN_OK)])
    A("GET with disallowed origin", "GET", "/api/ai/models/", headers=[("Origin", ORIGIN_BAD)])

    # Registration.
    A("register alice", "POST", "/api/auth/register/",
      body=reg("alice", "alice@example.com", PASSWORD))
    A("register bob", "POST", "/api/auth/register/", body=reg("bob", "bob@example.com", PASSWORD))
    A("register: empty body", "POST", "/api/auth/register/", body={})
    A("register: blanks", "POST", "/api/auth/register/", body=reg("", "", "", ""))
    A("register: nulls", "POST", "/api/auth/register/",
      body={"username": None, "email": None, "password": None, "password2": None})
    A("register: wrong types", "POST", "/api/auth/register/",
      body={"username": 5, "email": [], "password": {}, "password2": True})
    A("register: invalid email", "POST", "/api/auth/register/",
      body=reg("carol", "not-an-email", PASSWORD))
    A("register: invalid username", "POST", "/api/auth/register/",
      body=reg("carol smith!", "c@example.com", PASSWORD))
    A("register: 151-character username", "POST", "/api/auth/register/",
      body=reg("é" * 151, "c@example.com", PASSWORD))
    A("register: short password", "POST", "/api/auth/register/",
      body=reg("carol", "c@example.com", "Ab1!"))
    A("register: common password", "POST", "/api/auth/register/",
      body=reg("carol", "c@example.com", "password123"))
    A("register: numeric password", "POST", "/api/auth/register/",
      body=reg("carol", "c@example.com", "4839201758"))
    A("register: short common numeric", "POST", "/api/auth/register/",
      body=reg("carol", "c@example.com", "1234"))
    A("register: password similar to username", "POST", "/api/auth/register/",
      body=reg("carolinesmith", "c@example.com", "carolinesmith1"))
    A("register: password similar to email", "POST", "/api/auth/register/",
      body=reg("carol", "zanzibarquest@example.com", "zanzibarquest"))
    A("register: mismatch", "POST", "/api/auth/register/",
      body=reg("carol", "c@example.com", PASSWORD, PASSWORD + "x"))
    A("register: duplicate", "POST", "/api/auth/register/",
      body=reg("alice", "alice2@example.com", PASSWORD))
    A("register: system account name", "POST", "/api/auth/register/",
      body=reg("anonymous_user", "a@example.com", PASSWORD))
    A("register: unicode (NFKC)", "POST", "/api/auth/register/",
      body=reg("ｒｏｏｔ１", "root@example.com", PASSWORD))
    A("register: unicode duplicate after NFKC", "POST", "/api/auth/register/",
      body=reg("root1", "root@example.com", PASSWORD))
    A("register: unicode letters", "POST", "/api/auth/register/",
      body=reg("Zoë_Łukasz", "zoe@example.com", PASSWORD))
    A("register: form-encoded", "POST", "/api/auth/register/",
      body="username=dave&email=dave%40example.com&password=" + PASSWORD.replace("!", "%21")
           + "&password2=" + PASSWORD.replace("!", "%21"),
      ctype="application/x-www-form-urlencoded")

    # Tokens.
    A("token alice", "POST", "/api/auth/token/", body={"username": "alice", "password": PASSWORD},
      capture=keep(alice="access", alice_refresh="refresh"))
    A("token bob", "POST", "/api/auth/token/", body={"username": "bob", "password": PASSWORD},
      capture=keep(bob="access", bob_refresh="refresh"))
    A("token admin", "POST", "/api/auth/token/",
      body={"username": ADMIN[0], "password": ADMIN[2]}, capture=keep(admin="access"))
    A("token unicode login", "POST", "/api/auth/token/",
      body={"username": "ｒｏｏｔ１", "password": PASSWORD})
    A("token: missing fields", "POST", "/api/auth/token/", body={})
    A("token: wrong password", "POST", "/api/auth/token/",
      body={"username": "alice", "password": "wrong-password"})
    A("token: unknown user", "POST", "/api/auth/token/",
      body={"username": "nobody", "password": PASSWORD})
    A("token: system account", "POST", "/api/auth/token/",
      body={"username": "anonymous_user", "password": PASSWORD})
    A("refresh", "POST", "/api/auth/token/refresh/",
      body=lambda c: {"refresh": c["alice_refresh"]})
    A("refresh: access token given", "POST", "/api/auth/token/refresh/",
      body=lambda c: {"refresh": c["alice"]})
    A("refresh: garbage", "POST", "/api/auth/token/refresh/", body={"refresh": "garbage"})
    A("refresh: missing", "POST", "/api/auth/token/refresh/", body={})
    A("verify access", "POST", "/api/auth/token/verify/", body=lambda c: {"token": c["alice"]})
    A("verify refresh", "POST", "/api/auth/token/verify/",
      body=lambda c: {"token": c["bob_refresh"]})
    A("verify garbage", "POST", "/api/auth/token/verify/", body={"token": "a.b.c"})
    A("verify missing", "POST", "/api/auth/token/verify/", body={})
    A("blacklist bob's refresh", "POST", "/api/auth/token/blacklist/",
      body=lambda c: {"refresh": c["bob_refresh"]})
    A("refresh blacklisted", "POST", "/api/auth/token/refresh/",
      body=lambda c: {"refresh": c["bob_refresh"]})
    A("verify blacklisted", "POST", "/api/auth/token/verify/",
      body=lambda c: {"token": c["bob_refresh"]})
    A("blacklist again", "POST", "/api/auth/token/blacklist/",
      body=lambda c: {"refresh": c["bob_refresh"]})
    A("blacklist an access token", "POST", "/api/auth/token/blacklist/",
      body=lambda c: {"refresh": c["alice"]})

    # Authorization headers.
    now = int(time.time())
    expired = mint({"token_type": "access", "exp": now - 60, "iat": now - 360,
                    "jti": "0" * 32, "user_id": 3})
    wrong_key = mint({"token_type": "access", "exp": now + 3600, "iat": now,
                      "jti": "1" * 32, "user_id": 3}, key="another-key-0123456789-0123456789")
    alg_none = mint({"token_type": "access", "exp": now + 3600, "iat": now,
                     "jti": "2" * 32, "user_id": 3}, alg="none")
    ghost = mint({"token_type": "access", "exp": now + 3600, "iat": now,
                  "jti": "3" * 32, "user_id": 999})
    for label, value in [("no credentials", None), ("Basic scheme (anonymous)", "Basic YTpi"),
                         ("Bearer without token", "Bearer"), ("three parts", "Bearer a b"),
                         ("garbage token", "Bearer garbage"), ("expired token", "Bearer " + expired),
                         ("wrong key", "Bearer " + wrong_key), ("alg none", "Bearer " + alg_none),
                         ("deleted user's token", "Bearer " + ghost),
                         ("lower-case bearer", lambda c: "bearer " + c["alice"])]:
        hs = (lambda v: (lambda c: [("Authorization", v(c) if callable(v) else v)]))(value) \
            if value is not None else ()
        A("resumes, " + label, "GET", "/api/resumes/", headers=hs)
    A("refresh token as access", "GET", "/api/resumes/",
      headers=lambda c: [("Authorization", "Bearer " + c["alice_refresh"])])
    A("bad token on an anonymous route", "GET", "/api/ai/models/",
      headers=[("Authorization", "Bearer garbage")])

    # Resumes.
    A("resumes: empty list", "GET", "/api/resumes/", token="alice")
    A("resume create", "POST", "/api/resumes/", token="alice",
      body={"title": "Backend CV", "content": "# Alice\n\n## Skills\n- Python"},
      capture=keep(r1="id"))
    A("resume create 2", "POST", "/api/resumes/", token="alice",
      body={"title": "  Ünïcode CV ✓  ", "content": "# Ålice"}, capture=keep(r2="id"))
    A("resume create bob", "POST", "/api/resumes/", token="bob",
      body={"title": "Bob CV", "content": "# Bob"}, capture=keep(rb="id"))
    A("resume create: missing", "POST", "/api/resumes/", token="alice", body={})
    A("resume create: blank/null", "POST", "/api/resumes/", token="alice",
      body={"title": " ", "content": None})
    A("resume create: too long, wrong type", "POST", "/api/resumes/", token="alice",
      body={"title": "t" * 256, "content": 12})
    A("resume create: read-only fields ignored", "POST", "/api/resumes/", token="alice",
      body={"title": "RO", "content": "x", "id": 77, "user": "bob",
            "created_at": "2020-01-01T00:00:00Z"}, capture=keep(r3="id"))
    A("resume create: form-encoded", "POST", "/api/resumes/", token="alice",
      body="title=Form+CV&content=hello%0Aworld", ctype="application/x-www-form-urlencoded")
    A("resume get", "GET", lambda c: "/api/resumes/%s/" % c["r1"], token="alice")
    A("resume put", "PUT", lambda c: "/api/resumes/%s/" % c["r1"], token="alice",
      body={"title": "Backend CV v2", "content": "# Alice v2"})
    A("resume put: missing content", "PUT", lambda c: "/api/resumes/%s/" % c["r1"],
      token="alice", body={"title": "x"})
    A("resume patch", "PATCH", lambda c: "/api/resumes/%s/" % c["r2"], token="alice",
      body={"title": "Patched"})
    A("resume patch: blank title", "PATCH", lambda c: "/api/resumes/%s/" % c["r2"],
      token="alice", body={"title": ""})
    A("resumes list", "GET", "/api/resumes/", token="alice")
    A("resumes ?limit=2", "GET", "/api/resumes/?limit=2", token="alice")
    A("resumes ?limit=2&offset=2", "GET", "/api/resumes/?limit=2&offset=2", token="alice")
    A("resumes ?offset=1", "GET", "/api/resumes/?offset=1", token="alice")
    A("resumes ?limit=abc", "GET", "/api/resumes/?limit=abc", token="alice")
    A("resumes ?limit=0", "GET", "/api/resumes/?limit=0", token="alice")
    A("resumes.json", "GET", "/api/resumes.json", token="alice")
    A("resume .json", "GET", lambda c: "/api/resumes/%s.json" % c["r1"], token="alice")
    A("resume ?format=json", "GET", lambda c: "/api/resumes/%s/?format=json" % c["r1"],
      token="alice")
    A("resume .xml", "GET", lambda c: "/api/resumes/%s.xml" % c["r1"], token="alice")
    A("resume ?format=xml", "GET", lambda c: "/api/resumes/%s/?format=xml" % c["r1"],
      token="alice")
    A("resumes ?format=api", "GET", "/api/resumes/?format=api", token="alice")
    A("resume HEAD", "HEAD", lambda c: "/api/resumes/%s/" % c["r1"], token="alice")
    A("resume OPTIONS", "OPTIONS", lambda c: "/api/resumes/%s/" % c["r1"], token="alice")
    A("resume of another user (404)", "GET", lambda c: "/api/resumes/%s/" % c["rb"],
      token="alice")
    A("resume patch of another user (404)", "PATCH", lambda c: "/api/resumes/%s/" % c["rb"],
      token="alice", body={"title": "mine"})
    A("resume non-numeric id (404)", "GET", "/api/resumes/abc/", token="alice")
    A("resume anonymous (401)", "GET", lambda c: "/api/resumes/%s/" % c["r1"])
    A("resume delete", "DELETE", lambda c: "/api/resumes/%s/" % c["r3"], token="alice")
    A("resume get deleted (404)", "GET", lambda c: "/api/resumes/%s/" % c["r3"], token="alice")
    A("resume delete again (404)", "DELETE", lambda c: "/api/resumes/%s/" % c["r3"],
      token="alice")

    # Job applications.
    A("jobs: empty list", "GET", "/api/job-applications/", token="alice")
    A("job create", "POST", "/api/job-applications/", token="alice",
      body=lambda c: {"job_title": "Senior Engineer", "company_name": "TechCorp",
                      "date_applied": "2025-01-15", "resume_used": int(c["r1"])},
      capture=keep(j1="id"))
    A("job create minimal", "POST", "/api/job-applications/", token="alice", body={},
      capture=keep(j2="id"))
    A("job create bob", "POST", "/api/job-applications/", token="bob",
      body={"job_title": "Bob job", "status": "Offer"}, capture=keep(jb="id"))
    A("job create: invalid fields", "POST", "/api/job-applications/", token="alice",
      body={"status": "Hired", "date_applied": "15/01/2025", "job_title": "t" * 256,
            "notes": 5})
    A("job create: another user's resume", "POST", "/api/job-applications/", token="alice",
      body=lambda c: {"resume_used": int(c["rb"])})
    A("job create: resume_used string", "POST", "/api/job-applications/", token="alice",
      body={"resume_used": "abc"})
    A("job create: read-only flags", "POST", "/api/job-applications/", token="alice",
      body={"job_title": "Flags", "is_deleted": True, "is_example": True, "user": 1},
      capture=keep(j3="id"))
    A("job get", "GET", lambda c: "/api/job-applications/%s/" % c["j1"], token="alice")
    A("job put (keeps unsent fields)", "PUT", lambda c: "/api/job-applications/%s/" % c["j1"],
      token="alice", body={"status": "Interviewing", "notes": "Call on Monday"})
    A("job patch", "PATCH", lambda c: "/api/job-applications/%s/" % c["j2"], token="alice",
      body={"company_name": "Acme", "resume_used": None, "date_applied": None})
    A("job patch: invalid status", "PATCH", lambda c: "/api/job-applications/%s/" % c["j2"],
      token="alice", body={"status": "applied"})
    A("jobs list", "GET", "/api/job-applications/", token="alice")
    A("jobs ?limit=1", "GET", "/api/job-applications/?limit=1", token="alice")
    A("jobs ?limit=1&offset=1", "GET", "/api/job-applications/?limit=1&offset=1", token="alice")
    A("jobs.json", "GET", "/api/job-applications.json", token="alice")
    A("job of another user (404)", "GET", lambda c: "/api/job-applications/%s/" % c["jb"],
      token="alice")
    A("job delete (soft)", "DELETE", lambda c: "/api/job-applications/%s/" % c["j3"],
      token="alice")
    A("job get deleted (404)", "GET", lambda c: "/api/job-applications/%s/" % c["j3"],
      token="alice")
    A("jobs list after delete", "GET", "/api/job-applications/", token="alice")
    A("resume delete keeps its applications", "DELETE",
      lambda c: "/api/resumes/%s/" % c["r1"], token="alice")
    A("job after its resume is deleted", "GET",
      lambda c: "/api/job-applications/%s/" % c["j1"], token="alice")
    A("jobs anonymous (401)", "GET", "/api/job-applications/")
    A("jobs OPTIONS", "OPTIONS", "/api/job-applications/", token="alice")

    # AI generation.
    gen = lambda model, text=USER_INPUT, **kw: dict({"model": model, "user_input": text}, **kw)
    A("generate anonymous offline", "POST", "/api/ai/generate/", body=gen("ResuMate Offline"))
    A("generate offline with a title", "POST", "/api/ai/generate/", token="alice",
      body=gen("ResuMate Offline", title="My CV"))
    A("generate offline again (deterministic)", "POST", "/api/ai/generate/", token="alice",
      body=gen("ResuMate Offline", title="My CV"))
    A("generate case-insensitive model", "POST", "/api/ai/generate/", token="alice",
      body=gen("resumate offline"))
    A("generate Auto", "POST", "/api/ai/generate/", token="alice", body=gen("Auto"))
    A("generate unicode input", "POST", "/api/ai/generate/", token="alice",
      body=gen("ResuMate Offline", "Je m'appelle Zoë Łukasz, ingénieure logiciel à Zürich "
               "depuis 7 ans, spécialisée en C++ et Rust. 東京で働いた経験もあります。"))
    A("generate: input too short", "POST", "/api/ai/generate/",
      body=gen("ResuMate Offline", "too short"))
    A("generate: unknown model", "POST", "/api/ai/generate/", body=gen("GPT-9"))
    A("generate: missing fields", "POST", "/api/ai/generate/", body={})
    A("generate: Gemini anonymous (login required)", "POST", "/api/ai/generate/",
      body=gen("Google Gemini"))
    A("generate: Gemini without a key (503)", "POST", "/api/ai/generate/", token="alice",
      body=gen("Google Gemini"))
    A("generate: Deepseek without a key (503)", "POST", "/api/ai/generate/",
      body=gen("Deepseek"))
    A("generate: off-topic input", "POST", "/api/ai/generate/",
      body=gen("ResuMate Offline", "Please write me a poem about the sea and the moon, "
               "with rhymes, and nothing about jobs or work at all."))
    A("stream anonymous offline", "POST", "/api/ai/generate/stream/", body=gen("ResuMate Offline"))
    A("stream with token", "POST", "/api/ai/generate/stream/", token="alice",
      body=gen("ResuMate Offline", title="Streamed"))
    A("stream: input too short", "POST", "/api/ai/generate/stream/",
      body=gen("ResuMate Offline", "short"))
    A("stream: Gemini without a key", "POST", "/api/ai/generate/stream/", token="alice",
      body=gen("Google Gemini"))
    s.add_raw("stream over HTTP/1.0",
              raw("POST", "/api/ai/generate/stream/", [("Content-Type", "application/json")],
                  jbody(gen("ResuMate Offline")), version="HTTP/1.0"), methods=["POST"])
    A("resumes list after generations", "GET", "/api/resumes/", token="alice")

    # Admin AI models.
    A("admin list anonymous (401)", "GET", "/api/admin/ai-models/")
    A("admin list normal user (403)", "GET", "/api/admin/ai-models/", token="alice")
    A("admin create normal user (403)", "POST", "/api/admin/ai-models/", token="alice",
      body={"display_name": "X"})
    A("admin list", "GET", "/api/admin/ai-models/", token="admin")
    A("admin create", "POST", "/api/admin/ai-models/", token="admin",
      body={"display_name": "Local Llama", "model_name": "llama3", "api_provider": "offline",
            "api_key_name": "", "is_active": True, "login_required": False,
            "daily_limit": 0, "response_time_info": "Fast", "description": "Test model"},
      capture=keep(m1="id"))
    A("admin create: duplicate and invalid", "POST", "/api/admin/ai-models/", token="admin",
      body={"display_name": "Local Llama", "model_name": "", "api_provider": "skynet",
            "daily_limit": -1})
    A("admin create: forbidden key name", "POST", "/api/admin/ai-models/", token="admin",
      body={"display_name": "Leaky", "model_name": "gemini-pro",
            "api_provider": "google_gemini", "api_key_name": "SECRET_KEY"})
    A("admin create: disallowed host", "POST", "/api/admin/ai-models/", token="admin",
      body={"display_name": "Elsewhere", "model_name": "llama3@http://10.9.8.7:11434/v1",
            "api_provider": "openai_compatible", "api_key_name": ""})
    A("ai models after create (MISS)", "GET", "/api/ai/models/")
    A("admin get", "GET", lambda c: "/api/admin/ai-models/%s/" % c["m1"], token="admin")
    A("admin get normal user (403)", "GET", lambda c: "/api/admin/ai-models/%s/" % c["m1"],
      token="alice")
    A("admin patch", "PATCH", lambda c: "/api/admin/ai-models/%s/" % c["m1"], token="admin",
      body={"is_active": False, "daily_limit": 3})
    A("admin put", "PUT", lambda c: "/api/admin/ai-models/%s/" % c["m1"], token="admin",
      body={"display_name": "Local Llama 2", "model_name": "llama3.1",
            "api_provider": "offline", "api_key_name": "", "is_active": True,
            "login_required": True, "daily_limit": 0, "response_time_info": "Slow",
            "description": "Updated"})
    A("ai models after update", "GET", "/api/ai/models/")
    A("generate with the new model anonymous", "POST", "/api/ai/generate/",
      body=gen("Local Llama 2"))
    A("admin OPTIONS", "OPTIONS", "/api/admin/ai-models/", token="admin")
    A("admin delete", "DELETE", lambda c: "/api/admin/ai-models/%s/" % c["m1"], token="admin")
    A("admin get deleted (404)", "GET", lambda c: "/api/admin/ai-models/%s/" % c["m1"],
      token="admin")
    A("admin delete anonymous (401)", "DELETE", "/api/admin/ai-models/1/")
    A("ai models after delete", "GET", "/api/ai/models/")

    # With throttling off there is no login lockout either (the limits phase has one).
    for i in range(6):
        A("no lockout: failure %d" % (i + 1), "POST", "/api/auth/token/",
          body={"username": "bob", "password": "wrong-%d" % i})
    A("no lockout: right password accepted", "POST", "/api/auth/token/",
      body={"username": "bob", "password": PASSWORD})
    return s


def limits_scenario():
    s = Scenario()
    A = s.add
    reg = lambda u: {"username": u, "email": u + "@example.com", "password": PASSWORD,
                     "password2": PASSWORD}
    gen = {"model": "ResuMate Offline", "user_input": USER_INPUT}
    A("register q1", "POST", "/api/auth/register/", body=reg("q1"))
    A("token q1", "POST", "/api/auth/token/", body={"username": "q1", "password": PASSWORD},
      capture=keep(q1="access"))
    A("quota: resume 1", "POST", "/api/resumes/", token="q1", body={"title": "a", "content": "b"})
    A("quota: resume over the byte quota (403)", "POST", "/api/resumes/", token="q1",
      body={"title": "big", "content": "é" * 1600})
    A("quota: resume 2", "POST", "/api/resumes/", token="q1", body={"title": "c", "content": "d"},
      capture=keep(r2="id"))
    A("quota: resume 3 over the count (403)", "POST", "/api/resumes/", token="q1",
      body={"title": "e", "content": "f"})
    A("quota: generation over the count (403)", "POST", "/api/ai/generate/", token="q1",
      body=gen)
    A("quota: update within bytes", "PATCH", lambda c: "/api/resumes/%s/" % c["r2"],
      token="q1", body={"content": "x" * 100})
    A("quota: update over bytes (403)", "PATCH", lambda c: "/api/resumes/%s/" % c["r2"],
      token="q1", body={"content": "x" * 3000})
    A("quota: job 1", "POST", "/api/job-applications/", token="q1", body={"job_title": "J"},
      capture=keep(j1="id"))
    A("quota: job 2 over the count (403)", "POST", "/api/job-applications/", token="q1",
      body={"job_title": "K"})
    A("quota: delete job", "DELETE", lambda c: "/api/job-applications/%s/" % c["j1"],
      token="q1")
    A("quota: job after delete", "POST", "/api/job-applications/", token="q1",
      body={"job_title": "L"})
    A("throttle: register 2", "POST", "/api/auth/register/", body=reg("q2"))
    A("throttle: register 3 (429)", "POST", "/api/auth/register/", body=reg("q3"))
    A("throttle: generate 1", "POST", "/api/ai/generate/", body=gen)
    A("throttle: generate 2 (stream)", "POST", "/api/ai/generate/stream/", body=gen)
    A("throttle: generate 3 (429)", "POST", "/api/ai/generate/", body=gen)
    A("throttle: stream (429)", "POST", "/api/ai/generate/stream/", body=gen)
    A("throttle: other routes still served", "GET", "/api/ai/models/")
    A("lockout: failure 1", "POST", "/api/auth/token/", body={"username": "q2", "password": "no1"})
    A("lockout: failure 2", "POST", "/api/auth/token/", body={"username": "q2", "password": "no2"})
    A("lockout: right password (429)", "POST", "/api/auth/token/",
      body={"username": "q2", "password": PASSWORD})
    A("lockout: unknown user", "POST", "/api/auth/token/",
      body={"username": "ghost", "password": "x"})
    return s


PHASES = [("main", main_scenario), ("limits", limits_scenario)]


# ---------------------------------------------------------------------------------------
# Running and comparing


def compare(a, b, slack):
    """None when the recordings match after normalization and their clock-dependent numbers
    are within `slack` seconds of each other, else the diff lines."""
    if len(a) != len(b):
        return ["%d responses vs %d" % (len(a), len(b))]
    out = []
    for i, (ra, rb) in enumerate(zip(a, b)):
        na, wa = normalize(ra)
        nb, wb = normalize(rb)
        if na != nb:
            out += list(difflib.unified_diff(na, nb, "base", "new", lineterm="", n=2))
        elif any(abs(x - y) > slack for x, y in zip(wa, wb)):
            out.append("response %d: clock-dependent seconds differ by more than %.1f: "
                       "base %s, new %s" % (i + 1, slack, wa, wb))
    return out or None


def run_phase(name, scenario, base, new, tmp, verbose, record):
    servers = []
    try:
        for label, binary in (("base", base), ("new", new)):
            srv = Server(binary, os.path.join(tmp, name + "-" + label), PHASE_ENV[name])
            os.makedirs(srv.root)
            servers.append(srv)
            srv.prepare()
            srv.start()
        ctxs = [{}, {}]
        results = []
        # How far the two servers' timelines drifted apart: each step is sent to base, then
        # to new, and the time between the two (the offset) varies with their answers' speed;
        # the drift is the spread of the offsets so far.
        offsets = []
        drift = 0.0
        for i, step in enumerate(scenario.steps, 1):
            recs = []
            sent = []
            for srv, ctx in zip(servers, ctxs):
                sent.append(time.monotonic())
                try:
                    data = step.build(ctx)
                except KeyError as e:
                    recs.append([{"status": "<not sent: no %s from an earlier answer>" % e,
                                  "headers": [], "body": b"", "framing": "none"}])
                    continue
                resps = exchange(srv.port, data, step.methods)
                if step.capture:
                    step.capture(ctx, resps)
                recs.append(resps)
            offsets.append(sent[1] - sent[0])
            drift = max(offsets) - min(offsets)
            diff = compare(recs[0], recs[1], CLOCK_SLACK + drift)
            results.append((step.name, diff))
            first = recs[0][0]["status"] if recs[0] else "?"
            print("%-4s %s %3d %-48s %s" % ("ok" if diff is None else "DIFF", name, i, step.name,
                                             first[9:] if first.startswith("HTTP/") else first))
            if diff:
                for line in diff:
                    print("       | " + line)
            elif verbose:
                for line in normalize(recs[0][0])[0]:
                    print("       : " + line)
            if record:
                with open(os.path.join(record, "%s-%03d.txt" % (name, i)), "w") as f:
                    for label, rs in zip(("base", "new"), recs):
                        for r in rs:
                            f.write("== %s\n%s\n" % (label, "\n".join(normalize(r)[0])))
        print("     %s: the two servers' timelines drifted apart by at most %.2f s" % (name, drift))
        return results
    finally:
        for srv in servers:
            srv.stop()
            if srv.proc is not None and srv.proc.returncode not in (0, None):
                print("warning: %s (%s) exited %d; log tail:\n%s" % (
                    srv.binary, name, srv.proc.returncode, srv.log_tail()), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="the resumate binary answering as before")
    ap.add_argument("--new", required=True, help="the resumate binary under test")
    ap.add_argument("--verbose", action="store_true", help="print every normalized answer")
    ap.add_argument("--record", metavar="DIR", help="write each normalized pair to DIR")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    for b in (args.base, args.new):
        if not os.access(b, os.X_OK):
            ap.error("not an executable: " + b)
    if args.record:
        os.makedirs(args.record, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="api-diff-")
    results = []
    started = time.monotonic()
    try:
        for name, make in PHASES:
            results += run_phase(name, make(), args.base, args.new, tmp, args.verbose,
                                 args.record)
    except SetupError as e:
        print("setup failed: %s" % e, file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print("kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    differ = [n for n, d in results if d is not None]
    print("\n%d requests to each server in %d steps: %d identical, %d different (%.1f s)" % (
        sum(len(s.methods) for _, m in PHASES for s in m().steps), len(results),
        len(results) - len(differ), len(differ), time.monotonic() - started))
    for n in differ:
        print("  different: " + n)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
