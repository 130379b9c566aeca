#!/usr/bin/env bash
# Golden SQL tests (style.md §2.9): run each tests/sql/*.sql through the sqlite3
# shell with the extension loaded and compare its output (stdout and stderr,
# error messages included) with the matching .expected file.
#
# Usage: scripts/run_sql_tests.sh [tests/sql/NAME.sql ...]   (default: all of tests/sql/*.sql)
#   SQLITE3=sqlite3       the shell to run
#   IAM_EXT=./dist/iam    the extension to .load
#   UPDATE=1              rewrite the .expected files from the actual output (review the diff!)
#   VALGRIND=1            run each shell under valgrind; a valgrind error fails the file
#
# The last line is "N passed, N failed" (N = files); the exit status is non-zero
# on any failure, and when there is no test to run.
set -euo pipefail
cd "$(dirname "$0")/.."

SQLITE3=${SQLITE3:-sqlite3}
IAM_EXT=${IAM_EXT:-./dist/iam}
UPDATE=${UPDATE:-0}
VALGRIND=${VALGRIND:-0}
TEST_DIR=tests/sql

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  shopt -s nullglob
  files=("$TEST_DIR"/*.sql)
  shopt -u nullglob
fi

if [ "${#files[@]}" -eq 0 ]; then
  echo "0 passed, 0 failed"
  echo "run_sql_tests: no SQL tests found in $TEST_DIR" >&2
  exit 1
fi

if [ ! -e "$IAM_EXT" ] && [ ! -e "$IAM_EXT.so" ]; then
  echo "run_sql_tests: extension not found: $IAM_EXT (.so); run make first" >&2
  exit 1
fi

vg=()
if [ "$VALGRIND" = 1 ]; then
  vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
    --keep-debuginfo=yes)
fi

tmpdir=$(mktemp -d)
trap 'rm -rf "$tmpdir"' EXIT

echo "run_sql_tests: for each FILE.sql: stdbuf -o0 ${vg[*]:+${vg[*]} --log-file=LOG }$SQLITE3 -batch :memory: -cmd \".load $IAM_EXT\" < FILE.sql 2>&1 | diff -u FILE.expected -"

passed=0
failed=0

# The files are named one way, NN-topic.sql, with no number used twice (checked on a full run).
if [ "$#" -eq 0 ]; then
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
    stdbuf -o0 "${vg[@]}" --log-file="$log" "$SQLITE3" -batch :memory: -cmd ".load $IAM_EXT" \
      <"$sql" >"$actual" 2>&1 || rc=$?
  else
    # The shell exits 1 after a runtime error; errors are part of the golden output.
    stdbuf -o0 "$SQLITE3" -batch :memory: -cmd ".load $IAM_EXT" <"$sql" >"$actual" 2>&1 || rc=$?
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
