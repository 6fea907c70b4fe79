# The README's commands. `make run` builds and serves the demo; `make test` builds and runs every test.
SHELL := /bin/bash
JOBS ?= $(shell nproc)

.PHONY: deps build build-debug web run test lint clean bench-http

deps:
	@bash scripts/bootstrap.sh

web: deps
	@cd web && npm run build --silent

build: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)
	@$(MAKE) --no-print-directory web
	@mkdir -p bin && cp build/release/src/app/welfare bin/welfare
	@echo "built bin/welfare"

run: build
	bin/welfare seed-demo --clients
	@echo
	@echo "OpenWelfare is starting on http://127.0.0.1:8080 (Ctrl-C stops it)"
	bin/welfare serve --migrate

build-debug: deps
	cmake --preset debug
	cmake --build --preset debug -j $(JOBS)

test: build-debug
	@$(MAKE) --no-print-directory web
	ctest --preset debug

# clang-format over every C++ file (also a ctest test). .clang-tidy holds the naming and bug-prone
# checks, but Debian 12's clang-tidy 14 cannot parse C++23's <expected> from libstdc++ 12, so it is
# run only where a newer clang-tidy is installed (CLANG_TIDY=clang-tidy-16 make lint).
CLANG_TIDY ?=
lint:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror
	@if [ -n "$(CLANG_TIDY)" ]; then \
	  cmake -S . -B build/lint -G Ninja -DCMAKE_UNITY_BUILD=OFF -DWELFARE_TESTS=OFF >/dev/null && \
	  git ls-files 'src/*.cpp' | xargs $(CLANG_TIDY) -p build/lint --quiet; fi

bench-http: build
	bash bench/http/run.sh

clean:
	rm -rf build bin web/dist
