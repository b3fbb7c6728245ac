#!/usr/bin/env python3
"""ResuMate's Redis client against real redis-server processes on loopback: Redis I/O never
blocks the event loop, the in-process "near cache" stays coherent across instances through
Redis pub/sub invalidations, and the service rides out losing Redis and takes it back:

    python3 tests/redis/redis_async_test.py build/resumate [--only a,c]

Each scenario starts its own redis-server (--save '' --appendonly no) and ResuMate instances
(SQLite; two instances share one data directory, so one database), with a unique
RESUMATE_REDIS_PREFIX, and stops them again:

  a. Redis stalls: one instance with RESUMATE_THROTTLE=anon=1000000/minute,user=1000000/minute
     (every API request does a Redis round trip) and RESUMATE_THREADS=2. Under a load of 8
     concurrent API requests (GET /api/job-applications/ as a user, GET /api/ai/models/
     anonymously) and a /healthz poll every 20 ms, Redis is stalled for 2 s (DEBUG SLEEP 2).
     Every /healthz polled during the stall answers within 100 ms, every API request answers,
     not 5xx, within 1 s (RESUMATE_REDIS_TIMEOUT_MS, default 250, gives a slow command up), and
     once Redis answers again the throttle counts in it again. A client that calls Redis
     blocking on the IO threads fails this: both threads wait out the stall.
  b. near-cache coherence: instances A and B, one database, one Redis, throttle off,
     RESUMATE_NEAR_CACHE_TTL_MS=2000. Both warm on GET /api/ai/models/, and B's warm answers
     do not reach Redis (MONITOR: the near cache serves them). 30 times: a model renamed or
     enabled/disabled through A's admin API (PATCH /api/admin/ai-models/{id}/), then at once
     GET /api/ai/models/ on B: it shows the change every time.
  c. Redis killed (SIGKILL) under a light load through A and B (throttled with high limits,
     RESUMATE_TRUSTED_PROXIES=127.0.0.1): the cached routes answer 200 with fresh data (five
     model changes through A each show on B and A at once), login works (and a wrong password
     is a 401), no answer is a 5xx. Redis restarted on the same port: the throttle counters
     land in it again (redis-cli --scan --pattern '<prefix>throttle:*'), B's near cache serves
     again and stays coherent (ten changes through A, each seen at once on B), within a few
     seconds of Redis being back, with no restart of ResuMate.

Standard library only (plus redis-server and redis-cli). Prints what it does and the figures,
a summary, and last "N passed, M failed"; exits 1 when a scenario failed. Server logs of a
failed scenario are kept (their directory is printed).
"""
import argparse
import http.client
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "deploy"))
from deploy_test import Fail, check  # noqa: E402  (as tests/cluster: the Docker proof's helpers)
from redis_nodes import Monitor, Resp, Standalone, cleanup_all, exit_on_signals  # noqa: E402
from resumate_server import Server, create_model  # noqa: E402

MARK = uuid.uuid4().hex[:8]
HEALTHZ_BOUND = 0.100   # s: every /healthz during the stall
API_BOUND = 1.0         # s: every API request during the stall
STALL = 2               # s: DEBUG SLEEP
API_WORKERS = 8
HIGH_LIMITS = "anon=1000000/minute,user=1000000/minute"


def ms(s):
    return f"{s * 1000:.0f} ms"


def short(a, n=160):
    s = repr(a)
    return s if len(s) <= n else s[:n] + "…"


class Ctx:
    """What a scenario starts, stopped at its end: Redis servers, ResuMate instances."""

    def __init__(self, binary, work, letter):
        self.binary, self.letter = binary, letter
        self.work = os.path.join(work, letter)
        os.makedirs(self.work, exist_ok=True)
        self.servers, self.redis = [], []
        self.prefix = f"rt{MARK}{letter}:"

    def redis_server(self, name="redis"):
        r = Standalone(self.work, name)
        self.redis.append(r)
        return r

    def resumate(self, name, data, env):
        s = Server(self.binary, self.work, name, os.path.join(self.work, data), env)
        self.servers.append(s)
        s.start()
        print(f"     {name} on :{s.port} (up in {s.started_in:.2f} s)", flush=True)
        return s

    def close(self, keep_logs_in=None):
        for s in self.servers:
            s.stop()
        for r in self.redis:
            r.kill()
        if keep_logs_in:
            dest = os.path.join(keep_logs_in, self.letter)
            for s in self.servers:
                os.makedirs(dest, exist_ok=True)
                shutil.copy(s.log_path, os.path.join(dest, f"{s.name}.log"))
            for r in self.redis:
                if os.path.exists(r.log_path):
                    os.makedirs(dest, exist_ok=True)
                    shutil.copy(r.log_path, os.path.join(dest, f"{r.name}.log"))


def redis_env(ctx, r, throttle, **extra):
    env = {"REDIS_URL": f"redis://127.0.0.1:{r.port}/0", "RESUMATE_REDIS_PREFIX": ctx.prefix,
           "RESUMATE_THROTTLE": throttle}
    env.update(extra)
    return env


def counter(r, pattern):
    """The sum of the counters of the keys matching pattern (None when there is none)."""
    keys = r.scan(pattern)
    if not keys:
        return None
    total = 0
    for k in keys:
        v = r.call("GET", k)
        total += int(v) if v and v.lstrip("-").isdigit() else 0
    return total


# --------------------------------------------------------------------------------------------
# a. a stalled Redis does not stall the server

def scenario_stall(ctx):
    r = ctx.redis_server()
    s = ctx.resumate("server", "data", redis_env(ctx, r, HIGH_LIMITS))
    user, token = s.register("stall")
    for _ in range(3):
        check_status = s.get("/api/job-applications/", token=token).status
        if check_status != 200:
            raise Fail(f"GET /api/job-applications/ before the stall: {check_status}")
    keys = r.scan(f"{ctx.prefix}throttle:*")
    check(keys, f"the throttle counts in Redis ({len(keys)} keys under {ctx.prefix}throttle:*)")

    stop = threading.Event()
    lock = threading.Lock()
    api, health = [], []  # (t0, t1, status or error text, path)

    def api_worker(i):
        path = "/api/job-applications/" if i % 2 == 0 else "/api/ai/models/"
        tok = token if i % 2 == 0 else None
        conn, mine = s.conn(timeout=10), []
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                status = s.request("GET", path, token=tok, conn=conn).status
            except (OSError, http.client.HTTPException) as e:
                status = f"{type(e).__name__}: {e}"
                conn.close()
                conn = s.conn(timeout=10)
            mine.append((t0, time.monotonic(), status, path))
            time.sleep(0.005)  # busy, but leaving the 2 cores some room to schedule /healthz
        conn.close()
        with lock:
            api.extend(mine)

    def health_poller():
        conn = s.conn(timeout=10)
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                status = s.request("GET", "/healthz", conn=conn).status
            except (OSError, http.client.HTTPException) as e:
                status = f"{type(e).__name__}: {e}"
                conn.close()
                conn = s.conn(timeout=10)
            health.append((t0, time.monotonic(), status, "/healthz"))
            time.sleep(max(0.0, 0.020 - (time.monotonic() - t0)))
        conn.close()

    threads = [threading.Thread(target=api_worker, args=(i,)) for i in range(API_WORKERS)]
    threads.append(threading.Thread(target=health_poller))
    for t in threads:
        t.start()
    stall = {}
    try:
        time.sleep(1.0)
        c = Resp(r.port, timeout=STALL + 5)
        stall["t0"] = time.monotonic()
        reply = c.call("DEBUG", "SLEEP", STALL)
        stall["t1"] = time.monotonic()
        c.close()
        time.sleep(1.0)
    finally:
        stop.set()
        for t in threads:
            t.join()
    check(reply == "OK" and stall["t1"] - stall["t0"] >= STALL * 0.95,
          f"Redis stalled for {stall['t1'] - stall['t0']:.2f} s (DEBUG SLEEP {STALL})")
    t0, t1 = stall["t0"], stall["t1"]
    during = [h for h in health if t0 <= h[0] <= t1]
    # A poll that began before the stall but was still waiting when it began counts too.
    waiting = [h for h in health if h[0] < t0 < h[1]]
    h_lat = [h[1] - h[0] for h in during + waiting]
    api_during = [a for a in api if a[0] <= t1 and a[1] >= t0]  # in flight at some point of the stall
    api_lat = [a[1] - a[0] for a in api_during]
    before = [a[1] - a[0] for a in api if a[1] < t0]
    bad_api = [a for a in api if not isinstance(a[2], int) or a[2] >= 500]
    bad_health = [h for h in health if h[2] != 200]
    slow_health = [h for h in during + waiting if h[1] - h[0] > HEALTHZ_BOUND]
    slow_api = [a for a in api_during if a[1] - a[0] > API_BOUND]
    statuses = sorted({str(a[2]) for a in api})
    fig = {
        "healthz polls during the stall": len(during),
        "healthz latency during the stall (max / p50)":
            f"{ms(max(h_lat))} / {ms(statistics.median(h_lat))}" if h_lat else "-",
        "healthz polls over 100 ms": len(slow_health),
        "API requests in flight during the stall": len(api_during),
        "API latency during the stall (max / p50)":
            f"{ms(max(api_lat))} / {ms(statistics.median(api_lat))}" if api_lat else "-",
        "API latency before the stall (max)": ms(max(before)) if before else "-",
        "API requests over 1 s": len(slow_api),
        "API requests in all / 5xx or no answer": f"{len(api)} / {len(bad_api)}",
        "API statuses": ", ".join(statuses),
    }
    for k, v in fig.items():
        print(f"     {k}: {v}")
    for h in slow_health[:5]:
        print(f"     - /healthz at +{h[0] - t0:.3f} s took {ms(h[1] - h[0])}")
    for a in slow_api[:5]:
        print(f"     - GET {a[3]} at +{a[0] - t0:.3f} s took {ms(a[1] - a[0])}: {a[2]}")
    problems = []
    if len(during) < 0.5 * STALL / 0.020:
        problems.append(f"only {len(during)} /healthz polls during the {STALL} s stall (one every 20 ms "
                        f"would be {int(STALL / 0.020)}): they were held up")
    if slow_health:
        problems.append(f"{len(slow_health)} /healthz over {ms(HEALTHZ_BOUND)} during the stall "
                        f"(max {ms(max(h_lat))})")
    if bad_health:
        problems.append(f"{len(bad_health)} /healthz not 200 ({bad_health[0][2]})")
    if slow_api:
        problems.append(f"{len(slow_api)} API requests over {ms(API_BOUND)} during the stall "
                        f"(max {ms(max(api_lat))})")
    if bad_api:
        problems.append(f"{len(bad_api)} API requests 5xx or unanswered ({bad_api[0][2]})")
    if len(api_during) < API_WORKERS:
        problems.append(f"only {len(api_during)} API requests in flight during the stall")
    if problems:
        raise Fail("; ".join(problems))
    check(True, f"during the {STALL} s stall: {len(during)} /healthz, max {ms(max(h_lat))}; "
                f"{len(api_during)} API requests, max {ms(max(api_lat))}, none 5xx")

    # Redis answers again: the throttle counts in it again.
    pattern = f"{ctx.prefix}throttle:*user*u*"
    deadline = time.monotonic() + 5
    while True:
        c0 = counter(r, pattern) or 0
        for _ in range(5):
            s.get("/api/job-applications/", token=token)
        c1 = counter(r, pattern) or 0
        if c1 - c0 >= 5:
            break
        if time.monotonic() > deadline:
            raise Fail(f"5 s after the stall, 5 requests of the user moved its counters by {c1 - c0}")
        time.sleep(0.2)
    check(True, f"after the stall the throttle counts in Redis again ({c0} → {c1})")
    return fig


# --------------------------------------------------------------------------------------------
# b. the near cache stays coherent across instances

def warm_gets_reaching_redis(r, server, n=10):
    """How many commands about the models' cache key reach Redis while `server` answers n
    GET /api/ai/models/ (0 when its near cache answers them)."""
    with Monitor(r.port) as mon:
        for _ in range(n):
            names, ans = server.model_names()
            if names is None:
                raise Fail(f"GET /api/ai/models/ on {server.name}: {ans}")
    return len(mon.matching("ai_models"))


def expect_listed(names, active, current, all_names):
    """Whether a models list shows the model as it is now."""
    others = [n for n in all_names if n != current]
    if active:
        return current in names and not any(n in names for n in others)
    return not any(n in names for n in all_names)


def coherence_rounds(a, b, admin, mid, state, rounds, label):
    """`rounds` changes through a, each followed at once by GET /api/ai/models/ on b, then on a:
    (the stale answers as (instance, text), the times from the PATCH's answer to b's, the
    X-Cache-Status values of b's answers just before each change)."""
    stale, delays, warm_status = [], [], {}
    for i in range(rounds):
        names, ans = b.model_names()  # b's near cache holds the list before the change
        cs = ans.headers.get("x-cache-status")
        warm_status[cs] = warm_status.get(cs, 0) + 1
        if i % 2 == 0:
            state["name"] = f"{state['base']} {label}{i}"
            state["all"].append(state["name"])
            patch = {"display_name": state["name"]}
        else:
            state["active"] = not state["active"]
            patch = {"is_active": state["active"]}
        r = a.request("PATCH", f"/api/admin/ai-models/{mid}/", patch, token=admin)
        t = time.monotonic()
        if r.status != 200:
            raise Fail(f"PATCH /api/admin/ai-models/{mid}/ {patch} on {a.name}: {r}")
        names_b, ans_b = b.model_names()
        t_b = time.monotonic() - t
        delays.append(t_b)
        names_a, ans_a = a.model_names()
        t_a = time.monotonic() - t
        for who, names, ans, after in ((b.name, names_b, ans_b, t_b), (a.name, names_a, ans_a, t_a)):
            if names is None:
                stale.append((who, f"round {i}: GET /api/ai/models/ on {who}: {ans}"))
            elif not expect_listed(names, state["active"], state["name"], state["all"]):
                stale.append((who, f"round {i}, PATCH {patch} through {a.name}, then GET /api/ai/models/ on "
                                   f"{who} answered {ms(after)} later: X-Cache-Status "
                                   f"{ans.headers.get('x-cache-status')}, lists "
                                   f"{sorted(n for n in names if n.startswith(state['base']))} (expected "
                                   f"{[state['name']] if state['active'] else []})"))
    return stale, delays, warm_status


def scenario_coherence(ctx):
    r = ctx.redis_server()
    env = redis_env(ctx, r, "off", RESUMATE_NEAR_CACHE_TTL_MS="2000")
    a = ctx.resumate("A", "data", env)
    b = ctx.resumate("B", "data", env)
    admin = a.staff()
    base = f"Near {MARK}"
    mid = create_model(a, admin, base)
    state = {"base": base, "name": base, "active": True, "all": [base]}
    for s in (a, b, a, b):
        names, ans = s.model_names()
        check(names is not None and base in names,
              f"{s.name} lists {base!r} ({ans.headers.get('x-cache-status')})")
    keys = r.scan(f"{ctx.prefix}*")
    check(any("ai_models" in k for k in keys), f"the models list is cached in Redis ({sorted(keys)})")
    reaching = warm_gets_reaching_redis(r, b)
    check(reaching <= 2, f"B's 10 warm GET /api/ai/models/: {reaching} commands about the models key "
                         f"reach Redis (the near cache answers)")
    stale, delays, warm = coherence_rounds(a, b, admin, mid, state, 30, "v")
    stale_b = [p for who, p in stale if who == b.name]
    print(f"     30 changes through A: B answered {30 - len(stale_b)} "
          f"of 30 with the change; B's answer {ms(statistics.median(delays))} (p50), "
          f"{ms(max(delays))} (max) after the PATCH's; B's X-Cache-Status before each change: {warm}")
    for _, p in stale[:8]:
        print("     - " + p)
    if stale:
        raise Fail(f"{len(stale)} stale answers after a change through A ({len(stale_b)} on B); "
                   f"first: {stale[0][1]}")
    check(True, "every change through A showed at once on B (and on A)")
    return {"changes through A": 30, "stale answers on B": 0,
            "B's answer after the PATCH (p50 / max)": f"{ms(statistics.median(delays))} / {ms(max(delays))}",
            "B's warm GETs reaching Redis (of 10)": reaching}


# --------------------------------------------------------------------------------------------
# c. Redis killed, then back

class Load:
    """A light background load through A and B (anonymous cached GETs, a user's list); every
    answer is recorded."""

    def __init__(self, servers, token, threads=2):
        self.servers, self.token = servers, token
        self.stop_flag = threading.Event()
        self.records = []  # (t0, t1, status or error, what)
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.loop, args=(i,)) for i in range(threads)]

    def loop(self, i):
        conns = [s.conn(timeout=10) for s in self.servers]
        paths = [("/api/ai/models/", None), ("/api/example-job-applications/", None),
                 ("/api/job-applications/", self.token)]
        n, mine = 0, []
        while not self.stop_flag.is_set():
            k = (n + i) % len(self.servers)
            path, tok = paths[n % len(paths)]
            n += 1
            t0 = time.monotonic()
            try:
                status = self.servers[k].request("GET", path, token=tok, conn=conns[k],
                                                 xff=f"10.77.{i}.{n % 200}").status
            except (OSError, http.client.HTTPException) as e:
                status = f"{type(e).__name__}: {e}"
                conns[k].close()
                conns[k] = self.servers[k].conn(timeout=10)
            mine.append((t0, time.monotonic(), status, f"{self.servers[k].name} GET {path}"))
            time.sleep(0.01)
        for c in conns:
            c.close()
        with self.lock:
            self.records.extend(mine)

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join()
        return self.records


def scenario_outage(ctx):
    r = ctx.redis_server()
    throttle = "anon=1000000/minute,user=1000000/minute,login=100000/minute,register=100000/hour"
    env = redis_env(ctx, r, throttle, RESUMATE_TRUSTED_PROXIES="127.0.0.1",
                    RESUMATE_NEAR_CACHE_TTL_MS="2000")
    a = ctx.resumate("A", "data", env)
    b = ctx.resumate("B", "data", env)
    admin = a.staff()
    user, token = b.register("outage")
    base = f"Outage {MARK}"
    mid = create_model(a, admin, base)
    state = {"base": base, "name": base, "active": True, "all": [base]}
    for s in (a, b, a, b):
        names, _ = s.model_names()
        check(names is not None and base in names, f"{s.name} lists {base!r} (warm)")
    problems, fig = [], {}
    t_kill = t_back = None
    load = Load([a, b], token).start()
    t_start = time.monotonic()
    try:
        time.sleep(0.5)
        r.kill()
        t_kill = time.monotonic()
        print(f"     redis-server (pid gone) killed with SIGKILL at +{t_kill - t_start:.2f} s", flush=True)
        time.sleep(0.5)
        # Cached routes, fresh data, on both instances.
        for s in (a, b):
            names, ans = s.model_names()
            if names is None or not expect_listed(names, state["active"], state["name"], state["all"]):
                problems.append(f"Redis down: GET /api/ai/models/ on {s.name}: {short(ans)}")
            ex = s.get("/api/example-job-applications/")
            if ex.status != 200 or not isinstance(ex.json, dict) or not ex.json.get("data"):
                problems.append(f"Redis down: GET /api/example-job-applications/ on {s.name}: {short(ex)}")
        stale, delays, _ = coherence_rounds(a, b, admin, mid, state, 5, "down")
        problems += [f"Redis down: {p}" for _, p in stale]
        print(f"     Redis down: 5 changes through A, {5 - sum(w == b.name for w, _ in stale)} shown at once on B "
              f"(B's answer {ms(max(delays))} at most after the PATCH's)")
        # Login works, a wrong password is still refused.
        t = time.monotonic()
        try:
            b.login(user)
            a.login(user)
            login_ok = True
        except AssertionError as e:
            login_ok = False
            problems.append(f"Redis down: {e}")
        login_s = time.monotonic() - t
        wrong = a.request("POST", "/api/auth/token/", {"username": user, "password": "wrong-password-1"})
        if wrong.status != 401:
            problems.append(f"Redis down: a wrong password answered {short(wrong)} (expected 401)")
        print(f"     Redis down: login on B and A {'works' if login_ok else 'FAILS'} ({ms(login_s)} for both); "
              f"a wrong password: {wrong.status}")
        fig["changes during the outage shown at once on B"] = f"{5 - sum(w == b.name for w, _ in stale)} of 5"

        # Redis back on the same port.
        r.start()
        t_back = time.monotonic()
        print(f"     redis-server restarted on :{r.port} at +{t_back - t_start:.2f} s "
              f"(outage {t_back - t_kill:.2f} s)", flush=True)
        addr = f"10.{int(MARK[:2], 16)}.{int(MARK[2:4], 16)}.{int(MARK[4:6], 16) or 1}"
        pattern = f"{ctx.prefix}throttle:*anon*ip{addr}[:}}]*"
        counted_at = None
        n_sent = 0
        while time.monotonic() - t_back < 10:
            before = counter(r, pattern) or 0
            (a, b)[n_sent % 2].get("/api/ai/models/", xff=addr)
            n_sent += 1
            after = counter(r, pattern) or 0
            if after > before:
                counted_at = time.monotonic()
                break
            time.sleep(0.1)
        keys = r.scan(f"{ctx.prefix}throttle:*")
        if counted_at is None:
            problems.append(f"10 s after Redis came back, {n_sent} requests from {addr} were not counted in "
                            f"it ({len(keys)} throttle keys: {keys[:4]})")
        else:
            print(f"     throttle counting in Redis again {counted_at - t_back:.2f} s after it came back "
                  f"({len(keys)} throttle keys now)")
            fig["throttle counts in Redis again after"] = f"{counted_at - t_back:.2f} s"
        # B's near cache serves again, and coherently.
        near_at, reaching = None, None
        while time.monotonic() - t_back < 10:
            reaching = warm_gets_reaching_redis(r, b, n=5)
            if reaching <= 1:
                near_at = time.monotonic()
                break
            time.sleep(0.2)
        if near_at is None:
            problems.append(f"10 s after Redis came back, B's warm GETs still reach Redis ({reaching} commands "
                            f"about the models key for 5 GETs): its near cache is not used again")
        else:
            print(f"     B's near cache answers again {near_at - t_back:.2f} s after Redis came back")
            fig["B's near cache answers again after"] = f"{near_at - t_back:.2f} s"
        stale, delays, warm = coherence_rounds(a, b, admin, mid, state, 10, "back")
        problems += [f"Redis back: {p}" for _, p in stale]
        t_done = time.monotonic()
        print(f"     Redis back: 10 changes through A, {10 - sum(w == b.name for w, _ in stale)} shown at once on B "
              f"(done {t_done - t_back:.2f} s after Redis came back; B before each change: {warm})")
        fig["changes after Redis came back shown at once on B"] = f"{10 - sum(w == b.name for w, _ in stale)} of 10"
        time.sleep(0.3)
    finally:
        records = load.stop()
    bad = [x for x in records if not isinstance(x[2], int) or x[2] >= 500]
    during = [x for x in records if t_kill and t_back and t_kill <= x[0] <= t_back]
    lat = [x[1] - x[0] for x in during]
    fig["background requests / during the outage / 5xx or unanswered"] = f"{len(records)} / {len(during)} / {len(bad)}"
    fig["background latency during the outage (max)"] = ms(max(lat)) if lat else "-"
    print(f"     background load: {len(records)} requests ({len(during)} while Redis was down, max "
          f"{fig['background latency during the outage (max)']}), {len(bad)} 5xx or unanswered; "
          f"statuses {sorted({str(x[2]) for x in records})}")
    for x in bad[:5]:
        print(f"     - {x[3]} at +{x[0] - t_start:.3f} s: {x[2]}")
    if bad:
        problems.append(f"{len(bad)} background requests 5xx or unanswered (first: {bad[0][3]}: {bad[0][2]})")
    outage_lines = [l for s in (a, b) for l in s.log().splitlines() if "redis" in l.lower()]
    for l in outage_lines[:8]:
        print("     log: " + l[:200])
    for p in problems[:10]:
        print("     - " + p)
    if problems:
        raise Fail(f"{len(problems)} problems; first: {problems[0]}")
    check(True, "Redis killed and back: fresh answers, logins, no 5xx, counters and invalidation back")
    return fig


# --------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--only", default="", help="letters of the scenarios to run, e.g. a,c")
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        print(f"no executable at {args.binary}", file=sys.stderr)
        return 2
    for tool in ("redis-server", "redis-cli"):
        if not shutil.which(tool):
            print(f"{tool} is not installed", file=sys.stderr)
            return 2
    exit_on_signals()
    scenarios = [("a", "a stalled Redis stalls neither /healthz nor the API", scenario_stall),
                 ("b", "near cache coherent across instances", scenario_coherence),
                 ("c", "Redis killed, then back", scenario_outage)]
    only = set(filter(None, args.only.replace(",", " ").split()))
    scenarios = [s for s in scenarios if not only or s[0] in only]
    work = tempfile.mkdtemp(prefix="resumate-redis-async.")
    logs = os.path.join(work, "logs")
    # A private copy: a rebuild of the build tree during the run must not swap binaries under us.
    binary = os.path.join(work, "resumate")
    shutil.copy2(args.binary, binary)
    print(f"redis async test: {os.path.abspath(args.binary)} (copied to {binary}), prefix rt{MARK}*", flush=True)
    results = []
    try:
        for letter, title, fn in scenarios:
            print(f"\n== {letter}. {title}", flush=True)
            t0 = time.monotonic()
            ctx = Ctx(binary, work, letter)
            failed = True
            try:
                results.append((letter, title, "PASS", fn(ctx)))
                failed = False
            except Fail as e:
                print(f"FAIL {e}", flush=True)
                results.append((letter, title, "FAIL", str(e)))
            except Exception as e:  # a broken scenario must not leave servers running
                print(f"FAIL {type(e).__name__}: {e}", flush=True)
                results.append((letter, title, "FAIL", f"{type(e).__name__}: {e}"))
            finally:
                ctx.close(keep_logs_in=logs if failed else None)
            print(f"   ({time.monotonic() - t0:.1f} s)", flush=True)
    finally:
        cleanup_all()
    failures = any(r[2] == "FAIL" for r in results)
    print()
    if failures:
        print(f"logs of the failed scenarios kept in {logs}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print("summary")
    for letter, title, verdict, detail in results:
        print(f"  {verdict:<4} {letter}. {title}")
        if isinstance(detail, dict):
            for k, v in detail.items():
                print(f"         {k}: {v}")
        else:
            print(f"         {detail}")
    passed = sum(1 for r in results if r[2] == "PASS")
    failed = sum(1 for r in results if r[2] == "FAIL")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
