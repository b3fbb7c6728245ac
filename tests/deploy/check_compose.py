#!/usr/bin/env python3
"""Checks deploy/docker-compose.yml as the architecture document draws it, without Docker (the
stack itself is proved by `make deploy-test`): nginx published in front of three instances, a
PostgreSQL primary and two replicas the instances read through DATABASE_REPLICA_URLS, Redis
with its memory policy, a backup service; a health check for every long-running service and
depends_on conditions on them; named volumes; and every ${VARIABLE} the file uses documented
in deploy/.env.example."""
import os
import re
import sys

import yaml

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
deploy = os.path.join(root, "deploy")
text = open(os.path.join(deploy, "docker-compose.yml")).read()
doc = yaml.safe_load(text)
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


services = doc.get("services", {})
need({"nginx", "app1", "app2", "app3", "postgres-primary", "postgres-replica1",
      "postgres-replica2", "redis", "backup"} <= set(services), f"services: {sorted(services)}")
published = [s for s, v in services.items() if v.get("ports")]
need(published == ["nginx"], f"only nginx is published, got {published}")


def dockerfile_of(svc):
    b = svc.get("build")
    if b is None:
        return None
    ctx = b if isinstance(b, str) else b.get("context", ".")
    name = "Dockerfile" if isinstance(b, str) else b.get("dockerfile", "Dockerfile")
    return os.path.normpath(os.path.join(deploy, ctx, name))


for name, svc in services.items():
    df = dockerfile_of(svc)
    need(df is not None and os.path.isfile(df), f"{name} is built from a Dockerfile here")
    if df and os.path.isfile(df):
        content = open(df).read()
        froms = re.findall(r"^FROM\s+(\S+)", content, re.M)
        # No registry: the local Debian base, or the ResuMate image built from it.
        need(all(f.startswith(("debian:bookworm", "${RESUMATE_IMAGE")) for f in froms),
             f"{name}: FROM only the local Debian base ({froms})")
        need(name == "backup" or "HEALTHCHECK" in content, f"{name}: the image has a HEALTHCHECK")
    for dep, cond in (svc.get("depends_on") or {}).items():
        need(isinstance(cond, dict) and cond.get("condition") == "service_healthy",
             f"{name} waits for {dep} to be healthy")

for app in ("app1", "app2", "app3"):
    env = services[app].get("environment", {})
    need("postgres-primary" in env.get("DATABASE_URL", ""), f"{app}: writes to the primary")
    reps = env.get("DATABASE_REPLICA_URLS", "")
    need("postgres-replica1" in reps and "postgres-replica2" in reps, f"{app}: reads the replicas")
    need(env.get("REDIS_URL", "").startswith("redis://"), f"{app}: shares Redis")
    need(set(services[app].get("depends_on", {})) >= {"postgres-primary", "redis"},
         f"{app}: depends on the database and Redis")
need(set(services["nginx"].get("depends_on", {})) == {"app1", "app2", "app3"},
     "nginx waits for the three instances")

redis_df = open(dockerfile_of(services["redis"])).read()
need("--maxmemory 256mb" in redis_df and "--maxmemory-policy allkeys-lru" in redis_df,
     "redis: --maxmemory 256mb --maxmemory-policy allkeys-lru")
vols = set(doc.get("volumes", {}))
need({"pg-primary", "pg-replica1", "pg-replica2", "redis-data", "backups"} <= vols,
     f"named volumes: {sorted(vols)}")

nginx = open(os.path.join(deploy, "nginx", "nginx.conf.in")).read()
for upstream in ("app1:8000", "app2:8000", "app3:8000"):
    need(upstream in nginx, f"nginx balances over {upstream}")
for directive in ("client_max_body_size", "limit_req_zone", "limit_req ", "gzip on",
                  "proxy_buffering off", "X-Content-Type-Options", "# server {"):
    need(directive in nginx, f"nginx.conf has {directive.strip()}")
stream_block = re.search(r"location = /api/ai/generate/stream/ \{(.*?)\}", nginx, re.S)
need(stream_block is not None and "proxy_buffering off" in stream_block.group(1),
     "the stream route is unbuffered")

example = open(os.path.join(deploy, ".env.example")).read()
documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.M))
used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)(?::?-[^}]*)?\}", text)) - {"RESUMATE_ENV_FILE"}
missing = sorted(used - documented)
need(not missing, f".env.example documents {missing}")

if problems:
    print("docker-compose.yml: " + "; ".join(problems))
    sys.exit(1)
print("docker-compose.yml: ok")
