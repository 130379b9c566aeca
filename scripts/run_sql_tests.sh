#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Golden SQL tests (style.md §2.9): run each tests/sql/*.sql through the sqlite3 shell with the
# extension loaded and compare its output (stdout and stderr, error messages included) with the
# matching .expected file.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
IAM_EXT=${IAM_EXT:-./dist/iam}
lib_init run_sql_tests

usage() {
  cat << EOF2
Usage: scripts/run_sql_tests.sh [OPTIONS] [tests/sql/NN-topic.sql ...]
Run each golden SQL test (default: every tests/sql/*.sql) through the sqlite3 shell with the
extension loaded, and compare its output, errors included, with NN-topic.expected. A full run
also checks the file names: NN-topic.sql, each number once. The last line is "N passed,
N failed".

Options:
  -h, --help      this help
  --version       the version

Environment: SQLITE3 (sqlite3), IAM_EXT (./dist/iam), UPDATE=1 (rewrite the .expected files
from the actual output: review the diff), VALGRIND=1 (each shell under valgrind; a valgrind
error fails the file).

Exit status:
  0  every test passed
  1  a test failed, or there is none to run
  2  usage: an unknown option
  4  missing: the extension (make)
EOF2
}
files=()
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; files+=("$@"); break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) files+=("$1") ;;
  esac
  shift
done
# Files from the caller's folder, shown relative to the repository root when inside it.
for i in "${!files[@]}"; do
  f=${files[i]}
  [ -f "$f" ] || usage_error "no test file $(shown "$f")"
  case $f in /*) ;; *) f=$PWD/$f ;; esac
  files[i]=${f#"$ROOT"/}
done
cd "$ROOT"
UPDATE=${UPDATE:-0}
VALGRIND=${VALGRIND:-0}
TEST_DIR=tests/sql
full_run=0
if [ "${#files[@]}" -eq 0 ]; then
  full_run=1
  shopt -s nullglob
  files=("$TEST_DIR"/*.sql)
  shopt -u nullglob
fi

if [ "${#files[@]}" -eq 0 ]; then
  echo "0 passed, 0 failed"
  echo "run_sql_tests: no SQL tests found in $TEST_DIR" >&2
  exit 1
fi

need_sqlite3
[ -e "$IAM_EXT" ] || [ -e "$IAM_EXT.so" ] || die 4 "the extension $(shown "$IAM_EXT").so is not built (run make, or set IAM_EXT)"

vg=()
if [ "$VALGRIND" = 1 ]; then
  vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
    --keep-debuginfo=yes)
fi

tmpdir=
temp_dir tmpdir

echo "run_sql_tests: for each FILE.sql: stdbuf -o0 ${vg[*]:+${vg[*]} --log-file=LOG }$SQLITE3 -batch :memory: -cmd \".load $IAM_EXT\" < FILE.sql 2>&1 | diff -u FILE.expected -"

passed=0
failed=0

# The files are named one way, NN-topic.sql, with no number used twice (checked on a full run).
if [ "$full_run" = 1 ]; then
  bad=$(for f in "${files[@]}"; do basename "$f"; done |
    awk '!/^[0-9][0-9]-[a-z0-9]+(-[a-z0-9]+)*\.sql$/ { print "not NN-topic.sql: " $0; next }
         { n = substr($0, 1, 2); if (n in seen) print "number " n " used twice: " seen[n] ", " $0; seen[n] = $0 }')
  if [ -n "$bad" ]; then
    echo "FAIL $TEST_DIR: file names"
    printf '%s\n' "$bad" | sed 's/^/       /'
    failed=$((failed + 1))
  else
    echo "ok   $TEST_DIR: every file is NN-topic.sql, each number once"
    passed=$((passed + 1))
  fi
fi

for sql in "${files[@]}"; do
  expected="${sql%.sql}.expected"
  actual="$tmpdir/actual"
  log="$tmpdir/valgrind.log"
  : >"$log"
  rc=0
  if [ "$VALGRIND" = 1 ]; then
    stdbuf -o0 "${vg[@]}" --log-file="$log" "$SQLITE3" -batch :memory: -cmd ".load $(dot_quote "$IAM_EXT")" \
      <"$sql" >"$actual" 2>&1 || rc=$?
  else
    # The shell exits 1 after a runtime error; errors are part of the golden output.
    stdbuf -o0 "$SQLITE3" -batch :memory: -cmd ".load $(dot_quote "$IAM_EXT")" <"$sql" >"$actual" 2>&1 || rc=$?
  fi

  ok=1
  if [ "$VALGRIND" = 1 ]; then
    if [ "$rc" -eq 99 ]; then
      echo "FAIL $sql: valgrind reported errors:"
      cat "$log"
      ok=0
    elif [ -s "$log" ]; then
      echo "note $sql: valgrind output (not counted as an error):"
      cat "$log"
    fi
  fi

  if [ "$UPDATE" = 1 ]; then
    if [ ! -f "$expected" ] || ! cmp -s "$expected" "$actual"; then
      cp "$actual" "$expected"
      echo "updated $expected"
    fi
  elif [ ! -f "$expected" ]; then
    echo "FAIL $sql: missing $expected (run with UPDATE=1 to create it)"
    ok=0
  elif ! diff -u --label "$expected" --label "actual output" "$expected" "$actual"; then
    echo "FAIL $sql: output differs from $expected"
    ok=0
  fi

  if [ "$ok" = 1 ]; then
    echo "ok   $sql"
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
