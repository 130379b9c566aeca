#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/conformance/explain_check.sh: iam_explain() against iam_decision() on the whole
# conformance corpus (its verdict always equals iam_decision).
#
# For every case whose expected answer is not Error, one query checks that
#   - the decision column of iam_explain equals iam_decision (no rows: ImplicitDeny),
#   - the decision recomputed from the rows (any applicable Deny, else any applicable
#     Allow) is the same,
#   - exactly one row is decisive when the decision is not ImplicitDeny (none otherwise),
#     and its effect fits the decision,
#   - applies = action_matched AND resource_matched AND conditions_matched,
#   - reason is NULL exactly on applicable rows, missing_keys is NULL or a JSON array.
# For every Error case, iam_decision and iam_explain must both raise an error with the same
# message (after the "fn(): " prefix); each such case runs as its own statement.
#
# Usage: tests/conformance/explain_check.sh [case files...]   (default: the whole corpus)
# Env:   SQLITE3 (default sqlite3), IAM_EXT (default ./dist/iam).
# Output: failing case ids, then "N passed, N failed"; exit status 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

SQLITE3=${SQLITE3:-sqlite3}
IAM_EXT=${IAM_EXT:-./dist/iam}
if [ "$#" -eq 0 ]; then
  set -- tests/conformance/vectors.jsonl tests/conformance/random-1.part1.jsonl.gz \
    tests/conformance/random-1.part2.jsonl.gz
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in "$@"; do
  case "$f" in
    *.gz) gzip -dc "$f" ;;
    *) cat "$f" ;;
  esac
done >"$tmp/cases.jsonl"

# Load the cases: JSON Lines -> one JSON array -> rows. Then the bulk check, and the
# script of per-case statements for the Error cases.
echo "+ $SQLITE3 (load $(wc -l <"$tmp/cases.jsonl") cases, check non-Error cases)" >&2
"$SQLITE3" -batch "$tmp/cases.db" -cmd ".load $IAM_EXT" >"$tmp/bulk.out" <<EOF
.bail on
.mode list
.headers off
CREATE TABLE cases AS
SELECT j.value ->> '\$.id' AS id, j.value -> '\$.policies' AS policies,
       j.value ->> '\$.action' AS action, j.value ->> '\$.resource' AS resource,
       j.value -> '\$.context' AS context, j.value ->> '\$.expected' AS expected
FROM json_each((SELECT '[' || replace(rtrim(CAST(readfile('$tmp/cases.jsonl') AS TEXT), char(10)),
                                      char(10), ',') || ']')) AS j;
CREATE TABLE result AS
SELECT id, got, want, got IS want AS ok
FROM (SELECT c.id,
             (SELECT coalesce(max(decision), 'ImplicitDeny')
                     || '|' || CASE WHEN max(applies AND effect = 'Deny') THEN 'ExplicitDeny'
                                    WHEN max(applies AND effect = 'Allow') THEN 'Allow'
                                    ELSE 'ImplicitDeny' END
                     || '|' || count(*) FILTER (WHERE decisive)
                     || '|' || coalesce(max(CASE WHEN decisive AND applies THEN effect END), '-')
                     || '|' || count(*) FILTER (WHERE applies IS NOT
                                                (action_matched AND resource_matched
                                                 AND conditions_matched))
                     || '|' || count(*) FILTER (WHERE (reason IS NULL) IS NOT applies)
                     || '|' || count(*) FILTER (WHERE missing_keys IS NOT NULL
                                                AND json_type(missing_keys) IS NOT 'array')
              FROM iam_explain(c.policies, c.action, c.resource, c.context)) AS got,
             d || '|' || d || '|' || (d <> 'ImplicitDeny')
               || '|' || CASE d WHEN 'Allow' THEN 'Allow' WHEN 'ExplicitDeny' THEN 'Deny' ELSE '-' END
               || '|0|0|0' AS want
      FROM (SELECT *, iam_decision(policies, action, resource, context) AS d FROM cases
            WHERE expected IS NOT 'Error') AS c);
SELECT 'FAIL ' || id || ': explain ' || got || ', expected ' || want FROM result WHERE NOT ok;
SELECT 'BULK ' || count(*) FILTER (WHERE ok) || ' ' || count(*) FILTER (WHERE NOT ok) FROM result;
.output $tmp/errors.sql
SELECT '.print CASE ' || id || char(10)
       || 'SELECT iam_decision(' || quote(policies) || ', ' || quote(action) || ', '
       || quote(resource) || ', ' || quote(context) || ');' || char(10)
       || 'SELECT count(*) FROM iam_explain(' || quote(policies) || ', ' || quote(action) || ', '
       || quote(resource) || ', ' || quote(context) || ');'
FROM cases WHERE expected IS 'Error';
EOF

bulk=$(grep '^BULK ' "$tmp/bulk.out" || true)
if [ -z "$bulk" ]; then
  echo "explain_check: the bulk query failed" >&2
  cat "$tmp/bulk.out" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
grep '^FAIL ' "$tmp/bulk.out" || true
read -r _ bulk_pass bulk_fail <<<"$bulk"

# Error cases: each prints "CASE id", then the two errors; they must both be errors with
# the same message once "Runtime error near line N: fn(): " is removed.
echo "+ $SQLITE3 (Error cases, one statement each)" >&2
# The shell exits with 1 after errors: expected here.
stdbuf -o0 "$SQLITE3" -batch :memory: -cmd ".load $IAM_EXT" <"$tmp/errors.sql" >"$tmp/errors.out" 2>&1 ||
  true
err_counts=$(awk '
    function finish() {
      if (id == "") return
      if (n == 2 && e[1] && e[2] && m[1] == m[2]) pass++
      else { fail++; print "FAIL " id ": iam_decision: " raw[1] " / iam_explain: " raw[2] > "/dev/stderr" }
    }
    /^CASE / { finish(); id = $2; n = 0; next }
    {
      n++; raw[n] = $0; e[n] = ($0 ~ /^(Runtime|Parse) error/)
      msg = $0
      sub(/^(Runtime|Parse) error near line [0-9]+: /, "", msg)
      sub(/^iam_(decision|explain)\(\): /, "", msg)
      m[n] = msg
    }
    END { finish(); print pass + 0, fail + 0 }' "$tmp/errors.out")
read -r err_pass err_fail <<<"$err_counts"

passed=$((bulk_pass + err_pass))
failed=$((bulk_fail + err_fail))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
