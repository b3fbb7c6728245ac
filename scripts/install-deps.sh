#!/usr/bin/env bash
# Installs the Debian packages ResuMate needs, only those that are missing.
# Usage: scripts/install-deps.sh run|test|bench|fuzz|docker|cluster
# Idempotent: a second call with everything present does nothing and touches nothing.
set -euo pipefail

profile="${1:-run}"

# Build + run: compiler, Boost (Beast/Asio/JSON/URL), SQLite, logging, CLI,
# crypto (OpenSSL, libargon2), and python3-django only for the common-password
# list Django ships (read at run time, never copied into the repository).
# Resume export (src/documents/): cmark-gfm parses Markdown, Pango + Cairo typeset the PDF with
# fontconfig's fonts (DejaVu; WenQuanYi Micro Hei, the smaller CJK fallback), libzip writes DOCX.
pkgs=(g++ make cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libhiredis-dev libssl-dev libargon2-dev zlib1g-dev
  libspdlog-dev libfmt-dev libcli11-dev libutf8proc-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libpango1.0-dev libcairo2-dev libzip-dev
  fonts-dejavu-core fonts-wqy-microhei
  python3-django)

case "$profile" in
  run) ;;
  # clang-format (14 on Debian 12) for the format check of `make test`.
  # python3-yaml for the checks of the compose file and the CI workflow; nginx-light and curl
  # for the cluster test (deploy/local-cluster.sh); python3-jwt for the production test, which
  # checks our tokens against PyJWT. poppler-utils (pdfinfo, pdftotext, pdffonts) and LibreOffice
  # Writer (about 250 MB installed) for the checks of the exported PDF and DOCX.
  test) pkgs+=(libgtest-dev googletest postgresql redis-server redis-tools clang-format python3-yaml
    python3-jwt nginx-light curl poppler-utils libreoffice-writer-nogui) ;;
  bench) pkgs+=(wrk postgresql redis-server redis-tools libbenchmark-dev) ;;
  # libFuzzer and the sanitizer runtimes come with clang's compiler-rt; llvm-14 has the
  # symbolizer that turns a crash's addresses into file:line.
  fuzz) pkgs+=(clang-14 libclang-rt-14-dev llvm-14) ;;
  # Only what deploy/docker.sh needs: Docker, Compose v1, debootstrap for the base image.
  docker) pkgs=(docker.io docker-compose debootstrap curl) ;;
  # deploy/local-cluster.sh: the compose topology on loopback, from the host's packages (the
  # server binary itself is built by `make build`).
  cluster) pkgs=(postgresql redis-server redis-tools nginx-light curl) ;;
  *) echo "usage: $0 run|test|bench|fuzz|docker|cluster" >&2; exit 2 ;;
esac

# The web app (web/) is built with Node.js and npm. A machine that already has them (say from
# NodeSource) keeps its own; otherwise Debian's (Node 18, which the app's tools support).
if [ "$profile" = run ] || [ "$profile" = test ]; then
  command -v npm >/dev/null && command -v node >/dev/null || pkgs+=(nodejs npm)
fi
# The browser tests drive Debian's Chromium (no browser is downloaded).
if [ "$profile" = test ]; then
  command -v chromium >/dev/null || pkgs+=(chromium)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing missing packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when an install is needed (and they are stale or absent).
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
