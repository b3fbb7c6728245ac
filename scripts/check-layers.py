#!/usr/bin/env python3
"""Fails when a file under src/ includes a header its layer may not see.

The layers and what each may use come from src/layers.txt, the table CMake builds the layer
libraries from. A file belongs to the layer of its first folder under src/ (src/http/x.cpp is
in `http`); src/main.cpp may see everything `app` sees; other files at the root of src/ may
include no project header. Two rules:

1. A layer includes only its own headers and those of the layers it lists in the table, and,
   through them, of the layers those list.
2. A header named `*_internal.hpp`, or placed in a `detail/` folder, is private to the folder
   that holds it (for detail/, the folder above it) and its subfolders.
3. Log lines are written through util/log (util::log::info(…) and friends), which adds the
   request's id and the JSON format: no other file calls spdlog's logging functions itself.

tests/, bench/ and fuzz/ link every layer and are not checked.

Usage: check-layers.py [--root REPO]   (default: the repository holding this script)
"""

import argparse
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*(["<])([^">]+)[">]')
DIRECT_LOG = re.compile(r"\bspdlog::(trace|debug|info|warn|error|critical)\s*\(|"
                        r"(->|\.)(trace|debug|info|warn|error|critical|log)\s*\(\s*spdlog::|"
                        r"\b(access_|logger)(->|\.)(trace|debug|info|warn|error|critical|log)\s*\(")
LOG_MODULE = ("util/log.hpp", "util/log.cpp")
SOURCE_SUFFIXES = (".cpp", ".hpp", ".h", ".ipp")
MAIN_FILE = "main.cpp"
MAIN_SEES = "app"


def read_table(path):
    """Returns {layer: [listed layers]} in file order; raises ValueError on a bad table."""
    table = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            m = re.fullmatch(r"([a-z_]+):\s*(.*)", line)
            if not m:
                raise ValueError(f"{path}:{number}: expected `<layer>: <layers>`")
            name, deps = m.group(1), m.group(2).split()
            for dep in deps:
                if dep not in table:
                    raise ValueError(
                        f"{path}:{number}: layer '{name}' lists '{dep}', which is not a layer above it")
            if name in table:
                raise ValueError(f"{path}:{number}: layer '{name}' appears twice")
            table[name] = deps
    return table


def visible(table):
    """{layer: set of layers whose headers it may include}, itself included."""
    seen = {}
    for name, deps in table.items():  # file order: every dep is already resolved
        s = {name}
        for dep in deps:
            s |= seen[dep]
        seen[name] = s
    return seen


def private_owner(header):
    """The folder (relative to src/) a header is private to, or None for a public header."""
    parts = header.split("/")
    if "detail" in parts[:-1]:
        return "/".join(parts[: parts.index("detail")])
    if parts[-1].endswith("_internal.hpp"):
        return "/".join(parts[:-1])
    return None


def check(root):
    src = os.path.join(root, "src")
    table = read_table(os.path.join(src, "layers.txt"))
    sees = visible(table)
    problems = []
    for folder in sorted(os.listdir(src)):
        if os.path.isdir(os.path.join(src, folder)) and folder not in table:
            problems.append(f"src/{folder}/: not a layer in src/layers.txt")
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, src)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/")
        for filename in sorted(filenames):
            if not filename.endswith(SOURCE_SUFFIXES):
                continue
            rel = f"{rel_dir}/{filename}" if rel_dir else filename
            if rel_dir:
                layer = rel_dir.split("/")[0]
                allowed = sees.get(layer, {layer})
            elif filename == MAIN_FILE and MAIN_SEES in sees:
                layer, allowed = "main", sees[MAIN_SEES]
            else:
                layer, allowed = "the root of src/", set()
            with open(os.path.join(dirpath, filename), encoding="utf-8", errors="replace") as f:
                lines = f.readlines()
            for number, line in enumerate(lines, 1):
                if rel not in LOG_MODULE and DIRECT_LOG.search(line.split("//")[0]):
                    problems.append(
                        f"src/{rel}:{number}: logs through spdlog directly; use util::log "
                        "(it adds the request id and the JSON format)")
                m = INCLUDE.match(line)
                if not m:
                    continue
                quote, name = m.groups()
                if "/" in name and name.split("/")[0] in table:
                    header = name
                elif quote == '"' and "/" not in name:
                    header = f"{rel_dir}/{name}" if rel_dir else name
                else:
                    continue  # a system or third-party header
                target = header.split("/")[0] if "/" in header else None
                where = f"src/{rel}:{number}"
                if target is not None and target not in allowed:
                    may = " ".join(sorted(allowed - {layer})) or "no other layer"
                    problems.append(
                        f'{where}: includes "{name}": {layer} may not see the layer {target} '
                        f"(it may see: {may}; see src/layers.txt)")
                    continue
                owner = private_owner(header)
                if owner is not None and not (rel_dir == owner or rel_dir.startswith(owner + "/")):
                    problems.append(
                        f'{where}: includes "{name}", which is private to src/{owner}/ '
                        "(*_internal.hpp and detail/ headers are seen only by their folder)")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    args = parser.parse_args()
    try:
        problems = check(args.root)
    except (OSError, ValueError) as e:
        print(f"check-layers: {e}", file=sys.stderr)
        return 2
    for p in problems:
        print(p)
    if problems:
        print(f"check-layers: {len(problems)} include(s) break the layering of src/layers.txt",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
