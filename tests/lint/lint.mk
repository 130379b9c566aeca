# tests/lint/lint.mk: linting and new access, included by the top Makefile, which provides
# SQLITE3, IAM_EXT (exported) and the targets `all`, `catalog` and `catalog-full`.
#
#   make lint-test     tests/lint/run.sh: every version of the default catalog lints without an
#                      error, iam_policy_error and iam_new_access on the catalog, the reports,
#                      scripts/lint.sh on files and a GAAD export (part of make test, offline)
#   make lint-full     the same checks on catalog-full.db (6,194 versions; needs the npm
#                      registry once, for catalog-full), with the figures of scripts/bench-lint.sh
#   make lint-report   lint the default catalog into lint_policy_finding (sql/lint/catalog.sql)
#                      and the demo inventory into inv_lint_finding (sql/lint/inventory.sql)
#   make bench-lint    scripts/bench-lint.sh on catalog-full.db: the linter's figures beside
#                      SQLite's floor
# (`make lint` is the style check of the sources: clang-format, cppcheck, shellcheck.)

.PHONY: lint-test lint-full lint-report bench-lint

lint-test: all catalog
	tests/lint/run.sh catalog.db

lint-full: all catalog-full
	tests/lint/run.sh catalog-full.db
	scripts/bench-lint.sh catalog-full.db

lint-report: all catalog
	$(SQLITE3) -batch -cmd ".load $(IAM_EXT)" catalog.db < sql/lint/catalog.sql
	@mkdir -p build
	rm -f build/lint-inventory.db
	CATALOG_DB=catalog.db scripts/import-gaad.sh build/lint-inventory.db tests/inventory/fixtures/demo-account.json
	$(SQLITE3) -batch -cmd ".load $(IAM_EXT)" -cmd "ATTACH 'file:catalog.db?mode=ro' AS catalog" \
	  build/lint-inventory.db < sql/lint/inventory.sql

bench-lint: all catalog-full
	scripts/bench-lint.sh catalog-full.db

TEST_TARGETS += lint-test
