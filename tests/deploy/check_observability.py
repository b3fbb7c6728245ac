#!/usr/bin/env python3
"""Checks ResuMate's observability files against the /metrics contract (README, Operations).

    tests/deploy/check_observability.py ROOT [BINARY]

1. deploy/prometheus.yml (PyYAML): a scrape job over app1:8000, app2:8000, app3:8000 (the
   services of deploy/docker-compose.yml, which must exist there), metrics_path /metrics, a 15 s
   interval, an `instance` label per target; and the instances allow the network Prometheus
   scrapes from (RESUMATE_METRICS_ALLOW covers the backend network's subnet).
2. deploy/grafana/resumate.json: what Grafana needs to load it (title, uid, schemaVersion >= 36,
   a Prometheus data source input or variable that every panel and query uses, unique panel ids,
   grid positions inside the 24 columns that do not overlap, queries with refId and expr), and
   every PromQL expression tokenized: balanced, known functions, every metric one of the spec's
   (histograms only through _bucket/_sum/_count), counters only under rate()/increase() and
   gauges never, histogram_quantile() grouped by `le`, label names the metrics have, label
   values the spec allows; every metric of the spec is on the dashboard.
3. With BINARY: `BINARY serve` on a free loopback port with a fresh data directory; a register,
   logins (one throttled), list and detail GETs, 404s, an offline generation, cached GETs; then
   GET /metrics parsed strictly as the text format 0.0.4 (HELP/TYPE, label syntax and escapes,
   float values, one group per family, no duplicate series, counters named *_total and never
   negative, histograms with the spec's buckets, cumulative and ending in +Inf equal to _count),
   every family of the spec with its type and labels, and every metric the dashboard uses present.
   A second server with RESUMATE_METRICS_ALLOW=10.0.0.0/8 answers 127.0.0.1's GET /metrics with
   the 404 of an unknown route.

Standard library and PyYAML only. Prints one line per part; exits 1 naming every problem.
"""
import http.client
import ipaddress
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import yaml

# --- the contract ----------------------------------------------------------------------------
HTTP_BUCKETS = [.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10]
AI_BUCKETS = [.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120]
# name: (type, labels, buckets of a histogram or None)
SPEC = {
    "resumate_build_info": ("gauge", {"version"}, None),
    "resumate_http_requests_total": ("counter", {"method", "route", "status"}, None),
    "resumate_http_request_duration_seconds": ("histogram", {"method", "route"}, HTTP_BUCKETS),
    "resumate_http_requests_in_flight": ("gauge", set(), None),
    "resumate_db_pool_connections": ("gauge", {"pool", "state"}, None),
    "resumate_db_pool_wait_seconds": ("histogram", {"pool"}, None),
    "resumate_cache_requests_total": ("counter", {"result"}, None),
    "resumate_ai_requests_total": ("counter", {"model", "outcome"}, None),
    "resumate_ai_request_duration_seconds": ("histogram", {"model"}, AI_BUCKETS),
    "resumate_ai_circuit_state": ("gauge", {"provider"}, None),
    "resumate_throttled_requests_total": ("counter", {"scope"}, None),
    "resumate_quota_refused_total": ("counter", {"model"}, None),
    "process_cpu_seconds_total": ("counter", set(), None),
    "process_resident_memory_bytes": ("gauge", set(), None),
    "process_virtual_memory_bytes": ("gauge", set(), None),
    "process_open_fds": ("gauge", set(), None),
    "process_max_fds": ("gauge", set(), None),
    "process_start_time_seconds": ("gauge", set(), None),
}
LABEL_VALUES = {
    "state": {"in_use", "idle"},
    "result": {"hit", "miss"},
    "outcome": {"ok", "error", "cancelled", "circuit_open"},
}
# Labels Prometheus adds to every scraped series.
TARGET_LABELS = {"instance", "job"}
# Families that may have no series in a short run (declared by HELP/TYPE is enough): no daily
# limit is reached, a circuit's gauge may appear with its provider's first call, and a pool
# may not time its waits until one happens.
MAY_BE_EMPTY = {"resumate_quota_refused_total", "resumate_ai_circuit_state", "resumate_db_pool_wait_seconds"}
SERVICES = ["app1", "app2", "app3"]
APP_PORT = 8000

problems = []


def need(cond, what):
    if not cond:
        problems.append(what)
    return bool(cond)


def family_of(series_name):
    """The spec family a series name belongs to, and whether the name is valid for it."""
    if series_name in SPEC:
        return series_name, SPEC[series_name][0] != "histogram"
    for suffix in ("_bucket", "_sum", "_count"):
        base = series_name[: -len(suffix)]
        if series_name.endswith(suffix) and base in SPEC and SPEC[base][0] == "histogram":
            return base, True
    return None, False


# --- 1. prometheus.yml -------------------------------------------------------------------------
def expand_compose_vars(value):
    """${VAR:-default} / ${VAR-default} / ${VAR} as docker-compose does, from the environment."""
    def sub(m):
        name, op, default = m.group(1), m.group(2), m.group(3) or ""
        v = os.environ.get(name)
        if op == ":-":
            return v if v else default
        if op == "-":
            return v if v is not None else default
        return v or ""
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}", sub, str(value))


def check_prometheus(root):
    path = os.path.join(root, "deploy", "prometheus.yml")
    compose_path = os.path.join(root, "deploy", "docker-compose.yml")
    try:
        prom = yaml.safe_load(open(path))
        compose = yaml.safe_load(open(compose_path))
    except (OSError, yaml.YAMLError) as e:
        need(False, f"prometheus.yml: cannot read: {e}")
        return
    if not need(isinstance(prom, dict), "prometheus.yml: not a mapping"):
        return
    glob = prom.get("global") or {}
    jobs = prom.get("scrape_configs") or []
    need(isinstance(jobs, list) and jobs, "prometheus.yml: no scrape_configs")
    ours = []
    for job in jobs if isinstance(jobs, list) else []:
        targets = []
        for sc in job.get("static_configs") or []:
            for t in sc.get("targets") or []:
                targets.append((t, sc.get("labels") or {}))
        if any(t.split(":")[0] in SERVICES for t, _ in targets):
            ours.append((job, targets))
    if not need(len(ours) == 1, f"prometheus.yml: one scrape job over the instances, found {len(ours)}"):
        return
    job, targets = ours[0]
    need(job.get("job_name"), "prometheus.yml: the job has a job_name")
    names = sorted(t for t, _ in targets)
    need(names == [f"{s}:{APP_PORT}" for s in SERVICES],
         f"prometheus.yml: targets are {', '.join(f'{s}:{APP_PORT}' for s in SERVICES)}, got {names}")
    need(job.get("metrics_path", "/metrics") == "/metrics",
         f"prometheus.yml: metrics_path is /metrics, got {job.get('metrics_path')!r}")
    need(job.get("scheme", "http") == "http", "prometheus.yml: the instances speak plain http")
    interval = job.get("scrape_interval", glob.get("scrape_interval", "1m"))
    need(interval == "15s", f"prometheus.yml: scrape_interval 15s, got {interval!r}")
    instances = [labels.get("instance") for _, labels in targets]
    need(all(instances) and len(set(instances)) == len(instances),
         f"prometheus.yml: every target has an instance label of its own, got {instances}")
    for t, labels in targets:
        for k in labels:
            need(re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", str(k)) and not str(k).startswith("__"),
                 f"prometheus.yml: label name {k!r} of {t}")

    # The instances allow their whole network, nginx's inner side included: nginx itself must
    # not pass /metrics on from the edge.
    try:
        nginx = open(os.path.join(root, "deploy", "nginx", "nginx.conf.in")).read()
        need(re.search(r"location\s*=\s*/metrics\s*\{\s*return\s+404\s*;", nginx),
             "nginx.conf.in: `location = /metrics { return 404; }` (no /metrics at the edge)")
    except OSError as e:
        need(False, f"nginx.conf.in: {e}")

    services = (compose or {}).get("services") or {}
    for s in SERVICES:
        if not need(s in services, f"docker-compose.yml has no service {s} (prometheus.yml scrapes it)"):
            continue
        svc = services[s]
        env = svc.get("environment") or {}
        if isinstance(env, list):
            env = dict(e.split("=", 1) for e in env if "=" in e)
        need(str(env.get("PORT", APP_PORT)) == str(APP_PORT), f"{s}: listens on {APP_PORT}")
        allow = expand_compose_vars(env.get("RESUMATE_METRICS_ALLOW", ""))
        if not need(allow, f"docker-compose.yml: {s} sets RESUMATE_METRICS_ALLOW (the default is loopback only)"):
            continue
        try:
            allowed = [ipaddress.ip_network(a.strip(), strict=False) for a in allow.split(",") if a.strip()]
        except ValueError as e:
            need(False, f"docker-compose.yml: {s}: RESUMATE_METRICS_ALLOW {allow!r}: {e}")
            continue
        # Prometheus joins one of the instance's networks: each must be covered by the list.
        nets = svc.get("networks") or ["default"]
        for net in (nets if isinstance(nets, list) else list(nets)):
            cfg = ((compose.get("networks") or {}).get(net) or {})
            subnets = [expand_compose_vars(c["subnet"]) for c in ((cfg.get("ipam") or {}).get("config") or [])
                       if isinstance(c, dict) and c.get("subnet")]
            if not need(subnets, f"docker-compose.yml: network {net} of {s} has an explicit subnet "
                                 f"(so that RESUMATE_METRICS_ALLOW can name it)"):
                continue
            for sn in subnets:
                try:
                    n = ipaddress.ip_network(sn)
                except ValueError as e:
                    need(False, f"docker-compose.yml: network {net}: subnet {sn!r}: {e}")
                    continue
                need(any(n.version == a.version and n.subnet_of(a) for a in allowed),
                     f"docker-compose.yml: {s}: RESUMATE_METRICS_ALLOW={allow} does not cover network {net} ({sn})")


# --- 2. the dashboard ------------------------------------------------------------------------
FUNCTIONS = {
    "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "avg_over_time",
    "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh", "count_over_time", "day_of_month",
    "day_of_week", "day_of_year", "days_in_month", "deg", "delta", "deriv", "exp", "floor",
    "histogram_quantile", "holt_winters", "hour", "idelta", "increase", "irate", "label_join",
    "label_replace", "last_over_time", "ln", "log10", "log2", "max_over_time", "min_over_time", "minute",
    "month", "pi", "predict_linear", "present_over_time", "quantile_over_time", "rad", "rate", "resets",
    "round", "scalar", "sgn", "sin", "sinh", "sort", "sort_desc", "sqrt", "stddev_over_time",
    "stdvar_over_time", "sum_over_time", "tan", "tanh", "time", "timestamp", "vector", "year",
}
AGGREGATORS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
               "bottomk", "topk", "quantile"}
GROUPING = {"by", "without", "on", "ignoring", "group_left", "group_right"}
KEYWORDS = {"and", "or", "unless", "bool", "offset", "atan2"}
RATE_FUNCS = {"rate", "irate", "increase"}
GAUGE_RANGE_FUNCS = {f for f in FUNCTIONS if f.endswith("_over_time")} | {
    "changes", "delta", "deriv", "holt_winters", "idelta", "predict_linear", "resets"}
TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`)
  | (?P<var>\$\{[A-Za-z0-9_.:]+\}|\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<duration>(?:[0-9]+(?:ms|[smhdwy]))+(?![A-Za-z0-9_]))
  | (?P<number>0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?:[iI]nf|[nN]a[nN])(?![A-Za-z0-9_:]))
  | (?P<ident>(?!:[0-9])[A-Za-z_:][A-Za-z0-9_:]*)
  | (?P<op>=~|!~|!=|==|<=|>=|[-+*/%^<>=,(){}\[\]@:])
""", re.X)
PAIRS = {"(": ")", "[": "]", "{": "}"}


def lex(expr):
    out, pos = [], 0
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m:
            raise ValueError(f"cannot read {expr[pos:pos + 20]!r} at {pos}")
        pos = m.end()
        if m.lastgroup != "ws":
            out.append((m.lastgroup, m.group()))
    return out


def unquote(s):
    body = s[1:-1]
    return body if s[0] == "`" else re.sub(r"\\(.)", r"\1", body)


def analyse(expr):
    """Tokenizes a PromQL expression. Returns (selectors, grouping labels, created labels,
    has histogram_quantile, errors); a selector is (metric, [(label, op, value)], enclosing
    function or None, has a range)."""
    errors = []
    try:
        toks = lex(expr)
    except ValueError as e:
        return [], set(), set(), False, [str(e)]
    selectors, grouping, created = [], set(), set()
    stack = []  # open brackets: (char, function name or None)
    quantile = False
    pending_dst = []  # label_replace/label_join calls waiting for their 2nd argument: [depth, commas]
    i, n = 0, len(toks)

    def nxt(j):
        return toks[j] if j < n else (None, None)

    while i < n:
        kind, text = toks[i]
        if kind == "ident":
            low = text.lower()
            if low in GROUPING:
                i += 1
                if nxt(i)[1] == "(":
                    i += 1
                    while i < n and toks[i][1] != ")":
                        if toks[i][0] == "ident":
                            grouping.add(toks[i][1])
                        elif toks[i][1] != ",":
                            errors.append(f"unexpected {toks[i][1]!r} in {text}(...)")
                        i += 1
                    if i >= n:
                        errors.append(f"unclosed {text}(")
                    i += 1
                elif low in ("on", "ignoring", "by", "without"):
                    errors.append(f"{text} without a label list")
                continue
            if low in KEYWORDS or (nxt(i + 1)[1] in ("by", "without") and text in AGGREGATORS):
                i += 1
                continue
            if nxt(i + 1)[1] == "(":
                if text not in FUNCTIONS and text not in AGGREGATORS:
                    errors.append(f"unknown function {text}()")
                if text == "histogram_quantile":
                    quantile = True
                if text in ("label_replace", "label_join"):
                    pending_dst.append([len(stack) + 1, 0])
                stack.append(("(", text))
                i += 2
                continue
            # A metric name, maybe with label matchers and a range.
            metric, matchers, j = text, [], i + 1
            if nxt(j)[1] == "{":
                matchers, j, errs = read_matchers(toks, j)
                errors.extend(errs)
            has_range = nxt(j)[1] == "["
            func = stack[-1][1] if stack else None  # the innermost call around the selector
            selectors.append((metric, matchers, func, has_range))
            i = j
            continue
        if text == "{":  # a selector without a metric name: {__name__="…", …}
            matchers, j, errs = read_matchers(toks, i)
            errors.extend(errs)
            names = [v for (l, op, v) in matchers if l == "__name__" and op == "="]
            func = stack[-1][1] if stack else None
            selectors.append((names[0] if names else None, matchers, func, nxt(j)[1] == "["))
            i = j
            continue
        if text == "[":
            j = i + 1
            while j < n and toks[j][1] != "]":
                if toks[j][0] not in ("duration", "var") and toks[j][1] != ":":
                    errors.append(f"unexpected {toks[j][1]!r} in a range [...]")
                j += 1
            if j >= n:
                errors.append("unclosed [")
            if j == i + 1:
                errors.append("empty range []")
            i = j + 1
            continue
        if text in ("(",):
            stack.append(("(", None))
        elif text in (")", "]", "}"):
            if not stack or PAIRS[stack[-1][0]] != text:
                errors.append(f"unbalanced {text!r}")
            else:
                stack.pop()
                if pending_dst and pending_dst[-1][0] > len(stack):
                    pending_dst.pop()
        elif text == "," and pending_dst and pending_dst[-1][0] == len(stack):
            pending_dst[-1][1] += 1
            if pending_dst[-1][1] == 1 and nxt(i + 1)[0] == "string":
                created.add(unquote(nxt(i + 1)[1]))
        elif kind == "var":
            errors.append(f"Grafana variable {text} outside a string or a range")
        i += 1
    if stack:
        errors.append(f"unclosed {stack[-1][0]!r}")
    return selectors, grouping, created, quantile, errors


def read_matchers(toks, i):
    """Reads {label op "value", …} starting at toks[i] == "{"; returns (matchers, next index, errors)."""
    matchers, errors, j, n = [], [], i + 1, len(toks)
    while j < n and toks[j][1] != "}":
        if (j + 2 < n and toks[j][0] == "ident" and toks[j + 1][1] in ("=", "!=", "=~", "!~")
                and toks[j + 2][0] == "string"):
            matchers.append((toks[j][1], toks[j + 1][1], unquote(toks[j + 2][1])))
            j += 3
            if j < n and toks[j][1] == ",":
                j += 1
            continue
        errors.append(f"bad label matcher at {toks[j][1]!r}")
        j += 1
    if j >= n:
        errors.append("unclosed {")
    return matchers, j + 1, errors


def check_expr(where, expr):
    """Checks one PromQL expression; returns the metric names it selects."""
    selectors, grouping, created, quantile, errors = analyse(expr)
    for e in errors:
        need(False, f"{where}: {e}: {expr}")
    if errors:
        return set()
    used, families = set(), set()
    for metric, matchers, func, has_range in selectors:
        if metric is None:
            need(False, f"{where}: a selector without a metric name: {expr}")
            continue
        used.add(metric)
        fam, ok = family_of(metric)
        if fam is None:
            need(False, f"{where}: {metric} is not a metric of /metrics")
            continue
        families.add(fam)
        if not ok:
            need(False, f"{where}: {metric} is a histogram: use {metric}_bucket, _sum or _count")
            continue
        kind = SPEC[fam][0]
        counter_like = kind == "counter" or kind == "histogram"
        if counter_like:
            need(func in RATE_FUNCS and has_range,
                 f"{where}: counter {metric} must be read through rate()/irate()/increase() over a range")
        else:
            need(func not in RATE_FUNCS, f"{where}: {func}() of the gauge {metric}")
            need(not has_range or func in GAUGE_RANGE_FUNCS,
                 f"{where}: a range of the gauge {metric} outside a *_over_time() or deriv()-like function")
        labels = SPEC[fam][1] | TARGET_LABELS | ({"le"} if metric.endswith("_bucket") else set())
        for label, op, value in matchers:
            need(label in labels, f"{where}: {metric} has no label {label!r}")
            allowed = LABEL_VALUES.get(label)
            if allowed and "$" not in value:
                values = value.split("|") if op in ("=~", "!~") else [value]
                for v in values:
                    need(v in allowed or not re.fullmatch(r"[A-Za-z0-9_]+", v),
                         f"{where}: {label}={v!r} is not one of {sorted(allowed)}")
            if label == "status" and "$" not in value:
                pattern = r"[1-5][0-9.][0-9.]" if op in ("=~", "!~") else r"[1-5][0-9][0-9]"
                need(all(re.fullmatch(pattern, v) for v in value.split("|")),
                     f"{where}: status matcher {value!r} (status is the 3-digit code)")
    known = set().union(*(SPEC[f][1] for f in families)) | TARGET_LABELS | created | {"le"}
    for g in grouping:
        need(g in known, f"{where}: grouping by {g!r}, a label none of {sorted(families)} has")
    if quantile:
        need(any(m.endswith("_bucket") for m in used), f"{where}: histogram_quantile() without a _bucket series")
        need("le" in grouping, f"{where}: histogram_quantile() over buckets not grouped by le")
    for m in used:
        if m.endswith("_bucket"):
            need(quantile, f"{where}: {m} outside histogram_quantile()")
    return used


def check_dashboard(root):
    path = os.path.join(root, "deploy", "grafana", "resumate.json")
    try:
        dash = json.load(open(path))
    except (OSError, ValueError) as e:
        need(False, f"resumate.json: cannot read: {e}")
        return set(), 0, 0
    if not need(isinstance(dash, dict), "resumate.json: not an object"):
        return set(), 0, 0
    need(dash.get("title") == "ResuMate", f"resumate.json: title is ResuMate, got {dash.get('title')!r}")
    uid = dash.get("uid")
    need(isinstance(uid, str) and re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid), f"resumate.json: uid {uid!r}")
    sv = dash.get("schemaVersion")
    need(isinstance(sv, int) and sv >= 36, f"resumate.json: schemaVersion >= 36, got {sv!r}")
    need(isinstance(dash.get("time"), dict) and {"from", "to"} <= set(dash.get("time", {})),
         "resumate.json: a time range")

    # The Prometheus data source: an import input (${DS_…}) or a datasource variable.
    refs = set()
    for inp in dash.get("__inputs") or []:
        if inp.get("type") == "datasource" and inp.get("pluginId") == "prometheus":
            refs.add("${%s}" % inp.get("name"))
    variables = (dash.get("templating") or {}).get("list") or []
    need(isinstance(variables, list), "resumate.json: templating.list is a list")
    for v in variables:
        if v.get("type") == "datasource" and v.get("query") == "prometheus":
            refs |= {"${%s}" % v.get("name"), "$%s" % v.get("name")}
    need(refs, "resumate.json: no Prometheus data source input (__inputs) or datasource variable")

    def ds_ok(ds):
        if isinstance(ds, str):
            return ds in refs
        return isinstance(ds, dict) and ds.get("type") == "prometheus" and ds.get("uid") in refs

    used = set()
    var_names = {v.get("name") for v in variables}
    for v in variables:
        need(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(v.get("name"))), f"resumate.json: variable name {v.get('name')!r}")
        if v.get("type") == "query":
            need(ds_ok(v.get("datasource")), f"resumate.json: variable {v.get('name')} uses the Prometheus data source")
            q = v.get("query")
            q = q.get("query") if isinstance(q, dict) else q
            m = re.fullmatch(r"\s*label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*", str(q))
            if need(m, f"resumate.json: variable {v.get('name')}: label_values(metric, label), got {q!r}"):
                metrics = check_expr(f"variable {v.get('name')}", m.group(1))
                used |= metrics
                fams = {family_of(x)[0] for x in metrics} - {None}
                need(any(m.group(2) in SPEC[f][1] | TARGET_LABELS for f in fams),
                     f"resumate.json: variable {v.get('name')}: no label {m.group(2)!r}")

    top = dash.get("panels")
    if not need(isinstance(top, list) and top, "resumate.json: no panels"):
        return used, 0, 0
    flat = []
    for p in top:
        flat.append(p)
        if p.get("type") == "row":
            need(isinstance(p.get("panels", []), list), f"row {p.get('title')!r}: panels is a list")
            need(p.get("collapsed") or not p.get("panels"),
                 f"row {p.get('title')!r}: an open row keeps its panels at the top level")
            flat.extend(p.get("panels") or [])
    ids = [p.get("id") for p in flat]
    need(all(isinstance(i, int) and i > 0 for i in ids), f"resumate.json: panel ids are positive integers: {ids}")
    dup = sorted({i for i in ids if ids.count(i) > 1}, key=str)
    need(not dup, f"resumate.json: duplicate panel ids {dup}")
    boxes = []
    queries = 0
    known_types = {"timeseries", "stat", "gauge", "bargauge", "table", "state-timeline", "status-history",
                   "heatmap", "text", "piechart", "histogram", "row", "graph", "singlestat"}
    for p in flat:
        name = f"panel {p.get('id')} ({p.get('title')!r})"
        need(p.get("type") in known_types, f"{name}: type {p.get('type')!r}")
        need(isinstance(p.get("title"), str) and p.get("title"), f"{name}: a title")
        gp = p.get("gridPos")
        if need(isinstance(gp, dict) and all(isinstance(gp.get(k), int) for k in "hwxy"),
                f"{name}: gridPos with integer h, w, x, y"):
            need(1 <= gp["w"] <= 24 and 0 <= gp["x"] and gp["x"] + gp["w"] <= 24 and gp["h"] >= 1 and gp["y"] >= 0,
                 f"{name}: gridPos {gp} outside the 24 columns")
            if p in top:  # panels of a collapsed row are laid out when it opens
                for other, ob in boxes:
                    if (gp["x"] < ob["x"] + ob["w"] and ob["x"] < gp["x"] + gp["w"]
                            and gp["y"] < ob["y"] + ob["h"] and ob["y"] < gp["y"] + gp["h"]):
                        need(False, f"{name} overlaps panel {other}")
                boxes.append((p.get("id"), gp))
        if p.get("type") in ("row", "text"):
            continue
        need(ds_ok(p.get("datasource")), f"{name}: datasource is the Prometheus input/variable, got {p.get('datasource')!r}")
        targets = p.get("targets")
        if not need(isinstance(targets, list) and targets, f"{name}: no targets"):
            continue
        refids = [t.get("refId") for t in targets]
        need(all(isinstance(r, str) and r for r in refids) and len(set(refids)) == len(refids),
             f"{name}: unique refIds, got {refids}")
        for t in targets:
            queries += 1
            if "datasource" in t:
                need(ds_ok(t["datasource"]), f"{name} {t.get('refId')}: datasource {t['datasource']!r}")
            expr = t.get("expr")
            if need(isinstance(expr, str) and expr.strip(), f"{name} {t.get('refId')}: no expr"):
                for var in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", expr):
                    need(var in var_names or var.startswith("__") or var.isdigit(),
                         f"{name} {t.get('refId')}: unknown variable ${var}")
                used |= check_expr(f"{name} {t.get('refId')}", expr)
    families = {family_of(m)[0] for m in used} - {None}
    missing = sorted(set(SPEC) - families)
    need(not missing, f"resumate.json: metrics of the spec on no panel: {missing}")
    return used, len([p for p in flat if p.get("type") != "row"]), queries


# --- 3. a live /metrics ----------------------------------------------------------------------
NAME_RE = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL_RE = r"[a-zA-Z_][a-zA-Z0-9_]*"
FLOAT_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?Inf|NaN")


def parse_exposition(text):
    """Parses the Prometheus text format 0.0.4 strictly. Returns {family: {"type", "help",
    "samples": [(name, labels dict, value)]}} and a list of errors."""
    errors, families, order = [], {}, []
    seen_series = set()
    current = None
    if text and not text.endswith("\n"):
        errors.append("the exposition does not end with a line feed")

    def fam(name):
        if name not in families:
            families[name] = {"type": None, "help": None, "samples": []}
        return families[name]

    def owner(sample_name):
        for suffix in ("_bucket", "_sum", "_count"):
            base = sample_name[: -len(suffix)]
            if sample_name.endswith(suffix) and families.get(base, {}).get("type") in ("histogram", "summary"):
                return base
        if sample_name in families:
            return sample_name
        return sample_name  # untyped

    for lineno, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), 1):
        where = f"line {lineno}"
        if line == "":
            continue
        if line.startswith("#"):
            m = re.match(r"#[ \t]+(HELP|TYPE)[ \t]+(" + NAME_RE + r")(?:[ \t]+(.*))?$", line)
            if not m:
                if re.match(r"#[ \t]+(HELP|TYPE)\b", line):
                    errors.append(f"{where}: malformed {line!r}")
                continue  # a comment
            kw, name, rest = m.group(1), m.group(2), m.group(3) or ""
            f = fam(name)
            if name != current and name in order:
                errors.append(f"{where}: {name}: its lines are not one group")
            if name not in order:
                order.append(name)
            current = name
            if kw == "HELP":
                if f["help"] is not None:
                    errors.append(f"{where}: second HELP for {name}")
                if not re.fullmatch(r"(?:[^\\]|\\[\\n])*", rest):
                    errors.append(f"{where}: HELP of {name}: only \\\\ and \\n may be escaped")
                f["help"] = rest
            else:
                if f["type"] is not None:
                    errors.append(f"{where}: second TYPE for {name}")
                if f["samples"]:
                    errors.append(f"{where}: TYPE of {name} after its samples")
                if rest not in ("counter", "gauge", "histogram", "summary", "untyped"):
                    errors.append(f"{where}: TYPE {rest!r} of {name}")
                f["type"] = rest
            continue
        m = re.match(r"(" + NAME_RE + r")", line)
        if not m:
            errors.append(f"{where}: not a sample: {line!r}")
            continue
        name, pos, labels = m.group(1), m.end(), {}
        if pos < len(line) and line[pos] == "{":
            pos += 1
            while True:
                m = re.compile(r"[ \t]*(?:(\})|(" + LABEL_RE + r")[ \t]*=[ \t]*\")").match(line, pos)
                if not m:
                    errors.append(f"{where}: bad label syntax in {line!r}")
                    pos = None
                    break
                if m.group(1):
                    pos = m.end()
                    break
                lname, pos, value = m.group(2), m.end(), []
                while pos < len(line) and line[pos] != '"':
                    if line[pos] == "\\":
                        if pos + 1 < len(line) and line[pos + 1] in '\\"n':
                            value.append({"n": "\n"}.get(line[pos + 1], line[pos + 1]))
                            pos += 2
                            continue
                        errors.append(f"{where}: bad escape in a label value: {line!r}")
                        pos += 1
                        continue
                    value.append(line[pos])
                    pos += 1
                if pos >= len(line):
                    errors.append(f"{where}: unterminated label value in {line!r}")
                    pos = None
                    break
                pos += 1
                if lname in labels:
                    errors.append(f"{where}: label {lname} twice")
                if lname.startswith("__"):
                    errors.append(f"{where}: reserved label name {lname}")
                labels[lname] = "".join(value)
                m = re.compile(r"[ \t]*(,|(?=\}))").match(line, pos)
                if not m:
                    errors.append(f"{where}: expected , or }} after label {lname} in {line!r}")
                    pos = None
                    break
                pos = m.end()
            if pos is None:
                continue
        m = re.compile(r"[ \t]+(\S+)(?:[ \t]+(-?[0-9]+))?[ \t]*$").match(line, pos)
        if not m or not FLOAT_RE.fullmatch(m.group(1)):
            errors.append(f"{where}: bad value in {line!r}")
            continue
        value = float(m.group(1))
        base = owner(name)
        if base != current:
            if base in order:
                errors.append(f"{where}: {base}: its lines are not one group")
            else:
                order.append(base)
            current = base
        key = (name, tuple(sorted(labels.items())))
        if key in seen_series:
            errors.append(f"{where}: duplicate series {name}{labels}")
        seen_series.add(key)
        fam(base)["samples"].append((name, labels, value))
    return families, errors


def check_exposition(families, where="/metrics"):
    for name, f in families.items():
        t = f["type"]
        if name not in SPEC:
            continue  # other families are allowed
        want_type, want_labels, buckets = SPEC[name]
        need(t == want_type, f"{where}: {name} is a {t}, the spec says {want_type}")
        need(f["help"] is not None, f"{where}: {name} has no HELP")
    for name, f in families.items():
        t = f["type"] or "untyped"
        if t == "counter":
            need(name.endswith("_total"), f"{where}: counter {name} does not end in _total")
            for s, labels, v in f["samples"]:
                need(s == name, f"{where}: counter {name} has a sample named {s}")
                need(v >= 0 and not math.isnan(v) and not math.isinf(v), f"{where}: {s}{labels} = {v}")
        elif t == "gauge":
            for s, labels, v in f["samples"]:
                need(s == name, f"{where}: gauge {name} has a sample named {s}")
        elif t == "histogram":
            check_histogram(name, f, where)
        if name in SPEC:
            want = SPEC[name][1]
            for s, labels, v in f["samples"]:
                have = set(labels) - ({"le"} if s.endswith("_bucket") else set())
                need(have == want, f"{where}: {s} has labels {sorted(have)}, the spec says {sorted(want)}")


def check_histogram(name, f, where):
    groups = {}
    for s, labels, v in f["samples"]:
        suffix = s[len(name):]
        if not need(suffix in ("_bucket", "_sum", "_count"), f"{where}: histogram {name} has a sample {s}"):
            continue
        key = tuple(sorted((k, x) for k, x in labels.items() if k != "le"))
        g = groups.setdefault(key, {"buckets": [], "sum": None, "count": None})
        if suffix == "_bucket":
            le = labels.get("le")
            if need(le is not None and FLOAT_RE.fullmatch(le), f"{where}: {s}{labels}: le {le!r}"):
                g["buckets"].append((float(le), le, v))
        else:
            g[suffix[1:]] = v
    for key, g in groups.items():
        series = f"{name}{{{', '.join(f'{k}={v!r}' for k, v in key)}}}"
        b = g["buckets"]
        need(b, f"{where}: {series}: no buckets")
        need(g["sum"] is not None and g["count"] is not None, f"{where}: {series}: no _sum or _count")
        if not b:
            continue
        bounds = [x for x, _, _ in b]
        need(bounds == sorted(bounds) and len(set(bounds)) == len(bounds),
             f"{where}: {series}: buckets not in increasing order of le")
        need(b[-1][1] == "+Inf", f"{where}: {series}: the last bucket is le={b[-1][1]!r}, not +Inf")
        values = [v for _, _, v in sorted(b)]
        need(all(a <= c for a, c in zip(values, values[1:])), f"{where}: {series}: buckets not cumulative {values}")
        need(all(v >= 0 and v == int(v) for v in values), f"{where}: {series}: bucket counts {values}")
        if g["count"] is not None:
            need(values[-1] == g["count"], f"{where}: {series}: +Inf bucket {values[-1]} != _count {g['count']}")
        spec_buckets = SPEC.get(name, (None, None, None))[2]
        if spec_buckets:
            finite = [x for x in sorted(bounds) if not math.isinf(x)]
            need(finite == spec_buckets, f"{where}: {series}: buckets {finite}, the spec says {spec_buckets}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, extra_env, tmp, tag):
        self.port = free_port()
        self.dir = os.path.join(tmp, tag)
        os.makedirs(self.dir)
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOST": "127.0.0.1", "PORT": str(self.port),
               "RESUMATE_DATA_DIR": os.path.join(self.dir, "data"),
               "SECRET_KEY": "check-observability-" + secrets.token_hex(15),  # 50 characters
               "RESUMATE_LOG_LEVEL": "warning"}
        env.update(extra_env)
        self.log_path = os.path.join(self.dir, "server.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([binary, "serve"], env=env, cwd=self.dir, stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.time() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.tail()}")
            try:
                if self.call("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"server did not answer /healthz within 60 s: {self.tail()}")
            time.sleep(0.1)

    def tail(self):
        self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return f.read()[-2000:]

    def call(self, method, path, body=None, token=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            headers = {"Host": "localhost"}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            if token:
                headers["Authorization"] = "Bearer " + token
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
        finally:
            conn.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def check_live(binary, dashboard_metrics):
    tmp = tempfile.mkdtemp(prefix="resumate-observability.")
    servers = []
    try:
        # Tight login rate, so that one login is throttled; the rest as the defaults.
        srv = Server(binary, {"RESUMATE_THROTTLE": "anon=1000/minute,user=1000/minute,generate=100/minute,"
                                                   "register=100/hour,login=2/minute"}, tmp, "served")
        servers.append(srv)

        def expect(method, path, want, body=None, token=None):
            status, headers, data = srv.call(method, path, body, token)
            need(status == want, f"{method} {path}: {status}, expected {want}: {data[:200]!r}")
            try:
                return json.loads(data) if data else None
            except ValueError:
                return None

        user, password = "obs_" + secrets.token_hex(4), "Obs3rv-" + secrets.token_hex(6)
        expect("POST", "/api/auth/register/", 201,
               {"username": user, "email": user + "@example.com", "password": password, "password2": password})
        tokens = expect("POST", "/api/auth/token/", 200, {"username": user, "password": password}) or {}
        token = tokens.get("access")
        expect("GET", "/api/resumes/", 200, token=token)
        created = expect("POST", "/api/resumes/", 201, {"title": "Observed", "content": "# Observed"}, token=token) or {}
        if created.get("id"):
            expect("GET", f"/api/resumes/{created['id']}/", 200, token=token)
        expect("GET", "/api/resumes/987654321/", 404, token=token)
        expect("GET", "/api/job-applications/", 200, token=token)
        expect("GET", "/api/example-job-applications/", 200)
        expect("GET", "/api/example-job-applications/", 200)
        expect("GET", "/api/no-such-route/", 404)
        expect("POST", "/api/ai/generate/", 201,
               {"model": "ResuMate Offline",
                "user_input": "My name is Jane Doe, a backend engineer with 6 years of Python and PostgreSQL "
                              "at Acme Corp. I led the billing rewrite."}, token=token)
        expect("POST", "/api/auth/token/", 200, {"username": user, "password": password})
        expect("POST", "/api/auth/token/", 429, {"username": user, "password": password})
        expect("GET", "/healthz", 200)
        expect("GET", "/readyz", 200)

        status, headers, data = srv.call("GET", "/metrics")
        need(status == 200, f"GET /metrics from 127.0.0.1: {status}, expected 200 (default RESUMATE_METRICS_ALLOW is loopback)")
        if status != 200:
            return
        ctype = headers.get("content-type", "")
        need(ctype.startswith("text/plain") and "version=0.0.4" in ctype,
             f"/metrics Content-Type is text/plain; version=0.0.4, got {ctype!r}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            need(False, "/metrics is not UTF-8")
            return
        families, errors = parse_exposition(text)
        for e in errors:
            need(False, f"/metrics: {e}")
        check_exposition(families)
        for name in SPEC:
            f = families.get(name)
            if not need(f is not None and f["type"] is not None, f"/metrics: no family {name}"):
                continue
            if name not in MAY_BE_EMPTY:
                need(f["samples"], f"/metrics: {name} has no series after the requests")
        # Everything the dashboard selects is served.
        for m in sorted(dashboard_metrics):
            fam, _ = family_of(m)
            f = families.get(fam)
            if f is None:
                need(False, f"/metrics: the dashboard uses {m}, which is not served")
            elif fam not in MAY_BE_EMPTY:
                need(any(s == m for s, _, _ in f["samples"]) or (m == fam and f["samples"]),
                     f"/metrics: the dashboard uses {m}, which has no series")

        def samples(name):
            return families.get(name, {}).get("samples", [])

        reqs = [(labels, v) for _, labels, v in samples("resumate_http_requests_total")]
        routes = {l.get("route") for l, _ in reqs}
        need(not routes & {"/healthz", "/readyz", "/metrics"}, f"/metrics: probes are counted: {sorted(routes)}")
        need(any(l.get("route") == "unmatched" and l.get("status") == "404" for l, _ in reqs),
             "/metrics: no route=\"unmatched\" status=\"404\" for GET /api/no-such-route/")
        need(any(l.get("route") == "/api/resumes/{id}/" and l.get("status") == "404" for l, _ in reqs),
             "/metrics: the 404 of /api/resumes/987654321/ is not counted under route=\"/api/resumes/{id}/\"")
        need(any(l.get("route") == "/api/resumes/" and l.get("method") == "GET" and l.get("status") == "200"
                 for l, _ in reqs), "/metrics: no GET /api/resumes/ 200")
        need(all(re.fullmatch(r"[1-5][0-9][0-9]", l.get("status", "")) for l, _ in reqs),
             f"/metrics: status values {sorted({l.get('status') for l, _ in reqs})}")
        need(any(l.get("status") == "429" for l, _ in reqs), "/metrics: the throttled login's 429 is not counted")
        cache = {l.get("result"): v for _, l, v in samples("resumate_cache_requests_total")}
        need(cache.get("hit", 0) >= 1 and cache.get("miss", 0) >= 1, f"/metrics: cache hit and miss after two GETs, got {cache}")
        for _, l, _ in samples("resumate_cache_requests_total"):
            need(l.get("result") in LABEL_VALUES["result"], f"/metrics: cache result {l.get('result')!r}")
        for _, l, _ in samples("resumate_db_pool_connections"):
            need(l.get("state") in LABEL_VALUES["state"], f"/metrics: pool state {l.get('state')!r}")
        need({l.get("pool") for _, l, _ in samples("resumate_db_pool_connections")} >= {"sqlite"},
             "/metrics: the embedded database's pool is pool=\"sqlite\"")
        ai = [(l, v) for _, l, v in samples("resumate_ai_requests_total")]
        need(any(l.get("model") == "ResuMate Offline" and l.get("outcome") == "ok" and v >= 1 for l, v in ai),
             f"/metrics: no ok call of ResuMate Offline: {ai}")
        for l, _ in ai:
            need(l.get("outcome") in LABEL_VALUES["outcome"], f"/metrics: AI outcome {l.get('outcome')!r}")
        for _, l, v in samples("resumate_ai_circuit_state"):
            need(v in (0, 1, 2), f"/metrics: circuit state {v} of {l}")
        need(any(l.get("scope") == "login" and v >= 1 for _, l, v in samples("resumate_throttled_requests_total")),
             "/metrics: the throttled login is not counted under scope=\"login\"")
        info = samples("resumate_build_info")
        need(len(info) == 1 and info[0][2] == 1 and info[0][1].get("version"), f"/metrics: resumate_build_info {info}")
        proc = {n: (samples(n) or [(None, None, None)])[0][2] for n in SPEC if n.startswith("process_")}
        if None not in proc.values():
            now = time.time()
            need(proc["process_open_fds"] > 0 and proc["process_max_fds"] >= proc["process_open_fds"],
                 f"/metrics: open fds {proc['process_open_fds']} of {proc['process_max_fds']}")
            need(proc["process_resident_memory_bytes"] > 1e6, f"/metrics: RSS {proc['process_resident_memory_bytes']}")
            need(proc["process_virtual_memory_bytes"] >= proc["process_resident_memory_bytes"], "/metrics: virtual < resident")
            need(now - 600 < proc["process_start_time_seconds"] <= now + 5,
                 f"/metrics: process_start_time_seconds {proc['process_start_time_seconds']} (now {now:.0f})")
            need(proc["process_cpu_seconds_total"] > 0, "/metrics: process_cpu_seconds_total is 0")
        print(f"metrics: {len(families)} families, {sum(len(f['samples']) for f in families.values())} series parsed")
        srv.stop()
        servers.remove(srv)

        # Refused to an address outside RESUMATE_METRICS_ALLOW: the 404 of an unknown route (of
        # the API: other paths outside /api/ are the web app's, when it is built).
        other = Server(binary, {"RESUMATE_METRICS_ALLOW": "10.0.0.0/8"}, tmp, "refused")
        servers.append(other)
        s1, h1, b1 = other.call("GET", "/metrics")
        s2, h2, b2 = other.call("GET", "/api/no-such-route/")
        need(s1 == 404, f"GET /metrics from 127.0.0.1 with RESUMATE_METRICS_ALLOW=10.0.0.0/8: {s1}, expected 404")
        need(b1 == b2 and h1.get("content-type") == h2.get("content-type"),
             f"refused /metrics answers {b1[:100]!r}, an unknown route {b2[:100]!r}: they should be alike")
    except RuntimeError as e:
        need(False, f"server: {e}")
    finally:
        for s in servers:
            try:
                s.stop()
            except Exception:
                pass
        if problems and os.environ.get("RESUMATE_KEEP_TEST_DIR"):
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    root = sys.argv[1]
    before = len(problems)
    check_prometheus(root)
    if len(problems) == before:
        print("prometheus.yml: ok (app1:8000, app2:8000, app3:8000 every 15s; the instances allow the backend network)")
    before = len(problems)
    used, panels, queries = check_dashboard(root)
    if len(problems) == before:
        print(f"resumate.json: ok ({panels} panels, {queries} queries, {len(used)} metric names, all of the spec)")
    if len(sys.argv) == 3:
        binary = os.path.abspath(sys.argv[2])
        if need(os.access(binary, os.X_OK), f"{binary} is not an executable"):
            before = len(problems)
            check_live(binary, used)
            if len(problems) == before:
                print("/metrics: ok (format, families, labels, histograms, every dashboard metric; refused outside the allow list)")
    if problems:
        unique = list(dict.fromkeys(problems))  # one line per problem, however many series show it
        print(f"FAILED: {len(unique)} problem(s):", file=sys.stderr)
        for p in unique:
            print("  " + p, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
