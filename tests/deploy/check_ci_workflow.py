#!/usr/bin/env python3
"""Checks .github/workflows/ci.yml: valid YAML, the two jobs of the document's pipeline in
their order (test on every push and pull request; on main, after it, the image built, tagged
with the commit SHA and pushed to the registry the secrets name), and that every repository
file it runs exists."""
import os
import re
import sys

import yaml

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


with open(os.path.join(root, ".github", "workflows", "ci.yml")) as f:
    wf = yaml.safe_load(f)

# YAML 1.1 reads the key `on` as the boolean True.
on = wf.get("on", wf.get(True))
need(isinstance(on, dict) and "push" in on and "pull_request" in on,
     "runs on push and pull_request")
jobs = wf.get("jobs", {})
need(list(jobs) == ["test", "image"], f"jobs are test then image, got {list(jobs)}")
test, image = jobs.get("test", {}), jobs.get("image", {})


def runs(job):
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


need(re.search(r"(^|\s)(bash\s+)?\.ci/run(\s|$)", runs(test)) is not None, "test job runs .ci/run")
need("debian:bookworm" in str(test.get("container", "")), "test job runs on Debian 12")
need(image.get("needs") in ("test", ["test"]), "image job needs the test job")
cond = str(image.get("if", ""))
need("refs/heads/main" in cond and "push" in cond, "image job only on a push to main")
img = runs(image)
need(re.search(r"docker build\b.*-f Dockerfile", img) is not None, "image job builds the Dockerfile")
need("${{ github.sha }}" in img, "image is tagged with the commit SHA")
need(re.search(r"docker push\b.*github\.sha", img) is not None, "image job pushes the SHA tag")
need("secrets.REGISTRY" in str(image.get("env", "")) + img, "registry comes from secrets")
login = img.find("docker login")
need(0 <= login < img.find("docker push"), "logs in before pushing")

# Every file of the repository the workflow runs exists (and .ci/run is executable).
for path in sorted(set(re.findall(r"(?:^|\s)((?:\./)?\.?[\w.-]+/[\w./-]+)", runs(test) + "\n" + img))):
    if path.startswith(("http", "/", "refs/")) or "$" in path:
        continue
    need(os.path.exists(os.path.join(root, path)), f"{path} exists in the repository")
need(os.access(os.path.join(root, ".ci", "run"), os.X_OK), ".ci/run is executable")
need(os.path.isfile(os.path.join(root, "Dockerfile")), "Dockerfile exists")

if problems:
    print("ci.yml: " + "; ".join(problems))
    sys.exit(1)
print("ci.yml: ok")
