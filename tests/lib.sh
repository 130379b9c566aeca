# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# tests/lib.sh: what the shell test suites share. Sourced, not run:
#
#   . "$(dirname "$0")/../lib.sh"        (first thing in tests/<suite>/run.sh)
#
# Leaves the shell in the repository root with `set -euo pipefail`, and sets
#   SQLITE3, IAM_EXT   the shell and the extension (exported; defaults sqlite3 and dist/iam,
#                      made absolute so that tests may change folder)
#   WORK               a scratch directory, removed on exit (with every process started by bg)
#   HAVE_EXT           1 when the extension loads and answers, else 0
# and defines
#   ok NAME / fail NAME [DETAIL...] / skip NAME WHY     count one test and print its line
#   expect NAME EXPECTED ACTUAL                          ok when ACTUAL = EXPECTED
#   expect_grep NAME PATTERN FILE                        ok when FILE has a line matching PATTERN
#                                                        (grep -E); else shows the file's end
#   expect_sql NAME DB SQL EXPECTED                      the query's output (list mode, errors
#                                                        included, extension loaded) = EXPECTED
#   q ARGS...                                            sqlite3 -batch -bail ARGS
#   qx ARGS...                                           the same with the extension loaded
#   bg CMD...                                            run CMD in the background in its own
#                                                        process group; its pid is $BG_PID
#   finish                                               print "N passed, N failed, N skipped"
#                                                        and exit 1 if any failed
# Output: one line per test, "ok   NAME", "FAIL NAME" (then the details, indented) or
# "skip NAME (WHY)"; the last line is the summary.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
# The quoting helpers of the scripts (dot_quote, sql_quote, db_arg, shown).
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

SQLITE3=${SQLITE3:-sqlite3}
IAM_EXT=${IAM_EXT:-dist/iam}
case $IAM_EXT in /*) ;; *) IAM_EXT=$ROOT/${IAM_EXT#./} ;; esac
export SQLITE3 IAM_EXT
export HAVE_EXT=0   # set below; read by the suites

tests_passed=0
tests_failed=0
tests_skipped=0
BG_PIDS=()

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sqlite-iam-test.XXXXXX")
tests_cleanup() {
  local pid
  for pid in "${BG_PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  rm -rf -- "$WORK"
}
trap tests_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ok() {
  tests_passed=$((tests_passed + 1))
  printf 'ok   %s\n' "$1"
}
fail() {
  tests_failed=$((tests_failed + 1))
  printf 'FAIL %s\n' "$1"
  shift
  if [ $# -gt 0 ]; then printf '       %s\n' "$@"; fi
}
skip() {
  tests_skipped=$((tests_skipped + 1))
  printf 'skip %s (%s)\n' "$1" "$2"
}
expect() {
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected: $2" "got:      $3"; fi
}
expect_grep() {
  if grep -qE -- "$2" "$3"; then ok "$1"; else
    fail "$1" "no line matching: $2" "$(tail -n 8 "$3")"
  fi
}
q() { "$SQLITE3" -batch -bail "$@"; }
qx() { "$SQLITE3" -batch -bail -cmd ".load $(dot_quote "$IAM_EXT")" "$@"; }
expect_sql() {
  local got
  got=$(printf '%s\n' "$3" | qx "$2" 2>&1) || true
  expect "$1" "$4" "$got"
}
bg() {
  setsid "$@" &
  BG_PID=$!
  BG_PIDS+=("$BG_PID")
}
finish() {
  echo "$tests_passed passed, $tests_failed failed, $tests_skipped skipped"
  [ "$tests_failed" -eq 0 ]
}



if qx :memory: "SELECT iam_allows('{\"Statement\":[]}', 'a:b', '*')" > /dev/null 2>&1; then
  HAVE_EXT=1
fi
