#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the inventory reports of sql/queries/inventory/ on an inventory database: one CSV (or JSON)
# file per report and one self-contained HTML page (scripts/report-page.html with the data inside).
#
# Each report is a file NN-name.sql holding one SELECT; its leading comment gives the title (up
# to the first '?') and the description, which ends where a line starts with "Needs:" (the rest
# is for whoever runs the SQL). Lines of the comment that start with a key tell how the report
# is used (sql/README.md, "Writing a report"):
#   setup: FILE[, FILE]   files of the same folder to run first; reports naming the same setup
#                         share it: it runs once (anywhere in a line)
#   action catalog        run only when a catalog with the action tables is at hand (anywhere)
#   JSON columns: a, b    columns that hold JSON
#   Section: NAME         the section of report.html its table goes in
#   Severity: LEVEL       its rows are findings (critical, high, medium, low, info)
#   Summary: KEY = EXPR   a figure of the executive summary: EXPR over the report's rows
#   Heatmap: a, b         numeric columns drawn as a heatmap
#   Requires: T1, T2      tables or views the inventory must have, else it is not assessed
#
# All reports run in one sqlite3 session (the inventory read-only, the catalog attached as
# `catalog`), each into the TEMP table report_rows, from which the files and the report's part
# of the page data are written; it prints a marker line as each report starts and ends, which
# this script turns into progress lines. Everything is written into a new folder beside
# OUT_DIR, renamed over OUT_DIR only on success.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init report

usage() {
  cat << EOF
Usage: scripts/report.sh [OPTIONS] DB [OUT_DIR]
Run the reports of sql/queries/inventory/ on the inventory DB (scripts/import-gaad.sh): one
file per report and report.html in OUT_DIR (default: report/ beside DB). Everything is written
into a new folder and renamed over OUT_DIR only when all reports succeeded; OUT_DIR is
replaced only if report.sh wrote it (it holds .sqlite-iam-report) or it is empty.

Options:
  --format csv|json  one CSV file per report (default; a header row always, and cells that a
                     spreadsheet would run as a formula, those starting with = + - @ tab or CR,
                     prefixed with ') or one JSON file per report (an array of objects)
  --print            also print each report as a table on standard output (the first
                     \$PRINT_ROWS rows, default 15)
  -j, --jobs N       run the reports in N sessions at once; reports that share a setup run in
                     the same session (so it is still computed once); not with --print
  --catalog FILE     the catalog with the action tables, for the access-level reports
                     (default: \$CATALOG_DB, else catalog-full.db of this repository if it has
                     them, else catalog.db); 'none' to skip those reports
  -q, --quiet        no progress lines
  -v, --verbose      print the commands run
  -h, --help         this help
  --version          the version
  --                 end of options (for a DB or OUT_DIR whose name starts with '-')

Environment: SQLITE3, IAM_EXT (the extension, as for .load; default dist/iam), CATALOG_DB (as
--catalog), TMPDIR, QUERY_DIR (the reports; default sql/queries/inventory), PRINT_ROWS (15),
PRINT_SKIP (a glob of report names not to print with --print, e.g. '31-*'), HTML_ROWS (rows
of a report that report.html holds, default 100000; the page says when a report has more, and
the CSV or JSON files have them all).

report.html opens with an executive summary, then the findings ranked by severity, a page per
principal, and each report as a table to sort, filter and page through; it loads nothing from
the network. report.html#selftest runs its self-test (tests/browser/run.sh).

Exit status:
  0  every report was written
  1  a report failed, or DB is not an inventory; OUT_DIR is unchanged
  2  usage: an unknown option, a missing or extra argument
  3  refused: OUT_DIR is not a folder report.sh wrote, and not empty
  4  missing: sqlite3, the extension, or the catalog given
  129, 130, 143  stopped by a signal; OUT_DIR is unchanged
EOF
}
print=0
jobs=1
format=csv
catalog=${CATALOG_DB-}
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --print) print=1 ;;
    -j | --jobs)
      [ $# -ge 2 ] || usage_error "$1 needs a number of workers"
      jobs=$2
      shift
      ;;
    --jobs=*) jobs=${1#*=} ;;
    --format | --catalog)
      [ $# -ge 2 ] || usage_error "$1 needs a value"
      if [ "$1" = --format ]; then format=$2; else catalog=$2; fi
      shift
      ;;
    --format=*) format=${1#*=} ;;
    --catalog=*) catalog=${1#*=} ;;
    --) shift; args+=("$@"); break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) args+=("$1") ;;
  esac
  shift
done
case $format in csv | json) ;; *) usage_error "--format is csv or json, not '$format'" ;; esac
if ! [[ $jobs =~ ^[1-9][0-9]?$ ]] || [ "$jobs" -gt 64 ]; then usage_error "-j takes a number of sessions from 1 to 64, not '$jobs'"; fi
[ "$jobs" = 1 ] || [ "$print" = 0 ] || usage_error "-j and --print do not go together"
if [ "${#args[@]}" -lt 1 ] || [ "${#args[@]}" -gt 2 ]; then usage_error "needs DB, and optionally OUT_DIR"; fi
db=${args[0]}
out=${args[1]:-$(dirname -- "$db")/report}
out=${out%/}
QUERY_DIR=${QUERY_DIR:-$ROOT/sql/queries/inventory}
PRINT_ROWS=${PRINT_ROWS:-15}
PRINT_SKIP=${PRINT_SKIP:-}
HTML_ROWS=${HTML_ROWS:-100000}

need_sqlite3
need_ext
[ -f "$db" ] || die 1 "$(shown "$db") does not exist"
kind=$("$SQLITE3" -batch -readonly "$(db_arg "$db")" \
  "SELECT count(*) FROM sqlite_schema WHERE name IN ('inv_meta', 'inv_account', 'inv_effective_policy', 'org_account_controls')" 2>&1) \
  || die 1 "$(shown "$db") is not an SQLite database: $kind"
[ "$kind" != 3 ] || die 1 "$(shown "$db") is an inventory of schema version 1, without the organization tables: import into it again (scripts/import-gaad.sh adds them)"
[ "$kind" = 4 ] || die 1 "$(shown "$db") is not an inventory (scripts/import-gaad.sh makes one)"
if [ -z "$catalog" ]; then
  catalog=none
  for c in "$ROOT/catalog-full.db" "$ROOT/catalog.db"; do
    if [ -e "$c" ] && [ -z "$(catalog_problem "$c" actions)" ]; then catalog=$c; break; fi
  done
elif [ "$catalog" != none ]; then
  problem=$(catalog_problem "$catalog" actions)
  [ -z "$problem" ] || die 4 "the catalog $(shown "$catalog") cannot be used: $problem"
fi
if [ -e "$out" ]; then
  [ -d "$out" ] || die 3 "refused: $(shown "$out") is not a folder"
  # Ours: it holds the marker, or only what report.sh writes (report.html, NN-name.csv or .json).
  if [ ! -e "$out/.sqlite-iam-report" ]; then
    for f in "$out"/* "$out"/.[!.]*; do
      [ -e "$f" ] || [ -L "$f" ] || continue
      if [ -L "$f" ] || [ ! -f "$f" ] || ! [[ ${f##*/} =~ ^(report\.html|[0-9][0-9]-[a-z0-9-]+\.(csv|json))$ ]]; then
        die 3 "refused: $(shown "$out") holds $(shown "${f##*/}"), which report.sh did not write; give an empty or new folder"
      fi
    done
  fi
fi
shopt -s nullglob
reports=("$QUERY_DIR"/[0-9]*.sql)
shopt -u nullglob
[ "${#reports[@]}" -gt 0 ] || die 4 "no reports (NN-name.sql) in $(shown "$QUERY_DIR")"
# What each report's leading comment says, read once for all (one line each, fields split by 0x1F):
# name; its setup files (space-separated); 1 if it needs the action catalog; its JSON columns and
# heatmap columns as JSON arrays; its section; its severity; its summary figures ("key=expr"
# items split by 0x1E); the tables it requires (space-separated); and the text for readers as one
# line: the title (up to the first '?') and the description, which ends where "Needs:" starts
# (what follows is for whoever runs the SQL) and leaves out the SPDX line and the key lines.
declare -A setup_of=() needs_catalog=() json_of=() heat_of=() section_of=() severity_of=() summary_of=() requires_of=() text_of=()
while IFS=$'\037' read -r name setup cat json heat section severity summary requires text; do
  setup_of[$name]=$setup
  needs_catalog[$name]=$cat
  json_of[$name]=$json
  heat_of[$name]=$heat
  section_of[$name]=$section
  severity_of[$name]=$severity
  summary_of[$name]=$summary
  requires_of[$name]=$requires
  text_of[$name]=$text
done < <(awk '
  function jarr(s,   a, i, k, j) {
    j = "["; k = split(s, a, /, */)
    for (i = 1; i <= k; i++) { gsub(/[\\"]/, "\\\\&", a[i]); if (a[i] != "") j = j (j == "[" ? "" : ",") "\"" a[i] "\"" }
    return j "]"
  }
  function out(   n) {
    n = file; sub(/.*\//, "", n); sub(/\.sql$/, "", n)
    printf "%s\037%s\037%d\037%s\037%s\037%s\037%s\037%s\037%s\037%s\n", n, setup, cat, jarr(json), jarr(heat), section, severity, summary, requires, t
  }
  FNR == 1 {
    if (NR > 1) out()
    file = FILENAME; t = ""; setup = ""; cat = 0; json = ""; heat = ""; section = ""; severity = ""; summary = ""; requires = ""; body = 0; needs = 0
  }
  body { next }
  /^--/ {
    line = $0; sub(/^-- */, "", line); sub(/ +$/, "", line)
    if (line ~ /^SPDX-License-Identifier:/) next
    if (line ~ /^JSON columns:/) { sub(/^JSON columns: */, "", line); json = line; next }
    if (line ~ /^Heatmap:/) { sub(/^Heatmap: */, "", line); heat = line; next }
    if (line ~ /^Section:/) { sub(/^Section: */, "", line); section = line; next }
    if (line ~ /^Severity:/) { sub(/^Severity: */, "", line); severity = line; next }
    if (line ~ /^Summary:/) { sub(/^Summary: */, "", line); summary = summary (summary == "" ? "" : "\036") line; next }
    if (line ~ /^Requires:/) { sub(/^Requires: */, "", line); gsub(/, */, " ", line); requires = line; next }
    if (match(line, /setup: [A-Za-z0-9._-]+\.sql(, *[A-Za-z0-9._-]+\.sql)*/)) {
      s = substr(line, RSTART + 7, RLENGTH - 7); gsub(/, */, " ", s); setup = setup (setup == "" ? "" : " ") s
    }
    if (line ~ /action catalog/) cat = 1
    if (line ~ /^Needs:/) needs = 1
    if (!needs) t = t (t == "" ? "" : " ") line
    next
  }
  { body = 1 }
  END { if (NR > 0) out() }' "${reports[@]}")

# Check what the headers say, and which reports cannot run here: those that need the action
# catalog when there is none, and those whose required tables the inventory lacks.
declare -A skip_why=()
required=()
for q in "${reports[@]}"; do
  name=$(basename "$q" .sql)
  case ${severity_of[$name]} in '' | critical | high | medium | low | info) ;;
    *) die 1 "$(shown "$q"): 'Severity: ${severity_of[$name]}' is not one of critical, high, medium, low, info" ;;
  esac
  if [ -n "${summary_of[$name]}" ]; then
    IFS=$'\036' read -ra items <<< "${summary_of[$name]}"
    for item in "${items[@]}"; do
      [[ $item =~ ^[A-Za-z][A-Za-z0-9\ -]*\ =\ .+ ]] || die 1 "$(shown "$q"): 'Summary: $item' is not 'Summary: key = SQL expression'"
    done
  fi
  read -ra setups <<< "${setup_of[$name]}"
  for s in "${setups[@]}"; do
    [ -f "$QUERY_DIR/$s" ] || die 1 "$(shown "$q") names the setup $s, which is not in $(shown "$QUERY_DIR")"
  done
  read -ra tables <<< "${requires_of[$name]}"
  required+=("${tables[@]}")
done
declare -A present=()
if [ "${#required[@]}" -gt 0 ]; then
  list=
  for t in "${required[@]}"; do list+="${list:+, }$(sql_quote "$t")"; done
  while IFS= read -r t; do present[$t]=1; done < <("$SQLITE3" -batch -readonly "$(db_arg "$db")" \
    "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name IN ($list)")
fi
for q in "${reports[@]}"; do
  name=$(basename "$q" .sql)
  if [ "${needs_catalog[$name]}" = 1 ] && [ "$catalog" = none ]; then
    skip_why[$name]="it needs the action catalog (sql/catalog/actions.sql in catalog.db or catalog-full.db; --catalog)"
  fi
  read -ra tables <<< "${requires_of[$name]}"
  missing=()
  for t in "${tables[@]}"; do [ -n "${present[$t]:-}" ] || missing+=("$t"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    skip_why[$name]="the inventory has no ${missing[*]} (the data it reads was not imported)"
  fi
done

mkdir -p -- "$(dirname -- "$out")"
new=
temp_dir new "$out"
work=
temp_dir work
lib_on_stop() { echo "$PROG: $(shown "$out") left unchanged" >&2; }

# The SQL that writes the current report_rows: a generator run by the session, producing the
# statements for this report's columns (pragma_table_info), then read back. Column names are
# quoted as identifiers; a cell is neutralised (OWASP "CSV injection") when it is text starting
# with = + - @ tab or CR. The last statement keeps the report's rows for report.html as one JSON
# array of arrays (JSON columns nested), in the TEMP table page_rows.
cell="CASE WHEN typeof({c}) = 'text' AND substr({c}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13)) THEN '''' || {c} ELSE {c} END"
cell_sql=$(sql_quote "$cell")
emit_generator() { # NAME -> the generator statement
  local name=$1 file jcols
  dot_quote -v file "$new/$name.$format"
  sql_quote_v jcols "${json_of[$name]}"
  sql_quote_v file "$file"
  printf '%s\n' "WITH c AS (SELECT cid, '\"' || replace(name, '\"', '\"\"') || '\"' AS id, quote(name) AS lit,
       name IN (SELECT value FROM json_each($jcols)) AS is_json
       FROM pragma_table_info('report_rows') ORDER BY cid)"
  if [ "$format" = csv ]; then
    printf '%s\n' "SELECT '.output ' || $file || char(10) || '.mode csv' || char(10)
  || 'SELECT ' || (SELECT group_concat(replace($cell_sql, '{c}', lit), ', ') FROM c) || ';' || char(10)
  || 'SELECT ' || (SELECT group_concat(replace($cell_sql, '{c}', id), ', ') FROM c)
  || ' FROM report_rows ORDER BY rowid;' || char(10)"
  else
    printf '%s\n' "SELECT '.output ' || $file || char(10) || '.mode list' || char(10)
  || 'SELECT ''['';' || char(10)
  || 'SELECT ''  '' || json_object(' || (SELECT group_concat(lit || ', ' || CASE WHEN is_json THEN 'json(' || id || ')' ELSE id END, ', ') FROM c)
  || ') || CASE WHEN rowid < (SELECT max(rowid) FROM report_rows) THEN '','' ELSE '''' END FROM report_rows ORDER BY rowid;' || char(10)
  || 'SELECT '']'';' || char(10)"
  fi
  printf '%s\n' "  || 'DROP TABLE IF EXISTS temp.page_rows;' || char(10)
  || 'CREATE TEMP TABLE page_rows AS SELECT json_group_array(json_array('
  || (SELECT group_concat(CASE WHEN is_json THEN 'json(' || id || ')' ELSE id END, ', ') FROM c)
  || ')) AS rows FROM (SELECT * FROM report_rows ORDER BY rowid LIMIT $HTML_ROWS);' || char(10);"
}
# page_meta NAME: what report.html shows of a report besides its rows, as an SQL expression.
page_meta() {
  local name=$1 text=${text_of[$1]} title desc keys='' items item
  title=$text
  if [[ $text == *\?* ]]; then title="${text%%\?*}?"; fi
  desc=${text#"$title"}
  desc=${desc# }
  if [ -n "${summary_of[$name]}" ]; then
    IFS=$'\036' read -ra items <<< "${summary_of[$name]}"
    for item in "${items[@]}"; do keys+="${keys:+, }$(sql_quote "${item%% = *}")"; done
  fi
  printf "json_object('name', %s, 'title', %s, 'description', %s, 'section', %s, 'severity', %s, 'heatmap', json(%s), 'json_columns', json(%s), 'summary', json_array(%s), 'file', %s)" \
    "$(sql_quote "$name")" "$(sql_quote "$title")" "$(sql_quote "$desc")" "$(sql_quote "${section_of[$name]}")" \
    "$(if [ -n "${severity_of[$name]}" ]; then sql_quote "${severity_of[$name]}"; else echo NULL; fi)" \
    "$(sql_quote "${heat_of[$name]}")" "$(sql_quote "${json_of[$name]}")" "$keys" "$(sql_quote "$name.$format")"
}
# page_figures NAME: the report's summary figures as an SQL expression over report_rows.
page_figures() {
  local items item sep=
  printf 'json_array('
  if [ -n "${summary_of[$1]}" ]; then
    IFS=$'\036' read -ra items <<< "${summary_of[$1]}"
    for item in "${items[@]}"; do
      printf "%sjson_object('key', %s, 'value', (SELECT %s FROM report_rows))" "$sep" "$(sql_quote "${item%% = *}")" "${item#* = }"
      sep=', '
    done
  fi
  printf ')'
}

# A session: reports, with markers on standard output ("@@ ..." lines; "@@ t MS" after each marker
# gives the time, for sessions read after they end).
page_k=0
now_ms="SELECT '@@ t ' || CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);"
skipped=()
session_reports=()
for q in "${reports[@]}"; do
  name=$(basename "$q" .sql)
  if [ -n "${skip_why[$name]:-}" ]; then skipped+=("$name"); else session_reports+=("$q"); fi
done
# write_session K REPORT...: the session that runs these reports (their setups once each);
# session $page_k (the one with the fewest reports) also writes what the page says of the skipped
# reports, and the page's inventory data.
write_session() {
  local k=$1 q name setup setups path emit page show
  shift
  local -A setup_done=()
  dot_quote -v emit "$work/emit-$k.sql"
  echo ".bail on"
  # The setups' TEMP tables are looked up by index once per principal: with SQLite's default page
  # cache (2 MB) each look-up at 1,000 accounts reads its pages back from the temporary file, one
  # system call each. 256 MiB holds their hot pages (principal-sets-setup and 20-who-can at 1,000
  # accounts: 137 s to 104 s); the cache grows only as it is used.
  echo "PRAGMA temp.cache_size = -262144;"
  echo ".headers off"
  echo ".nullvalue ''"
  if [ "$catalog" != none ]; then echo "ATTACH $(sql_quote "$(uri_ro "$catalog")") AS catalog;"; fi
  printf "CREATE TEMP TABLE report_info AS SELECT %s AS version, %s AS database, %s AS catalog, %s AS format;\n" \
    "$(sql_quote "$VERSION")" "$(sql_quote "$(basename -- "$db")")" \
    "$(if [ "$catalog" != none ]; then sql_quote "$(basename -- "$catalog")"; else echo NULL; fi)" "$(sql_quote "$format")"
  if [ "$k" = "$page_k" ]; then
    for name in "${skipped[@]}"; do
      dot_quote -v page "$work/$name.page.json"
      echo ".mode list"
      echo ".once $page"
      echo "SELECT replace(json_patch($(page_meta "$name"), json_object('skipped', $(sql_quote "${skip_why[$name]}"))), '<', '\\u003c');"
    done
  fi
  for q in "$@"; do
    name=$(basename "$q" .sql)
    dot_quote -v page "$work/$name.page.json"
    echo ".output stdout"
    echo ".print \"@@ report $name\""
    echo "$now_ms"
    read -ra setups <<< "${setup_of[$name]}"
    for setup in "${setups[@]}"; do
      [ -z "${setup_done[$setup]:-}" ] || continue
      setup_done[$setup]=1
      echo ".print \"@@ setup $setup\""
      echo "$now_ms"
      dot_quote -v path "$QUERY_DIR/$setup"
      echo ".read $path"
      echo ".print \"@@ setup-done $setup\""
      echo "$now_ms"
    done
    echo "DROP TABLE IF EXISTS temp.report_rows;"
    echo "CREATE TEMP TABLE report_rows AS"
    cat "$q"
    echo
    echo "SELECT '@@ rows ' || count(*) FROM report_rows;"
    echo ".once $emit"
    emit_generator "$name"
    echo ".read $emit"
    echo ".mode list"
    echo ".once $page"
    echo "SELECT replace(json_patch($(page_meta "$name"), json_object('total', (SELECT count(*) FROM report_rows),
  'columns', (SELECT json_group_array(name) FROM (SELECT name FROM pragma_table_info('report_rows') ORDER BY cid)),
  'figures', $(page_figures "$name"), 'rows', json((SELECT rows FROM page_rows)))), '<', '\\u003c');"
    show=$print
    # shellcheck disable=SC2053  # PRINT_SKIP is a glob
    if [ -n "$PRINT_SKIP" ] && [[ $name == $PRINT_SKIP ]]; then show=0; fi
    echo ".output stdout"
    if [ "$show" = 1 ]; then
      echo ".print \"@@ print $name\""
      echo ".mode table"
      echo ".headers on"
      echo "SELECT * FROM report_rows ORDER BY rowid LIMIT $PRINT_ROWS;"
      echo ".headers off"
    fi
    echo ".mode list"
    echo ".print \"@@ done $name\""
    echo "$now_ms"
  done
  if [ "$k" = "$page_k" ]; then
    echo ".output stdout"
    echo ".print \"@@ page\""
    dot_quote -v page "$work/inventory.page.json"
    echo ".once $page"
    dot_quote -v path "$ROOT/sql/inventory/report-page.sql"
    echo ".read $path"
    echo ".output stdout"
    echo ".print \"@@ page-done\""
  fi
}

say "$(shown "$db"): ${#reports[@]} reports; catalog: $(shown "$catalog")"
declare -A rows=()
current=
took=
n_rows=
start=
setup_start=
t_ms=
load=".load $(dot_quote "$IAM_EXT")"
dbarg=$(db_arg "$db")
# on_line LINE: a line of a session's output (a marker, or printed output). With -j the sessions
# are read after they end, and the times come from their "@@ t" lines.
on_line() {
  local line=$1 name title
  case $line in
    "@@ t "*) t_ms=${line#@@ t } ;;
    "@@ report "*) current=${line#@@ report }; start=${EPOCHREALTIME/./} ;;
    "@@ setup "*) setup_start=${EPOCHREALTIME/./} ;;
    "@@ setup-done "*) pending="setup ${line#@@ setup-done }" ;;
    "@@ rows "*) rows[$current]=${line#@@ rows } ;;
    "@@ print "*)
      name=${line#@@ print }
      echo
      title=${text_of[$name]}
      [[ $title != *\?* ]] || title="${title%%\?*}?"
      echo "== $name: $title"
      [ "${rows[$name]}" != 0 ] || echo "(no rows)"
      ;;
    "@@ done "*)
      name=${line#@@ done }
      # shellcheck disable=SC2053  # PRINT_SKIP is a glob
      if [ "$print" = 1 ] && [ "${rows[$name]}" -gt "$PRINT_ROWS" ] && [[ -z $PRINT_SKIP || $name != $PRINT_SKIP ]]; then
        echo "... ${rows[$name]} rows in all: $out/$name.$format"
      fi
      pending="done $name"
      current=
      ;;
    "@@ page") current="the page's inventory data (sql/inventory/report-page.sql)"; start=${EPOCHREALTIME/./} ;;
    "@@ page-done") current= ;;
    *) printf '%s\n' "$line" ;;
  esac
}
# The progress line of a setup or report that ended: its time from the clock (one live session)
# or from the session's own marks (-j).
pending=
mark_s=() # setup, report start marks of the session read (ms), for -j
say_pending() {
  local what=${pending%% *} name=${pending#* } ms
  [ -n "$pending" ] || return 0
  if [ "$jobs" = 1 ]; then
    if [ "$what" = setup ]; then seconds_since -v took "$setup_start"; else seconds_since -v took "$start"; fi
  else
    if [ "$what" = setup ]; then ms=$((t_ms - mark_s[0])); else ms=$((t_ms - mark_s[1])); fi
    printf -v took '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
  fi
  if [ "$what" = setup ]; then
    say "$name (shared by the reports that name it) [$took s]"
  else
    plural -v n_rows "${rows[$name]}" row
    say "$name: $n_rows [$took s]"
  fi
  pending=
}
if [ "$jobs" = 1 ]; then
  write_session 0 "${session_reports[@]}" > "$work/session.sql"
  trace "$SQLITE3 -batch -readonly -cmd '.load $(shown "$IAM_EXT")' $(shown "$db") < $(shown "$work/session.sql")"
  mkfifo -- "$work/session.out"
  stdbuf -oL "$SQLITE3" -batch -readonly -cmd "$load" "$dbarg" < "$work/session.sql" > "$work/session.out" 2> "$work/session.err" &
  session_pid=$!
  LIB_PIDS+=("$session_pid")
  exec {session}< "$work/session.out"
  while IFS= read -r line <&"$session"; do
    on_line "$line"
    say_pending
  done
  exec {session}<&-
  status=0
  wait "$session_pid" || status=$?
  if [ "$status" != 0 ]; then
    show_errors "$work/session.err"
    die 1 "FAILED${current:+ in report $current}; $(shown "$out") left unchanged"
  fi
else
  # Reports that share a setup go together (and so do their other setups: a group is a connected
  # part of reports and setups); the groups are dealt to the sessions, largest first, each to the
  # session with the fewest reports so far.
  declare -A part_of=() # setup -> its group's label
  for q in "${session_reports[@]}"; do
    name=$(basename "$q" .sql)
    read -ra setups <<< "${setup_of[$name]}"
    [ "${#setups[@]}" -gt 0 ] || continue
    label=${part_of[${setups[0]}]:-${setups[0]}}
    for s in "${setups[@]}"; do
      old=${part_of[$s]:-}
      if [ -n "$old" ] && [ "$old" != "$label" ]; then
        for t in "${!part_of[@]}"; do [ "${part_of[$t]}" != "$old" ] || part_of[$t]=$label; done
      fi
      part_of[$s]=$label
    done
  done
  declare -A group=()
  order=()
  for q in "${session_reports[@]}"; do
    name=$(basename "$q" .sql)
    read -ra setups <<< "${setup_of[$name]}"
    if [ "${#setups[@]}" -gt 0 ]; then key=${part_of[${setups[0]}]}; else key=$name; fi
    [ -n "${group[$key]+x}" ] || order+=("$key")
    group[$key]+="$q"$'\n'
  done
  declare -a load_of=() list_of=()
  for ((k = 0; k < jobs; k++)); do load_of[k]=0; list_of[k]=; done
  while IFS=$'\t' read -r _ key; do
    best=0
    for ((k = 1; k < jobs; k++)); do [ "${load_of[k]}" -ge "${load_of[best]}" ] || best=$k; done
    list_of[best]+=${group[$key]}
    load_of[best]=$((load_of[best] + $(printf '%s' "${group[$key]}" | grep -c '')))
  done < <(for key in "${order[@]}"; do printf '%s\t%s\n' "$(printf '%s' "${group[$key]}" | grep -c '')" "$key"; done | sort -t $'\t' -k1,1nr -s)
  # the page's data goes with the session of the fewest reports
  page_k=-1
  for ((k = 0; k < jobs; k++)); do
    [ -n "${list_of[k]}" ] || continue
    if [ "$page_k" = -1 ] || [ "${load_of[k]}" -lt "${load_of[page_k]}" ]; then page_k=$k; fi
  done
  [ "$page_k" != -1 ] || page_k=0
  pids=()
  sessions=()
  for ((k = 0; k < jobs; k++)); do
    [ -n "${list_of[k]}" ] || [ "$k" = "$page_k" ] || continue
    mine=()
    [ -z "${list_of[k]}" ] || mapfile -t mine <<< "${list_of[k]%$'\n'}"
    write_session "$k" "${mine[@]}" > "$work/session-$k.sql"
    trace "$SQLITE3 -batch -readonly -cmd '.load $(shown "$IAM_EXT")' $(shown "$db") < $(shown "$work/session-$k.sql")"
    "$SQLITE3" -batch -readonly -cmd "$load" "$dbarg" < "$work/session-$k.sql" > "$work/session-$k.out" 2> "$work/session-$k.err" &
    pids+=("$!")
    LIB_PIDS+=("$!")
    sessions+=("$k")
  done
  say "running the reports in ${#sessions[@]} sessions at once"
  failed=
  for i in "${!pids[@]}"; do
    k=${sessions[i]}
    if ! wait "${pids[i]}"; then failed+=" $k"; fi
  done
  for k in "${sessions[@]}"; do
    current=
    while IFS= read -r line; do
      case $line in
        "@@ t "*)
          t_ms=${line#@@ t }
          if [ -n "${next_mark:-}" ]; then
            if [ "$next_mark" = "@@ setup" ]; then mark_s[0]=$t_ms; else mark_s[1]=$t_ms; fi
            next_mark=
          fi
          say_pending
          continue
          ;;
      esac
      case $line in "@@ setup "*) next_mark="@@ setup" ;; "@@ report "*) next_mark="@@ report" ;; esac
      on_line "$line"
    done < "$work/session-$k.out"
    if [[ " $failed " == *" $k "* ]]; then
      show_errors "$work/session-$k.err"
      die 1 "FAILED${current:+ in report $current}; $(shown "$out") left unchanged"
    fi
  done
fi
for name in "${skipped[@]}"; do
  warn "$name skipped: ${skip_why[$name]}"
done

# report.html: the page (scripts/report-page.html) with its data in one JSON script element.
# Every text in the data was written by SQLite's JSON functions with each '<' as \u003c, so no
# name or document can end the script element; the page puts the data on screen as text only.
template=$ROOT/scripts/report-page.html
marker='<!-- report data -->'
[ "$(grep -c -F -x -- "$marker" "$template")" = 1 ] || die 1 "$(shown "$template") must hold the line '$marker' once"
{
  sed -n "/^$marker\$/q;p" "$template"
  # (on one line: the shell ends each part with a line break, which JSON text never holds raw)
  printf '<script type="application/json" id="report-data">{"inventory":'
  tr -d '\n' < "$work/inventory.page.json"
  printf ',"reports":['
  sep=
  for q in "${reports[@]}"; do
    name=$(basename "$q" .sql)
    printf '%s' "$sep"
    tr -d '\n' < "$work/$name.page.json"
    sep=,
  done
  printf ']}</script>\n'
  sed -n "/^$marker\$/,\$p" "$template" | sed 1d
} > "$new/report.html"
seconds_since -v took "$start"
say "report.html: $(($(stat -c %s "$new/report.html") / 1024)) KB [$took s]"
printf 'sqlite-iam %s report of %s\n' "$VERSION" "$(shown "$db")" > "$new/.sqlite-iam-report"
chmod 755 "$new"

# Swap the new folder in: the old one (if any) is renamed aside, then removed.
if [ -e "$out" ]; then
  old=
  temp_dir old "$out"
  rmdir -- "$old"
  mv -T -- "$out" "$old"
fi
mv -T -- "$new" "$out"
forget_temp "$new"
say "wrote $((${#reports[@]} - ${#skipped[@]})) reports to $(shown "$out")/ ($format) and $(shown "$out/report.html")"
