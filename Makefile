# SPDX-License-Identifier: LGPL-2.1-or-later
# Thin front for CMake: `make demo` and `make test` are the two commands.
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps configure build test demo firmware sanitize bench install clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	scripts/demo.sh $(BUILD)

# The xtensa-lx106 build of firmware/core and eboot, with a size report.
firmware: build
	cmake --build $(BUILD) --target firmware

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize:
	$(MAKE) test BUILD=build-san CMAKE_FLAGS="-DSANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)"

bench: build
	cmake --build $(BUILD) --target bench

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) build-san
