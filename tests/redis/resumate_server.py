"""ResuMate instances for the Redis tests: `resumate serve` on a free loopback port with a data
directory (several instances may share one: they then share the SQLite database), its log in
a file, and a small HTTP client that times every request and can set X-Forwarded-For.

Standard library only; processes are started through redis_nodes.spawn(), so cleanup_all()
(atexit) kills any instance a test leaves running.
"""
import http.client
import json
import os
import secrets
import signal
import subprocess
import time
import uuid

from redis_nodes import reap, spawn

SECRET_KEY = "redis-test-" + secrets.token_hex(27)  # 64 characters
PASSWORD = "Redis-Test-" + uuid.uuid4().hex[:12]
PLAIN_PATH = os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")


class Answer:
    """One HTTP answer: status, parsed JSON (or None), headers (lower-case names), seconds."""

    def __init__(self, status, body, headers, elapsed, raw=b""):
        self.status, self.json, self.headers, self.elapsed, self.raw = status, body, headers, elapsed, raw

    def __repr__(self):
        return f"<{self.status} in {self.elapsed * 1000:.0f} ms: {self.raw[:200]!r}>"


class Server:
    def __init__(self, binary, work, name, data_dir, env=None):
        self.binary, self.name = binary, name
        self.dir = os.path.join(work, name)
        os.makedirs(self.dir, exist_ok=True)
        os.makedirs(data_dir, exist_ok=True)
        self.port_file = os.path.join(self.dir, "port")
        self.log_path = os.path.join(self.dir, "server.log")
        self.env = {
            "PATH": PLAIN_PATH,
            "HOME": self.dir,
            "RESUMATE_DATA_DIR": data_dir,
            "SECRET_KEY": SECRET_KEY,
            "HOST": "127.0.0.1",
            "PORT": "0",
            "RESUMATE_PORT_FILE": self.port_file,
            "RESUMATE_THREADS": "2",
            "RESUMATE_MAX_CONNECTIONS_PER_IP": "0",
            "RESUMATE_LOG_LEVEL": "info",
            "RESUMATE_ACCESS_TOKEN_LIFETIME_SECONDS": "3600",
        }
        self.env.update(env or {})
        self.proc = None
        self.port = None
        self._log = None

    # -- process ----------------------------------------------------------------------------

    def start(self, timeout=60):
        try:
            os.unlink(self.port_file)
        except FileNotFoundError:
            pass
        self._log = open(self.log_path, "ab")
        t0 = time.monotonic()
        self.proc = spawn([self.binary, "serve"], env=self.env, cwd=self.dir, stdin=subprocess.DEVNULL,
                          stdout=self._log, stderr=subprocess.STDOUT)
        deadline = t0 + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before listening; "
                                   f"log:\n{self.log_tail()}")
            try:
                text = open(self.port_file).read().strip()
                if text:
                    self.port = int(text)
                    if self.get("/healthz", timeout=2).status == 200:
                        break
            except (OSError, ValueError, http.client.HTTPException):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not answer /healthz in {timeout} s; log:\n{self.log_tail()}")
            time.sleep(0.05)
        self.started_in = time.monotonic() - t0
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20):
        """SIGTERM and wait (SIGKILL after timeout): the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        code = self.proc.poll()
        reap(self.proc)
        if self._log:
            self._log.close()
            self._log = None
        return code

    def cli(self, *args, timeout=60):
        """`resumate ARGS` with this instance's environment."""
        return subprocess.run([self.binary, *args], env=self.env, cwd=self.dir, capture_output=True,
                              text=True, timeout=timeout)

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_size(self):
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def log_since(self, offset):
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")

    def log_tail(self, n=30):
        return "\n".join(self.log().splitlines()[-n:])

    # -- HTTP -------------------------------------------------------------------------------

    def conn(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, token=None, xff=None, conn=None, timeout=10, headers=None):
        """One request (on `conn` if given, kept open; else a connection of its own). Raises
        OSError / http.client.HTTPException when there is no answer."""
        own = conn is None
        c = conn or self.conn(timeout)
        h = {"Accept": "application/json"}
        if token:
            h["Authorization"] = f"Bearer {token}"
        if xff:
            h["X-Forwarded-For"] = xff
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        t0 = time.monotonic()
        try:
            c.request(method, path, body=data, headers=h)
            r = c.getresponse()
            raw = r.read()
            elapsed = time.monotonic() - t0
            try:
                payload = json.loads(raw) if raw else None
            except ValueError:
                payload = None
            return Answer(r.status, payload, {k.lower(): v for k, v in r.getheaders()}, elapsed, raw)
        finally:
            if own:
                c.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    # -- users and models -------------------------------------------------------------------

    def register(self, prefix="user", xff=None):
        """A new user registered and logged in: (username, access token)."""
        username = f"{prefix}_{uuid.uuid4().hex[:10]}"
        r = self.request("POST", "/api/auth/register/", {"username": username, "email": f"{username}@example.com",
                                                          "password": PASSWORD, "password2": PASSWORD}, xff=xff)
        if r.status != 201:
            raise AssertionError(f"register {username} on {self.name}: {r}")
        return username, self.login(username, xff=xff)

    def login(self, username, password=PASSWORD, xff=None):
        r = self.request("POST", "/api/auth/token/", {"username": username, "password": password}, xff=xff)
        if r.status != 200 or not r.json or "access" not in r.json:
            raise AssertionError(f"login {username} on {self.name}: {r}")
        return r.json["access"]

    def staff(self, xff=None):
        """A staff superuser made with `resumate createsuperuser`, logged in: its token."""
        username = f"admin_{uuid.uuid4().hex[:10]}"
        p = self.cli("createsuperuser", "--username", username, "--email", f"{username}@example.com",
                     "--password", PASSWORD)
        if p.returncode != 0:
            raise AssertionError(f"createsuperuser: exit {p.returncode}: {p.stdout} {p.stderr}")
        return self.login(username, xff=xff)

    def model_names(self, **kw):
        """GET /api/ai/models/: (the display names listed, the answer)."""
        r = self.get("/api/ai/models/", **kw)
        if r.status != 200 or not isinstance(r.json, dict) or "data" not in r.json:
            return None, r
        return [m.get("model_name") for m in r.json["data"]], r

    def __repr__(self):
        return f"<resumate {self.name} :{self.port}>"


def create_model(server, token, name):
    """An offline model created through the admin API of `server`: its id."""
    r = server.request("POST", "/api/admin/ai-models/", {
        "display_name": name, "model_name": "offline", "api_provider": "offline", "api_key_name": "",
        "is_active": True, "login_required": False, "daily_limit": 0,
        "response_time_info": "instant", "description": "redis test"}, token=token)
    if r.status != 201:
        raise AssertionError(f"POST /api/admin/ai-models/ on {server.name}: {r}")
    return r.json["id"]
