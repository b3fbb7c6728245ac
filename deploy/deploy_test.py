#!/usr/bin/env python3
"""The proof of deploy/docker-compose.yml, run by `deploy/docker.sh test` (make deploy-test)
against a stack it has just brought up. Everything goes through nginx, as a client would:

  register, log in, generate with the offline model, stream a generation (the events arrive
  before the stream ends: nginx does not buffer them), tracker CRUD; reads reach the replicas
  and writes the primary (pg_stat_statements of each); one instance killed (SIGKILL) under a
  read and write load: no GET fails, no POST is applied twice, every acknowledged POST is kept;
  the backup service's first backup is a pg_dump archive.

Standard library only. Prints one line per check and the figures; exits 1 on the first failure.
"""
import argparse
import http.client
import json
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)
    print(f"ok   {what}", flush=True)


class Client:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port or 80
        self.token = None

    def conn(self, timeout=30):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def call(self, method, path, body=None, token=None, conn=None):
        own = conn is None
        c = conn or self.conn()
        headers = {"Accept": "application/json"}
        tok = token or self.token
        if tok:
            headers["Authorization"] = f"Bearer {tok}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            c.request(method, path, body=data, headers=headers)
            r = c.getresponse()
            raw = r.read()
            try:
                payload = json.loads(raw) if raw else None
            except ValueError:
                payload = raw.decode(errors="replace")
            return r.status, payload, dict(r.getheaders())
        finally:
            if own:
                c.close()


def psql(args, container, sql):
    out = subprocess.run([args.docker, "exec", container, "psql", "-U", "postgres", "-d",
                          args.db_name, "-Atc", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def container(args, service):
    return f"{args.project}_{service}_1"


def statement_calls(args, service, table, verb):
    sql = (f"SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
           f"WHERE query ILIKE '{verb}%{table}%'")
    return int(psql(args, container(args, service), sql))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--project", required=True)
    p.add_argument("--env-file", required=True)
    p.add_argument("--docker", default="docker")
    args = p.parse_args()
    env = dict(line.split("=", 1) for line in open(args.env_file).read().splitlines()
               if "=" in line and not line.startswith("#"))
    args.db_name = env["DB_NAME"]
    api = Client(args.base)

    # --- the edge and the instances -------------------------------------------------------
    status, body, headers = api.call("GET", "/healthz")
    check(status == 200 and body == {"status": "ok"}, "GET /healthz through nginx")
    status, body, _ = api.call("GET", "/readyz")
    check(status == 200 and body["checks"] == {"database": "ok", "cache": "ok", "migrations": "ok"},
          "GET /readyz: database, cache and migrations ok")
    check(api.call("GET", "/metrics")[0] == 404, "/metrics is not served at the edge")
    check(headers.get("X-Content-Type-Options") == "nosniff" and "X-Request-ID" in headers,
          "security headers and X-Request-ID, once each")
    # The id the answer names is the one the instance logged: a caller's valid id is kept, an
    # invalid one is replaced (not echoed by nginx).
    c = api.conn()
    for sent, kept in (("deploy-test.42", True), ("not valid!", False)):
        c.request("GET", "/healthz", headers={"X-Request-ID": sent})
        r = c.getresponse()
        r.read()
        got = r.getheader("X-Request-ID", "")
        ok = got == sent if kept else (got != sent and re.fullmatch(r"[A-Za-z0-9._-]{1,128}", got))
        check(ok, f"X-Request-ID {sent!r} answered as {got!r}")
    c.close()

    # --- register, log in ------------------------------------------------------------------
    user = "deploy_" + uuid.uuid4().hex[:10]
    password = "Correct-Horse-" + uuid.uuid4().hex[:8]
    status, body, _ = api.call("POST", "/api/auth/register/", {
        "username": user, "email": f"{user}@example.com", "password": password,
        "password2": password})
    check(status == 201, f"register {user}: {status}")
    status, body, _ = api.call("POST", "/api/auth/token/", {"username": user, "password": password})
    check(status == 200 and "access" in body, "log in: access and refresh tokens")
    api.token = body["access"]

    # --- generation with the offline model -------------------------------------------------
    text = ("Maria Lopez, backend engineer, eight years of Python and PostgreSQL, led a team of "
            "four, cut API latency by 40 percent, AWS, Docker, Kubernetes, mentoring.")
    status, body, _ = api.call("POST", "/api/ai/generate/",
                               {"model": "ResuMate Offline", "user_input": text, "title": "CV"})
    check(status == 201 and body.get("resume_id") and "#" in body.get("content", ""),
          "generate with the offline model: 201 and a Markdown resume")

    # The stream: when did each event arrive, relative to the request?
    c = api.conn(timeout=60)
    c.request("POST", "/api/ai/generate/stream/",
              body=json.dumps({"model": "ResuMate Offline", "user_input": text}),
              headers={"Content-Type": "application/json", "Authorization": f"Bearer {api.token}"})
    t0 = time.monotonic()
    r = c.getresponse()
    check(r.status == 200 and r.getheader("Content-Type", "").startswith("text/event-stream"),
          "stream: 200 text/event-stream")
    arrivals, buf, done = [], b"", False
    while True:
        chunk = r.read1(65536)
        if not chunk:
            break
        buf += chunk
        while b"\n\n" in buf:
            event, buf = buf.split(b"\n\n", 1)
            arrivals.append(time.monotonic() - t0)
            if event.startswith(b"event: done"):
                done = True
    c.close()
    end = time.monotonic() - t0
    check(done and len(arrivals) >= 3, f"stream: {len(arrivals)} events, ending with event: done")
    check(arrivals[0] < end - 0.25,
          f"stream unbuffered: first event at {arrivals[0]*1000:.0f} ms, "
          f"stream ended at {end*1000:.0f} ms")

    # --- tracker CRUD ------------------------------------------------------------------------
    status, job, _ = api.call("POST", "/api/job-applications/", {
        "job_title": "Backend Engineer", "company_name": "Initech", "status": "Applied"})
    check(status == 201, "tracker: create")
    jid = job["id"]
    status, body, _ = api.call("PATCH", f"/api/job-applications/{jid}/", {"status": "Interviewing"})
    check(status == 200 and body["status"] == "Interviewing", "tracker: update")
    status, body, _ = api.call("GET", f"/api/job-applications/{jid}/")
    check(status == 200 and body["status"] == "Interviewing", "tracker: read back the update")
    status, _, _ = api.call("DELETE", f"/api/job-applications/{jid}/")
    check(status == 204, "tracker: delete")
    check(api.call("GET", f"/api/job-applications/{jid}/")[0] == 404, "tracker: deleted is 404")

    # --- reads to the replicas, writes to the primary ---------------------------------------
    table = "job_tracker_jobapplication"
    before = {s: statement_calls(args, s, table, "SELECT")
              for s in ("postgres-primary", "postgres-replica1", "postgres-replica2")}
    inserts_before = statement_calls(args, "postgres-primary", table, "INSERT")
    for i in range(5):
        check_status = api.call("POST", "/api/job-applications/",
                                {"job_title": f"Role {i}", "company_name": "Globex"})[0]
        if check_status != 201:
            raise Fail(f"POST for the replica check: {check_status}")
    time.sleep(1.0)  # the replicas catch up (streaming; usually milliseconds)
    for _ in range(60):
        status, body, _ = api.call("GET", "/api/job-applications/")
        if status != 200:
            raise Fail(f"GET list: {status}")
    after = {s: statement_calls(args, s, table, "SELECT") for s in before}
    reads = {s: after[s] - before[s] for s in before}
    inserts = statement_calls(args, "postgres-primary", table, "INSERT") - inserts_before
    print(f"     list SELECTs per server over 60 GETs: {reads}; INSERTs on the primary: {inserts}")
    check(reads["postgres-replica1"] > 0 and reads["postgres-replica2"] > 0,
          "reads go to both replicas")
    check(reads["postgres-replica1"] + reads["postgres-replica2"] >= 50,
          "most list reads are served by the replicas")
    for s in ("postgres-replica1", "postgres-replica2"):
        check(statement_calls(args, s, table, "INSERT") == 0, f"no INSERT ran on {s}")
    check(inserts >= 5, "the writes ran on the primary")

    # --- kill one instance under load ---------------------------------------------------------
    stop = threading.Event()
    lock = threading.Lock()
    stats = {"get": 0, "get_failed": [], "post": 0, "acked": [], "post_failed": 0}
    marker = "kill-" + uuid.uuid4().hex[:8]

    def reader():
        conn = api.conn(timeout=10)
        while not stop.is_set():
            try:
                status, _, _ = api.call("GET", "/api/job-applications/", conn=conn)
            except (OSError, http.client.HTTPException) as e:
                status = repr(e)
                conn.close()
                conn = api.conn(timeout=10)
            with lock:
                stats["get"] += 1
                if status != 200:
                    stats["get_failed"].append(status)
        conn.close()

    def writer():
        n = 0
        while not stop.is_set():
            n += 1
            name = f"{marker}-{threading.get_ident()}-{n}"
            try:
                status, _, _ = api.call("POST", "/api/job-applications/",
                                        {"job_title": "Load", "company_name": name})
            except (OSError, http.client.HTTPException):
                status = None
            with lock:
                stats["post"] += 1
                if status == 201:
                    stats["acked"].append(name)
                else:
                    stats["post_failed"] += 1

    threads = [threading.Thread(target=reader) for _ in range(4)]
    threads += [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    victim = container(args, "app2")
    pid = subprocess.run([args.docker, "inspect", "-f", "{{.State.Pid}}", victim], check=True,
                         capture_output=True, text=True).stdout.strip()
    subprocess.run(["kill", "-9", pid], check=True)
    print(f"     killed {victim} (pid {pid}) with SIGKILL", flush=True)
    time.sleep(4.0)
    stop.set()
    for t in threads:
        t.join()
    print(f"     under the kill: {stats['get']} GETs ({len(stats['get_failed'])} failed), "
          f"{stats['post']} POSTs ({len(stats['acked'])} acknowledged, "
          f"{stats['post_failed']} not)")
    check(stats["get"] > 100 and not stats["get_failed"],
          f"no GET failed while an instance died (first failures: {stats['get_failed'][:3]})")
    rows = psql(args, container(args, "postgres-primary"),
                f"SELECT company_name, count(*) FROM {table} WHERE company_name LIKE "
                f"'{marker}-%' GROUP BY company_name")
    counts = dict(line.split("|") for line in rows.splitlines() if line)
    twice = [k for k, v in counts.items() if int(v) > 1]
    lost = [k for k in stats["acked"] if k not in counts]
    check(not twice, f"no POST applied twice ({len(counts)} rows for {stats['post']} POSTs)")
    check(not lost, f"every acknowledged POST is stored ({len(stats['acked'])} acknowledged)")

    # The killed instance comes back by itself (restart: unless-stopped) and serves again.
    deadline = time.monotonic() + 60
    health = ""
    while time.monotonic() < deadline:
        health = subprocess.run([args.docker, "inspect", "-f", "{{.State.Health.Status}}", victim],
                                capture_output=True, text=True).stdout.strip()
        if health == "healthy":
            break
        time.sleep(1)
    check(health == "healthy", f"{victim} restarted by Docker and healthy again")

    # The backup service made its first backup when it started: a pg_dump that pg_restore reads.
    backup = container(args, "backup")
    logs = subprocess.run([args.docker, "logs", backup], capture_output=True, text=True)
    written = [line.split()[-1] for line in (logs.stdout + logs.stderr).splitlines()
               if line.startswith("backup: wrote ")]
    check(written, f"the backup service wrote {written[-1] if written else 'nothing'}")
    listing = subprocess.run([args.docker, "exec", backup, "pg_restore", "--list", written[-1]],
                             capture_output=True, text=True)
    check(listing.returncode == 0 and table in listing.stdout,
          "the backup is a pg_dump archive holding the tracker's table")
    print("deploy test: all checks passed")


if __name__ == "__main__":
    try:
        main()
    except Fail as e:
        print(f"FAIL {e}", file=sys.stderr)
        sys.exit(1)
