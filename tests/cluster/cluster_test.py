#!/usr/bin/env python3
"""What the multi-instance deployment guarantees, on deploy/local-cluster.sh's topology (nginx
in front of three instances, a PostgreSQL primary with a streaming replica that lags on
purpose, Redis), all on loopback:

    python3 tests/cluster/cluster_test.py build/resumate [--bench] [--only a,c] [--keep]

It brings up a cluster of its own (its own state directory, RESUMATE_CLUSTER_REPLICA_DELAY=1s,
RESUMATE_THROTTLE=off), runs the scenarios, and always brings it down again:

  a. read-your-writes: a user registers and logs in through nginx, then creates and updates job
     applications through one instance and reads them back at once through the others, directly
     (their reads go to the lagging replica); two changes in a row through two instances, also of
     an application the replica already has, are both kept (no PATCH writes back a stale row);
  b. shared throttle: the instances restarted with RESUMATE_THROTTLE=user=30/min: one user's GETs
     spread over the three instances get 30 answers in all, the rest 429;
  c. shared daily quota: a model's daily_limit set through the admin API; generations through the
     three instances together stop at the limit;
  d. cache invalidation: a model renamed, then disabled, through instance 1's admin API shows at
     once in GET /api/ai/models/ of instances 2 and 3 (whose caches were warm);
  e. rolling restart: each instance in turn restarted gracefully under a load of GETs and POSTs
     through nginx: no request fails;
  f. kill -9: one instance killed under a POST load through nginx, then started again: every
     acknowledged POST has its row, no POST is stored twice, and the only failures are requests
     that were in flight at the kill;
  g. (--bench only) wrk through nginx (3 instances) and against one instance directly, for the
     cached GET /api/ai/models/ and the authenticated GET /api/job-applications/.

Standard library only; it uses psql, and wrk for --bench. --only runs some scenarios (letters);
--keep leaves the cluster up at the end (its state directory is printed). Prints what it does,
a summary with the figures, and last "N passed, M failed"; exits 1 when a scenario failed.
"""
import argparse
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SCRIPT = os.path.join(ROOT, "deploy", "local-cluster.sh")
sys.path.insert(0, os.path.join(ROOT, "deploy"))
from deploy_test import Client, Fail, check  # noqa: E402  (the Docker proof's HTTP client)

REPLICA_DELAY = "1s"
THROTTLE = "off"
MARK = uuid.uuid4().hex[:8]
TEXT = ("Maria Lopez, backend engineer, eight years of Python and PostgreSQL, led a team of four, "
        "cut API latency by 40 percent, AWS, Docker, Kubernetes, mentoring.")


class Skip(Exception):
    pass


def short(body, n=160):
    s = body if isinstance(body, str) else repr(body)
    return s if len(s) <= n else s[:n] + "…"


def password():
    return "Cluster-Test-" + uuid.uuid4().hex[:10]


class Cluster:
    """deploy/local-cluster.sh on a state directory of its own."""

    def __init__(self, binary, state_dir):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("RESUMATE_", "NGINX_EDGE_")) and k != "SECRET_KEY"}
        env.update(RESUMATE_CLUSTER_DIR=state_dir, RESUMATE_BIN=os.path.abspath(binary),
                   RESUMATE_CLUSTER_REPLICA_DELAY=REPLICA_DELAY, RESUMATE_THROTTLE=THROTTLE,
                   RESUMATE_ACCESS_TOKEN_LIFETIME_SECONDS="3600")
        self.env, self.dir, self.vars = env, state_dir, {}
        self._staff = None

    def run(self, *args, timeout=300):
        """Runs the script, echoing its output indented; returns its stdout lines."""
        p = subprocess.Popen([SCRIPT, *args], env=self.env, stdout=subprocess.PIPE, text=True)
        watchdog = threading.Timer(timeout, p.kill)
        watchdog.start()
        lines = []
        try:
            for line in p.stdout:
                lines.append(line.rstrip("\n"))
                print("     | " + lines[-1], flush=True)
            p.wait()
        finally:
            watchdog.cancel()
        if p.returncode != 0:
            raise Fail(f"local-cluster.sh {' '.join(args)}: exit {p.returncode}")
        self.load()
        return lines

    def load(self):
        path = os.path.join(self.dir, "cluster.env")
        if os.path.exists(path):
            self.vars = dict(line.split("=", 1) for line in open(path).read().splitlines() if "=" in line)

    def up(self):
        t0 = time.monotonic()
        lines = self.run("up")
        self.base = lines[-1]
        check(self.base == self.vars["CLUSTER_BASE_URL"] and self.base.startswith("http://127.0.0.1:"),
              f"cluster up in {time.monotonic() - t0:.1f} s; its last line is the base URL {self.base}")

    def app(self, n):
        return Client(self.vars[f"CLUSTER_APP{n}_URL"])

    def restart(self, n, *assignments):
        self.run("restart", str(n), *assignments)

    def psql(self, url, sql):
        p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise Fail(f"psql: {p.stderr.strip()}")
        return p.stdout.strip()

    def primary(self, sql):
        return self.psql(self.vars["CLUSTER_PRIMARY_URL"], sql)

    def replica(self, sql):
        return self.psql(self.vars["CLUSTER_REPLICA_URL"], sql)

    def wait_replica(self, sql, what, timeout=30):
        """Until the replica answers `sql` with a row: it has replayed a write."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.replica(sql):
                    return
            except Fail as e:
                # A standby may cancel a query that conflicts with recovery, and a table the
                # primary's migrations created may not be replayed yet.
                if "conflict with recovery" not in str(e) and "does not exist" not in str(e):
                    raise
            if time.monotonic() > deadline:
                raise Fail(f"the replica never replayed {what}")
            time.sleep(0.05)

    def login(self, username, pw):
        """Logs in once the replica has the user: the token's requests find their user there
        (another user's write, as far as the replica's lag goes: scenario a checks a user's own)."""
        self.wait_replica(f"SELECT 1 FROM auth_user WHERE username = '{username}'", f"the user {username}")
        status, body, _ = Client(self.base).call(
            "POST", "/api/auth/token/", {"username": username, "password": pw})
        check(status == 200 and "access" in body, f"log in {username}: {status}")
        return body["access"]

    def user(self, prefix):
        """A new user, registered and logged in through nginx: (username, password, token)."""
        username, pw = f"{prefix}_{MARK}_{uuid.uuid4().hex[:6]}", password()
        status, body, _ = Client(self.base).call("POST", "/api/auth/register/", {
            "username": username, "email": f"{username}@example.com", "password": pw, "password2": pw})
        if status != 201:
            raise Fail(f"register {username} through nginx: {status} {short(body)}")
        return username, pw, self.login(username, pw)

    def staff(self):
        if self._staff is None:
            username, pw = f"admin_{MARK}", password()
            self.run("cli", "createsuperuser", "--username", username, "--email",
                     f"{username}@example.com", "--password", pw)
            self._staff = self.login(username, pw)
        return self._staff

    def keep_logs(self, dest):
        """Copies every log of the cluster to dest (before `down` removes them)."""
        for base, _, files in os.walk(self.dir):
            for f in files:
                if f.endswith(".log"):
                    rel = os.path.relpath(os.path.join(base, f), self.dir)
                    os.makedirs(os.path.join(dest, os.path.dirname(rel)), exist_ok=True)
                    shutil.copy(os.path.join(base, f), os.path.join(dest, rel))
        return dest

    def down(self):
        self.run("down")
        check(not os.path.exists(self.dir), "cluster down, its state directory removed")


# --------------------------------------------------------------------------------------------
# a. read-your-writes

def scenario_read_your_writes(cl):
    # The instances migrated the primary as they started; the replica (with its apply delay)
    # must have the schema before its rows are compared with the primary's below.
    cl.wait_replica("SELECT 1 WHERE to_regclass('public.job_tracker_jobapplication') IS NOT NULL",
                    "the migrations")
    nginx = Client(cl.base)
    username, pw = f"ryw_{MARK}", password()
    status, body, _ = nginx.call("POST", "/api/auth/register/", {
        "username": username, "email": f"{username}@example.com", "password": pw, "password2": pw})
    check(status == 201, f"register {username} through nginx")
    problems = []
    status, body, _ = nginx.call("POST", "/api/auth/token/", {"username": username, "password": pw})
    if status != 200:
        problems.append(f"POST /api/auth/token/ through nginx right after registering: {status} "
                        f"{short(body)}")
        print(f"     login right after registering: {status} {short(body)}")
        token = cl.login(username, pw)
    else:
        print("     login right after registering: 200")
        token = body["access"]
    apps = [cl.app(n) for n in (1, 2, 3)]
    last = {}  # the latest write: application id, instance, time
    checks = []

    def since():
        return f"{(time.monotonic() - last['t']) * 1000:.0f} ms after the write on app{last['on'] + 1}"

    def create(n, title):
        status, job, _ = apps[n].call("POST", "/api/job-applications/",
                                      {"job_title": title, "company_name": "Read Your Writes"}, token=token)
        if status != 201:
            raise Fail(f"POST /api/job-applications/ on app{n + 1}: {status} {short(job)}")
        last.update(id=job["id"], on=n, t=time.monotonic())
        return job["id"]

    def patch(n, change):
        jid = last["id"]
        status, got, _ = apps[n].call("PATCH", f"/api/job-applications/{jid}/", change, token=token)
        checks.append(1)
        if status != 200:
            problems.append(f"PATCH /api/job-applications/{jid}/ {change} on app{n + 1}, {since()}: "
                            f"{status} {short(got)}")
        last.update(on=n, t=time.monotonic())

    def detail(n, want):
        jid = last["id"]
        status, got, _ = apps[n].call("GET", f"/api/job-applications/{jid}/", token=token)
        checks.append(1)
        if status != 200 or any(got.get(f) != v for f, v in want.items()):
            problems.append(f"GET /api/job-applications/{jid}/ on app{n + 1}, {since()}: {status} "
                            f"{short(got)} (expected {want})")

    def listed(n, want):
        jid = last["id"]
        status, got, _ = apps[n].call("GET", "/api/job-applications/", token=token)
        checks.append(1)
        row = next((j for j in got if j.get("id") == jid), None) if isinstance(got, list) else None
        if row is None or any(row.get(f) != v for f, v in want.items()):
            problems.append(f"GET /api/job-applications/ on app{n + 1}, {since()}: {status}, application "
                            f"{jid} {'missing' if row is None else short(row)} (expected {want})")

    def stored(want, steps):
        # What the primary holds: no PATCH wrote back an older row it had read.
        row = cl.primary(f"SELECT job_title, status, coalesce(notes, '') FROM job_tracker_jobapplication "
                         f"WHERE id = {last['id']}")
        checks.append(1)
        if row != want:
            problems.append(f"after {steps}, the primary holds {row!r}, expected {want!r}")

    lag_seen = None
    for i in range(6):
        # Created through app k, read back at once through the two others, directly, changed
        # through k and then through another instance, read again.
        k, other, third = i % 3, (i + 1) % 3, (i + 2) % 3
        title, notes = f"ryw-{MARK}-{i}", f"updated {i}"
        jid = create(k, title)
        if lag_seen is None:
            # The test means something only while the replica has not replayed the write yet.
            lag_seen = cl.replica(f"SELECT count(*) FROM job_tracker_jobapplication WHERE id = {jid}") == "0"
        detail(other, {"job_title": title})
        listed(third, {"job_title": title})
        patch(k, {"status": "Interviewing"})
        detail(other, {"status": "Interviewing"})
        listed(third, {"status": "Interviewing"})
        patch(other, {"notes": notes})
        detail(third, {"status": "Interviewing", "notes": notes})
        stored(f"{title}|Interviewing|{notes}",
               f"POST on app{k + 1}, PATCH status on app{k + 1}, PATCH notes on app{other + 1}")

    # An application the replica already has: two changes in a row, through two instances.
    title = f"ryw-{MARK}-settled"
    jid = create(0, title)
    cl.wait_replica(f"SELECT 1 FROM job_tracker_jobapplication WHERE id = {jid}", "the application")
    patch(0, {"status": "Offer"})
    patch(1, {"notes": "second change"})
    detail(2, {"status": "Offer", "notes": "second change"})
    stored(f"{title}|Offer|second change",
           "PATCH status on app1 then PATCH notes on app2 of an application the replica has")

    print(f"     {len(checks)} requests and checks right after a write, through another instance; "
          f"{len(problems)} failed")
    for p in problems[:16]:
        print("     - " + p)
    if len(problems) > 16:
        print(f"     … and {len(problems) - 16} more")
    check(lag_seen, f"the replica lags (apply delay {REPLICA_DELAY}): a new row was not on it yet")
    if problems:
        raise Fail(f"{len(problems)} of {len(checks) + 1} requests right after a write did not see it; "
                   f"first: {problems[0]}")
    return {"requests and checks right after a write": len(checks) + 1, "failed": 0}


# --------------------------------------------------------------------------------------------
# b. the throttle budget is shared by every instance

def scenario_shared_throttle(cl):
    budget = 30
    rates = f"user={budget}/min,anon=100000/min"
    print(f"     restarting the instances with RESUMATE_THROTTLE={rates}")
    cl.restart("all", f"RESUMATE_THROTTLE={rates}")
    try:
        _, _, token = cl.user("throttle")
        # The per-minute windows: stay clear of a minute boundary (the estimate weighs the
        # previous window's count in).
        sec = time.time() % 60
        if sec > 45:
            print(f"     waiting {60 - sec:.0f} s for the next minute's window")
            time.sleep(60 - sec + 0.5)
        apps = [cl.app(n) for n in (1, 2, 3)]
        conns = [a.conn() for a in apps]
        per_app = [[0, 0], [0, 0], [0, 0]]
        other, bad429 = [], []
        for i in range(2 * budget):
            n = i % 3
            status, body, headers = apps[n].call("GET", "/api/job-applications/", token=token, conn=conns[n])
            if status == 200:
                per_app[n][0] += 1
            elif status == 429:
                per_app[n][1] += 1
                if not (isinstance(body, dict) and str(body.get("detail", "")).startswith(
                        "Request was throttled. Expected available in") and headers.get("Retry-After")):
                    bad429.append(short(body))
            else:
                other.append(f"{status} {short(body)}")
        for c in conns:
            c.close()
        ok = sum(a for a, _ in per_app)
        refused = sum(r for _, r in per_app)
        print(f"     {2 * budget} GETs round-robin over app1-3: {ok} answered, {refused} refused; "
              f"per instance (200/429): {per_app}")
        check(not other, f"only 200 and 429 answers ({other[:3]})")
        check(ok == budget, f"exactly the budget of {budget} answered in all ({ok})")
        check(refused == budget, f"the other {budget} refused with 429 ({refused})")
        check(not bad429, f"each 429 has the throttle's detail and Retry-After ({bad429[:2]})")
        check(all(r > 0 for _, r in per_app), "every instance refused once the shared budget was spent")
    finally:
        print(f"     restarting the instances with RESUMATE_THROTTLE={THROTTLE} again")
        cl.restart("all", f"RESUMATE_THROTTLE={THROTTLE}")
    return {"budget": budget, "answered": ok, "refused": refused, "per instance 200/429": per_app}


# --------------------------------------------------------------------------------------------
# c. a model's daily limit is shared by every instance

def scenario_daily_quota(cl):
    admin = cl.staff()
    app1 = cl.app(1)
    name, limit = f"Cluster Quota {MARK}", 4
    status, model, _ = app1.call("POST", "/api/admin/ai-models/", {
        "display_name": name, "model_name": "offline", "api_provider": "offline", "api_key_name": "",
        "is_active": True, "login_required": False, "daily_limit": 0,
        "response_time_info": "instant", "description": "cluster test"}, token=admin)
    check(status == 201, f"admin: create the model {name!r} through app1 ({status} {short(model)})")
    # (Setup: the admin's reads right after its own write are scenario a's subject.)
    cl.wait_replica(f"SELECT 1 FROM ai_aimodel WHERE id = {model['id']}", "the new model")
    status, model, _ = app1.call("PATCH", f"/api/admin/ai-models/{model['id']}/", {"daily_limit": limit},
                                 token=admin)
    check(status == 200 and model.get("daily_limit") == limit,
          f"admin: daily_limit={limit} through app1 ({status} {short(model)})")
    # Generation reads the model on the replica; another user may see the change a replica's lag
    # later: let it replay the change first.
    cl.wait_replica(f"SELECT 1 FROM ai_aimodel WHERE id = {model['id']} AND daily_limit = {limit}",
                    "the new daily limit")
    _, _, token = cl.user("quota")
    apps = [cl.app(n) for n in (1, 2, 3)]
    answers = []
    for i in range(2 * limit):
        status, body, headers = apps[i % 3].call("POST", "/api/ai/generate/", {
            "model": name, "user_input": TEXT, "title": f"quota {i}"}, token=token)
        answers.append((i % 3 + 1, status, body, headers))
    print("     generations (instance:status): " + " ".join(f"app{n}:{s}" for n, s, _, _ in answers))
    created = [a for a in answers if a[1] == 201]
    refused = [a for a in answers if a[1] == 429]
    check(len(created) == limit and all(a[1] == 201 for a in answers[:limit]),
          f"the first {limit} generations, over three instances, succeed ({len(created)} did)")
    detail = f"Daily limit of {limit} requests reached for the {name} model."
    check(len(refused) == limit and all(a[2] == {"detail": detail} and a[3].get("Retry-After")
                                        for a in refused),
          f"the next {limit} get 429 {detail!r} with Retry-After "
          f"({[(a[1], short(a[2], 80)) for a in answers[limit:]]})")
    return {"limit": limit, "generated": len(created), "refused": len(refused)}


# --------------------------------------------------------------------------------------------
# d. a model changed through one instance is seen by the others at once

def scenario_cache_invalidation(cl):
    admin = cl.staff()
    apps = [cl.app(n) for n in (1, 2, 3)]
    name = f"Cluster Cache {MARK}"
    status, model, _ = apps[0].call("POST", "/api/admin/ai-models/", {
        "display_name": name, "model_name": "offline", "api_provider": "offline", "api_key_name": "",
        "is_active": True, "response_time_info": "instant", "description": "cache test"}, token=admin)
    check(status == 201, f"admin: create {name!r} through app1")
    mid = model["id"]
    cl.wait_replica(f"SELECT 1 FROM ai_aimodel WHERE id = {mid}", "the new model")

    def names(n):
        status, body, headers = apps[n - 1].call("GET", "/api/ai/models/")
        if status != 200:
            raise Fail(f"GET /api/ai/models/ on app{n}: {status} {short(body)}")
        return [m["model_name"] for m in body["data"]], headers.get("X-Cache-Status")

    for n in (1, 2, 3):
        listed, _ = names(n)
        check(name in listed, f"app{n} lists {name!r}")
    for n in (1, 2, 3):
        listed, cache = names(n)
        check(cache == "HIT" and name in listed, f"app{n}'s GET /api/ai/models/ is warm (X-Cache-Status {cache})")

    problems = []
    seen = {}

    def change(what, patch, ok):
        status, body, _ = apps[0].call("PATCH", f"/api/admin/ai-models/{mid}/", patch, token=admin)
        t = time.monotonic()
        check(status == 200, f"admin: {what} through app1")
        for n in (2, 3):
            listed, cache = names(n)
            ms = (time.monotonic() - t) * 1000
            good = ok(listed)
            seen[f"{what}: app{n}"] = f"{'shows' if good else 'STALE'} ({cache}, {ms:.0f} ms)"
            print(f"     after '{what}' on app1: app{n} {seen[f'{what}: app{n}']}")
            if not good:
                problems.append(f"'{what}' through app1, then GET /api/ai/models/ on app{n} {ms:.0f} ms "
                                f"later: X-Cache-Status {cache}, the old list ({name!r} still listed "
                                f"as it was)")

    renamed = name + " renamed"
    change("rename", {"display_name": renamed}, lambda listed: renamed in listed and name not in listed)
    change("disable", {"is_active": False}, lambda listed: renamed not in listed and name not in listed)
    row = cl.primary(f"SELECT display_name, is_active FROM ai_aimodel WHERE id = {mid}")
    if row != f"{renamed}|f":
        problems.append(f"after the rename and the disable through app1 the primary holds {row!r} "
                        f"(expected {renamed!r}|f): a change was lost")
    if problems:
        # Is it only late, or does the stale list stay (cached for an hour)?
        cl.wait_replica(f"SELECT 1 FROM ai_aimodel WHERE id = {mid} AND NOT is_active", "the change")
        time.sleep(0.5)
        for n in (2, 3):
            listed, cache = names(n)
            still = renamed in listed or name in listed
            print(f"     once the replica has replayed the changes: app{n} "
                  f"{'still STALE' if still else 'shows them'} ({cache})")
            if still:
                problems.append(f"app{n} still answers the stale list ({cache}) after the replica "
                                f"replayed the change: the stale list is cached")
        for p in problems:
            print("     - " + p)
        raise Fail(f"{len(problems)} stale answers or lost changes; first: {problems[0]}")
    return seen


# --------------------------------------------------------------------------------------------
# load through nginx, for e and f

class Load:
    """Threads with a keep-alive connection each to nginx: readers GET a list, writers POST job
    applications with a unique job_title each. Every request is recorded with its times."""

    def __init__(self, base, marker, readers=0, reader_token=None, writers=0, writer_token=None):
        self.api, self.marker = Client(base), marker
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.records = []  # (method, t_start, t_end, status or error text, job_title)
        self.threads = [threading.Thread(target=self.loop, args=("GET", reader_token, i))
                        for i in range(readers)]
        self.threads += [threading.Thread(target=self.loop, args=("POST", writer_token, i))
                         for i in range(writers)]

    def loop(self, method, token, index):
        conn, n, mine = self.api.conn(timeout=30), 0, []
        while not self.stop_flag.is_set():
            n += 1
            title = f"{self.marker}-{index}-{n}" if method == "POST" else None
            t0 = time.monotonic()
            try:
                if method == "GET":
                    status, _, _ = self.api.call("GET", "/api/job-applications/", token=token, conn=conn)
                else:
                    status, _, _ = self.api.call("POST", "/api/job-applications/",
                                                 {"job_title": title, "company_name": "Load"},
                                                 token=token, conn=conn)
            except (OSError, http.client.HTTPException) as e:
                status = f"{type(e).__name__}: {e}"
                conn.close()
                conn = self.api.conn(timeout=30)
            mine.append((method, t0, time.monotonic(), status, title))
        conn.close()
        with self.lock:
            self.records.extend(mine)

    def start(self):
        for t in self.threads:
            t.start()

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join()
        return self.records


def utc(t_monotonic):
    """A time.monotonic() as the UTC wall-clock time the logs use."""
    wall = time.time() - time.monotonic() + t_monotonic
    return time.strftime("%H:%M:%S", time.gmtime(wall)) + f".{int(wall * 1000) % 1000:03d}"


def ok_status(method, status):
    return status == (201 if method == "POST" else 200)


def stored_rows(cl, marker):
    out = cl.primary(f"SELECT job_title, count(*) FROM job_tracker_jobapplication "
                     f"WHERE job_title LIKE '{marker}-%' GROUP BY job_title")
    return {t: int(c) for t, c in (line.split("|") for line in out.splitlines() if line)}


# --------------------------------------------------------------------------------------------
# e. a rolling restart under load

def scenario_rolling_restart(cl):
    _, _, reader = cl.user("roll_reader")
    statuses = [Client(cl.base).call("POST", "/api/job-applications/", {
        "job_title": f"Row {i}", "company_name": "Rolling"}, token=reader)[0] for i in range(20)]
    check(statuses == [201] * 20, "the reader has 20 applications")
    _, _, writer = cl.user("roll_writer")
    marker = f"roll-{MARK}"
    load = Load(cl.base, marker, readers=4, reader_token=reader, writers=2, writer_token=writer)
    t0 = time.monotonic()
    load.start()
    try:
        time.sleep(2)
        for n in (1, 2, 3):
            t = time.monotonic()
            cl.restart(n)
            print(f"     app{n} restarted in {time.monotonic() - t:.1f} s (load running)")
            time.sleep(1.5)
        time.sleep(1)
    finally:
        records = load.stop()
    elapsed = time.monotonic() - t0
    gets = [r for r in records if r[0] == "GET"]
    posts = [r for r in records if r[0] == "POST"]
    failed = [r for r in records if not ok_status(r[0], r[3])]
    rows = stored_rows(cl, marker)
    acked = [r[4] for r in posts if r[3] == 201]
    print(f"     {len(records)} requests in {elapsed:.1f} s ({len(gets)} GETs, {len(posts)} POSTs), "
          f"{len(failed)} failed; {len(acked)} POSTs acknowledged, {len(rows)} rows")
    for r in failed[:8]:
        print(f"     - {r[0]} at +{r[1] - t0:.2f} s ({utc(r[1])}..{utc(r[2])} UTC): {r[3]}")
    figures = {"requests": len(records), "GETs": len(gets), "POSTs": len(posts), "failed": len(failed),
               "acknowledged": len(acked), "rows": len(rows)}
    check(len(records) > 500, f"the load ran ({len(records)} requests)")
    check(not failed, f"no request failed during the rolling restart ({len(failed)} failed: "
                      f"{sorted(set(str(r[3]) for r in failed))[:4]})")
    check(all(t in rows for t in acked) and all(c == 1 for c in rows.values()),
          "every acknowledged POST stored once")
    return figures


# --------------------------------------------------------------------------------------------
# f. kill -9 under a write load

def scenario_kill(cl, victim=2):
    _, _, writer = cl.user("kill_writer")
    marker = f"kill-{MARK}"
    load = Load(cl.base, marker, writers=4, writer_token=writer)
    t0 = time.monotonic()
    load.start()
    try:
        time.sleep(3)
        k0 = time.monotonic()
        cl.run("kill", str(victim))
        k1 = time.monotonic()
        time.sleep(4)
        cl.run("start", str(victim))
        time.sleep(2)
    finally:
        records = load.stop()
    rows = stored_rows(cl, marker)
    acked = [r for r in records if r[3] == 201]
    failed = [r for r in records if r[3] != 201]
    in_flight = [r for r in failed if r[1] <= k1 and r[2] >= k0]
    other = [r for r in failed if r not in in_flight]
    lost = [r[4] for r in acked if r[4] not in rows]
    twice = [t for t, c in rows.items() if c > 1]
    failed_stored = [r for r in failed if r[4] in rows]
    print(f"     app{victim} killed at +{k0 - t0:.2f} s; {len(records)} POSTs: {len(acked)} acknowledged "
          f"(201), {len(failed)} failed ({len(in_flight)} in flight at the kill, {len(other)} not)")
    print(f"     rows: {len(rows)}; acknowledged without a row: {len(lost)}; stored twice: {len(twice)}; "
          f"failed POSTs with a row: {len(failed_stored)}, without: {len(failed) - len(failed_stored)}")
    for r in failed[:8]:
        print(f"     - POST at +{r[1] - t0:.3f}..+{r[2] - t0:.3f} s ({utc(r[1])}..{utc(r[2])} UTC): {r[3]}")
    figures = {"POSTs": len(records), "acknowledged": len(acked), "rows": len(rows),
               "acknowledged without a row": len(lost), "failed in flight": len(in_flight),
               "failed otherwise": len(other), "failed with a row": len(failed_stored),
               "failed without a row": len(failed) - len(failed_stored), "stored twice": len(twice)}
    check(len(acked) > 100, f"the load ran ({len(acked)} acknowledged)")
    check(not lost, f"every acknowledged POST has its row ({len(lost)} lost: {lost[:3]})")
    check(not twice, f"no POST stored twice ({twice[:3]})")
    check(not other, f"no failure but those in flight at the kill ({[(round(r[1] - t0, 3), r[3]) for r in other[:4]]})")
    return figures


# --------------------------------------------------------------------------------------------
# g. nginx with three instances vs one instance, side by side

def wrk(url, duration, headers=()):
    args = ["wrk", "-t2", "-c64", f"-d{duration}", "--timeout", "10s", "--latency"]
    for h in headers:
        args += ["-H", h]
    out = subprocess.run(args + [url], capture_output=True, text=True, timeout=600).stdout

    def ms(pct):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(m.group(1)) if m else 0
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), ms(50), ms(99), errors


def scenario_bench(cl, duration):
    if not shutil.which("wrk"):
        raise Skip("wrk is not installed (scripts/install-deps.sh bench)")
    _, _, token = cl.user("bench")
    for i in range(20):
        Client(cl.base).call("POST", "/api/job-applications/",
                             {"job_title": f"Bench {i}", "company_name": "Bench Co"}, token=token)
    rows = []
    print(f"     wrk -t2 -c64 -d{duration}, through nginx and against app1 directly")
    print(f"     {'scenario':<44} {'target':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for label, path, headers in (("GET /api/ai/models/ (cached)", "/api/ai/models/", ()),
                                 ("GET /api/job-applications/ (20 rows, JWT)", "/api/job-applications/",
                                  (f"Authorization: Bearer {token}",))):
        for target, base in (("nginx → 3 instances", cl.base), ("app1 directly", cl.vars["CLUSTER_APP1_URL"])):
            rps, p50, p99, errors = wrk(base + path, duration, headers)
            rows.append((label, target, rps, p50, p99, errors))
            print(f"     {label:<44} {target:<22} {rps:>9,.0f} {p50:>8.2f} {p99:>8.2f} {errors:>7}", flush=True)
    check(all(r[5] == 0 for r in rows), "no wrk errors")
    return {f"{r[0]} / {r[1]}": f"{r[2]:,.0f} req/s, p99 {r[4]:.2f} ms" for r in rows}


# --------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--bench", action="store_true", help="also run g, the wrk comparison")
    ap.add_argument("--bench-duration", default="10s")
    ap.add_argument("--only", default="", help="letters of the scenarios to run, e.g. a,d")
    ap.add_argument("--keep", action="store_true", help="leave the cluster up at the end")
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        print(f"no executable at {args.binary}", file=sys.stderr)
        return 2
    # ctest (or a terminal) stopping us still brings the cluster down.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    scenarios = [("a", "read-your-writes across instances", scenario_read_your_writes),
                 ("b", "shared throttle budget", scenario_shared_throttle),
                 ("c", "shared daily quota", scenario_daily_quota),
                 ("d", "cache invalidation across instances", scenario_cache_invalidation),
                 ("e", "rolling restart under load", scenario_rolling_restart),
                 ("f", "kill -9 under write load", scenario_kill)]
    if args.bench:
        scenarios.append(("g", "nginx + 3 instances vs one instance (wrk)",
                          lambda cl: scenario_bench(cl, args.bench_duration)))
    only = set(filter(None, args.only.replace(",", " ").split()))
    scenarios = [s for s in scenarios if not only or s[0] in only]

    work = tempfile.mkdtemp(prefix="resumate-cluster-test.")
    os.chmod(work, 0o755)
    cl = Cluster(args.binary, os.path.join(work, "cluster"))
    results = []
    print(f"cluster test: {args.binary}, state in {cl.dir}, replica apply delay {REPLICA_DELAY}", flush=True)
    try:
        try:
            cl.up()
        except Fail as e:
            results.append(("up", "cluster up", "FAIL", str(e)))
            scenarios = []
        for letter, title, fn in scenarios:
            print(f"\n== {letter}. {title}", flush=True)
            t0 = time.monotonic()
            try:
                figures = fn(cl)
                results.append((letter, title, "PASS", figures))
            except Skip as e:
                results.append((letter, title, "SKIP", str(e)))
            except Fail as e:
                print(f"FAIL {e}", flush=True)
                results.append((letter, title, "FAIL", str(e)))
            except Exception as e:  # a broken scenario must not keep the cluster up
                print(f"FAIL {type(e).__name__}: {e}", flush=True)
                results.append((letter, title, "FAIL", f"{type(e).__name__}: {e}"))
            print(f"   ({time.monotonic() - t0:.1f} s)", flush=True)
    finally:
        print(flush=True)
        failures = any(r[2] == "FAIL" for r in results)
        if failures and os.path.isdir(cl.dir):
            print(f"logs of the cluster kept in {cl.keep_logs(os.path.join(work, 'logs'))}")
        if args.keep:
            print(f"cluster kept up: RESUMATE_CLUSTER_DIR={cl.dir} {SCRIPT} down")
        else:
            try:
                cl.down()
                if not failures:
                    shutil.rmtree(work, ignore_errors=True)
            except Fail as e:
                results.append(("down", "cluster down", "FAIL", str(e)))

    print("\nsummary")
    for letter, title, verdict, detail in results:
        print(f"  {verdict:<4} {letter}. {title}")
        if isinstance(detail, dict):
            for k, v in detail.items():
                print(f"         {k}: {v}")
        else:
            print(f"         {detail}")
    passed = sum(1 for r in results if r[2] == "PASS")
    failed = sum(1 for r in results if r[2] == "FAIL")
    skipped = sum(1 for r in results if r[2] == "SKIP")
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
