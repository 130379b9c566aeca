#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Catalog tests: the schema's constraints, the built default catalog, the seed
# documents of the ECS managed-policy page, and the all-or-nothing behaviour of the build.
#
# Usage: tests/catalog/run.sh        (make catalog-test builds dist/iam.so and catalog.db first)
# Environment: SQLITE3 (default sqlite3), IAM_EXT (default dist/iam), CATALOG_DB (default
#   catalog.db), SEED (default ../shared/seeds/000_d53727611af0f64a.txt; used when present,
#   else only the copies in catalog/seed-documents/ are checked), CATALOG_FULL_DB (default
#   catalog-full.db; checked when present), REQUIRE_FULL=1 (a missing CATALOG_FULL_DB fails
#   instead of skipping its checks: make test-full).
# Tests that need the extension are skipped when ${IAM_EXT}.so does not exist.
# Last line: "N passed, N failed, N skipped"; the exit status is 1 if any test failed.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

CATALOG_DB=${CATALOG_DB:-catalog.db}
CATALOG_FULL_DB=${CATALOG_FULL_DB:-catalog-full.db}
SEED=${SEED:-../shared/seeds/000_d53727611af0f64a.txt}

build_env=()
[ "$HAVE_EXT" = 1 ] || build_env=(IAM_CHECK=skip)
echo "# catalog tests: sqlite3 $("$SQLITE3" --version | cut -d' ' -f1), extension: $([ "$HAVE_EXT" = 1 ] && echo "$IAM_EXT" || echo "not built (tests that need it are skipped)")"

# SQL for "JSON a equals JSON b": the same (path, type, atom) leaves and containers, so
# member order does not matter but array order does.
json_eq() {
  printf '(NOT EXISTS (SELECT fullkey, type, atom FROM json_tree(%s) EXCEPT SELECT fullkey, type, atom FROM json_tree(%s))
  AND NOT EXISTS (SELECT fullkey, type, atom FROM json_tree(%s) EXCEPT SELECT fullkey, type, atom FROM json_tree(%s))
  AND (SELECT count(*) FROM json_tree(%s)) = (SELECT count(*) FROM json_tree(%s)))' "$1" "$2" "$2" "$1" "$1" "$2"
}

###############################################################################
echo "# schema (sql/catalog/schema.sql)"
schema_db=$WORK/schema.db
q "$schema_db" < sql/catalog/schema.sql
expect "schema: PRAGMA user_version is 1" 1 "$(q "$schema_db" 'PRAGMA user_version')"
if q "$schema_db" < sql/catalog/schema.sql 2>"$WORK/err"; then ok "schema: applying it twice is harmless"; else fail "schema: applying it twice" "$(cat "$WORK/err")"; fi

good_rows="PRAGMA foreign_keys = ON; BEGIN;
INSERT INTO policy (policy_id, name, path, arn, kind, attachable, created_date, last_updated_date, versions_reported, default_version_id)
VALUES (1, 'P', '/service-role/', 'arn:aws:iam::aws:policy/service-role/P', 'service-role', 1, '2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z', 3, 'v3');
INSERT INTO policy_version (policy_id, version_id, created_date, date_source, source_created_date, is_default, document) VALUES
 (1, 'v1', '2020-01-01T00:00:00Z', 'version', '2020-01-01T00:00:00Z', 0, '{\"Version\":\"2012-10-17\",\"Statement\":[]}'),
 (1, 'v3', NULL, 'unknown', '2020-01-01T00:00:00Z', 1, '{\"Version\":\"2012-10-17\",\"Statement\":[]}');
INSERT INTO change_log (change_date, policy_name, change_kind, summary) VALUES ('2020-01-02', 'P', 'permissions-added', 'x');
COMMIT;"
if q "$schema_db" "$good_rows" 2>"$WORK/err"; then ok "schema: accepts valid rows (versions v1 and v3: gaps allowed)"; else fail "schema: accepts valid rows" "$(cat "$WORK/err")"; fi

# reject NAME SQL PATTERN: SQL on a copy of the valid database must fail with PATTERN.
reject() {
  cp "$schema_db" "$WORK/reject.db"
  if q "$WORK/reject.db" "PRAGMA foreign_keys = ON; BEGIN; $2; COMMIT;" >/dev/null 2>"$WORK/err"; then
    fail "schema rejects $1" "the statement succeeded: $2"
  elif grep -q "$3" "$WORK/err"; then
    ok "schema rejects $1"
  else
    fail "schema rejects $1" "expected an error matching '$3'" "got: $(cat "$WORK/err")"
  fi
}
V="INSERT INTO policy_version (policy_id, version_id, created_date, date_source, is_default, document) VALUES"
reject "a version of a missing policy (FK)" "$V (99, 'v1', NULL, 'unknown', 0, '{}')" "FOREIGN KEY constraint failed"
reject "a document that is not JSON" "$V (1, 'v4', NULL, 'unknown', 0, '{\"Statement\": [')" "CHECK constraint failed"
reject "a document that is not an object" "$V (1, 'v4', NULL, 'unknown', 0, '[1]')" "CHECK constraint failed"
reject "version id 'V4'" "$V (1, 'V4', NULL, 'unknown', 0, '{}')" "CHECK constraint failed"
reject "version id 'v0'" "$V (1, 'v0', NULL, 'unknown', 0, '{}')" "CHECK constraint failed"
reject "version id 'v4a'" "$V (1, 'v4a', NULL, 'unknown', 0, '{}')" "CHECK constraint failed"
reject "a duplicate version" "$V (1, 'v1', NULL, 'unknown', 0, '{}')" "UNIQUE constraint failed"
reject "a second default version" "$V (1, 'v4', NULL, 'unknown', 1, '{}')" "UNIQUE constraint failed"
reject "a date that is not ISO-8601" "$V (1, 'v4', '2020-01-05 00:00:00', 'version', 0, '{}')" "CHECK constraint failed"
reject "an impossible date" "$V (1, 'v4', '2020-13-05T00:00:00Z', 'version', 0, '{}')" "CHECK constraint failed"
reject "a date with date_source 'unknown'" "$V (1, 'v4', '2020-01-05T00:00:00Z', 'unknown', 0, '{}')" "CHECK constraint failed"
reject "no date with date_source 'version'" "$V (1, 'v4', NULL, 'version', 0, '{}')" "CHECK constraint failed"
reject "a default version that is not stored (deferred FK)" "UPDATE policy SET default_version_id = 'v2'" "FOREIGN KEY constraint failed"
P="INSERT INTO policy (name, path, arn, kind, attachable, default_version_id) VALUES"
reject "an ARN that does not match path and name" "$P ('Q', '/', 'arn:aws:iam::aws:policy/service-role/Q', 'aws-managed', 1, 'v1')" "CHECK constraint failed"
reject "an unknown kind" "$P ('Q', '/', 'arn:aws:iam::aws:policy/Q', 'custom', 1, 'v1')" "CHECK constraint failed"
reject "a path without slashes" "$P ('Q', 'x', 'arn:aws:iam::aws:policyxQ', 'aws-managed', 1, 'v1')" "CHECK constraint failed"
reject "a duplicate policy name" "$P ('P', '/', 'arn:aws:iam::aws:policy/P', 'aws-managed', 1, 'v1')" "UNIQUE constraint failed"
C="INSERT INTO change_log (change_date, policy_name, change_kind, summary) VALUES"
reject "a change-log entry for an unknown policy (FK)" "$C ('2020-01-01', 'Nope', 'other', 'x')" "FOREIGN KEY constraint failed"
reject "a change-log entry with a bad date" "$C ('2020-02-30', 'P', 'other', 'x')" "CHECK constraint failed"
reject "a change-log entry with an unknown kind" "$C ('2020-01-01', 'P', 'renamed', 'x')" "CHECK constraint failed"
reject "an empty change-log summary" "$C ('2020-01-01', 'P', 'other', '')" "CHECK constraint failed"
cp "$schema_db" "$WORK/cascade.db"
expect "schema: deleting a policy deletes its versions (ON DELETE CASCADE)" 0 \
  "$(q "$WORK/cascade.db" "PRAGMA foreign_keys = ON; DELETE FROM change_log; DELETE FROM policy; SELECT count(*) FROM policy_version;")"
expect "schema: policy_version_span of a policy with an undated default" "v1|2020-01-01T00:00:00Z||0 v3|||0" \
  "$(q "$schema_db" "SELECT version_id, valid_from, valid_until, exact FROM policy_version_span ORDER BY version_num" | tr '\n' ' ' | sed 's/ $//')"

###############################################################################
echo "# default catalog ($CATALOG_DB)"
if [ ! -f "$CATALOG_DB" ]; then
  fail "catalog: $CATALOG_DB exists (run make catalog)"
else
  expect "catalog: user_version 1" 1 "$(q "$CATALOG_DB" 'PRAGMA user_version')"
  expect "catalog: integrity_check" ok "$(q "$CATALOG_DB" 'PRAGMA integrity_check')"
  expect "catalog: no foreign key violations" "" "$(q "$CATALOG_DB" 'PRAGMA foreign_key_check')"
  for key in npm_package npm_version npm_integrity license; do
    expect "catalog: catalog_source.$key matches catalog/SOURCE" \
      "$(awk -F '\t' -v k="$key" '$1 == k { print $2 }' catalog/SOURCE)" \
      "$(q "$CATALOG_DB" "SELECT value FROM catalog_source WHERE key = '$key'")"
  done
  named="AmazonECS_FullAccess AmazonECSInfrastructureRolePolicyForVolumes AmazonEC2ContainerServiceforEC2Role
    AmazonEC2ContainerServiceEventsRole AmazonECSTaskExecutionRolePolicy AmazonECSServiceRolePolicy
    AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity AWSApplicationAutoscalingECSServicePolicy
    AWSCodeDeployRoleForECS AWSCodeDeployRoleForECSLimited"
  missing=()
  for n in $named; do
    c=$(q "$CATALOG_DB" "SELECT count(*) FROM policy_version JOIN policy USING (policy_id) WHERE name = '$n'")
    [ "$c" -ge 1 ] || missing+=("$n")
  done
  expect "catalog: the ten policies named in the seed page are present with versions" "" "${missing[*]}"
  expect "catalog: every policy in catalog/ecs-policies.txt is in set 'ecs'" \
    "$(grep -v '^#' catalog/ecs-policies.txt | grep -c .)" \
    "$(q "$CATALOG_DB" "SELECT count(*) FROM policy_set_member WHERE set_name = 'ecs'")"
  expect "catalog: every version in catalog/policies/ is stored" \
    "$(awk -F '\t' 'NR > 1 { s += $4 } END { print s }' catalog/policies/manifest.tsv)" \
    "$(q "$CATALOG_DB" 'SELECT count(*) FROM policy_version')"
  expect "catalog: latest_policy has one row per policy" \
    "$(q "$CATALOG_DB" 'SELECT count(*) FROM policy')" "$(q "$CATALOG_DB" 'SELECT count(DISTINCT name) FROM latest_policy')"
  expect "catalog: each policy has exactly one default version, its default_version_id" "" \
    "$(q "$CATALOG_DB" "SELECT name FROM policy AS p WHERE (SELECT group_concat(version_id) FROM policy_version AS v
       WHERE v.policy_id = p.policy_id AND is_default) IS NOT default_version_id")"
  expect "catalog: documents are stored minified (document = json(document))" 0 \
    "$(q "$CATALOG_DB" 'SELECT count(*) FROM policy_version WHERE document <> json(document)')"
  expect "catalog: no placeholder date is used as a creation date (only v1 may equal the policy's)" 0 \
    "$(q "$CATALOG_DB" "SELECT count(*) FROM policy_version AS v JOIN policy AS p USING (policy_id)
       WHERE v.version_id <> 'v1' AND v.created_date = p.created_date")"
  expect "catalog: version dates increase with version numbers" 0 \
    "$(q "$CATALOG_DB" 'SELECT count(*) FROM policy_version_span WHERE valid_until < valid_from')"
  expect "catalog: AmazonECSServiceRolePolicy keeps its gaps (18 of 24 versions, v16 absent)" "18|24|0" \
    "$(q "$CATALOG_DB" "SELECT count(*), max(p.versions_reported), sum(v.version_id = 'v16') FROM policy_version AS v
       JOIN policy AS p USING (policy_id) WHERE p.name = 'AmazonECSServiceRolePolicy'")"
  expect "catalog: service-linked policies are not attachable" "service-linked|0" \
    "$(q "$CATALOG_DB" "SELECT kind, attachable FROM policy WHERE name = 'AmazonECSServiceRolePolicy'")"
  expect "catalog: AmazonECS_FullAccess in force at the end of 2023-06-01 is v20 (exact)" "v20|1" \
    "$(q "$CATALOG_DB" "SELECT version_id, exact FROM policy_version_span WHERE name = 'AmazonECS_FullAccess'
       AND valid_from <= '2023-06-01T23:59:59Z' AND (valid_until IS NULL OR valid_until > '2023-06-01T23:59:59Z')")"
  expect "catalog: the change log has the 7 dated entries of the seed page" \
    "2021-06-08 2023-01-04 2023-03-06 2023-10-04 2023-12-04 2024-01-11 2024-01-22" \
    "$(q "$CATALOG_DB" 'SELECT group_concat(change_date, " ") FROM (SELECT change_date FROM change_log ORDER BY 1)')"
  expect "catalog: the 2023-01-04 entry is AmazonECS_FullAccess" "AmazonECS_FullAccess" \
    "$(q "$CATALOG_DB" "SELECT policy_name FROM change_log WHERE change_date = '2023-01-04'")"
  expect "catalog: the policy_statement view covers a Statement given as one object" 1 \
    "$(q "$CATALOG_DB" "SELECT count(*) FROM policy_statement
       WHERE policy_id = (SELECT policy_id FROM policy WHERE name = 'AmazonECSTaskExecutionRolePolicy')")"

  if [ "$HAVE_EXT" = 1 ]; then
    if out=$(qx "$CATALOG_DB" \
             "SELECT count(*) FROM policy_version WHERE iam_decision(document, 'iam:x', '*') IS NOT NULL" 2>&1); then
      expect "catalog: iam_decision parses every stored document" "$(q "$CATALOG_DB" 'SELECT count(*) FROM policy_version')" "$out"
    else
      fail "catalog: iam_decision parses every stored document" "$out"
    fi
    expect "catalog: versions of AmazonECSServiceRolePolicy that allow ssm:StartSession on a task (v8 on)" \
      "v8 v9 v10 v11 v12 v13 v14 v15 v19 v23 v24" \
      "$(qx "$CATALOG_DB" "SELECT group_concat(version_id, ' ') FROM (SELECT version_id
         FROM policy_version JOIN policy USING (policy_id) WHERE name = 'AmazonECSServiceRolePolicy'
         AND iam_allows(document, 'ssm:StartSession', 'arn:aws:ecs:us-east-1:111122223333:task/c/0123')
         ORDER BY version_num)" 2>&1)"
    expect "catalog: AmazonECS_FullAccess passes roles to ecs-tasks but not to lambda" "1|0" \
      "$(qx "$CATALOG_DB" "SELECT
         iam_allows(document, 'iam:PassRole', 'arn:aws:iam::111122223333:role/r', '{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}'),
         iam_allows(document, 'iam:PassRole', 'arn:aws:iam::111122223333:role/r', '{\"iam:PassedToService\":\"lambda.amazonaws.com\"}')
         FROM latest_policy WHERE name = 'AmazonECS_FullAccess'" 2>&1)"
    for f in sql/queries/catalog/*.sql; do
      if out=$(qx -table "$CATALOG_DB" < "$f" 2>&1) && [ -n "$out" ]; then
        ok "query $(basename "$f") runs and returns rows"
      else
        fail "query $(basename "$f") runs and returns rows" "$out"
      fi
    done
  else
    skip "catalog: iam_decision parses every stored document" "no extension"
    skip "catalog: example queries run" "no extension"
  fi
fi

###############################################################################
echo "# seed documents (catalog/seed-documents/)"
names_in() { find "$1" -maxdepth 1 -name '*.json' -printf '%f\n' | sed 's/\.json$//' | sort; }
seed_names=$(names_in catalog/seed-documents)
expect "seed: seven documents are kept in the repository" 7 "$(echo "$seed_names" | grep -c .)"
if [ -f "$SEED" ]; then
  tests/catalog/extract-seed-documents.sh "$SEED" "$WORK/seed" > /dev/null
  expect "seed: the seed page prints the same seven policies" "$seed_names" \
    "$(names_in "$WORK/seed")"
  for n in $seed_names; do
    expect "seed: $n: the committed copy equals the document printed in $SEED" 1 \
      "$(q :memory: "SELECT $(json_eq "CAST(readfile('$WORK/seed/$n.json') AS TEXT)" "CAST(readfile('catalog/seed-documents/$n.json') AS TEXT)")")"
  done
else
  skip "seed: compare the committed copies with $SEED" "not present"
fi
# The comparison itself: member order is ignored, array order and values are not.
expect "seed: comparison ignores member order" 1 \
  "$(q :memory: "SELECT $(json_eq "'{\"a\":1,\"b\":[\"x\",{\"c\":true,\"d\":null}]}'" "'{\"b\":[\"x\",{\"d\":null,\"c\":true}],\"a\":1}'")")"
expect "seed: comparison sees array order" 0 \
  "$(q :memory: "SELECT $(json_eq "'{\"a\":[\"x\",\"y\"]}'" "'{\"a\":[\"y\",\"x\"]}'")")"
expect "seed: comparison sees a string that differs from a one-element array" 0 \
  "$(q :memory: "SELECT $(json_eq "'{\"a\":\"x\"}'" "'{\"a\":[\"x\"]}'")")"
expect "seed: comparison sees an extra member" 0 \
  "$(q :memory: "SELECT $(json_eq "'{\"a\":\"x\"}'" "'{\"a\":\"x\",\"b\":\"y\"}'")")"
expect "seed: comparison sees a changed value" 0 \
  "$(q :memory: "SELECT $(json_eq "'{\"a\":\"x\"}'" "'{\"a\":\"X\"}'")")"
if [ -f "$CATALOG_DB" ]; then
  for n in $seed_names; do
    m=$(q "$CATALOG_DB" "SELECT group_concat(version_id, ',') FROM (SELECT v.version_id FROM policy_version AS v
          JOIN policy AS p USING (policy_id) WHERE p.name = '$n'
          AND $(json_eq "CAST(readfile('catalog/seed-documents/$n.json') AS TEXT)" "v.document") ORDER BY v.version_num)")
    d=$(q "$CATALOG_DB" "SELECT default_version_id FROM policy WHERE name = '$n'")
    if [ -n "$m" ]; then ok "seed: $n is stored version $m (default $d)"; else fail "seed: $n matches a stored version" "no version of $n equals the seed document"; fi
  done
fi

###############################################################################
echo "# build: all or nothing (scripts/build-catalog.sh)"
out=$WORK/cat.db
build() { env "${build_env[@]}" scripts/build-catalog.sh "$@"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
leftovers() { find "$WORK" -maxdepth 1 -name 'cat.db.*' | sort | tr '\n' ' '; }

if build "$out" catalog/policies default > "$WORK/build.log" 2>&1; then
  ok "build: a clean build succeeds"
else
  fail "build: a clean build succeeds" "$(tail -n 5 "$WORK/build.log")"
fi
before=$(sha "$out")
build "$WORK/cat2.db" catalog/policies default > /dev/null 2>&1 || true
expect "build: two builds give the same bytes" "$before" "$(sha "$WORK/cat2.db")"
build "$out" catalog/policies default > /dev/null 2>&1 || true
expect "build: rebuilding in place gives the same bytes" "$before" "$(sha "$out")"
if [ -f "$CATALOG_DB" ]; then
  expect "build: $CATALOG_DB is what the committed files build" "$before" "$(sha "$CATALOG_DB")"
fi

# must_fail NAME PATTERN [VAR=value ...] -- ARGS: the build must fail with PATTERN on stderr
# and leave $out byte for byte as it was, with no temporary file behind.
must_fail() {
  local name=$1 pattern=$2; shift 2
  local envs=("${build_env[@]}")
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  if env "${envs[@]}" scripts/build-catalog.sh "$@" > "$WORK/fail.log" 2>&1; then
    fail "$name" "the build succeeded"
  elif ! grep -q -- "$pattern" "$WORK/fail.log"; then
    fail "$name" "no message matching '$pattern'" "$(tail -n 5 "$WORK/fail.log")"
  elif [ "$(sha "$out")" != "$before" ]; then
    fail "$name" "$out was changed"
  elif [ -n "$(leftovers)" ]; then
    fail "$name" "left behind: $(leftovers)"
  else
    ok "$name (old database unchanged)"
  fi
}
fixture() { # a copy of the committed policy files to break
  rm -rf "$WORK/policies"; cp -r catalog/policies "$WORK/policies"
}

fixture; printf '{"name": "Broken", ' > "$WORK/policies/Broken.json"
must_fail "build: a file that is not JSON fails, naming it" "Broken.json: not valid JSON" -- "$out" "$WORK/policies"

fixture; q :memory: "SELECT writefile('$WORK/policies/AmazonECSTaskExecutionRolePolicy.json',
  json_set(CAST(readfile('$WORK/policies/AmazonECSTaskExecutionRolePolicy.json') AS TEXT), '$.latestVersionId', 'v7'))" >/dev/null
must_fail "build: a default version that is not stored fails, naming the file" \
  "AmazonECSTaskExecutionRolePolicy.json: latestVersionId 'v7' is not among its versions" -- "$out" "$WORK/policies"

echo "UPDATE policy_version SET document = '{\"Statement\": [' WHERE version_id = 'v2';" > "$WORK/inject.sql"
must_fail "build: an invalid document injected mid-transaction fails" "CHECK constraint failed" \
  CATALOG_EXTRA_SQL="$WORK/inject.sql" -- "$out" catalog/policies

if [ "$HAVE_EXT" = 1 ]; then
  fixture; q :memory: "SELECT writefile('$WORK/policies/AmazonECSTaskExecutionRolePolicy.json',
    json_set(CAST(readfile('$WORK/policies/AmazonECSTaskExecutionRolePolicy.json') AS TEXT),
             '$.versions[0].document.Statement[0].Effect', 'Permit'))" >/dev/null
  must_fail "build: a document the extension rejects fails, naming policy and version" \
    "AmazonECSTaskExecutionRolePolicy v1: " -- "$out" "$WORK/policies"
else
  skip "build: a document the extension rejects fails" "no extension"
fi

# Interrupt a build inside its load transaction: the hook writes a marker file, then a slow
# statement keeps the transaction open.
cat > "$WORK/slow.sql" <<EOF
SELECT writefile('$WORK/inside', 'inside');
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000)
SELECT 1 WHERE (SELECT count(*) FROM c) < 0;
EOF
# group_member PGID COMM: the pid of a process of group PGID named COMM (from /proc).
group_member() {
  local stat rest
  for stat in /proc/[0-9]*/stat; do
    rest=$(cat "$stat" 2>/dev/null) || continue
    # fields: pid (comm) state ppid pgrp ...
    if [[ $rest =~ ^([0-9]+)\ \((.*)\)\ [A-Za-z]\ [0-9]+\ ([0-9]+)\  ]] \
       && [ "${BASH_REMATCH[2]}" = "$2" ] && [ "${BASH_REMATCH[3]}" = "$1" ]; then
      echo "${BASH_REMATCH[1]}"
      return 0
    fi
  done
  return 1
}
# interrupt NAME SIGNAL WHOM: start a slow build in its own process group, wait until it is
# inside the transaction (the marker exists), then send SIGNAL to the whole group ('group')
# or to the sqlite3 process only ('sqlite').
interrupt() {
  local name=$1 sig=$2 whom=$3
  rm -f "$WORK/inside"
  bg env "${build_env[@]}" CATALOG_EXTRA_SQL="$WORK/slow.sql" \
    scripts/build-catalog.sh "$out" catalog/policies default > "$WORK/int.log" 2>&1
  for _ in $(seq 100); do
    [ -f "$WORK/inside" ] && break
    sleep 0.1
  done
  if [ ! -f "$WORK/inside" ]; then
    fail "$name" "the build never got inside its transaction" "$(cat "$WORK/int.log")"
    kill -KILL -- "-$BG_PID" 2>/dev/null || true; wait "$BG_PID" 2>/dev/null || true
    return
  fi
  sleep 0.3
  if [ "$whom" = group ]; then
    kill "-$sig" -- "-$BG_PID"
  else
    kill "-$sig" "$(group_member "$BG_PID" "$(basename "$SQLITE3")")"
  fi
  local rc=0
  { wait "$BG_PID"; } 2>/dev/null || rc=$?
  if [ "$rc" = 0 ]; then
    fail "$name" "the interrupted build exited 0"
  elif [ "$(sha "$out")" != "$before" ]; then
    fail "$name" "$out was changed"
  elif [ "$sig" != KILL ] || [ "$whom" != group ]; then
    if [ -n "$(leftovers)" ]; then fail "$name" "left behind: $(leftovers)"; else ok "$name (exit $rc; old database unchanged, temporary file removed)"; fi
  else
    ok "$name (old database unchanged; SIGKILL leaves $(find "$WORK" -maxdepth 1 -name 'cat.db.*' | wc -l) temporary file(s))"
  fi
}
interrupt "build: SIGTERM to the build mid-transaction" TERM group
interrupt "build: SIGINT (Ctrl-C) to the build mid-transaction" INT group
interrupt "build: sqlite3 killed (SIGKILL) mid-transaction" KILL sqlite
interrupt "build: the whole build killed (SIGKILL) mid-transaction" KILL group
# What a killed build left behind, the next build removes.
build "$out" catalog/policies default > /dev/null 2>&1 || true
expect "build: the next build removes the temporary file of a killed one" "" "$(leftovers)"
# A read-only catalog stays read-only when rebuilt.
chmod 444 "$out"
if build "$out" catalog/policies default > "$WORK/build.log" 2>&1; then
  expect "build: a read-only catalog keeps its mode (0444) when rebuilt" "444 $before" "$(stat -c %a "$out") $(sha "$out")"
else
  fail "build: a read-only catalog keeps its mode (0444) when rebuilt" "$(tail -n 3 "$WORK/build.log")"
fi
chmod 644 "$out"

# make catalog rebuilds a catalog.db that exists but holds no catalog (sqlite3 catalog.db run
# before the build creates one), in a copy of what the build needs.
repo=$WORK/repo
mkdir -p "$repo"
cp -a Makefile VERSION catalog sql scripts ext dist "$repo/"
mkdir -p "$repo/tests"
cp -a tests/*/ "$repo/tests/"
for case_ in empty schema-less; do
  rm -f "$repo/catalog.db"
  if [ "$case_" = empty ]; then : > "$repo/catalog.db"; else q "$repo/catalog.db" "CREATE TABLE t(x); DROP TABLE t;"; fi
  touch -d '+1 hour' "$repo/catalog.db"   # newer than every input: only the content can tell
  if make -s -C "$repo" catalog > "$WORK/make.log" 2>&1; then
    expect "make catalog rebuilds an $case_ catalog.db" "$before" "$(sha "$repo/catalog.db")"
  else
    fail "make catalog rebuilds an $case_ catalog.db" "$(tail -n 5 "$WORK/make.log")"
  fi
done

###############################################################################
if [ -f "$CATALOG_FULL_DB" ]; then
  echo "# full catalog ($CATALOG_FULL_DB)"
  expect "full: catalog_source says full, same package version" "full|$(awk -F '\t' '$1 == "npm_version" { print $2 }' catalog/SOURCE)" \
    "$(q "$CATALOG_FULL_DB" "SELECT (SELECT value FROM catalog_source WHERE key = 'catalog'), (SELECT value FROM catalog_source WHERE key = 'npm_version')")"
  expect "full: integrity_check" ok "$(q "$CATALOG_FULL_DB" 'PRAGMA integrity_check')"
  expect "full: the ECS policies are the same as in the default catalog" "" \
    "$(q "$CATALOG_DB" "ATTACH '$CATALOG_FULL_DB' AS f;
       SELECT name || ' ' || version_id FROM (
         SELECT p.name, v.version_id, v.created_date, v.document FROM policy_version AS v JOIN policy AS p USING (policy_id)
         EXCEPT
         SELECT p.name, v.version_id, v.created_date, v.document FROM f.policy_version AS v JOIN f.policy AS p USING (policy_id))")"
  echo "# full: $(q "$CATALOG_FULL_DB" "SELECT count(*) || ' policies, ' || (SELECT count(*) FROM policy_version) || ' versions' FROM policy")"
else
  if [ "${REQUIRE_FULL:-0}" = 1 ]; then fail "full catalog checks: $CATALOG_FULL_DB is built (make catalog-full)"; else
    skip "full catalog checks" "$CATALOG_FULL_DB not built (make test-full builds it: needs the npm registry once)"; fi
fi

finish
