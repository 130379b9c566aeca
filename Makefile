# SPDX-License-Identifier: MIT
# sqlite-iam: a loadable SQLite extension that evaluates AWS IAM policies.
#
#   make          build dist/iam.so (installs missing Debian packages as root)
#   make demo     build the extension and the default catalog, run the sample queries
#   make test     layout check, unit tests, SQL golden tests, conformance corpus, catalog tests
#   make check-layout   ext/core sees no SQLite and links alone; ext/sqlite uses it only
#                       through its headers (tests/unit/check_layout.sh)
#   make bench    evaluation throughput and peak memory (scripts/bench.sh)
#   make install | uninstall   dist/iam.so to $(PREFIX)/lib/sqlite3/ (PREFIX=/usr/local, DESTDIR)
#   make asan | valgrind | lint | format | clean
#
# Fragments under catalog/ and tests/ add their own targets to TEST_TARGETS
# and DEMO_TARGETS; this file only wires them together.

.DEFAULT_GOAL := all
SHELL := /bin/bash

SQLITE3 ?= sqlite3
IAM_EXT ?= ./dist/iam
export SQLITE3 IAM_EXT

CFLAGS ?= -std=c11 -O2 -g
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wwrite-strings -Wcast-qual -Wundef -Wswitch-enum -Wvla
ifeq ($(CI),true)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WARN += -Werror
endif
CPPFLAGS += -D_GNU_SOURCE -Iext/core
IAM_VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

CORE_SRC := $(wildcard ext/core/*.c)
GLUE_SRC := $(wildcard ext/sqlite/*.c)
EXT_HDR  := $(wildcard ext/core/*.h ext/sqlite/*.h)
UNIT_SRC := $(wildcard tests/unit/check_*.c)

LIB_LDFLAGS := -fPIC -shared -fvisibility=hidden -Wl,-z,relro,-z,now
DEFS := -DIAM_VERSION='"$(IAM_VERSION)"' -DIAM_COMMIT='"$(GIT_COMMIT)"'

TEST_TARGETS := check-layout unit sqltest
DEMO_TARGETS :=

.PHONY: all deps check-layout unit sqltest check test demo bench asan valgrind lint format clean

all: dist/iam.so

deps:
	@scripts/ensure-deps.sh

dist/iam.so: $(CORE_SRC) $(GLUE_SRC) $(EXT_HDR) | deps
	@mkdir -p dist
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(DEFS) $(LIB_LDFLAGS) -o $@ $(CORE_SRC) $(GLUE_SRC) -lcjson

build/check_iam: $(CORE_SRC) $(EXT_HDR) $(UNIT_SRC) | deps
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -DIAM_TESTING -o $@ $(CORE_SRC) $(UNIT_SRC) \
	  -lcjson $$(pkg-config --cflags --libs check) -lm

check-layout: | deps
	tests/unit/check_layout.sh

unit: build/check_iam
	build/check_iam

sqltest: all
	scripts/run_sql_tests.sh

-include catalog/catalog.mk
-include tests/conformance/conformance.mk
-include tests/hostile/hostile.mk
-include tests/inventory/inventory.mk
-include tests/org/org.mk
-include tests/paths/paths.mk
-include tests/scripts/scripts.mk
-include tests/lint/lint.mk
-include tests/browser/browser.mk

check: $(TEST_TARGETS)
test: check

demo: all $(DEMO_TARGETS)
	scripts/demo.sh

bench: all
	scripts/bench.sh

# --- sanitizers --------------------------------------------------------------
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
asan: | deps
	@mkdir -p build/asan
	$(CC) $(CPPFLAGS) -std=c11 $(ASAN_FLAGS) $(WARN) $(DEFS) $(LIB_LDFLAGS) -o build/asan/iam.so \
	  $(CORE_SRC) $(GLUE_SRC) -lcjson
	$(CC) $(CPPFLAGS) -std=c11 $(ASAN_FLAGS) $(WARN) -DIAM_TESTING -o build/asan/check_iam \
	  $(CORE_SRC) $(UNIT_SRC) -lcjson $$(pkg-config --cflags --libs check) -lm
	CK_FORK=no build/asan/check_iam
	printf '#!/bin/sh\nLD_PRELOAD="%s %s %s $${LD_PRELOAD:-}" ASAN_OPTIONS=detect_leaks=1 exec sqlite3 "$$@"\n' \
	  "$$(gcc -print-file-name=libasan.so)" "$$(gcc -print-file-name=libubsan.so)" \
	  "$$PWD/build/asan/iam.so" > build/asan/sqlite3
	chmod +x build/asan/sqlite3
	SQLITE3=build/asan/sqlite3 IAM_EXT=build/asan/iam scripts/run_sql_tests.sh

valgrind: build/check_iam all
	CK_FORK=no valgrind -q --leak-check=full --error-exitcode=1 build/check_iam
	VALGRIND=1 scripts/run_sql_tests.sh

lint:
	clang-format --dry-run -Werror ext/*/*.c ext/*/*.h tests/unit/*.c
	cppcheck --error-exitcode=1 --quiet --inline-suppr ext
	shellcheck scripts/*.sh .ci/run
	shellcheck tests/unit/*.sh tests/hostile/*.sh tests/lint/*.sh

format:
	clang-format -i ext/*/*.c ext/*/*.h tests/unit/*.c

# --- install -------------------------------------------------------------------
# The extension where the sqlite3 shell and programs load it by its full path:
#   .load /usr/local/lib/sqlite3/iam   (README.md, Install). DESTDIR stages a package.
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib/sqlite3
DOCDIR ?= $(PREFIX)/share/doc/sqlite-iam
.PHONY: install uninstall
install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(DOCDIR)
	install -m 0644 dist/iam.so $(DESTDIR)$(LIBDIR)/iam.so
	install -m 0644 LICENSE CHANGELOG.md $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/iam.so $(DESTDIR)$(DOCDIR)/LICENSE $(DESTDIR)$(DOCDIR)/CHANGELOG.md
	rmdir $(DESTDIR)$(LIBDIR) $(DESTDIR)$(DOCDIR) 2>/dev/null || true

clean:
	rm -rf dist build
