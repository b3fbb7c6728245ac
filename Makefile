# ResuMate — the two commands of the README are `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: run test build deps deps-test configure bench format clean

run: build
	./$(BUILD_DIR)/resumate serve

build: deps configure
	cmake --build $(BUILD_DIR) --target resumate -j $(JOBS)

test: deps-test configure
	cmake --build $(BUILD_DIR) -j $(JOBS)
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 2

deps:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh run
	@scripts/install-deps.sh test

# Configure once; later builds are incremental (CMake re-runs itself when a CMakeLists changes).
configure: $(BUILD_DIR)/CMakeCache.txt
$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

bench: deps configure
	@scripts/install-deps.sh bench
	cmake --build $(BUILD_DIR) --target resumate hello_beast -j $(JOBS)
	bench/run.sh $(BUILD_DIR)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD_DIR)
