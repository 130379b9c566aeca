# SPDX-License-Identifier: MIT
# tests/inventory/inventory.mk: the account inventory, included by the top Makefile,
# which provides SQLITE3, IAM_EXT (exported) and the targets `all` and `catalog`.
#
#   make inventory-test   tests/inventory/run.sh: the fixtures of tests/inventory/fixtures/,
#                         failing imports, reports, and the shared GAAD sample when ../shared exists
#   make dedupe-test      tests/inventory/dedupe.sh: the reports that decide each distinct policy
#                         set once give what deciding every principal gives (a generated
#                         organization, and the shared GAAD sample when ../shared exists)
#   make inventory-demo   import the demo account (tests/inventory/fixtures/demo-account.json)
#                         into build/inventory-demo.db and print its reports (CSV and HTML in
#                         build/inventory-demo-report/)

INVENTORY_DEMO_DB := build/inventory-demo.db

.PHONY: inventory-test inventory-demo dedupe-test

inventory-test: all catalog
	tests/inventory/run.sh

dedupe-test: all catalog
	tests/inventory/dedupe.sh

inventory-demo: all catalog
	@mkdir -p build
	CATALOG_DB=catalog.db scripts/import-gaad.sh $(INVENTORY_DEMO_DB) tests/inventory/fixtures/demo-account.json
	$(SQLITE3) $(INVENTORY_DEMO_DB) < tests/inventory/fixtures/demo-questions.sql
	scripts/build-paths.sh -q $(INVENTORY_DEMO_DB) > /dev/null
	PRINT_SKIP='31-*' scripts/report.sh --print $(INVENTORY_DEMO_DB) build/inventory-demo-report

TEST_TARGETS += inventory-test dedupe-test
DEMO_TARGETS += inventory-demo

# make bench-report: import and report time for 1, 10 and 100 accounts shaped like the shared
# GAAD sample (scripts/bench-report.sh; needs ../shared).
.PHONY: bench-report
bench-report: all catalog
	scripts/bench-report.sh
