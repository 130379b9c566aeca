# SPDX-License-Identifier: MIT
# tests/hostile/hostile.mk: hostile input, included by the top Makefile.
#
#   make fuzz FUZZ_SECONDS=N   build the libFuzzer targets (clang) and run each for N seconds
#   make fuzz-smoke            each target for FUZZ_SMOKE_SECONDS (30), then replay the regressions
#   make hostile               replay the regression corpus (gcc, no clang, under valgrind),
#                              allocation failure at the SQL level (valgrind), the fail-closed
#                              property test, the no-file/no-network/no-global-state check, the
#                              8-thread test, sqlite3_interrupt() and the progress handler
#                              stopping hostile calls within 100 ms, the refusal to load into an
#                              older SQLite; part of `make test` (about 25 s)
#   make tsan                  the extension and the 8-thread test under ThreadSanitizer (clang)
#
# One process and one core per fuzz target, one target after the other.
#
# The seed corpora are generated into build/fuzz/seed-* from the conformance corpus and the catalog;
# what the fuzzers find goes to build/fuzz/corpus-* (not committed). Crashing inputs, once fixed,
# belong in tests/hostile/regress/{policy,ctx,match,agg,lint,authzmsg}/, which `make hostile` replays.
# Targets: fuzz_policy (parser + evaluator), fuzz_ctx (context parser + policy variables),
# fuzz_match (the wildcard matchers against a plain reference), fuzz_agg (the aggregates through
# SQLite, the glue linked in, against iam_decision on the policy the rows make), fuzz_lint (the
# linter, with an in-memory catalog: errors exactly when the parser rejects; seeds are the policy
# seeds), fuzz_authzmsg (authorization-failure messages, bare and wrapped; seeds:
# tests/org/fixtures/messages).

HOSTILE_DIR := tests/hostile
FUZZ_DIR    := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_TARGETS := policy ctx match agg lint authzmsg
FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
HOSTILE_CFLAGS := -std=c11 -O1 -g -fno-omit-frame-pointer
FUZZ_DEPS := $(CORE_SRC) $(EXT_HDR) $(HOSTILE_DIR)/fuzz_common.h tests/unit/fake_catalog.h
CONF_SEED_FILES := $(wildcard tests/conformance/*.jsonl tests/conformance/*.jsonl.gz)
AUTHZ_CASE_FILES := $(wildcard tests/conformance/authorization/*.jsonl \
                      tests/conformance/authorization/*.jsonl.gz)
CATALOG_DOCS := $(wildcard catalog/policies/*.json)
FUZZ_SEED_EVERY ?= 10

.PHONY: fuzz fuzz-smoke fuzz-deps fuzz-seeds hostile hostile-replay hostile-alloc hostile-mutate \
        hostile-imports tsan

fuzz-deps:
	@scripts/ensure-deps.sh clang libclang-rt-14-dev

$(FUZZ_DIR)/fuzz_%: $(HOSTILE_DIR)/fuzz_%.c $(FUZZ_DEPS) | fuzz-deps
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(WARN) -DIAM_TESTING -o $@ $< $(CORE_SRC) -lcjson -lm

# The aggregate target links the glue and the system's SQLite too.
$(FUZZ_DIR)/fuzz_agg: $(HOSTILE_DIR)/fuzz_agg.c $(FUZZ_DEPS) $(GLUE_SRC) | fuzz-deps
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(WARN) -DIAM_TESTING -o $@ $< $(CORE_SRC) $(GLUE_SRC) \
	  $$(pkg-config --cflags --libs sqlite3) -lcjson -lm

$(FUZZ_DIR)/mkseeds: $(HOSTILE_DIR)/mkseeds.c | deps
	@mkdir -p $(FUZZ_DIR)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< -lcjson

# Seeds: every hand-written conformance case, every FUZZ_SEED_EVERY-th generated one, the catalog.
$(FUZZ_DIR)/seeds.stamp: $(FUZZ_DIR)/mkseeds $(CONF_SEED_FILES) $(AUTHZ_CASE_FILES) $(CATALOG_DOCS) \
                         $(wildcard $(HOSTILE_DIR)/regress/*/*) $(wildcard tests/org/fixtures/messages/*)
	rm -rf $(addprefix $(FUZZ_DIR)/seed-,$(FUZZ_TARGETS))
	mkdir -p $(addprefix $(FUZZ_DIR)/seed-,$(FUZZ_TARGETS))
	for f in $(CONF_SEED_FILES) $(AUTHZ_CASE_FILES); do case $$f in *.gz) gzip -dc $$f ;; *) cat $$f ;; esac; done | \
	  $(FUZZ_DIR)/mkseeds $(FUZZ_DIR)/seed-policy $(FUZZ_DIR)/seed-ctx $(FUZZ_DIR)/seed-agg \
	    $(FUZZ_SEED_EVERY) $(CATALOG_DOCS)
	for t in $(FUZZ_TARGETS); do cp $(HOSTILE_DIR)/regress/$$t/* $(FUZZ_DIR)/seed-$$t/; done
	cp $(FUZZ_DIR)/seed-policy/* $(FUZZ_DIR)/seed-lint/
	cp tests/org/fixtures/messages/* $(FUZZ_DIR)/seed-authzmsg/
	touch $@
fuzz-seeds: $(FUZZ_DIR)/seeds.stamp

# Run one target: $(call fuzz_run,TARGET,SECONDS)
define fuzz_run
mkdir -p $(FUZZ_DIR)/corpus-$(1) $(FUZZ_DIR)/crashes-$(1)
$(FUZZ_DIR)/fuzz_$(1) -max_total_time=$(2) \
  -dict=$(HOSTILE_DIR)/policy.dict -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=$(FUZZ_DIR)/crashes-$(1)/ -print_final_stats=1 \
  $(FUZZ_DIR)/corpus-$(1) $(FUZZ_DIR)/seed-$(1)
endef

fuzz: $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_TARGETS)) $(FUZZ_DIR)/seeds.stamp
	$(call fuzz_run,policy,$(FUZZ_SECONDS))
	$(call fuzz_run,ctx,$(FUZZ_SECONDS))
	$(call fuzz_run,match,$(FUZZ_SECONDS))
	$(call fuzz_run,agg,$(FUZZ_SECONDS))
	$(call fuzz_run,lint,$(FUZZ_SECONDS))
	$(call fuzz_run,authzmsg,$(FUZZ_SECONDS))

fuzz-smoke: $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_TARGETS)) $(FUZZ_DIR)/seeds.stamp
	$(call fuzz_run,policy,$(FUZZ_SMOKE_SECONDS))
	$(call fuzz_run,ctx,$(FUZZ_SMOKE_SECONDS))
	$(call fuzz_run,match,$(FUZZ_SMOKE_SECONDS))
	$(call fuzz_run,agg,$(FUZZ_SMOKE_SECONDS))
	$(call fuzz_run,lint,$(FUZZ_SMOKE_SECONDS))
	$(call fuzz_run,authzmsg,$(FUZZ_SMOKE_SECONDS))
	$(FUZZ_DIR)/fuzz_policy -runs=0 $(HOSTILE_DIR)/regress/policy
	$(FUZZ_DIR)/fuzz_ctx -runs=0 $(HOSTILE_DIR)/regress/ctx
	$(FUZZ_DIR)/fuzz_match -runs=0 $(HOSTILE_DIR)/regress/match
	$(FUZZ_DIR)/fuzz_agg -runs=0 $(HOSTILE_DIR)/regress/agg
	$(FUZZ_DIR)/fuzz_lint -runs=0 $(HOSTILE_DIR)/regress/lint
	$(FUZZ_DIR)/fuzz_authzmsg -runs=0 $(HOSTILE_DIR)/regress/authzmsg

# --- the test build of the extension and the plain-gcc hostile tests ---------
HOSTILE_BIN := build/hostile

# The extension with -DIAM_TESTING: adds iam_test_fail_alloc(n) (ext/sqlite/iam_fn.c).
build/test/iam.so: $(CORE_SRC) $(GLUE_SRC) $(EXT_HDR) | deps
	@mkdir -p build/test
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(DEFS) -DIAM_TESTING $(LIB_LDFLAGS) -o $@ \
	  $(CORE_SRC) $(GLUE_SRC) -lcjson -lm

# Fuzz targets replayed by a plain main() (no clang, no libFuzzer).
$(HOSTILE_BIN)/replay_%: $(HOSTILE_DIR)/fuzz_%.c $(HOSTILE_DIR)/replay.c $(FUZZ_DEPS) | deps
	@mkdir -p $(HOSTILE_BIN)
	$(CC) $(CPPFLAGS) $(HOSTILE_CFLAGS) $(WARN) -DIAM_TESTING -o $@ $< $(HOSTILE_DIR)/replay.c \
	  $(CORE_SRC) -lcjson -lm

$(HOSTILE_BIN)/alloc: $(HOSTILE_DIR)/alloc.c | deps
	@mkdir -p $(HOSTILE_BIN)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< $$(pkg-config --cflags --libs sqlite3)

HOSTILE_VALGRIND := valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99

# The aggregate target with the glue and SQLite.
$(HOSTILE_BIN)/replay_agg: $(HOSTILE_DIR)/fuzz_agg.c $(HOSTILE_DIR)/replay.c $(FUZZ_DEPS) $(GLUE_SRC) \
                           | deps
	@mkdir -p $(HOSTILE_BIN)
	$(CC) $(CPPFLAGS) $(HOSTILE_CFLAGS) $(WARN) -DIAM_TESTING -o $@ $< $(HOSTILE_DIR)/replay.c \
	  $(CORE_SRC) $(GLUE_SRC) $$(pkg-config --cflags --libs sqlite3) -lcjson -lm

hostile-replay: $(addprefix $(HOSTILE_BIN)/replay_,$(FUZZ_TARGETS))
	$(HOSTILE_VALGRIND) $(HOSTILE_BIN)/replay_policy $(HOSTILE_DIR)/regress/policy
	$(HOSTILE_VALGRIND) $(HOSTILE_BIN)/replay_ctx $(HOSTILE_DIR)/regress/ctx
	$(HOSTILE_VALGRIND) $(HOSTILE_BIN)/replay_match $(HOSTILE_DIR)/regress/match
	$(HOSTILE_VALGRIND) $(HOSTILE_BIN)/replay_agg $(HOSTILE_DIR)/regress/agg
	$(HOSTILE_VALGRIND) $(HOSTILE_BIN)/replay_lint $(HOSTILE_DIR)/regress/lint
	$(HOSTILE_VALGRIND) $(HOSTILE_BIN)/replay_authzmsg $(HOSTILE_DIR)/regress/authzmsg tests/org/fixtures/messages

hostile-alloc: $(HOSTILE_BIN)/alloc build/test/iam.so
	$(HOSTILE_VALGRIND) $(HOSTILE_BIN)/alloc build/test/iam

$(HOSTILE_BIN)/mutate: $(HOSTILE_DIR)/mutate.c | deps
	@mkdir -p $(HOSTILE_BIN)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< $$(pkg-config --cflags --libs sqlite3 libcjson)

# Every hand-written case and every MUTATE_EVERY-th generated one, plus the catalog.
MUTATE_EVERY ?= 4
hostile-mutate: $(HOSTILE_BIN)/mutate all
	for f in $(CONF_SEED_FILES); do case $$f in *.gz) gzip -dc $$f ;; *) cat $$f ;; esac; done | \
	  $(HOSTILE_BIN)/mutate --ext $(IAM_EXT) --every $(MUTATE_EVERY) $(CATALOG_DOCS)

# The same for whole requests: every case of the authorization corpus.
$(HOSTILE_BIN)/mutate_authz: $(HOSTILE_DIR)/mutate_authz.c | deps
	@mkdir -p $(HOSTILE_BIN)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< $$(pkg-config --cflags --libs sqlite3 libcjson)

hostile-mutate-authz: $(HOSTILE_BIN)/mutate_authz all
	for f in $(AUTHZ_CASE_FILES); do case $$f in *.gz) gzip -dc $$f ;; *) cat $$f ;; esac; done | \
	  $(HOSTILE_BIN)/mutate_authz --ext $(IAM_EXT)

# --- threads -----------------------------------------------------------------
$(HOSTILE_BIN)/threads: $(HOSTILE_DIR)/threads.c | deps
	@mkdir -p $(HOSTILE_BIN)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -pthread -o $@ $< $$(pkg-config --cflags --libs sqlite3 libcjson)

TSAN_DIR := build/tsan
TSAN_FLAGS := -std=c11 -O1 -g -fno-omit-frame-pointer -fsanitize=thread
TSAN_THREADS ?= 8

$(TSAN_DIR)/iam.so: $(CORE_SRC) $(GLUE_SRC) $(EXT_HDR) | fuzz-deps
	@mkdir -p $(TSAN_DIR)
	$(FUZZ_CC) $(CPPFLAGS) $(TSAN_FLAGS) $(WARN) $(DEFS) $(LIB_LDFLAGS) -o $@ $(CORE_SRC) $(GLUE_SRC) -lcjson

$(TSAN_DIR)/threads: $(HOSTILE_DIR)/threads.c | fuzz-deps
	@mkdir -p $(TSAN_DIR)
	$(FUZZ_CC) $(CPPFLAGS) $(TSAN_FLAGS) $(WARN) -pthread -o $@ $< \
	  $$(pkg-config --cflags --libs sqlite3 libcjson)

# 8 threads with their own connections and 4 sharing one, over the whole conformance corpus,
# under ThreadSanitizer: any report fails the run.
tsan: $(TSAN_DIR)/iam.so $(TSAN_DIR)/threads
	for f in $(CONF_SEED_FILES); do case $$f in *.gz) gzip -dc $$f ;; *) cat $$f ;; esac; done | \
	  TSAN_OPTIONS="halt_on_error=1 exitcode=66 suppressions=$(CURDIR)/$(HOSTILE_DIR)/tsan.supp $${TSAN_OPTIONS:-}" \
	  $(TSAN_DIR)/threads --ext $(TSAN_DIR)/iam --threads $(TSAN_THREADS)

# --- stopping long calls -------------------------------------------------------
$(HOSTILE_BIN)/interrupt: $(HOSTILE_DIR)/interrupt.c | deps
	@mkdir -p $(HOSTILE_BIN)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -pthread -o $@ $< $$(pkg-config --cflags --libs sqlite3)

# sqlite3_interrupt() and the progress handler stop hostile calls within 100 ms.
hostile-interrupt: $(HOSTILE_BIN)/interrupt all
	$(HOSTILE_BIN)/interrupt --ext $(IAM_EXT)

# --- an older SQLite library ----------------------------------------------------
$(HOSTILE_BIN)/oldsqlite: $(HOSTILE_DIR)/oldsqlite.c | deps
	@mkdir -p $(HOSTILE_BIN)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< $$(pkg-config --cflags --libs sqlite3) -ldl

hostile-version: $(HOSTILE_BIN)/oldsqlite all
	$(HOSTILE_BIN)/oldsqlite $(CURDIR)/dist/iam.so

# --- make hostile (part of make test) -----------------------------------------
hostile-imports: all
	tests/hostile/check_imports.sh dist/iam.so

hostile-threads: $(HOSTILE_BIN)/threads all
	for f in $(CONF_SEED_FILES); do case $$f in *.gz) gzip -dc $$f ;; *) cat $$f ;; esac; done | \
	  $(HOSTILE_BIN)/threads --ext $(IAM_EXT)

# The trusted_schema=OFF and limits goldens (tests/sql/50-hostile.sql, 60-trusted-schema.sql)
# run with the other SQL tests in `make sqltest`.
hostile: hostile-replay hostile-alloc hostile-mutate hostile-mutate-authz hostile-imports \
         hostile-threads hostile-interrupt hostile-version

.PHONY: hostile-threads hostile-version hostile-mutate-authz hostile-interrupt
TEST_TARGETS += hostile
