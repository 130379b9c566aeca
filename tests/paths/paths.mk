# SPDX-License-Identifier: MIT
# tests/paths/paths.mk: privilege-escalation paths, included by the top Makefile, which provides
# SQLITE3, IAM_EXT (exported) and the targets `all` and `catalog`.
#
#   make paths-test   tests/paths/run.sh: the fixture accounts of tests/paths/fixtures/ in the
#                     fixture organization (the exact edges, paths and non-paths, the flips, the
#                     explained requests, the editable rules, the reports, build-paths.sh as a
#                     tool) and figures of the shared GAAD sample when ../shared is there
#   make paths-demo   import them into build/paths-demo.db, build the graph (eu-west-1) and print
#                     who can become admin and how (all reports in build/paths-demo-report/)
#   make bench-paths  edges/s and the closure time for 1, 10 and 50 accounts of 500 principals
#                     (scripts/bench-paths.sh; not part of make test)

PATHS_DEMO_DB := build/paths-demo.db
PATHS_FX := tests/paths/fixtures

.PHONY: paths-test paths-demo bench-paths

paths-test: all catalog
	tests/paths/run.sh

paths-demo: all catalog
	@mkdir -p build
	rm -f $(PATHS_DEMO_DB)
	CATALOG_DB=catalog.db scripts/import-gaad.sh -q $(PATHS_DEMO_DB) $(PATHS_FX)/gaad-*.json
	scripts/import-org.sh -q $(PATHS_DEMO_DB) tests/org/fixtures/org 2> /dev/null
	scripts/build-paths.sh -q --region eu-west-1 $(PATHS_DEMO_DB)
	@echo
	@echo "== escalation paths of the fixture organization (tests/paths/fixtures in tests/org/fixtures/org)"
	$(SQLITE3) -batch -bail -cmd ".load $(IAM_EXT)" $(PATHS_DEMO_DB) \
	  "SELECT printf('%d hop%s  %s', hops, CASE hops WHEN 1 THEN ' ' ELSE 's' END, path) FROM inv_admin_path ORDER BY hops, src"
	@echo
	PRINT_SKIP='[1-8][0-4]-*' PRINT_ROWS=30 CATALOG_DB=catalog.db scripts/report.sh -q --print $(PATHS_DEMO_DB) build/paths-demo-report
	@echo "all reports (80-escalation-paths with each hop's policies and the path as JSON, ...): build/paths-demo-report/"

bench-paths: all catalog
	scripts/bench-paths.sh

TEST_TARGETS += paths-test
DEMO_TARGETS += paths-demo
