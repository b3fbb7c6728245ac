#!/usr/bin/env python3
"""The big-list scenario of the security issue "One user can exhaust the server's memory and disk".

  big_list.py BINARY [RESUMES [APPLICATIONS]]

Starts BINARY (`resumate`) on a fresh SQLite data directory (quotas lifted, throttle off), stores
RESUMES resumes of 1 MiB for one user (default 200) and APPLICATIONS job applications for another
(default 100000; written straight into the SQLite file, which is faster than the API and stores
the same rows), then measures:
  1. idle: a third user's cached GET /api/ai/models/ latency (median / max);
  2. 5 clients reading GET /api/resumes/ (200 MiB each) at once: the server's peak RSS, their
     time, and the third user's cached GET latency meanwhile;
  3. 1 client reading the applications list: its time and size, and the cached GET latency
     meanwhile;
  4. 20 clients that send GET /api/resumes/ and never read: the server's RSS after 5 s.
Python standard library only.
"""
import http.client
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

PASSWORD = "Str0ng!Passw0rd-42"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


class Sampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, False

    def run(self):
        while not self.stop:
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.02)


class Probe(threading.Thread):
    """Sequential cached GETs on one keep-alive connection until stopped."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.times, self.stop = port, [], False

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop:
            t = time.perf_counter()
            conn.request("GET", "/api/ai/models/")
            r = conn.getresponse()
            r.read()
            self.times.append((time.perf_counter() - t) * 1000)
            time.sleep(0.005)

    def summary(self):
        if not self.times:
            return "no samples"
        return f"median {statistics.median(self.times):.2f} ms, max {max(self.times):.1f} ms ({len(self.times)} GETs)"


def call(port, method, path, body=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


def user(port, name):
    status, _ = call(port, "POST", "/api/auth/register/",
                     {"username": name, "email": name + "@example.com", "password": PASSWORD, "password2": PASSWORD})
    assert status == 201, status
    status, data = call(port, "POST", "/api/auth/token/", {"username": name, "password": PASSWORD})
    assert status == 200, status
    return json.loads(data)["access"]


def main():
    binary = os.path.abspath(sys.argv[1])
    n_resumes = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    n_apps = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
    tmp = tempfile.mkdtemp(prefix="big_list_")
    data = os.path.join(tmp, "data")
    env = {
        "PATH": "/usr/bin:/bin", "RESUMATE_DATA_DIR": data, "PORT": "0",
        "RESUMATE_PORT_FILE": os.path.join(tmp, "port"), "SECRET_KEY": "b" * 48,
        "RESUMATE_THROTTLE": "off", "RESUMATE_ACCESS_LOG": "false", "RESUMATE_THREADS": "2",
        "RESUMATE_QUOTA_RESUMES": "0", "RESUMATE_QUOTA_JOB_APPLICATIONS": "0", "RESUMATE_QUOTA_BYTES": "0",
        "RESUMATE_ACCESS_TOKEN_LIFETIME_SECONDS": "3600",
    }
    log = open(os.path.join(tmp, "server.log"), "w")
    server = subprocess.Popen([binary, "serve"], env=env, cwd=tmp, stdout=log, stderr=log)
    try:
        port_file = env["RESUMATE_PORT_FILE"]
        for _ in range(300):
            if os.path.exists(port_file):
                break
            time.sleep(0.1)
        port = int(open(port_file).read())
        big = user(port, "big_resumes")
        apps = user(port, "big_applications")
        probe_token = user(port, "bystander")
        del probe_token  # the cached GET is anonymous; the user only shows who is measured

        db = sqlite3.connect(os.path.join(data, "resumate.sqlite3"), timeout=30)
        uid = {name: i for i, name in db.execute("SELECT id, username FROM auth_user")}
        content = "x" * (1 << 20)
        db.executemany(
            "INSERT INTO resume_resume (title, content, created_at, updated_at, user_id) VALUES (?, ?, ?, ?, ?)",
            [(f"CV {i}", content, f"2026-01-01 00:00:{i % 60:02d}.{i:06d}", f"2026-01-01 00:00:{i % 60:02d}.{i:06d}",
              uid["big_resumes"]) for i in range(n_resumes)])
        db.executemany(
            "INSERT INTO job_tracker_jobapplication (job_title, company_name, original_job_description, date_applied, "
            "status, notes, is_deleted, is_example, created_at, updated_at, resume_used_id, user_id) "
            "VALUES (?, ?, ?, NULL, 'Applied', ?, 0, 0, ?, ?, NULL, ?)",
            [(f"Job {i}", "Acme", "Python and PostgreSQL, 5 years.", "Applied through the site.",
              "2026-01-01 00:00:00.000000", "2026-01-01 00:00:00.000000", uid["big_applications"])
             for i in range(n_apps)])
        db.commit()
        db.close()
        print(f"stored {n_resumes} resumes of 1 MiB and {n_apps} job applications; server RSS {rss_kib(server.pid) // 1024} MiB")

        probe = Probe(port)
        probe.start()
        time.sleep(2)
        probe.stop = True
        probe.join()
        print(f"1. idle: cached GET {probe.summary()}")

        sampler = Sampler(server.pid)
        sampler.start()
        probe = Probe(port)
        probe.start()
        results = []

        def read_list(path, token):
            t = time.perf_counter()
            status, body = call(port, "GET", path, token=token)
            results.append((status, len(body), time.perf_counter() - t))

        readers = [threading.Thread(target=read_list, args=("/api/resumes/", big)) for _ in range(5)]
        for r in readers:
            r.start()
        for r in readers:
            r.join()
        probe.stop = True
        probe.join()
        sampler.stop = True
        sampler.join()
        print(f"2. 5 clients read GET /api/resumes/: statuses {sorted(set(r[0] for r in results))}, "
              f"{results[0][1] / (1 << 20):.0f} MiB each, slowest {max(r[2] for r in results):.1f} s; "
              f"peak server RSS {sampler.peak // 1024} MiB; cached GET meanwhile {probe.summary()}")

        results.clear()
        probe = Probe(port)
        probe.start()
        read_list("/api/job-applications/", apps)
        probe.stop = True
        probe.join()
        print(f"3. GET /api/job-applications/ ({n_apps} rows): status {results[0][0]}, "
              f"{results[0][1] / (1 << 20):.1f} MiB in {results[0][2]:.2f} s; cached GET meanwhile {probe.summary()}")

        before = rss_kib(server.pid)
        idle = []
        for _ in range(20):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect(("127.0.0.1", port))
            s.sendall(f"GET /api/resumes/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {big}\r\n\r\n"
                      .encode())
            idle.append(s)
        time.sleep(5)
        after = rss_kib(server.pid)
        probe = Probe(port)
        probe.start()
        time.sleep(2)
        probe.stop = True
        probe.join()
        print(f"4. 20 clients that never read GET /api/resumes/: server RSS {before // 1024} -> {after // 1024} MiB "
              f"after 5 s; cached GET meanwhile {probe.summary()}")
        for s in idle:
            s.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
