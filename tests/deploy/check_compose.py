#!/usr/bin/env python3
"""Checks deploy/docker-compose.yml as the architecture document draws it, without Docker (the
stack itself is proved by `make deploy-test`): nginx published in front of three instances, a
PostgreSQL primary and two replicas the instances read through DATABASE_REPLICA_URLS, Redis
with its memory policy, a backup service; a health check for every long-running service and
depends_on conditions on them; named volumes; and every ${VARIABLE} the file uses documented
in deploy/.env.example. Then deploy/docker-compose.test.yml (the test suite in a container, proved
by `make deploy-test-suite`): a `tests` service built here from the local Debian 12 base with
install-deps.sh's run and test packages and the whole tree (which .dockerignore must let in),
running the README's test command."""
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

# --- deploy/docker-compose.test.yml: the test suite in a container, as the CI runs it ---------
main_problems, problems = problems, []


def default_of(value):
    """A compose value with each ${VAR:-default} replaced by its default."""
    return re.sub(r"\$\{[A-Z_][A-Z0-9_]*(?::?-([^}]*))?\}", lambda m: m.group(1) or "", str(value))


def ignored(path, patterns):
    """Whether .dockerignore's patterns leave `path` out of the build context (Docker's rules: a
    pattern matching the path or one of its parents excludes it; the last match wins; `!` keeps)."""
    def rx(pat):
        out, i = "", 0
        while i < len(pat):
            if pat.startswith("**", i):
                out, i = out + ".*", i + 2
            elif pat[i] == "*":
                out, i = out + "[^/]*", i + 1
            elif pat[i] == "?":
                out, i = out + "[^/]", i + 1
            else:
                out, i = out + re.escape(pat[i]), i + 1
        return re.compile(out + r"\Z")
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    out = False
    for pat in patterns:
        keep = pat.startswith("!")
        pat = pat.lstrip("!").strip("/")
        if pat and any(rx(pat).match(p) for p in prefixes):
            out = not keep
    return out


test_text = open(os.path.join(deploy, "docker-compose.test.yml")).read()
tdoc = yaml.safe_load(test_text)
tservices = tdoc.get("services", {})
need("tests" in tservices, f"services: {sorted(tservices)} has no tests")
tests = tservices.get("tests", {})
for name, svc in tservices.items():
    b = svc.get("build")
    need(b is not None, f"{name} is built here (no registry to pull {svc.get('image')} from)")
    need(not svc.get("ports"), f"{name} publishes no port")
    if b is None:
        continue
    ctx = default_of(b if isinstance(b, str) else b.get("context", "."))
    ctx_dir = os.path.normpath(os.path.join(deploy, ctx))
    df = os.path.join(ctx_dir, "Dockerfile" if isinstance(b, str) else b.get("dockerfile", "Dockerfile"))
    need(os.path.isfile(df), f"{name}: its Dockerfile {os.path.relpath(df, root)} exists")
    if not os.path.isfile(df):
        continue
    content = open(df).read()
    froms = re.findall(r"^FROM\s+(\S+)", content, re.M)
    need(froms and all(f.startswith("debian:bookworm") for f in froms),
         f"{name}: FROM only the local Debian 12 base, as the CI's container ({froms})")
    if name == "tests":
        need(os.path.samefile(ctx_dir, root), f"tests: the build context is the repository, got {ctx}")
        for profile in ("run", "test"):
            need(re.search(r"scripts/install-deps\.sh\s+" + profile + r"\b", content),
                 f"tests: the image installs scripts/install-deps.sh {profile}")
        need(re.search(r"^COPY\s+\.\s", content, re.M), "tests: the image holds the whole tree (COPY . .)")
command = tests.get("command") or ""
command = default_of(" ".join(command) if isinstance(command, list) else command)
need(re.search(r"(^|\s|;|&&)(make test|(bash\s+)?\.ci/run)(\s|$|;)", command),
     f"tests runs the README's test command (make test or .ci/run), got {command!r}")
need(tests.get("init") is True, "tests: init: true (PID 1 reaps the servers the suite daemonizes)")
tvols = set(tdoc.get("volumes") or {})
for v in tests.get("volumes") or []:
    src = default_of(v).split(":")[0]
    need(src.startswith((".", "/", "~")) or src in tvols, f"tests: volume {src} is declared")

patterns = [l.strip() for l in open(os.path.join(root, ".dockerignore")) if l.strip() and not l.startswith("#")]
for path in ("Makefile", ".ci/run", ".clang-format", "CMakeLists.txt", "cmake", "src", "bench", "tests",
             "tests/deploy/check_compose.py", "scripts/install-deps.sh", "deploy/docker-compose.yml",
             "deploy/test/Dockerfile", ".github/workflows/ci.yml", "fuzz", "Dockerfile"):
    need(not ignored(path, patterns), f".dockerignore leaves out {path}, which the test image needs")
for path in (".git", "build", "build-asan/x", "deploy/.env", ".env", "data"):
    need(ignored(path, patterns), f".dockerignore keeps {path} out of the build context")

docker_sh = open(os.path.join(deploy, "docker.sh")).read()
need("docker-compose.test.yml" in docker_sh and "test-suite)" in docker_sh and "--exit-code-from tests" in docker_sh,
     "deploy/docker.sh test-suite runs docker-compose.test.yml up --exit-code-from tests")
makefile = open(os.path.join(root, "Makefile")).read()
need(re.search(r"^deploy-test-suite:\s*\n\t.*docker\.sh test-suite", makefile, re.M),
     "Makefile: deploy-test-suite runs deploy/docker.sh test-suite")

test_problems, problems = problems, main_problems
if problems:
    print("docker-compose.yml: " + "; ".join(problems))
if test_problems:
    print("docker-compose.test.yml: " + "; ".join(test_problems))
if problems or test_problems:
    sys.exit(1)
print("docker-compose.yml: ok")
print("docker-compose.test.yml: ok")
