#!/usr/bin/env python3
"""End-to-end test of ResuMate's production data tier: PostgreSQL (schema, Django data, outages,
streaming replicas) and Redis (shared cache, outages).

Run it through tests/with-services.sh, which starts a throwaway PostgreSQL 15 and Redis 7:

    tests/with-services.sh python3 tests/pg/production_test.py build/resumate

Standard library only. Every server, PostgreSQL and Redis process the test starts is stopped
again, also when a test fails. The last line printed is "N passed, M failed[, K skipped]"; the
exit status is non-zero when anything failed.
"""

import atexit
import concurrent.futures
import difflib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
# The schema Django's migrations create (a pg_dump of it): RESUMATE_REFERENCE_SCHEMA, else
# shared/reference/django_schema.sql in the folder that holds the checkout. The schema tests are
# skipped when neither exists.
REFERENCE_SCHEMA = os.environ.get("RESUMATE_REFERENCE_SCHEMA") or os.path.normpath(
    os.path.join(HERE, "..", "..", "..", "shared", "reference", "django_schema.sql"))
CATALOG_SQL = os.path.join(HERE, "schema_catalog.sql")
PASSWORD_VECTORS = os.path.join(HERE, "..", "unit", "password_hasher_test.cpp")

BINARY = None  # set in main()
ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
PG_BIN = os.environ.get("TEST_PG_BIN", "")
PG_DATA = os.environ.get("TEST_PG_DATA", "")
PG_PORT = os.environ.get("TEST_PG_PORT", "")

SECRET_KEY = "production-test-secret-" + secrets.token_hex(16)
STRONG_PASSWORD = "Str0ng!Passw0rd-42"
PLAIN_PATH = "/usr/local/bin:/usr/bin:/bin"
UNAVAILABLE_BODY = {"detail": "Service temporarily unavailable."}

WORK = tempfile.mkdtemp(prefix="resumate-production-test.")
_counter = 0
_counter_lock = threading.Lock()

# Everything that must never appear in a server log: passwords and issued tokens.
SECRETS_SEEN = {SECRET_KEY, STRONG_PASSWORD}
_secrets_lock = threading.Lock()

# Safety net: cleanup callables for processes started, run at exit (tests also clean up themselves).
_global_cleanups = []
_my_redis_ports = set()


def remember_secret(s):
    if s:
        with _secrets_lock:
            SECRETS_SEEN.add(s)


def unique(prefix):
    global _counter
    with _counter_lock:
        _counter += 1
        return "%s_%d_%d" % (prefix, os.getpid(), _counter)


def is_root():
    return os.getuid() == 0


def as_pg(args):
    """PostgreSQL server binaries refuse to run as root: run them as the postgres user."""
    return (["runuser", "-u", "postgres", "--"] + args) if is_root() else args


def run(args, check=True, timeout=120, **kw):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout, **kw)
    if check and p.returncode != 0:
        raise AssertionError("command failed (exit %d): %s\nstdout: %s\nstderr: %s" %
                             (p.returncode, " ".join(args), p.stdout[-3000:], p.stderr[-3000:]))
    return p


def db_url(name, base=None):
    base = base or ADMIN_URL
    return base[:base.rfind("/")] + "/" + name


def url_with_port(url, port):
    return re.sub(r"@127\.0\.0\.1:\d+/", "@127.0.0.1:%d/" % port, url)


def psql(url, sql, check=True, timeout=60):
    p = run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], check=check,
            timeout=timeout)
    return p.stdout.strip()


def psql_file(url, path):
    return run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", path]).stdout


def create_database(name):
    psql(ADMIN_URL, 'CREATE DATABASE "%s"' % name)
    return db_url(name)


def catalog(url):
    return psql_file(url, CATALOG_SQL)


# simplejwt's token_blacklist tables are not in the reference dump (the original did not install
# the app). What Django 3.2 + simplejwt 5.2.2's migrations leave on PostgreSQL 15, from the
# catalog query with the column positions left out (Django's history leaves a dropped column
# before "jti").
TOKEN_BLACKLIST_CATALOG = """\
column token_blacklist_blacklistedtoken.blacklisted_at timestamp with time zone not null
column token_blacklist_blacklistedtoken.id bigint not null serial
column token_blacklist_blacklistedtoken.token_id bigint not null
column token_blacklist_outstandingtoken.created_at timestamp with time zone null
column token_blacklist_outstandingtoken.expires_at timestamp with time zone not null
column token_blacklist_outstandingtoken.id bigint not null serial
column token_blacklist_outstandingtoken.jti varchar(255) not null
column token_blacklist_outstandingtoken.token text not null
column token_blacklist_outstandingtoken.user_id integer null
constraint token_blacklist_blacklistedtoken token_blacklist_blacklistedtoken_pkey PRIMARY KEY (id)
constraint token_blacklist_blacklistedtoken token_blacklist_blacklistedtoken_token_id_3cc7fe56_fk FOREIGN KEY (token_id) REFERENCES token_blacklist_outstandingtoken(id) DEFERRABLE INITIALLY DEFERRED
constraint token_blacklist_blacklistedtoken token_blacklist_blacklistedtoken_token_id_key UNIQUE (token_id)
constraint token_blacklist_outstandingtoken token_blacklist_outs_user_id_83bc629a_fk_auth_user FOREIGN KEY (user_id) REFERENCES auth_user(id) DEFERRABLE INITIALLY DEFERRED
constraint token_blacklist_outstandingtoken token_blacklist_outstandingtoken_jti_hex_d9bdf6f7_uniq UNIQUE (jti)
constraint token_blacklist_outstandingtoken token_blacklist_outstandingtoken_pkey PRIMARY KEY (id)
index token_blacklist_blacklistedtoken_pkey CREATE UNIQUE INDEX token_blacklist_blacklistedtoken_pkey ON token_blacklist_blacklistedtoken USING btree (id)
index token_blacklist_blacklistedtoken_token_id_key CREATE UNIQUE INDEX token_blacklist_blacklistedtoken_token_id_key ON token_blacklist_blacklistedtoken USING btree (token_id)
index token_blacklist_outstandingtoken_jti_hex_d9bdf6f7_like CREATE INDEX token_blacklist_outstandingtoken_jti_hex_d9bdf6f7_like ON token_blacklist_outstandingtoken USING btree (jti varchar_pattern_ops)
index token_blacklist_outstandingtoken_jti_hex_d9bdf6f7_uniq CREATE UNIQUE INDEX token_blacklist_outstandingtoken_jti_hex_d9bdf6f7_uniq ON token_blacklist_outstandingtoken USING btree (jti)
index token_blacklist_outstandingtoken_pkey CREATE UNIQUE INDEX token_blacklist_outstandingtoken_pkey ON token_blacklist_outstandingtoken USING btree (id)
index token_blacklist_outstandingtoken_user_id_83bc629a CREATE INDEX token_blacklist_outstandingtoken_user_id_83bc629a ON token_blacklist_outstandingtoken USING btree (user_id)
"""


def split_token_blacklist(cat):
    """(the catalog without the token_blacklist tables, their lines without column positions)"""
    rest, tb = [], []
    for line in cat.splitlines(True):
        if re.match(r"(column|constraint|index) token_blacklist_", line):
            tb.append(re.sub(r" #\d+$", "", line.rstrip("\n")) + "\n")
        else:
            rest.append(line)
    return "".join(rest), "".join(tb)


# ResuMate's own indexes on Django's tables, beyond the reference schema (named resumate_*): the
# catalog lines our migrations add.
#   resumate_jobapp_user_stats: GET /api/job-applications/stats/ reads only this index
#   (jobs/migrations.cpp).
OUR_INDEXES_CATALOG = """\
index resumate_jobapp_user_stats CREATE INDEX resumate_jobapp_user_stats ON job_tracker_jobapplication USING btree (user_id, is_deleted, status, date_applied, created_at)
"""


def split_our_indexes(cat):
    """(the catalog without our own indexes on Django's tables, their lines)"""
    rest, ours = [], []
    for line in cat.splitlines(True):
        (ours if line.startswith("index resumate_") else rest).append(line)
    return "".join(rest), "".join(ours)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sql_literal(s):
    return "'" + s.replace("'", "''") + "'"


# --------------------------------------------------------------------------------------------
# HTTP


class Response:
    def __init__(self, status, headers, raw, elapsed):
        self.status = status
        self.headers = headers  # lower-case names
        self.raw = raw
        self.elapsed = elapsed
        try:
            self.json = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            self.json = None

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return "<%d %s %s>" % (self.status, dict(self.headers), self.raw[:500])


def request(port, method, path, body=None, token=None, timeout=10, conn=None, ascii_json=True, headers=None):
    hdrs = {"Accept": "application/json"}
    if headers:
        hdrs.update(headers)
    data = None
    if body is not None:
        data = json.dumps(body, ensure_ascii=ascii_json).encode("utf-8")
        hdrs["Content-Type"] = "application/json"
    if token:
        hdrs["Authorization"] = "Bearer " + token
    own = conn is None
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    t0 = time.monotonic()
    try:
        c.request(method, path, body=data, headers=hdrs)
        r = c.getresponse()
        raw = r.read()
        elapsed = time.monotonic() - t0
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, raw, elapsed)
    finally:
        if own:
            c.close()


# --------------------------------------------------------------------------------------------
# The server under test


def base_env(database_url, redis_url=None, prefix=None, extra=None):
    data_dir = tempfile.mkdtemp(prefix="data.", dir=WORK)
    env = {
        "PATH": PLAIN_PATH,
        "HOME": WORK,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "HOST": "127.0.0.1",
        "PORT": "0",
        "RESUMATE_THROTTLE": "off",
        "RESUMATE_DATA_DIR": data_dir,
        "RESUMATE_LOG_LEVEL": "info",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["RESUMATE_REDIS_PREFIX"] = prefix or (unique("prod") + ":")
    if extra:
        env.update(extra)
    return env


def resumate_cli(env, *args, timeout=120):
    return subprocess.run([BINARY] + list(args), env=env, cwd=WORK, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=timeout)


class Server:
    def __init__(self, env, name="server"):
        self.env = dict(env)
        self.dir = tempfile.mkdtemp(prefix=name + ".", dir=WORK)
        self.port_file = os.path.join(self.dir, "port")
        self.env["RESUMATE_PORT_FILE"] = self.port_file
        self.log_path = os.path.join(self.dir, "server.log")
        self.proc = None
        self.port = None

    def start(self, timeout=60):
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen([BINARY, "serve"], env=self.env, cwd=self.dir, stdout=self.log_file,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _global_cleanups.append(self.kill)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("server exited with %d before listening; log:\n%s" %
                                     (self.proc.returncode, self.log_tail()))
            try:
                with open(self.port_file) as f:
                    text = f.read().strip()
                if text:
                    self.port = int(text)
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        else:
            raise AssertionError("server did not write its port file in %ds; log:\n%s" % (timeout, self.log_tail()))
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_tail(self, n=40):
        return "\n".join(self.log().splitlines()[-n:])

    def stop(self, timeout=30):
        """SIGTERM, wait; returns the exit status (None when it had to be killed)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.log_file.close()
                return None
        self.log_file.close()
        return self.proc.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def leaked_secrets(self):
        text = self.log()
        with _secrets_lock:
            found = [s for s in SECRETS_SEEN if s and s in text]
        return found

    # convenience
    def req(self, method, path, body=None, token=None, **kw):
        try:
            return request(self.port, method, path, body=body, token=token, **kw)
        except (OSError, http.client.HTTPException) as e:
            time.sleep(0.2)
            state = "alive" if self.alive() else "exited with %s" % self.proc.returncode
            raise AssertionError("%s %s: %r (server %s); log tail:\n%s" %
                                 (method, path, e, state, self.log_tail())) from e

    def register_and_login(self, username=None, password=STRONG_PASSWORD):
        username = username or unique("user")
        r = self.req("POST", "/api/auth/register/", {"username": username, "email": username + "@example.com",
                                                     "password": password, "password2": password})
        assert r.status == 201, "register %s: %r" % (username, r)
        return username, self.login(username, password)

    def login(self, username, password):
        r = self.req("POST", "/api/auth/token/", {"username": username, "password": password})
        assert r.status == 200, "login %s: %r" % (username, r)
        remember_secret(r.json["access"])
        remember_secret(r.json["refresh"])
        return r.json["access"]


class ProductionTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        if not ADMIN_URL or not REDIS_URL:
            self.skipTest("TEST_DATABASE_URL / TEST_REDIS_URL not set: run through tests/with-services.sh")
        self.servers = []

    def serve(self, env, name="server"):
        srv = Server(env, name)
        self.servers.append(srv)
        self.addCleanup(srv.kill)
        srv.start()
        return srv

    def finish(self, srv):
        """Stop a server gracefully: exit 0, and its log holds no password or token."""
        code = srv.stop()
        self.assertEqual(code, 0, "SIGTERM must stop the server with exit 0; log tail:\n" + srv.log_tail())
        leaked = srv.leaked_secrets()
        self.assertEqual(leaked, [], "the server log contains secrets (passwords/tokens)")

    def assert_status(self, resp, status, what=""):
        self.assertEqual(resp.status, status, "%s: %r" % (what, resp))

    # ----------------------------------------------------------------------------------------
    # helpers for the schema tests

    def load_reference(self, name):
        if not os.path.isfile(REFERENCE_SCHEMA):
            self.skipTest("no reference schema at %s: set RESUMATE_REFERENCE_SCHEMA" % REFERENCE_SCHEMA)
        psql(ADMIN_URL, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'resumate_user') "
                        "THEN CREATE ROLE resumate_user; END IF; END $$")
        url = create_database(name)
        p = run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=0", "-d", url, "-f", REFERENCE_SCHEMA])
        errors = [l for l in p.stderr.splitlines() if "ERROR" in l]
        self.assertEqual(errors, [], "loading the reference dump failed")
        return url

    # ----------------------------------------------------------------------------------------

    def test_1_schema_equals_reference(self):
        ref = self.load_reference(unique("ref"))
        ours = create_database(unique("ours"))
        p = resumate_cli(base_env(ours), "migrate")
        self.assertEqual(p.returncode, 0, "resumate migrate: %s %s" % (p.stdout, p.stderr))
        ref_cat, (our_cat, our_tb) = catalog(ref), split_token_blacklist(catalog(ours))
        our_cat, our_indexes = split_our_indexes(our_cat)
        self.assertEqual(our_indexes, OUR_INDEXES_CATALOG, "our own indexes on Django's tables")
        self.assertGreater(len(ref_cat.splitlines()), 50, "the reference catalog looks empty")
        tb_diff = "".join(difflib.unified_diff(TOKEN_BLACKLIST_CATALOG.splitlines(True), our_tb.splitlines(True),
                                               "simplejwt 5.2.2 (Django)", "ours (resumate migrate)"))
        self.assertEqual(tb_diff, "", "token_blacklist tables differ from simplejwt's:\n" + tb_diff)
        diff = "".join(difflib.unified_diff(ref_cat.splitlines(True), our_cat.splitlines(True),
                                            "reference (Django)", "ours (resumate migrate)"))
        self.assertEqual(diff, "", "schema differs from Django's:\n" + diff)

        pk = psql(ours, """
            SELECT c.table_name || '.' || c.column_name || ' ' || c.is_identity || ' ' || coalesce(c.identity_generation, '-')
            FROM pg_constraint con
            JOIN pg_class rel ON rel.oid = con.conrelid
            JOIN pg_namespace n ON n.oid = rel.relnamespace
            JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum = ANY (con.conkey)
            JOIN information_schema.columns c
              ON c.table_schema = n.nspname AND c.table_name = rel.relname AND c.column_name = a.attname
            WHERE con.contype = 'p' AND n.nspname = 'public'
              AND c.data_type IN ('smallint', 'integer', 'bigint')  -- not django_session's session_key
            ORDER BY 1""").splitlines()
        self.assertGreaterEqual(len(pk), 12, "integer primary keys: %r" % pk)
        bad = [l for l in pk if not l.endswith(" YES BY DEFAULT")]
        self.assertEqual(bad, [], "primary keys that are not GENERATED BY DEFAULT AS IDENTITY")

        fk = psql(ours, """
            SELECT rel.relname || '.' || con.conname || ' ' || con.condeferrable || ' ' || con.condeferred
            FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
            JOIN pg_namespace n ON n.oid = rel.relnamespace
            WHERE con.contype = 'f' AND n.nspname = 'public' ORDER BY 1""").splitlines()
        self.assertGreaterEqual(len(fk), 10, "foreign keys: %r" % fk)
        bad = [l for l in fk if not l.endswith(" true true")]
        self.assertEqual(bad, [], "foreign keys that are not DEFERRABLE INITIALLY DEFERRED")

    def test_2_migrate_on_django_database_changes_nothing(self):
        ref = self.load_reference(unique("ref_migrated"))
        before = catalog(ref)
        env = base_env(ref)
        p = resumate_cli(env, "migrate")
        self.assertEqual(p.returncode, 0, "resumate migrate on Django's schema: %s %s" % (p.stdout, p.stderr))
        after, after_tb = split_token_blacklist(catalog(ref))
        after, after_indexes = split_our_indexes(after)
        diff = "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), "before", "after"))
        self.assertEqual(diff, "", "resumate migrate changed Django's schema:\n" + diff)
        # The additions: simplejwt's blacklist tables (the original did not install the app) and
        # our own indexes.
        self.assertEqual(after_tb, TOKEN_BLACKLIST_CATALOG)
        self.assertEqual(after_indexes, OUR_INDEXES_CATALOG)
        rows = set(tuple(l.split("|")) for l in psql(ref, "SELECT app, name FROM django_migrations").splitlines())
        for want in [("auth", "0012_alter_user_first_name_max_length"), ("resume", "0001_initial"),
                     ("job_tracker", "0001_initial"), ("ai", "0001_initial"),
                     ("token_blacklist", "0001_initial"), ("token_blacklist", "0012_alter_outstandingtoken_user")]:
            self.assertIn(want, rows, "django_migrations lacks %s.%s" % want)
        p2 = resumate_cli(env, "migrate")
        self.assertEqual(p2.returncode, 0, "second resumate migrate: %s %s" % (p2.stdout, p2.stderr))
        self.assertIn("No migrations to apply.", p2.stdout, "second migrate output: %r" % p2.stdout)
        self.assertEqual(split_our_indexes(split_token_blacklist(catalog(ref))[0])[0], before)

    def test_3_django_rows_read_back_exactly(self):
        with open(PASSWORD_VECTORS, encoding="utf-8") as f:
            src = f.read()
        h260 = re.search(r'"(pbkdf2_sha256\$260000\$seasalt\$[A-Za-z0-9+/=]+)"', src).group(1)
        h1200 = re.search(r'"(pbkdf2_sha256\$1200000\$seasalt\$[A-Za-z0-9+/=]+)"', src).group(1)
        password = "lètmein"
        remember_secret(password)

        url = create_database(unique("django_rows"))
        srv = self.serve(base_env(url, REDIS_URL))
        u1, u2 = unique("django_u"), unique("django_v")

        def insert_user(name, pw_hash):
            return int(psql(url, "INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, "
                                 "last_name, email, is_staff, is_active, date_joined) VALUES (%s, NULL, false, %s, "
                                 "'', '', %s, false, true, '2025-07-01 09:00:00+00') RETURNING id"
                            % (sql_literal(pw_hash), sql_literal(name), sql_literal(name + "@example.com"))))

        uid1 = insert_user(u1, h260)
        insert_user(u2, h1200)
        rid = int(psql(url, "INSERT INTO resume_resume (title, content, created_at, updated_at, user_id) VALUES "
                            "('Django CV', '# Jane', '2025-07-24 12:30:00.123456+02', "
                            "'2025-07-24 12:30:00.123456+02', %d) RETURNING id" % uid1))
        jid = int(psql(url, "INSERT INTO job_tracker_jobapplication (job_title, company_name, "
                            "original_job_description, date_applied, status, notes, is_deleted, is_example, "
                            "created_at, updated_at, resume_used_id, user_id) VALUES (NULL, 'Acme', NULL, NULL, "
                            "'Offer', NULL, false, false, '2025-07-24 10:30:00+00', '2025-07-24 10:30:00+00', NULL, "
                            "%d) RETURNING id" % uid1))

        def stored_hash(name):
            return psql(url, "SELECT password FROM auth_user WHERE username = %s" % sql_literal(name))

        # UTF-8 body, not \u escapes
        r = srv.req("POST", "/api/auth/token/", {"username": u1, "password": password}, ascii_json=False)
        self.assert_status(r, 200, "login with Django's pbkdf2_sha256 (260000) hash")
        token = r.json["access"]
        remember_secret(token)
        remember_secret(r.json["refresh"])

        r = srv.req("GET", "/api/resumes/", token=token)
        self.assert_status(r, 200, "GET /api/resumes/")
        self.assertEqual(r.json, [{"id": rid, "user": u1, "title": "Django CV", "content": "# Jane",
                                   "created_at": "2025-07-24T10:30:00.123456Z",
                                   "updated_at": "2025-07-24T10:30:00.123456Z"}])
        r = srv.req("GET", "/api/job-applications/", token=token)
        self.assert_status(r, 200, "GET /api/job-applications/")
        self.assertEqual(r.json, [{"id": jid, "user": uid1, "job_title": None, "company_name": "Acme",
                                   "original_job_description": None, "resume_used": None, "date_applied": None,
                                   "status": "Offer", "notes": None, "is_deleted": False, "is_example": False,
                                   "created_at": "2025-07-24T10:30:00Z", "updated_at": "2025-07-24T10:30:00Z"}])

        self.assertTrue(stored_hash(u1).startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$"),
                        "after a login the pbkdf2 hash must be upgraded to Argon2id, got %r" % stored_hash(u1)[:40])
        r = srv.req("POST", "/api/auth/token/", {"username": u1, "password": password})
        self.assert_status(r, 200, "second login (now Argon2id)")
        remember_secret(r.json["access"])
        remember_secret(r.json["refresh"])

        r = srv.req("POST", "/api/auth/token/", {"username": u2, "password": "l\u00e8tmeim"})
        self.assert_status(r, 401, "wrong password")
        self.assertEqual(r.json, {"detail": "No active account found with the given credentials"})
        self.assertEqual(stored_hash(u2), h1200, "a failed login must not touch the stored hash")
        r = srv.req("POST", "/api/auth/token/", {"username": u2, "password": password})
        self.assert_status(r, 200, "login with Django's pbkdf2_sha256 (1200000) hash")
        remember_secret(r.json["access"])
        remember_secret(r.json["refresh"])
        self.assertTrue(stored_hash(u2).startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$"))
        self.finish(srv)

    def test_4_tokens_cross_compatible(self):
        url = create_database(unique("tokens"))
        srv = self.serve(base_env(url, REDIS_URL))
        username, token = srv.register_and_login()
        uid = int(psql(url, "SELECT id FROM auth_user WHERE username = %s" % sql_literal(username)))
        r = srv.req("POST", "/api/resumes/", {"title": "Mine", "content": "# me"}, token=token)
        self.assert_status(r, 201, "create resume")

        pyjwt = """
import json, sys, time, uuid, jwt
a = json.load(sys.stdin)
if a["op"] == "encode":
    now = int(time.time())
    print(jwt.encode({"token_type": "access", "exp": now + 300, "iat": now, "jti": uuid.uuid4().hex,
                      "user_id": a["user_id"]}, a["key"], algorithm="HS256"))
else:
    print(json.dumps({"claims": jwt.decode(a["token"], a["key"], algorithms=["HS256"]),
                      "header": jwt.get_unverified_header(a["token"])}))
"""

        def pyjwt_call(args):
            p = subprocess.run(["/usr/bin/python3", "-c", pyjwt], input=json.dumps(args), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=30)
            self.assertEqual(p.returncode, 0, "PyJWT: " + p.stderr)
            return p.stdout.strip()

        minted = pyjwt_call({"op": "encode", "key": SECRET_KEY, "user_id": uid})
        remember_secret(minted)
        r = srv.req("GET", "/api/resumes/", token=minted)
        self.assert_status(r, 200, "a PyJWT/simplejwt-style token must be accepted")
        self.assertEqual([x["title"] for x in r.json], ["Mine"])
        self.assertEqual(r.json[0]["user"], username)

        forged = pyjwt_call({"op": "encode", "key": "another-secret-key-of-at-least-32-chars!!", "user_id": uid})
        r = srv.req("GET", "/api/resumes/", token=forged)
        self.assert_status(r, 401, "a token signed with another key must be refused")

        out = json.loads(pyjwt_call({"op": "decode", "key": SECRET_KEY, "token": token}))
        claims = out["claims"]
        self.assertEqual(out["header"].get("alg"), "HS256")
        self.assertEqual(claims.get("token_type"), "access")
        self.assertEqual(claims.get("user_id"), uid)
        self.assertRegex(str(claims.get("jti")), r"^[0-9a-f]{32}$")
        self.assertIsInstance(claims.get("exp"), int)
        self.assertIsInstance(claims.get("iat"), int)
        self.assertGreater(claims["exp"], claims["iat"])
        self.finish(srv)

    def pg_ctl(self, *args, data=None, timeout=60):
        return run(as_pg([os.path.join(PG_BIN, "pg_ctl"), "-D", data or PG_DATA] + list(args)), timeout=timeout)

    def primary_running(self):
        return run(as_pg([os.path.join(PG_BIN, "pg_ctl"), "-D", PG_DATA, "status"]), check=False).returncode == 0

    def start_primary(self):
        if not self.primary_running():
            log = os.path.join(os.path.dirname(PG_DATA), "pg.log")
            self.pg_ctl("-l", log, "-w", "-t", "60", "start")

    def test_5_restart_reconnects_and_down_is_503(self):
        if not PG_BIN or not PG_DATA:
            self.skipTest("TEST_PG_BIN / TEST_PG_DATA not set")
        url = create_database(unique("restart"))
        srv = self.serve(base_env(url, REDIS_URL))
        _, token = srv.register_and_login()
        example = int(psql(url, "SELECT min(id) FROM job_tracker_jobapplication WHERE is_example"))
        example_path = "/api/example-job-applications/%d/" % example
        self.assert_status(srv.req("GET", "/api/job-applications/", token=token), 200, "before the outage")
        self.assert_status(srv.req("GET", example_path), 200, "before the outage")

        self.addCleanup(self.start_primary)  # whatever happens, PostgreSQL runs again afterwards
        self.pg_ctl("-m", "fast", "-w", "stop")
        try:
            answers = []
            for i in range(10):
                if i % 2 == 0:
                    r = srv.req("GET", example_path, timeout=5)
                else:
                    r = srv.req("GET", "/api/job-applications/", token=token, timeout=5)
                answers.append(r)
            for r in answers:
                self.assertEqual(r.status, 503, "database down: %r" % r)
                self.assertEqual(r.json, UNAVAILABLE_BODY, "database down: %r" % r)
                self.assertIsNotNone(r.header("Retry-After"), "503 without Retry-After: %r" % r)
                self.assertLess(r.elapsed, 1.0, "a 503 must come fast, took %.2fs" % r.elapsed)
        finally:
            self.start_primary()
        t0 = time.monotonic()
        ok = False
        last = None
        while time.monotonic() - t0 < 5.0:
            a = srv.req("GET", example_path, timeout=2)
            b = srv.req("GET", "/api/job-applications/", token=token, timeout=2)
            last = (a, b)
            if a.status == 200 and b.status == 200:
                ok = True
                break
            time.sleep(0.1)
        self.assertTrue(ok, "no 200 within 5 s after PostgreSQL came back; last: %r; log:\n%s" %
                        (last, srv.log_tail()))
        self.assertTrue(srv.alive(), "the server must survive a database restart")
        self.finish(srv)

    def start_redis(self, port):
        pidfile = os.path.join(WORK, "redis-%d.pid" % port)
        run(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "yes", "--pidfile", pidfile, "--logfile", os.path.join(WORK, "redis-%d.log" % port),
             "--dir", WORK])
        _my_redis_ports.add(port)
        _global_cleanups.append(lambda: self.stop_redis(port))
        for _ in range(100):
            if run(["redis-cli", "-p", str(port), "ping"], check=False).stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise AssertionError("redis-server on port %d did not start" % port)

    def stop_redis(self, port):
        if port not in _my_redis_ports:  # never touch a port that is not (or no longer) ours
            return
        _my_redis_ports.discard(port)
        run(["redis-cli", "-p", str(port), "shutdown", "nosave"], check=False)
        for _ in range(100):
            if run(["redis-cli", "-p", str(port), "ping"], check=False).returncode != 0:
                return
            time.sleep(0.05)

    def models(self, srv, token=None):
        r = srv.req("GET", "/api/ai/models/", token=token)
        self.assert_status(r, 200, "GET /api/ai/models/")
        state = r.header("X-Cache-Status")
        want = {"MISS": "MISS (Response from database)", "HIT": "HIT (Response from Redis cache)"}.get(state)
        self.assertIsNotNone(want, "X-Cache-Status: %r" % state)
        self.assertEqual(r.json.get("cache_status"), want)
        return state, r.json["data"]

    def test_6_redis_outage_and_return(self):
        port = free_port()
        self.start_redis(port)
        self.addCleanup(self.stop_redis, port)
        prefix = unique("outage") + ":"
        url = create_database(unique("redis_outage"))
        srv = self.serve(base_env(url, "redis://127.0.0.1:%d/1" % port, prefix))
        self.assertEqual(self.models(srv)[0], "MISS")
        self.assertEqual(self.models(srv)[0], "HIT")
        keys = run(["redis-cli", "-p", str(port), "-n", "1", "--scan", "--pattern", prefix + "*"]).stdout.split()
        self.assertNotEqual(keys, [], "the cache entry must live in Redis under the prefix %r" % prefix)

        self.stop_redis(port)
        state, data = self.models(srv)
        self.assertEqual(state, "MISS")
        self.assertGreaterEqual(len(data), 1)
        # everything else keeps working for a while (> the 1 s reconnect backoff)
        username, token = srv.register_and_login()
        t_end = time.monotonic() + 2.5
        while time.monotonic() < t_end:
            self.assertEqual(self.models(srv)[0], "MISS")
            r = srv.req("POST", "/api/resumes/", {"title": "During outage", "content": "x"}, token=token)
            self.assert_status(r, 201, "POST /api/resumes/ while Redis is down")
            r = srv.req("POST", "/api/job-applications/", {"company_name": "Acme"}, token=token)
            self.assert_status(r, 201, "POST /api/job-applications/ while Redis is down")
            self.assert_status(srv.req("GET", "/api/job-applications/", token=token), 200, "list while Redis is down")
            r = srv.req("GET", "/api/example-job-applications/")
            self.assert_status(r, 200, "examples while Redis is down")
            self.assert_status(srv.req("GET", "/api/resumes/", token=token), 200, "resumes while Redis is down")
            time.sleep(0.2)
        srv.login(username, STRONG_PASSWORD)
        outage_lines = [l for l in srv.log().splitlines() if "redis unavailable" in l.lower()]
        self.assertEqual(len(outage_lines), 1, "one log line per outage, got:\n" + "\n".join(outage_lines))

        self.start_redis(port)
        t0 = time.monotonic()
        seen = []
        while time.monotonic() - t0 < 5.0:
            seen.append(self.models(srv)[0])
            if seen[-1] == "HIT":
                break
            time.sleep(0.2)
        self.assertEqual(seen[0], "MISS", "the first answer after Redis returns cannot be a hit: %r" % seen)
        self.assertEqual(seen[-1], "HIT", "no HIT within 5 s after Redis came back: %r" % seen)
        back = [l for l in srv.log().splitlines() if "redis" in l.lower() and "back" in l.lower()
                and "unavailable" not in l.lower()]
        self.assertGreaterEqual(len(back), 1, "the log must say Redis is back; log tail:\n" + srv.log_tail())
        outage_lines = [l for l in srv.log().splitlines() if "redis unavailable" in l.lower()]
        self.assertEqual(len(outage_lines), 1, "one log line per outage, got:\n" + "\n".join(outage_lines))
        self.finish(srv)

    def test_7_cache_shared_between_instances(self):
        url = create_database(unique("shared_cache"))
        prefix = unique("shared") + ":"
        env_a = base_env(url, REDIS_URL, prefix)
        a = self.serve(env_a, "a")
        b = self.serve(base_env(url, REDIS_URL, prefix), "b")
        self.assertEqual(self.models(a)[0], "MISS")
        self.assertEqual(self.models(a)[0], "HIT")
        self.assertEqual(self.models(b)[0], "HIT", "B must read the entry A wrote to Redis")

        admin = unique("admin")
        admin_password = "Adm1n!" + secrets.token_hex(8)
        remember_secret(admin_password)
        p = resumate_cli(env_a, "createsuperuser", "--username", admin, "--email", admin + "@example.com",
                         "--password", admin_password)
        self.assertEqual(p.returncode, 0, "createsuperuser: %s %s" % (p.stdout, p.stderr))
        self.assertNotIn(admin_password, p.stdout + p.stderr)
        token = b.login(admin, admin_password)
        r = b.req("GET", "/api/admin/ai-models/", token=token)
        self.assert_status(r, 200, "GET /api/admin/ai-models/ as staff")
        rows = r.json["results"] if isinstance(r.json, dict) and "results" in r.json else r.json
        offline = [m for m in rows if m.get("display_name") == "ResuMate Offline"]
        self.assertEqual(len(offline), 1, "admin list: %r" % rows)
        description = "Changed through B " + secrets.token_hex(4)
        r = b.req("PATCH", "/api/admin/ai-models/%d/" % offline[0]["id"], {"description": description}, token=token)
        self.assert_status(r, 200, "PATCH a model through B")

        state, data = self.models(a)
        self.assertEqual(state, "MISS", "A must not serve the stale entry after B changed a model")
        self.assertEqual([m["description"] for m in data if m["model_name"] == "ResuMate Offline"], [description])
        state, data = self.models(a)
        self.assertEqual(state, "HIT")
        self.assertEqual([m["description"] for m in data if m["model_name"] == "ResuMate Offline"], [description])
        self.finish(a)
        self.finish(b)

    def test_7b_daily_limit_shared_and_survives_restart(self):
        # Issue 4, point 6: the count lives in the database, so every instance and a restarted
        # one see the same allowance.
        url = create_database(unique("quota"))
        prefix = unique("quota") + ":"
        env = base_env(url, REDIS_URL, prefix)
        name = "Limited " + secrets.token_hex(3)
        p = resumate_cli(env, "ai-models", "add", "--display-name", name, "--model-name", "offline",
                         "--provider", "offline", "--daily-limit", "2")
        self.assertEqual(p.returncode, 0, "ai-models add: %s %s" % (p.stdout, p.stderr))
        a = self.serve(env, "a")
        b = self.serve(base_env(url, REDIS_URL, prefix), "b")
        username, token = a.register_and_login()
        body = {"model": name, "user_input": "Software engineer with 5 years of C++ and PostgreSQL at Initech, Berlin."}
        self.assert_status(a.req("POST", "/api/ai/generate/", body, token=token), 201, "first on A")
        self.assert_status(b.req("POST", "/api/ai/generate/", body, token=token), 201, "second on B")
        r = a.req("POST", "/api/ai/generate/", body, token=token)
        self.assert_status(r, 429, "third on A: the allowance of 2 is shared")
        self.finish(a)
        self.finish(b)
        c = self.serve(base_env(url, REDIS_URL, prefix), "c")
        token = c.login(username, STRONG_PASSWORD)
        self.assert_status(c.req("POST", "/api/ai/generate/", body, token=token), 429, "after a restart")
        self.finish(c)

    def test_8_concurrent_creates(self):
        url = create_database(unique("concurrent"))
        srv = self.serve(base_env(url, REDIS_URL))
        users = [srv.register_and_login() for _ in range(8)]
        names = [u for u, _ in users]
        threads = 64
        duration = 10.0
        results = [[] for _ in range(threads)]  # (status, id or None, detail)

        start_gate = threading.Barrier(threads)

        def worker(i):
            token = users[i % len(users)][1]
            conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
            out = results[i]
            start_gate.wait()
            deadline = time.monotonic() + duration
            n = 0
            try:
                while time.monotonic() < deadline:
                    n += 1
                    try:
                        r = request(srv.port, "POST", "/api/job-applications/",
                                    {"job_title": "Load %d-%d" % (i, n), "company_name": "Concurrent Inc"},
                                    token=token, conn=conn)
                    except (OSError, http.client.HTTPException) as e:
                        out.append((0, None, repr(e)))
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
                        continue
                    rid = r.json.get("id") if isinstance(r.json, dict) else None
                    out.append((r.status, rid, r.raw[:200] if r.status != 201 else b""))
            finally:
                conn.close()

        with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(worker, range(threads)))

        flat = [x for out in results for x in out]
        created = [x for x in flat if x[0] == 201]
        others = [x for x in flat if x[0] != 201]
        print("\n  concurrent_creates: %d requests in %.0f s over %d connections, %d created, %d other answers"
              % (len(flat), duration, threads, len(created), len(others)), file=sys.stderr)
        self.assertGreater(len(flat), threads)
        self.assertEqual(others[:5], [], "%d answers were not 201 (first five shown)" % len(others))
        ids = [x[1] for x in created]
        self.assertTrue(all(isinstance(i, int) for i in ids), "every 201 carries an integer id")
        self.assertEqual(len(set(ids)), len(ids), "ids must be unique")
        count = int(psql(url, "SELECT count(*) FROM job_tracker_jobapplication j JOIN auth_user u ON u.id = j.user_id "
                              "WHERE u.username IN (%s)" % ", ".join(sql_literal(n) for n in names)))
        self.assertEqual(count, len(created), "rows in job_tracker_jobapplication vs 201 answers")
        self.assertTrue(srv.alive())
        self.finish(srv)

    # ----------------------------------------------------------------------------------------
    # streaming replica

    def make_replica(self):
        parent = tempfile.mkdtemp(prefix="replica.", dir=WORK)
        os.chmod(WORK, 0o755)
        if is_root():
            shutil.chown(parent, "postgres", "postgres")
        os.chmod(parent, 0o755)
        data = os.path.join(parent, "data")
        run(as_pg([os.path.join(PG_BIN, "pg_basebackup"), "-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres",
                   "-D", data, "-R", "-X", "stream", "-c", "fast"]), timeout=120)
        port = free_port()
        conf = "\nport = %d\nunix_socket_directories = '%s'\nlisten_addresses = '127.0.0.1'\nhot_standby = on\n" % (
            port, parent)
        run(as_pg(["sh", "-c", "cat >> '%s'" % os.path.join(data, "postgresql.conf")]), input=conf)
        log = os.path.join(parent, "replica.log")
        self.addCleanup(self.stop_replica, data)
        _global_cleanups.append(lambda: self.stop_replica(data))
        self.pg_ctl("-l", log, "-w", "-t", "60", "start", data=data)
        return data, port, log

    def stop_replica(self, data, mode="immediate"):
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            run(as_pg([os.path.join(PG_BIN, "pg_ctl"), "-D", data, "-m", mode, "-w", "stop"]), check=False)

    def test_9_replica_routing(self):
        if not PG_BIN or not PG_DATA or not PG_PORT:
            self.skipTest("TEST_PG_* not set")
        self.start_primary()  # (a failed earlier test may have left it stopped)
        name = unique("replicated")
        primary = create_database(name)
        # the schema is created on the primary before the replica is cloned, so both start equal
        p = resumate_cli(base_env(primary), "migrate")
        self.assertEqual(p.returncode, 0, p.stderr)
        data, rport, rlog = self.make_replica()
        replica = url_with_port(primary, rport)
        for _ in range(100):
            if psql(replica, "SELECT pg_is_in_recovery()", check=False) == "t":
                break
            time.sleep(0.1)
        self.assertEqual(psql(replica, "SELECT pg_is_in_recovery()"), "t", "the replica is not a standby")
        rep_counter, pri_counter = CommitCounter(replica), CommitCounter(primary)
        rep_counter.calibrate()
        pri_counter.calibrate()

        srv = self.serve(base_env(primary, REDIS_URL, extra={"DATABASE_REPLICA_URLS": replica}))
        # wait until the seeded examples reached the replica
        example = None
        for _ in range(100):
            out = psql(replica, "SELECT min(id) FROM job_tracker_jobapplication WHERE is_example")
            if out:
                example = int(out)
                break
            time.sleep(0.1)
        self.assertIsNotNone(example, "the seeded examples never reached the replica")
        path = "/api/example-job-applications/%d/" % example

        def reads(n, limit=None):
            conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
            try:
                for _ in range(n):
                    r = request(srv.port, "GET", path, conn=conn)
                    self.assert_status(r, 200, "GET " + path)
                    if limit is not None:
                        self.assertLess(r.elapsed, limit, "a read took %.2fs" % r.elapsed)
            finally:
                conn.close()

        # reads go to the replica
        rep0, pri0 = rep_counter.mark(), pri_counter.mark()
        t_burst = time.monotonic()
        reads(200)
        rep_counter.wait_growth(rep0, 200, 15)
        time.sleep(max(0.0, 11.0 - (time.monotonic() - t_burst)))  # let the primary's statistics settle too
        pri_growth = pri_counter.growth(pri0)
        rep_growth = rep_counter.growth(rep0)
        self.assertGreaterEqual(rep_growth, 200, "reads must go to the replica (its commits grew by %d)" % rep_growth)
        self.assertLess(pri_growth, 200, "reads must not go to the primary (its commits grew by %d)" % pri_growth)

        # writes go to the primary; the read after the write in the same request sees the row
        username, token = srv.register_and_login()
        # (replication is asynchronous: a request authenticates by reading the user from the replica)
        for _ in range(100):
            if psql(replica, "SELECT count(*) FROM auth_user WHERE username = %s" % sql_literal(username)) == "1":
                break
            time.sleep(0.05)
        r = srv.req("POST", "/api/job-applications/", {"job_title": "Replicated", "company_name": "Primary Co",
                                                         "date_applied": "2025-01-15"}, token=token)
        self.assert_status(r, 201, "create through the replicated server")
        body = r.json
        for field in ["id", "user", "job_title", "company_name", "status", "created_at", "updated_at", "is_deleted"]:
            self.assertIn(field, body)
        self.assertEqual((body["job_title"], body["company_name"], body["date_applied"], body["status"]),
                         ("Replicated", "Primary Co", "2025-01-15", "Applied"))
        row = psql(primary, "SELECT job_title, company_name FROM job_tracker_jobapplication WHERE id = %d" % body["id"])
        self.assertEqual(row, "Replicated|Primary Co", "the row must be on the primary")
        r = srv.req("POST", "/api/resumes/", {"title": "R", "content": "c"}, token=token)
        self.assert_status(r, 201, "create a resume")
        self.assertEqual((r.json.get("user"), r.json.get("title")), (username, "R"))

        # the replica goes away: reads are served by the primary, quickly
        self.stop_replica(data, mode="fast")
        t_down = time.monotonic()
        reads(20, limit=1.0)
        self.assertTrue(srv.alive())

        # it comes back: after the back-off (5 s), reads go to it again
        self.pg_ctl("-l", rlog, "-w", "-t", "60", "start", data=data)
        for _ in range(100):
            if psql(replica, "SELECT 1", check=False) == "1":
                break
            time.sleep(0.1)
        time.sleep(max(0.0, 6.0 - (time.monotonic() - t_down)))
        rep1 = rep_counter.mark()
        reads(200, limit=1.0)
        growth = rep_counter.wait_growth(rep1, 190, 15)
        self.assertGreaterEqual(growth, 190, "6 s after the replica went down and came back, 200 reads must go to it "
                                             "again (its commits grew by %d); server log:\n%s"
                                % (growth, "\n".join(l for l in srv.log().splitlines() if "replica" in l)))
        self.finish(srv)


class CommitCounter:
    """sum(xact_commit) of one database, as pg_stat_database reports it, minus what the counter's own
    psql sessions added (each adds k commits, flushed when it exits)."""

    def __init__(self, url):
        self.url = url
        self.calls = 0
        self.k = 2

    def read(self):
        self.calls += 1
        return int(psql(self.url, "SELECT coalesce(sum(xact_commit), 0) FROM pg_stat_database "
                                  "WHERE datname = current_database()"))

    def calibrate(self):
        """Only while nothing else uses the database."""
        a = self.read()
        self.read()
        c = self.read()
        self.k = max(0, (c - a) // 2)

    def mark(self):
        return self.read(), self.calls

    def growth(self, mark):
        base, calls = mark
        value = self.read()
        return value - base - self.k * (self.calls - calls)

    def wait_growth(self, mark, want, timeout):
        """A busy backend's statistics reach pg_stat_database up to ~10 s late: poll."""
        deadline = time.monotonic() + timeout
        while True:
            n = self.growth(mark)
            if n >= want or time.monotonic() >= deadline:
                return n
            time.sleep(1.0)


def main():
    global BINARY
    if len(sys.argv) < 2:
        print("usage: production_test.py /path/to/resumate [unittest args]", file=sys.stderr)
        return 2
    given = os.path.abspath(sys.argv[1])
    if not os.access(given, os.X_OK):
        print("not an executable: " + given, file=sys.stderr)
        return 2
    os.chmod(WORK, 0o755)
    # Run a private copy: a rebuild of the build tree during the run must not swap binaries under us.
    BINARY = os.path.join(WORK, "resumate")
    shutil.copy2(given, BINARY)

    def on_signal(signum, frame):
        raise KeyboardInterrupt("signal %d" % signum)

    signal.signal(signal.SIGTERM, on_signal)

    argv = [sys.argv[0]] + sys.argv[2:]
    loader = unittest.TestLoader()
    if len(argv) > 1:
        suite = loader.loadTestsFromNames(["ProductionTest." + n if not n.startswith("ProductionTest") else n
                                           for n in argv[1:]], sys.modules[__name__])
    else:
        suite = loader.loadTestsFromTestCase(ProductionTest)
    runner = unittest.TextTestRunner(verbosity=2, stream=sys.stderr)
    try:
        result = runner.run(suite)
    finally:
        cleanup()
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped - len(result.expectedFailures)
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    sys.stdout.flush()
    sys.stderr.flush()
    print(line)
    return 1 if failed else 0


_cleaned = False


def cleanup():
    global _cleaned
    if _cleaned:
        return
    _cleaned = True
    while _global_cleanups:
        fn = _global_cleanups.pop()
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - best effort
            print("cleanup: %r" % e, file=sys.stderr)
    if os.environ.get("RESUMATE_KEEP_TEST_DIR"):
        print("kept " + WORK, file=sys.stderr)
    else:
        shutil.rmtree(WORK, ignore_errors=True)


atexit.register(cleanup)

if __name__ == "__main__":
    sys.exit(main())
