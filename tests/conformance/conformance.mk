# tests/conformance/conformance.mk: the conformance corpus, included by the top Makefile.
#
#   make conformance                      every case twice (the second pass hits the policy cache)
#   make conformance CONF_FLAGS=--once    every case once
#   build/run_conformance --help          the runner's own options
#
# The corpus comes from ../shared/conformance (see tests/conformance/README.md).

CONF_DIR   := tests/conformance
CONF_FILES := $(CONF_DIR)/vectors.jsonl $(CONF_DIR)/random-1.part1.jsonl.gz \
              $(CONF_DIR)/random-1.part2.jsonl.gz
CONF_FILES += $(CONF_DIR)/boundary.jsonl
CONF_FLAGS ?= --twice

.PHONY: conformance

build/run_conformance: $(CONF_DIR)/run_conformance.c | deps
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< $$(pkg-config --cflags --libs sqlite3)

conformance: all build/run_conformance
	build/run_conformance $(CONF_FLAGS) --ext $(IAM_EXT) $(CONF_FILES)

TEST_TARGETS += conformance

# iam_explain's verdict equals iam_decision on every case.
.PHONY: explain-check
explain-check: all
	tests/conformance/explain_check.sh

TEST_TARGETS += explain-check

# The whole-request corpus (tests/conformance/authorization/): iam_authorize and the
# iam_decision/iam_allows object form, twice, and iam_explain's verdict on every case.
AUTHZ_FILES := $(CONF_DIR)/authorization/vectors.jsonl $(CONF_DIR)/authorization/random-1.jsonl.gz

.PHONY: conformance-authz

build/run_authz: $(CONF_DIR)/run_authz.c | deps
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< $$(pkg-config --cflags --libs sqlite3)

conformance-authz: all build/run_authz
	build/run_authz --explain --ext $(IAM_EXT) $(AUTHZ_FILES)

TEST_TARGETS += conformance-authz
