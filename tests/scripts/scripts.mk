# SPDX-License-Identifier: MIT
# tests/scripts/scripts.mk: the scripts as tools, included by the top Makefile.
#
#   make scripts-test   tests/scripts/run.sh: --help, -h, --version and an unknown option for every
#                       script; names with spaces, newlines and leading dashes; TMPDIR and IAM_EXT
#                       with spaces; a missing sqlite3 or catalog named; npm's own error shown
#   make lint-sh        shellcheck on every shell script (part of make lint)

.PHONY: scripts-test lint-sh

scripts-test: all catalog
	tests/scripts/run.sh

lint-sh:
	shellcheck -x scripts/*.sh tests/lib.sh tests/*/*.sh .ci/run

lint: lint-sh

TEST_TARGETS += scripts-test
