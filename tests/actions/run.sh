#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Action-data tests: the IAM action tables loaded from catalog/iam-data/, the
# expansion views of sql/catalog/actions.sql (wildcards, case, '?', NotAction inversion, unknown
# patterns, net grant), agreement with the extension's iam_action_matches(), and builds that
# fail on bad action data without touching the old database.
#
# Usage: tests/actions/run.sh        (make actions-test builds dist/iam.so and catalog.db first)
# Environment: SQLITE3 (default sqlite3), IAM_EXT (default dist/iam), CATALOG_DB (default
#   catalog.db), CATALOG_FULL_DB (default catalog-full.db; checked when present), REQUIRE_FULL=1
#   (a missing CATALOG_FULL_DB fails instead of skipping its checks: make test-full),
#   CATALOG_CACHE (default build/npm-cache; when it holds the pinned tarball, the committed
#   files are compared with a fresh conversion of it, offline).
# Tests that need the extension are skipped when ${IAM_EXT}.so does not exist.
# Last line: "N passed, N failed, N skipped"; the exit status is 1 if any test failed.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

CATALOG_DB=${CATALOG_DB:-catalog.db}
CATALOG_FULL_DB=${CATALOG_FULL_DB:-catalog-full.db}
CATALOG_CACHE=${CATALOG_CACHE:-build/npm-cache}
DATA=catalog/iam-data

build_env=()
[ "$HAVE_EXT" = 1 ] || build_env=(IAM_CHECK=skip)
echo "# action tests: sqlite3 $("$SQLITE3" --version | cut -d' ' -f1), extension: $([ "$HAVE_EXT" = 1 ] && echo "$IAM_EXT" || echo "not built (tests that need it are skipped)")"

[ -f "$CATALOG_DB" ] || { fail "$CATALOG_DB exists (run make catalog)"; finish; }

# Counts straight from the committed data files (not through the loader).
file_rows() { grep -c '^\[' "$DATA/$1.json" | awk '{ print $1 - 1 }'; }   # minus the header line
info() { q :memory: "SELECT json_extract(CAST(readfile('$DATA/data-info.json') AS TEXT), '\$$1')"; }
pin() { awk -F '\t' -v k="$1" '$1 == k { print $2 }' "$DATA/SOURCE"; }

###############################################################################
echo "# data files ($DATA)"
for t in service action resource_type resource_type_condition_key action_resource_type condition_key action_condition_key; do
  expect "data: $t.json has the row count data-info.json records" "$(info ".counts.$t")" "$(file_rows "$t")"
done
expect "data: data-info.json is for the pinned version" "$(pin npm_version)" "$(info .npm_version)"
if [ -f "$DATA/LICENSE" ] && grep -q 'MIT License' "$DATA/LICENSE"; then ok "data: the package's MIT licence is kept beside the data"; else fail "data: $DATA/LICENSE is the MIT licence"; fi
if grep -qi '"description"\|Grants permission to' "$DATA"/*.json; then
  fail "data: no free-text descriptions in the committed files"
else
  ok "data: no free-text descriptions in the committed files"
fi
tgz=$CATALOG_CACHE/$(pin npm_package | sed 's/^@//; s#/#-#')-$(pin npm_version).tgz
if command -v node > /dev/null && command -v openssl > /dev/null && [ -f "$tgz" ] && [ "sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)" = "$(pin npm_integrity)" ]; then
  mkdir -p "$WORK/pkg"
  tar -xzf "$tgz" -C "$WORK/pkg" package/package.json package/data
  node scripts/convert-iam-data.js "$WORK/pkg/package" "$WORK/conv" > /dev/null
  if diff -r -x SOURCE -x LICENSE "$WORK/conv" "$DATA" > "$WORK/diff" 2>&1; then
    ok "data: converting the pinned tarball again gives the committed files, byte for byte"
  else
    fail "data: converting the pinned tarball again gives the committed files" "$(head -n 5 "$WORK/diff")"
  fi
else
  skip "data: reconversion of the pinned tarball" "$tgz not cached (scripts/fetch-iam-data.sh fetches it)"
fi

###############################################################################
echo "# tables ($CATALOG_DB)"
expect "tables: iam_data_source has package, version, integrity, data date" \
  "$(pin npm_package)|$(pin npm_version)|$(pin npm_integrity)|$(info .data_updated_at)|1" \
  "$(q "$CATALOG_DB" "SELECT (SELECT value FROM iam_data_source WHERE key = 'npm_package'),
     (SELECT value FROM iam_data_source WHERE key = 'npm_version'), (SELECT value FROM iam_data_source WHERE key = 'npm_integrity'),
     (SELECT value FROM iam_data_source WHERE key = 'data_updated_at'), (SELECT value FROM iam_data_source WHERE key = 'schema_version')")"
for t in service action resource_type resource_type_condition_key action_resource_type condition_key action_condition_key; do
  expect "tables: $t has every row of $t.json" "$(file_rows "$t")" "$(q "$CATALOG_DB" "SELECT count(*) FROM $t")"
done
expect "tables: no foreign-key violations" "" "$(q "$CATALOG_DB" 'PRAGMA foreign_key_check')"
expect "tables: PRAGMA user_version is still sql/catalog/schema.sql's (1)" 1 "$(q "$CATALOG_DB" 'PRAGMA user_version')"
expect "tables: identifiers are case-insensitive (service 'ECS', action 'runtask')" "ecs:RunTask|Write" \
  "$(q "$CATALOG_DB" "SELECT full_name, access_level FROM action WHERE service = 'ECS' AND name = 'runtask'")"
expect "tables: two access levels keep the higher and the raw text (ec2:CreateTags)" "Tagging|Tagging, Write|4" \
  "$(q "$CATALOG_DB" "SELECT access_level, access_level_raw, access_rank FROM action WHERE full_name = 'ec2:CreateTags'")"
expect "tables: iam:AttachRolePolicy is Permissions management" "Permissions management|Permissions management, Write" \
  "$(q "$CATALOG_DB" "SELECT access_level, access_level_raw FROM action WHERE service = 'iam' AND name = 'AttachRolePolicy'")"
expect "tables: every raw level with two parts maps to the higher one" 0 \
  "$(q "$CATALOG_DB" "SELECT count(*) FROM action WHERE access_level_raw LIKE '%,%'
     AND access_level NOT IN ('Tagging', 'Permissions management')")"
expect "tables: ecs:RunTask is authorised on a task definition (required)" "task-definition|1" \
  "$(q "$CATALOG_DB" "SELECT group_concat(resource_type || '|' || required, ' ') FROM action_resource_type
     WHERE service = 'ecs' AND action = 'RunTask'")"
expect "tables: ecs:task-cpu is Numeric and ecs:RunTask supports it" "Numeric|1" \
  "$(q "$CATALOG_DB" "SELECT type, (SELECT count(*) FROM action_condition_key WHERE service = 'ecs' AND action = 'RunTask'
     AND resource_type IS NULL AND condition_key = 'ecs:task-cpu') FROM condition_key WHERE service = 'ecs' AND name = 'ecs:task-cpu'")"
# shellcheck disable=SC2016 # the ARN pattern's ${...} are literal
expect "tables: the ECS cluster ARN pattern" 'arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}' \
  "$(q "$CATALOG_DB" "SELECT arn_pattern FROM resource_type WHERE service = 'ecs' AND name = 'cluster'")"

###############################################################################
echo "# expansion (a copy of $CATALOG_DB with test policies)"
db=$WORK/x.db
cp "$CATALOG_DB" "$db"
# add_policy ID NAME DOCUMENT: a one-version test policy.
add_policy() {
  q "$db" "INSERT INTO policy (policy_id, name, path, arn, kind, attachable, default_version_id)
           VALUES ($1, '$2', '/', 'arn:aws:iam::aws:policy/$2', 'aws-managed', 1, 'v1');
           INSERT INTO policy_version (policy_id, version_id, date_source, is_default, document)
           VALUES ($1, 'v1', 'unknown', 1, json('$3'));"
}
# count_of POLICY STATEMENT_SID: how many concrete actions the statement covers.
count_of() { q "$db" "SELECT count(*) FROM statement_action WHERE policy_name = '$1' AND sid = '$2'"; }
set_of() { q "$db" "SELECT group_concat(action, ' ') FROM (SELECT action FROM statement_action WHERE policy_name = '$1' AND sid = '$2' ORDER BY action)"; }
total=$(file_rows action)
n_ecs=$(grep -c '^\["ecs",' "$DATA/action.json")
n_ec2_describe=$(grep -c '^\["ec2","Describe' "$DATA/action.json")
n_iam=$(grep -c '^\["iam",' "$DATA/action.json")
n_org=$(grep -c '^\["organizations",' "$DATA/action.json")
echo "# data: $total actions; ecs $n_ecs, ec2 Describe* $n_ec2_describe, iam $n_iam, organizations $n_org"

add_policy 9001 TestPatterns '{"Version":"2012-10-17","Statement":[
 {"Sid":"EcsAll","Effect":"Allow","Action":"ecs:*","Resource":"*"},
 {"Sid":"Ec2Describe","Effect":"Allow","Action":["ec2:Describe*"],"Resource":"*"},
 {"Sid":"EcsUpper","Effect":"Allow","Action":"ECS:*","Resource":"*"},
 {"Sid":"Ec2Lower","Effect":"Allow","Action":"ec2:describe*","Resource":"*"},
 {"Sid":"Exact","Effect":"Allow","Action":"EC2:DESCRIBEINSTANCES","Resource":"*"},
 {"Sid":"Q1","Effect":"Allow","Action":"ecs:?istClusters","Resource":"*"},
 {"Sid":"Q2","Effect":"Allow","Action":"ecs:ListCluster?","Resource":"*"},
 {"Sid":"Q3","Effect":"Allow","Action":"ecs:ListClusters?","Resource":"*"},
 {"Sid":"Q4","Effect":"Allow","Action":"s3:Get?bject","Resource":"*"},
 {"Sid":"Dups","Effect":"Allow","Action":["ecs:List*","ecs:*","ECS:ListClusters"],"Resource":"*"},
 {"Sid":"Star","Effect":"Allow","Action":"*","Resource":"*"},
 {"Sid":"WildService","Effect":"Allow","Action":"e?s:ListClusters","Resource":"*"},
 {"Sid":"Unknown","Effect":"Allow","Action":["ecs:NoSuchAction","nosuchservice:Get*","ecs","ecs:ListClusters"],"Resource":"*"},
 {"Sid":"Cond","Effect":"Allow","Action":"ecs:RunTask","Resource":["arn:aws:ecs:*:*:task-definition/x:*"],"Condition":{"StringEquals":{"ecs:cluster":"c"}}}]}'

expect "expand: ecs:* covers exactly the ecs actions of the data ($n_ecs)" "$n_ecs" "$(count_of TestPatterns EcsAll)"
expect "expand: ecs:* is the same set as a direct query of the action table" \
  "$(q "$db" "SELECT group_concat(full_name, ' ') FROM (SELECT full_name FROM action WHERE service = 'ecs' ORDER BY 1)")" \
  "$(set_of TestPatterns EcsAll)"
expect "expand: ec2:Describe* covers exactly the ec2 actions beginning with Describe ($n_ec2_describe)" "$n_ec2_describe" \
  "$(count_of TestPatterns Ec2Describe)"
expect "expand: ec2:Describe* is the same set as a direct query (GLOB 'Describe*')" \
  "$(q "$db" "SELECT group_concat(full_name, ' ') FROM (SELECT full_name FROM action WHERE service = 'ec2' AND name GLOB 'Describe*' ORDER BY 1)")" \
  "$(set_of TestPatterns Ec2Describe)"
expect "case: ECS:* gives the same actions as ecs:*" "$(set_of TestPatterns EcsAll)" "$(set_of TestPatterns EcsUpper)"
expect "case: ec2:describe* gives the same actions as ec2:Describe*" "$(set_of TestPatterns Ec2Describe)" "$(set_of TestPatterns Ec2Lower)"
expect "case: EC2:DESCRIBEINSTANCES is ec2:DescribeInstances (List)" "ec2:DescribeInstances|List|EC2:DESCRIBEINSTANCES" \
  "$(q "$db" "SELECT action, access_level, pattern FROM statement_action WHERE policy_name = 'TestPatterns' AND sid = 'Exact'")"
expect "?: ecs:?istClusters matches one character" "ecs:ListClusters" "$(set_of TestPatterns Q1)"
expect "?: ecs:ListCluster? matches one trailing character" "ecs:ListClusters" "$(set_of TestPatterns Q2)"
expect "?: ecs:ListClusters? does not match zero characters" "" "$(set_of TestPatterns Q3)"
expect "?: s3:Get?bject is s3:GetObject only" "s3:GetObject" "$(set_of TestPatterns Q4)"
expect "dups: overlapping patterns list each action once" "$n_ecs" "$(count_of TestPatterns Dups)"
expect "dups: the first matching pattern is reported" "ecs:List*|ecs:*" \
  "$(q "$db" "SELECT (SELECT pattern FROM statement_action WHERE policy_name = 'TestPatterns' AND sid = 'Dups' AND action = 'ecs:ListClusters'),
                     (SELECT pattern FROM statement_action WHERE policy_name = 'TestPatterns' AND sid = 'Dups' AND action = 'ecs:RunTask')")"
expect "expand: * covers every action ($total)" "$total" "$(count_of TestPatterns Star)"
expect "expand: a wildcard in the service part (e?s:ListClusters: ecs and eks)" "ecs:ListClusters eks:ListClusters" "$(set_of TestPatterns WildService)"
expect "statement columns: has_condition and resource_is_star" "1|0|0|1" \
  "$(q "$db" "SELECT (SELECT has_condition || '|' || resource_is_star FROM statement_action WHERE policy_name = 'TestPatterns' AND sid = 'Cond'),
                     (SELECT has_condition || '|' || resource_is_star FROM statement_action WHERE policy_name = 'TestPatterns' AND sid = 'Q1')")"
expect "unknown: patterns matching no action are listed with a reason" \
  "Q3|ecs:ListClusters?|no such action Unknown|ecs:NoSuchAction|no such action Unknown|nosuchservice:Get*|unknown service Unknown|ecs|not service:action" \
  "$(q "$db" "SELECT group_concat(sid || '|' || pattern || '|' || reason, ' ') FROM (SELECT sid, pattern, reason FROM unknown_action_pattern
     WHERE policy_name = 'TestPatterns' ORDER BY stmt_index, pattern_index)")"
expect "unknown: the statement still expands its known patterns" "ecs:ListClusters" "$(set_of TestPatterns Unknown)"

if [ "$HAVE_EXT" = 1 ]; then
  # The LIKE translation agrees with the extension's matcher over every action.
  patterns="ecs:* ec2:Describe* ECS:list* *:Get* s3:*Object* iam:?ass* e?s:List* lambda:Invoke?unction * ec2:* s3:Get?bject
            iam:PassRole sts:Assume* *Tag* kms:Re*ypt ecs:ListClusters? a_b:* ecs:%"
  bad=()
  for p in $patterns; do
    mine=$(q "$db" "SELECT count(*) FROM action AS a CROSS JOIN (SELECT '$p' AS pattern,
             replace(replace(replace(replace(replace('$p', '\\', '\\\\'), '%', '\\%'), '_', '\\_'), '*', '%'), '?', '_') AS lk) AS x
           WHERE a.full_name LIKE x.lk ESCAPE '\\'")
    theirs=$(qx "$db" "SELECT count(*) FROM action WHERE iam_action_matches('$p', full_name)")
    [ "$mine" = "$theirs" ] || bad+=("$p: LIKE $mine, iam_action_matches $theirs")
  done
  n_patterns=$(wc -w <<< "$patterns")
  expect "agreement: the LIKE translation matches as iam_action_matches() does ($n_patterns patterns x $total actions)" "" "${bad[*]}"
  # And the view itself, for patterns placed in a policy.
  add_policy 9002 TestAgree "{\"Statement\":[$(for p in $patterns; do printf '{"Sid":"S%s","Effect":"Allow","Action":"%s","Resource":"*"},' "$(printf '%s' "$p" | md5sum | cut -c1-8)" "$p"; done | sed 's/,$//')]}"
  bad=()
  for p in $patterns; do
    sid=S$(printf '%s' "$p" | md5sum | cut -c1-8)
    view=$(count_of TestAgree "$sid")
    theirs=$(qx "$db" "SELECT count(*) FROM action WHERE iam_action_matches('$p', full_name)")
    [ "$view" = "$theirs" ] || bad+=("$p: view $view, iam_action_matches $theirs")
  done
  expect "agreement: statement_action expands each pattern to the iam_action_matches() set" "" "${bad[*]}"
else
  skip "agreement with iam_action_matches()" "no extension"
fi

###############################################################################
echo "# NotAction"
add_policy 9003 TestNotAction '{"Statement":[
 {"Sid":"NotIamOrg","Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"},
 {"Sid":"NotMixed","Effect":"Allow","NotAction":["IAM:*","ecs:List*","*:Describe*","nosuch:*"],"Resource":"*"},
 {"Sid":"NotOne","Effect":"Allow","NotAction":"ecs:RunTask","Resource":"*"}]}'
expect "NotAction: inversion count = total - matched ($total - $n_iam - $n_org)" "$((total - n_iam - n_org))" \
  "$(count_of TestNotAction NotIamOrg)"
expect "NotAction: no iam or organizations action is covered" 0 \
  "$(q "$db" "SELECT count(*) FROM statement_action WHERE policy_name = 'TestNotAction' AND sid = 'NotIamOrg' AND service IN ('iam', 'organizations')")"
expect "NotAction: covered + matched = total, with case, service wildcards and an unknown service" "$total|0" \
  "$(q "$db" "SELECT (SELECT count(*) FROM statement_action WHERE policy_name = 'TestNotAction' AND sid = 'NotMixed')
                   + (SELECT count(DISTINCT action) FROM statement_pattern_match WHERE policy_name = 'TestNotAction' AND sid = 'NotMixed'),
                     (SELECT count(*) FROM statement_action WHERE policy_name = 'TestNotAction' AND sid = 'NotMixed'
                      AND action IN (SELECT action FROM statement_pattern_match WHERE policy_name = 'TestNotAction' AND sid = 'NotMixed'))")"
expect "NotAction: one excluded action" "$((total - 1))|0" \
  "$(q "$db" "SELECT count(*), sum(action = 'ecs:RunTask') FROM statement_action WHERE policy_name = 'TestNotAction' AND sid = 'NotOne'")"
expect "NotAction: rows are flagged negated, with no pattern" "1|" \
  "$(q "$db" "SELECT DISTINCT negated || '|' || coalesce(pattern, '') FROM statement_action WHERE policy_name = 'TestNotAction'")"
expect "NotAction: unknown patterns in a NotAction list are listed" "nosuch:*|unknown service|1" \
  "$(q "$db" "SELECT pattern || '|' || reason || '|' || negated FROM unknown_action_pattern WHERE policy_name = 'TestNotAction'")"

###############################################################################
echo "# net grant (policy_action)"
A='{"Effect":"Allow","Action":"ecs:*","Resource":"*"}'
add_policy 9010 TestDenyPlain "{\"Statement\":[$A,{\"Effect\":\"Deny\",\"Action\":\"ecs:Delete*\",\"Resource\":\"*\"}]}"
add_policy 9011 TestDenyCond "{\"Statement\":[$A,{\"Effect\":\"Deny\",\"Action\":\"ecs:Delete*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"
add_policy 9012 TestDenyNarrow "{\"Statement\":[$A,{\"Effect\":\"Deny\",\"Action\":\"ecs:Delete*\",\"Resource\":\"arn:aws:ecs:*:*:cluster/x\"}]}"
add_policy 9013 TestDenySame '{"Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":["arn:aws:ecs:*:*:cluster/x","arn:aws:ecs:*:*:service/x/*"]},{"Effect":"Deny","Action":"ecs:Delete*","Resource":["arn:aws:ecs:*:*:service/x/*","arn:aws:ecs:*:*:cluster/x","arn:aws:ecs:*:*:task/*"]}]}'
add_policy 9014 TestDenyNotAction "{\"Statement\":[$A,{\"Effect\":\"Deny\",\"NotAction\":\"ecs:List*\",\"Resource\":\"*\"}]}"
add_policy 9015 TestDenyNotResource "{\"Statement\":[$A,{\"Effect\":\"Deny\",\"Action\":\"ecs:Delete*\",\"NotResource\":\"arn:aws:ecs:*:*:cluster/x\"}]}"
n_delete=$(q "$db" "SELECT count(*) FROM action WHERE service = 'ecs' AND name LIKE 'Delete%'")
n_list=$(q "$db" "SELECT count(*) FROM action WHERE service = 'ecs' AND name LIKE 'List%'")
net() { q "$db" "SELECT count(*) FROM policy_action WHERE policy_name = '$1'"; }
expect "net: an unconditional Deny on * removes its actions" "$((n_ecs - n_delete))" "$(net TestDenyPlain)"
expect "net: denied_by names the Deny statement" "$n_delete|1" \
  "$(q "$db" "SELECT count(*), min(denied_by) FROM statement_action WHERE policy_name = 'TestDenyPlain' AND effect = 'Allow' AND denied_by IS NOT NULL")"
expect "net: a Deny with a Condition removes nothing" "$n_ecs" "$(net TestDenyCond)"
expect "net: a Deny on narrower resources removes nothing" "$n_ecs" "$(net TestDenyNarrow)"
expect "net: a Deny whose resources include all of the Allow's removes" "$((n_ecs - n_delete))" "$(net TestDenySame)"
expect "net: a NotAction Deny removes everything it does not exclude" "$n_list" "$(net TestDenyNotAction)"
expect "net: a NotResource Deny removes nothing" "$n_ecs" "$(net TestDenyNotResource)"
expect "net: columns for an unconditional grant on *" "1|0|1|1" \
  "$(q "$db" "SELECT allow_statements || '|' || conditional || '|' || on_star || '|' || unconditional_on_star FROM policy_action
     WHERE policy_name = 'TestDenyPlain' AND action = 'ecs:RunTask'")"
add_policy 9016 TestCond '{"Statement":{"Effect":"Allow","Action":["ecs:RunTask","ecs:StartTask"],"Resource":"*","Condition":{"StringEquals":{"ecs:cluster":"c"}}}}'
expect "net: a grant only under a condition is flagged conditional (Statement as one object)" "2|1|1|0" \
  "$(q "$db" "SELECT count(*) || '|' || min(conditional) || '|' || min(on_star) || '|' || max(unconditional_on_star)
     FROM policy_action WHERE policy_name = 'TestCond'")"

###############################################################################
echo "# the catalog's own policies ($CATALOG_DB)"
expect "catalog: AmazonECS_FullAccess v13's typo codedpeloy:ContinueDeployment is listed" "v13|unknown service" \
  "$(q "$CATALOG_DB" "SELECT version_id || '|' || reason FROM unknown_action_pattern WHERE pattern = 'codedpeloy:ContinueDeployment'")"
expect "catalog: AmazonECSServiceRolePolicy grants ec2:CreateNetworkInterfacePermission (Permissions management)" 1 \
  "$(q "$CATALOG_DB" "SELECT count(*) FROM policy_action WHERE policy_name = 'AmazonECSServiceRolePolicy' AND is_default
     AND action = 'ec2:CreateNetworkInterfacePermission' AND access_level = 'Permissions management'")"
for f in sql/queries/catalog/6*.sql; do
  if out=$(q -table "$CATALOG_DB" < "$f" 2>&1) && [ -n "$out" ]; then ok "query $(basename "$f") runs and returns rows"; else fail "query $(basename "$f") runs and returns rows" "$out"; fi
done

###############################################################################
echo "# builds with bad action data (scripts/build-catalog.sh, all or nothing)"
out=$WORK/cat.db
cp "$CATALOG_DB" "$out"
before=$(sha256sum "$out" | cut -d' ' -f1)
# must_fail NAME PATTERN: build $out with IAM_DATA_DIR=$WORK/data; it must fail with PATTERN and leave $out as it was.
must_fail() {
  if env "${build_env[@]}" IAM_DATA_DIR="$WORK/data" scripts/build-catalog.sh "$out" catalog/policies default > "$WORK/fail.log" 2>&1; then
    fail "$1" "the build succeeded"
  elif ! grep -q -- "$2" "$WORK/fail.log"; then
    fail "$1" "no message matching '$2'" "$(tail -n 5 "$WORK/fail.log")"
  elif [ "$(sha256sum "$out" | cut -d' ' -f1)" != "$before" ]; then
    fail "$1" "$out was changed"
  elif [ -n "$(find "$WORK" -maxdepth 1 -name 'cat.db.*')" ]; then
    fail "$1" "left a temporary file behind"
  else
    ok "$1 (old database unchanged)"
  fi
}
fixture() { rm -rf "$WORK/data"; cp -r "$DATA" "$WORK/data"; }
fixture; printf '[["service","name"' > "$WORK/data/service.json"
must_fail "bad data: a file that is not JSON fails, naming it" "service.json: not valid JSON"
fixture; sed -i '2d' "$WORK/data/condition_key.json"
must_fail "bad data: a row count that differs from data-info.json fails" "condition_key.json: 2577 rows, data-info.json says 2578"
fixture; sed -i 's/^\["ecs","RunTask","Write","Write"\]/["ecs","RunTask","Sometimes","Write"]/' "$WORK/data/action.json"
must_fail "bad data: an unknown access level fails (CHECK)" "CHECK constraint failed"
fixture; sed -i 's/^\["ecs","RunTask",/["nosuchservice","RunTask",/' "$WORK/data/action.json"
must_fail "bad data: an action of an unknown service fails (foreign key)" "foreign key violation: action"
fixture; sed -i 's/^npm_version\t.*/npm_version\t0.0.1/' "$WORK/data/SOURCE"
must_fail "bad data: a pin that differs from the converted data fails" "differs from SOURCE"
fixture; rm "$WORK/data/LICENSE"
must_fail "bad data: a missing licence fails" "LICENSE"

###############################################################################
if [ -f "$CATALOG_FULL_DB" ]; then
  echo "# full catalog ($CATALOG_FULL_DB)"
  expect "full: the same action data as the default catalog" \
    "$(q "$CATALOG_DB" "SELECT count(*) || '|' || (SELECT value FROM iam_data_source WHERE key = 'npm_version') FROM action")" \
    "$(q "$CATALOG_FULL_DB" "SELECT count(*) || '|' || (SELECT value FROM iam_data_source WHERE key = 'npm_version') FROM action")"
  expect "full: AdministratorAccess grants every action" "$total" \
    "$(q "$CATALOG_FULL_DB" "SELECT count(*) FROM policy_action WHERE policy_name = 'AdministratorAccess' AND is_default")"
  expect "full: PowerUserAccess (NotAction iam, organizations, account) = total - those services" \
    "$((total - n_iam - n_org - $(grep -c '^\["account",' "$DATA/action.json")))" \
    "$(q "$CATALOG_FULL_DB" "SELECT count(*) FROM statement_action WHERE policy_name = 'PowerUserAccess' AND is_default AND negated")"
else
  if [ "${REQUIRE_FULL:-0}" = 1 ]; then fail "full catalog checks: $CATALOG_FULL_DB is built (make catalog-full)"; else
    skip "full catalog checks" "$CATALOG_FULL_DB not built (make test-full builds it: needs the npm registry once)"; fi
fi

finish
