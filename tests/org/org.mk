# SPDX-License-Identifier: MIT
# tests/org/org.mk: the organization and resource policies, included by the top Makefile, which
# provides SQLITE3, IAM_EXT (exported) and the targets `all` and `catalog`.
#
#   make org-test   tests/org/run.sh: the fixture organization of tests/org/fixtures/ (imports,
#                   broken copies, who can reach what and the cases that flip, the reports,
#                   why-denied on decoded messages)
#   make org-demo   import the fixture organization (its accounts' GAAD files, the organization,
#                   the resource policies, its questions) into build/org-demo.db and print the
#                   org-who-can and outside-access reports (all reports, CSV and HTML, in
#                   build/org-demo-report/), then explain one denied request

ORG_DEMO_DB := build/org-demo.db
ORG_FX := tests/org/fixtures

.PHONY: org-test org-demo

org-test: all catalog
	tests/org/run.sh

org-demo: all catalog
	@mkdir -p build
	rm -f $(ORG_DEMO_DB)
	CATALOG_DB=catalog.db scripts/import-gaad.sh -q $(ORG_DEMO_DB) $(ORG_FX)/gaad-*.json
	scripts/import-org.sh -q $(ORG_DEMO_DB) $(ORG_FX)/org
	scripts/import-resource-policies.sh -q $(ORG_DEMO_DB) \
	  --arn arn:aws:s3:::acme-prod-data --account 100000000003 $(ORG_FX)/resources/s3api-get-bucket-policy-acme-prod-data.json \
	  --arn arn:aws:s3:::acme-org-logs --account 100000000002 $(ORG_FX)/resources/s3api-get-bucket-policy-acme-org-logs.json \
	  --arn arn:aws:kms:eu-west-1:100000000003:key/1f3b9c2e-7a41-4d8e-9b0a-5c6d7e8f9a01 $(ORG_FX)/resources/kms-get-key-policy-prod-data-key.json \
	  --arn arn:aws:ecr:eu-west-1:100000000004:repository/app $(ORG_FX)/resources/ecr-get-repository-policy-app.json \
	  $(ORG_FX)/resources/sqs-get-queue-attributes-orders.json $(ORG_FX)/resources/sqs-get-queue-attributes-scratch.json \
	  $(ORG_FX)/resources/sns-get-topic-attributes-build-events.json $(ORG_FX)/resources/lambda-get-policy-build-hook.json \
	  $(ORG_FX)/resources/secretsmanager-get-resource-policy-sandbox-db.json $(ORG_FX)/resources/generic.json
	$(SQLITE3) $(ORG_DEMO_DB) < $(ORG_FX)/questions.sql
	scripts/build-paths.sh -q --region eu-west-1 $(ORG_DEMO_DB) > /dev/null
	PRINT_SKIP='@([1-6]*|8*)' PRINT_ROWS=60 CATALOG_DB=catalog.db scripts/report.sh --print $(ORG_DEMO_DB) build/org-demo-report
	@echo
	@echo "== why-denied: $(ORG_FX)/messages/run-instances-analytics.json"
	scripts/why-denied.sh -q $(ORG_DEMO_DB) $(ORG_FX)/messages/run-instances-analytics.json

TEST_TARGETS += org-test
DEMO_TARGETS += org-demo

# make bench-org: generated organizations of 1, 10 and 100 accounts x 500 users and roles: import,
# who-can with 20 questions, every report (scripts/bench-org.sh; sql/README.md "Scale"). Larger:
# scripts/bench-org.sh 1 10 100 1000; the per-account path: scripts/bench-org.sh -j 2 ...
.PHONY: bench-org
bench-org: all catalog
	scripts/bench-org.sh
