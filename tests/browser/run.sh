#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# report.html in a real browser: headless Chromium opens the reports of scripts/report.sh and
# the test reads what it rendered (--dump-dom) and what it looks like (--screenshot).
#
# How: report.html#selftest makes the page drive itself as a reader would (it clicks every
# sortable header, types into every filter, picks a facet, pages forward and to the end, opens
# principals' pages by their links) and write what it then finds in the DOM into a #selftest
# section; this script dumps that DOM and fails on any failed check or script error. It also
# checks the rendered DOM itself against the inventory (the summary figures, every section of
# the navigation, a principal's page, names that hold markup staying text), and that the
# self-test fails on pages broken on purpose (sorting, filtering, a script error), so that a
# passing self-test means something. Screenshots go to build/browser-test/ for a person to see.
#
# Inventories: the demo account, the demo with hostile names, and, when ../shared is there, the
# shared GAAD sample and 10 accounts shaped like it (54,470 rows in one report: pagination and
# the heatmap at scale).
#
# Needs: chromium (scripts/ensure-deps.sh chromium, as root; make browser-test does it). Without
# it the suite says so and skips, except in CI (CI=true), where it fails.
# Environment: SQLITE3, IAM_EXT, CHROMIUM (default chromium), SHARED_GAAD, BROWSER_OUT (the
# screenshots; default build/browser-test).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
SHARED_GAAD=${SHARED_GAAD:-../shared/fixtures/gaad/cloudsplaining-example.json}
CHROMIUM=${CHROMIUM:-chromium}
OUT=${BROWSER_OUT:-build/browser-test}
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac
fx=tests/inventory/fixtures

if ! command -v "$CHROMIUM" > /dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    fail "chromium is installed" "$CHROMIUM is not installed, and CI needs the browser test: scripts/ensure-deps.sh chromium (as root)"
  else
    skip "report.html in a browser" "$CHROMIUM is not installed: scripts/ensure-deps.sh chromium, as root, installs it"
  fi
  finish
fi
[ -f catalog.db ] || { fail "catalog.db exists (make catalog)"; finish; }
mkdir -p "$OUT"
rm -f "$OUT"/*.png

# pct STRING: STRING percent-encoded, byte by byte, but for letters, digits and / . _ ~ -
pct() {
  local LC_ALL=C s=$1 out='' i c
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in [A-Za-z0-9/._~-]) out+=$c ;; *) printf -v c '%%%02X' "'$c"; out+=$c ;; esac
  done
  printf '%s' "$out"
}
# url FILE[#FRAGMENT]: a file:// URL (the path percent-encoded; the fragment as given).
url() {
  local path=${1%%#*} frag=''
  [[ $1 == *#* ]] && frag="#${1#*#}"
  case $path in /*) ;; *) path=$ROOT/$path ;; esac
  printf 'file://%s%s' "$(pct "$path")" "$frag"
}
# flat FILE: the file on one line (a dumped DOM breaks lines only inside text).
flat() { tr '\n' ' ' < "$1"; }
# chrome OUT ARGS...: one headless run with a fresh profile; its standard output into OUT, its
# standard error into OUT.log.
chrome() {
  local out=$1 profile rc=0
  shift
  profile=$(mktemp -d "$WORK/profile.XXXXXX")
  timeout 300 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
    "$@" > "$out" 2> "$out.log" || rc=$?
  rm -rf -- "$profile"
  return "$rc"
}
# dom PAGE[#FRAGMENT] OUT: the DOM after the page's scripts ran.
dom() {
  chrome "$2" --dump-dom "$(url "$1")" || { fail "chromium renders $1" "$(tail -n 5 "$2.log")"; return 1; }
}
# shot PAGE[#FRAGMENT] NAME HEIGHT: a 1400-pixel-wide screenshot, $OUT/NAME.png.
shot() {
  chrome "$WORK/shot.out" --hide-scrollbars --window-size="1400,$3" --screenshot="$OUT/$2.png" "$(url "$1")" || true
  local size
  size=$(stat -c %s "$OUT/$2.png" 2> /dev/null || echo 0)
  # A blank page compresses to a few KB; a rendered report is tens of KB.
  if [ "$size" -gt 20000 ] && [ "$(head -c 8 "$OUT/$2.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    ok "screenshot ${OUT#"$ROOT"/}/$2.png ($((size / 1024)) KB)"
  else
    fail "screenshot ${OUT#"$ROOT"/}/$2.png" "$size bytes" "$(tail -n 5 "$WORK/shot.out.log")"
  fi
}
# selftest PAGE NAME [MIN]: report.html#selftest passes (at least MIN checks, default 50).
selftest() {
  local page=$1 name=$2 min=${3:-50} d=$WORK/$2.selftest.html head passed failed
  dom "$page#selftest" "$d" || return 0
  head=$(grep -o 'id="selftest" data-passed="[0-9]*" data-failed="[0-9]*" data-result="[a-z]*"' "$d" || true)
  passed=$(sed -n 's/.*data-passed="\([0-9]*\)".*/\1/p' <<< "$head")
  failed=$(sed -n 's/.*data-failed="\([0-9]*\)".*/\1/p' <<< "$head")
  if [ -z "$head" ]; then
    fail "$name: the self-test ran" "no #selftest section in the DOM" "$(grep -o '<div id="page-errors"[^<]*<' "$d" || true)"
  elif [ "$failed" != 0 ] || [ "$passed" -lt "$min" ]; then
    fail "$name: the self-test passes ($passed passed, $failed failed; at least $min checks)" \
      "$(sed -n '/id="selftest"/,/<\/pre>/p' "$d" | grep '^FAIL' | head -n 20)"
  else
    ok "$name: the self-test passes ($passed checks: sorting, filtering, facets, pages, sections, principal pages, no script error)"
  fi
  if grep -q 'id="page-errors" role="alert" class="shown"\|id="page-errors" class="shown"' "$d"; then
    fail "$name: no script error" "$(grep -o '<div id="page-errors"[^<]*' "$d")"
  else
    ok "$name: no script error"
  fi
}
# figure DOM KEY: the value a summary figure shows.
figure() { flat "$1" | grep -o "data-key=\"$2\"[^>]*><div class=\"value\">[^<]*" | head -n 1 | sed 's/.*>//'; }
# status DOM TABLE: the row count line of a table ("Rows 1–25 of 54 · page 1 of 3").
status() { flat "$1" | grep -o "id=\"$2\">.*" | grep -o '<span class="status">[^<]*' | head -n 1 | sed 's/.*>//'; }
# nav DOM: the section ids of the navigation, in order.
nav() { flat "$1" | grep -o '<nav class="sections".*</nav>' | grep -o 'href="#[^"]*"' | sed 's/href="#\(.*\)"/\1/'; }
# sections DOM: every link of the navigation whose target is missing from the DOM ("" if none).
missing_sections() {
  local id
  for id in $(nav "$1"); do
    grep -q "<section class=\"card[^\"]*\" id=\"$id\">" "$1" || printf '%s ' "$id"
  done
}
# report DB OUT: scripts/report.sh, which must succeed.
report() {
  if scripts/report.sh -q "$1" "$2" > /dev/null 2> "$WORK/report.err"; then ok "report.sh $(basename "$1")"; else
    fail "report.sh $(basename "$1")" "$(cat "$WORK/report.err")"; fi
}

# --- 1. the demo account ---------------------------------------------------------------------
demo=$WORK/demo.db
CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$demo" $fx/demo-account.json > /dev/null
q "$demo" < $fx/demo-questions.sql
# the escalation graph, so that 80-escalation-paths has its path (helpdesk can give alice a password)
scripts/build-paths.sh -q "$demo" > /dev/null
report "$demo" "$WORK/demo"
page=$WORK/demo/report.html
selftest "$page" demo 100
dom "$page" "$WORK/demo.html"
d=$WORK/demo.html
expect "demo: the summary figures are the inventory's (users and roles, administrators, escalation, external access, boundaries)" \
  "$(q "$demo" "SELECT count(*) FROM inv_principal")|3|$(($(wc -l < "$WORK/demo/40-privesc.csv") - 1))|$(q :memory: ".import --csv $WORK/demo/75-outside-access.csv t" "SELECT count(DISTINCT resource) FROM t WHERE \"grantee kind\" <> 'AWS service'")|$(q "$demo" "SELECT count(*) FROM inv_principal WHERE boundary_arn IS NOT NULL")" \
  "$(figure "$d" principals)|$(figure "$d" administrators)|$(figure "$d" escalation)|$(figure "$d" 'external access')|$(figure "$d" boundaries)"
expect "demo: every section of the navigation is on the page" "" "$(missing_sections "$d")"
expect "demo: the sections, in order" "summary findings principals s-inventory s-who-can s-access-levels s-privilege-escalation s-compute-roles s-data-quality s-organization s-external-access about" \
  "$(nav "$d" | paste -sd ' ')"
expect "demo: the findings come ranked, the administrators first" "critical critical critical high" \
  "$(flat "$d" | grep -o 'id="t-findings">.*' | grep -o '<span class="sev sev-[a-z]*">[a-z]*</span>' | sed 's/.*>\([a-z]*\)<.*/\1/' | head -n 4 | paste -sd ' ')"
# csv_rows FILE: the data rows of a CSV file.
csv_rows() { q :memory: ".import --csv $(dot_quote "$1") t" "SELECT count(*) FROM t"; }
n=0
for f in "$WORK"/demo/1[0-9]-*.csv "$WORK"/demo/4[0-9]-*.csv; do
  if head -n 1 "$f" | grep -q '^severity,'; then n=$((n + $(csv_rows "$f"))); fi
done
expect "demo: the findings table holds every row of the findings reports ($n)" "Rows 1–$n of $n · page 1 of 1" "$(status "$d" t-findings)"
expect "demo: the findings hold the statements that grant them (alice: AdministratorAccess, Action *)" "yes" \
  "$(flat "$d" | grep -o 'id="t-findings">.*' | grep -q '<pre class="stmt">{   "Effect": "Allow",   "Action": "\*",   "Resource": "\*" }</pre>' && echo yes || echo no)"
dom "$page#principal=arn:aws:iam::111122223333:user/bob" "$WORK/bob.html"
expect "demo: bob's page: his name, his boundary, his groups, his policies, and nothing else shown" \
  "bob|DeveloperBoundary|Developers|Rows 1–$(q "$demo" "SELECT count(*) FROM inv_effective_policy WHERE principal_name = 'bob'") of $(q "$demo" "SELECT count(*) FROM inv_effective_policy WHERE principal_name = 'bob'") · page 1 of 1|hidden" \
  "$(grep -o '<span class="pname">[^<]*' "$WORK/bob.html" | sed 's/.*>//')|$(grep -o '<dt>Permissions boundary</dt><dd>[^<]*' "$WORK/bob.html" | sed 's/.*<dd>//')|$(grep -o '<dt>Groups</dt><dd>[^<]*' "$WORK/bob.html" | sed 's/.*<dd>//')|$(status "$WORK/bob.html" t-principal-policies)|$(grep -o '<section class="card [a-z]*" id="summary"' "$WORK/bob.html" | sed 's/.*card \([a-z]*\)".*/\1/')"
shot "$page" demo-summary 1300
shot "$page#only=findings" demo-findings 1300
shot "$page#principal=arn:aws:iam::111122223333:user/alice" demo-principal-alice 2000
shot "$page#only=s-access-levels" demo-access-levels 1500
expect "demo: an escalation path is a chain of boxes, the administrator last" \
  "1|111122223333:user/helpdesk→ CreateLoginProfile →111122223333:user/alice|1" \
  "$(flat "$d" | grep -o '<div class="chain">' | wc -l)|$(flat "$d" | grep -o '<div class="chain">.*' | sed 's#</div>.*##; s#<[^>]*>##g')|$(flat "$d" | grep -o '<span class="hop end" title="arn:aws:iam::111122223333:user/alice">' | wc -l)"
shot "$page#only=s-privilege-escalation" demo-escalation 1500

# --- 2. names that hold markup stay text --------------------------------------------------------
# carol is renamed to a name that closes tags and opens an image with a handler; the policy
# S3ReadReports (hers, through her group) to one that ends the script element and opens another.
evil_user='carol<!--'"'"'&\"<img src=x onerror=document.title=1>'
evil_policy='</script><script>document.title=\"pwned\"</script>'
# (for sed's replacement, each \ and & is escaped)
sed_text() { local t=${1//\\/\\\\}; printf '%s' "${t//&/\\&}"; }
# (her ARN keeps its name: the import refuses an ARN that AWS would not make)
hostile_json=$(sed -e "s#carol#$(sed_text "$evil_user")#g" -e "s#S3ReadReports#$(sed_text "$evil_policy")#g" $fx/demo-account.json)
printf '%s\n' "${hostile_json//":user/$evil_user"/":user/carol"}" > "$WORK/hostile.json"
hostile=$WORK/hostile.db
if CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$hostile" "$WORK/hostile.json" > /dev/null 2> "$WORK/err"; then ok "hostile: import"; else
  fail "hostile: import" "$(cat "$WORK/err")"; fi
q "$hostile" < $fx/demo-questions.sql
report "$hostile" "$WORK/hostile"
selftest "$WORK/hostile/report.html" hostile 100
arn=$(q "$hostile" "SELECT arn FROM inv_user WHERE name LIKE 'carol%'")
dom "$WORK/hostile/report.html#principal=$(pct "$arn")" "$WORK/carol.html"
expect "hostile: the user's page shows the name and the policy name as text; no image, 2 scripts, the page's own title" \
  "carol&lt;!--'&amp;\"&lt;img src=x onerror=document.title=1&gt;|1|0|2|IAM access review" \
  "$(grep -o '<span class="pname">[^<]*' "$WORK/carol.html" | sed 's/<span class="pname">//')|$(grep -c '>&lt;/script&gt;&lt;script&gt;document.title="pwned"&lt;/script&gt;</td>' "$WORK/carol.html")|$(grep -c '<img' "$WORK/carol.html")|$(grep -o '<script' "$WORK/carol.html" | wc -l)|$(grep -o '<title>[^<]*' "$WORK/carol.html" | sed 's/<title>//; s/ – .*//')"
shot "$WORK/hostile/report.html#principal=$(pct "$arn")" hostile-principal 1300

# --- 3. the self-test fails when the page is broken -------------------------------------------------
# break NAME FROM TO: a copy of the demo's page with FROM (a line of its script) replaced by TO.
break_page() {
  local n
  n=$(grep -cF -- "$2" "$page" || true)
  if [ "$n" != 1 ]; then fail "control $1: the page's script still holds the line to break" "not found once: $2"; return 1; fi
  awk -v from="$2" -v to="$3" '{ i = index($0, from); if (i) $0 = substr($0, 1, i - 1) to substr($0, i + length(from)); print }' "$page" > "$WORK/$1.html"
}
if break_page no-sort 'return dir * compareValues(va, vb, col.type) || a - b;' 'return a - b;'; then
  dom "$WORK/no-sort.html#selftest" "$WORK/no-sort.dom"
  expect "control: with sorting broken, the self-test fails on sorting" "fail|yes" \
    "$(grep -o 'data-result="[a-z]*"' "$WORK/no-sort.dom" | sed 's/.*="\(.*\)"/\1/')|$(grep -q '^FAIL .*sorted by' "$WORK/no-sort.dom" && echo yes || echo no)"
fi
if break_page no-filter 'if (t.query && t.hay[i].indexOf(t.query) < 0) continue;' ''; then
  dom "$WORK/no-filter.html#selftest" "$WORK/no-filter.dom"
  expect "control: with filtering broken, the self-test fails on filtering" "fail|yes" \
    "$(grep -o 'data-result="[a-z]*"' "$WORK/no-filter.dom" | sed 's/.*="\(.*\)"/\1/')|$(grep -q '^FAIL .*filtering on' "$WORK/no-filter.dom" && echo yes || echo no)"
fi
if break_page throws 'if (p) { showPrincipal(p); window.scrollTo(0, 0); }' 'if (p) { showPrincipal(p); noSuchFunction(); }'; then
  dom "$WORK/throws.html#selftest" "$WORK/throws.dom"
  expect "control: a script error shows on the page and stops the self-test" "1|0" \
    "$(grep -c 'id="page-errors" role="alert" class="shown">This page hit a script error.*noSuchFunction' "$WORK/throws.dom")|$(grep -c 'id="selftest"' "$WORK/throws.dom")"
fi

# --- 4. the shared sample, and 10 accounts shaped like it -------------------------------------------
if [ -f "$SHARED_GAAD" ]; then
  s=$WORK/shared.db
  CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$s" "$SHARED_GAAD" > /dev/null
  report "$s" "$WORK/shared"
  selftest "$WORK/shared/report.html" shared 100
  d=$WORK/shared.selftest.html
  expect "shared: the summary figures (122 users and roles, 10 administrators, 54 with escalation paths, the trust policies open to outsiders, none behind a boundary)" \
    "122|10|54|$(q :memory: ".import --csv $WORK/shared/75-outside-access.csv t" "SELECT count(DISTINCT resource) FROM t WHERE \"grantee kind\" <> 'AWS service'")|0" \
    "$(figure "$d" principals)|$(figure "$d" administrators)|$(figure "$d" escalation)|$(figure "$d" 'external access')|$(figure "$d" boundaries)"
  expect "shared: every section of the navigation is on the page" "" "$(missing_sections "$d")"
  shot "$WORK/shared/report.html" shared-summary 1300
  shot "$WORK/shared/report.html#only=findings" shared-findings 1600
  shot "$WORK/shared/report.html#principal=arn:aws:iam::200611803367:user/privesc-sre-user" shared-principal 2400

  # The accounts as scripts/bench-report.sh builds them: both account ids of the sample replaced.
  files=()
  for i in $(seq 10); do
    sed -e "s/200611803367/3000000000$(printf %02d "$i")/g" -e "s/012345678901/3000000000$(printf %02d "$i")/g" "$SHARED_GAAD" > "$WORK/account-$i.json"
    files+=("$WORK/account-$i.json")
  done
  ten=$WORK/ten.db
  CATALOG_DB=catalog.db scripts/import-gaad.sh -q "$ten" "${files[@]}" > /dev/null
  report "$ten" "$WORK/ten"
  selftest "$WORK/ten/report.html" "10 accounts" 100
  d="$WORK/10 accounts.selftest.html"
  expect "10 accounts: 1,220 principals, and the largest report paginated over all its 54,470 rows" \
    "1,220|Rows 1–50 of 54,470 · page 1 of 1,090" \
    "$(figure "$d" principals)|$(status "$d" t-31-access-levels-by-service)"
  shot "$WORK/ten/report.html#only=s-access-levels" ten-accounts-access-levels 1600
  shot "$WORK/ten/report.html#only=principals" ten-accounts-principals 1300
else
  echo "tests/browser: $SHARED_GAAD not present: the shared sample and the 10 accounts skipped"
fi

echo "screenshots: $OUT/"
finish
