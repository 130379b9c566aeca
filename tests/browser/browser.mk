# SPDX-License-Identifier: MIT
# tests/browser/browser.mk: report.html in a real browser, included by the top Makefile.
#
#   make browser-test   tests/browser/run.sh: headless Chromium renders the reports (the demo
#                       account, hostile names, and with ../shared the shared GAAD sample and 10
#                       accounts shaped like it), runs report.html#selftest, checks the rendered
#                       DOM, and writes screenshots to build/browser-test/.
#
# Chromium is installed when missing (scripts/ensure-deps.sh chromium: as root, from Debian's
# packages). When it cannot be, the suite says so and skips; in CI (CI=true) that is a failure.

.PHONY: browser-test

browser-test: all catalog
	@scripts/ensure-deps.sh -q chromium || { \
	  if [ "$(CI)" = true ]; then echo "browser-test: chromium could not be installed, and CI needs it" >&2; exit 1; fi; \
	  echo "browser-test: chromium could not be installed (see above); the browser test will say so and skip" >&2; }
	tests/browser/run.sh

TEST_TARGETS += browser-test
