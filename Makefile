# ResuMate — the two commands of the README are `make run` and `make test`.
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# `make test SANITIZE=1`: AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer included)
# in build-asan/, building only what the unit and SQLite end-to-end tests need.
ifeq ($(SANITIZE),1)
BUILD_DIR ?= build-asan
# -O0: the sanitizers find the same faults (UBSan's checks are not optimized away), and the
# instrumented code compiles in 0.58x the time of -O1 (101 s → 58 s for the http layer).
CMAKE_FLAGS += -DRESUMATE_SANITIZE=ON -DCMAKE_CXX_FLAGS_RELEASE="-O0 -DNDEBUG"
TEST_TARGETS = --target unit_tests e2e_tests resumate
# SQLite only: the PostgreSQL reruns would exercise libpq more than our own code, and CI has
# 2 cores. The source checks (layers, format) do not depend on the build, nor the web app's tests
# on the sanitizers: run once, by `make test`.
CTEST_FLAGS = -LE 'postgres|check|web'
# Instrumented code at -O0 is CPU-bound where the Release build waits: as many tests as the
# end-to-end shards, so that they are not starved (a login timed out at 15 s with 6 at once).
CTEST_JOBS ?= $(shell echo $$(( $(JOBS) * 2 )))
export ASAN_OPTIONS ?= detect_leaks=1
# fontconfig's process-lifetime caches (tests/lsan.supp); our own leaks are still reported.
export LSAN_OPTIONS ?= suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
endif
BUILD_DIR ?= build
TEST_TARGETS ?=
CTEST_FLAGS ?=
# Tests at once: three times the cores, since the end-to-end shards mostly wait
# (tests/CMakeLists.txt); the tests that measure time run alone all the same.
CTEST_JOBS ?= $(shell echo $$(( $(JOBS) * 3 )))

.PHONY: run test build deps deps-test configure bench api-diff fuzz fuzz-build fuzz-smoke format clean docker-image deploy-up deploy-down deploy-test deploy-test-suite \
  cluster-up cluster-down cluster-test

run: build
	./$(BUILD_DIR)/resumate serve

build: deps configure
	cmake --build $(BUILD_DIR) --target resumate web -j $(JOBS)

test: deps-test configure
	cmake --build $(BUILD_DIR) $(TEST_TARGETS) -j $(JOBS)
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(CTEST_JOBS) $(CTEST_FLAGS)

deps:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh run
	@scripts/install-deps.sh test

# Configure once; later builds are incremental (CMake re-runs itself when a CMakeLists changes).
# Ninja (installed by the set-up) schedules the two cores better than make; a build directory
# made earlier with another generator keeps it.
configure: $(BUILD_DIR)/CMakeCache.txt
$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) $$(command -v ninja >/dev/null && echo -G Ninja) \
	  -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

bench: deps configure
	@scripts/install-deps.sh bench
	cmake $(BUILD_DIR)  # finds libbenchmark-dev when this build directory was made before it
	cmake --build $(BUILD_DIR) --target resumate hello_beast features_bench -j $(JOBS)
	bench/run.sh $(BUILD_DIR)

# Byte-for-byte comparison of this build's answers with another build's:
# `make api-diff BASE=/path/to/old/resumate`.
api-diff:
	@test -n "$(BASE)" || { echo "usage: make api-diff BASE=/path/to/old/resumate" >&2; exit 2; }
	$(MAKE) build
	python3 scripts/api-diff.py --base "$(BASE)" --new $(BUILD_DIR)/resumate

# libFuzzer targets (fuzz/, clang-14) in their own build directory; each runs FUZZ_SECONDS.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= fuzz_request fuzz_resumes fuzz_jobs fuzz_auth fuzz_ai_generate fuzz_csv fuzz_import

fuzz: fuzz-build
	fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Each target over its seed corpus once: a quick check that no seed crashes.
fuzz-smoke: fuzz-build
	fuzz/run.sh $(FUZZ_DIR) 0 $(FUZZ_TARGETS)

fuzz-build:
	@scripts/install-deps.sh run
	@scripts/install-deps.sh fuzz
	@test -f $(FUZZ_DIR)/CMakeCache.txt || cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_CXX_FLAGS_RELEASE="-O1" -DCMAKE_CXX_COMPILER=clang++-14 -DRESUMATE_FUZZ=ON \
	  -DRESUMATE_TESTS=OFF
	cmake --build $(FUZZ_DIR) --target fuzz_targets -j $(JOBS)

# clang-format over src/, tests/, bench/, fuzz/; `make test` fails while a file deviates.
format:
	scripts/format.sh fix

clean:
	rm -rf $(BUILD_DIR) build-asan $(FUZZ_DIR)

# The container image (Dockerfile), built and started once: too slow for every `make test`.
# Installs docker.io and debootstrap when missing, runs its own dockerd when none answers and
# makes the debian:bookworm-slim base locally (no registry needed); see deploy/docker.sh.
docker-image:
	deploy/docker.sh image

# The compose stack (deploy/docker-compose.yml): nginx, three instances, PostgreSQL primary and
# two replicas, Redis, backups. deploy-up needs deploy/.env (cp deploy/.env.example deploy/.env).
deploy-up:
	deploy/docker.sh up

deploy-down:
	deploy/docker.sh down

# The whole proof with Docker (a stack of its own, checked through nginx, then removed and the
# host restored): about 6 minutes cold (365 s measured), so not part of `make test`; run it before a release.
deploy-test:
	deploy/docker.sh test

# The test suite in a container (deploy/docker-compose.test.yml: Debian 12 with the packages of
# scripts/install-deps.sh run + test, the README's test command), as the CI runs it; a dockerd of
# its own, removed afterwards with the host restored, as deploy-test. Exits with the suite's
# status. RESUMATE_TEST_COMMAND=.ci/run adds the sanitizer build; RESUMATE_TEST_REF=HEAD tests
# that commit instead of the working tree.
deploy-test-suite:
	deploy/docker.sh test-suite

# The same topology without Docker, on loopback (deploy/local-cluster.sh): nginx, three
# instances, a PostgreSQL primary with a streaming replica, Redis; cluster-up prints the base URL
# last. Its state (and every log) is in $${RESUMATE_CLUSTER_DIR:-/tmp/resumate-cluster}.
cluster-up: build
	RESUMATE_BIN=$(BUILD_DIR)/resumate deploy/local-cluster.sh up

cluster-down:
	deploy/local-cluster.sh down

# Its test (a cluster of its own, brought down at the end; a few minutes):
# `make cluster-test CLUSTER_TEST_ARGS=--bench` adds the nginx-vs-one-instance wrk table.
cluster-test: build
	python3 tests/cluster/cluster_test.py $(BUILD_DIR)/resumate $(CLUSTER_TEST_ARGS)
