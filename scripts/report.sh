#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the inventory reports of sql/queries/inventory/ on an inventory database: one CSV (or JSON)
# file per report and one self-contained HTML page (inline style, no external assets).
#
# Each report is a file NN-name.sql holding one SELECT; its leading comment gives the title (up
# to the first '?') and the description. A header line "setup: FILE" names a file of the same
# folder to run first; reports naming the same setup share it: it runs once. "JSON columns: a,
# b" names the columns that hold JSON (kept as JSON in --format json). Reports whose header says
# "action catalog" run only when a catalog with the action tables (sql/catalog/actions.sql) is at
# hand; otherwise they are listed as skipped.
#
# All reports run in one sqlite3 session (the inventory read-only, the catalog attached as
# `catalog`), each into the TEMP table report_rows, from which the files are written; it prints
# a marker line as each report starts and ends, which this script turns into progress lines.
# Everything is written into a new folder beside OUT_DIR, renamed over OUT_DIR only on success.
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
shown per report in report.html, default 1000; the CSV or JSON files have them all).

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
format=csv
catalog=${CATALOG_DB-}
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --print) print=1 ;;
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
if [ "${#args[@]}" -lt 1 ] || [ "${#args[@]}" -gt 2 ]; then usage_error "needs DB, and optionally OUT_DIR"; fi
db=${args[0]}
out=${args[1]:-$(dirname -- "$db")/report}
out=${out%/}
QUERY_DIR=${QUERY_DIR:-$ROOT/sql/queries/inventory}
PRINT_ROWS=${PRINT_ROWS:-15}
PRINT_SKIP=${PRINT_SKIP:-}
HTML_ROWS=${HTML_ROWS:-1000}

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
# name, setup file, 1 if it needs the action catalog, its JSON columns as a JSON array, and the
# comment as one line (title and description; without the SPDX and "JSON columns:" lines).
declare -A setup_of=() needs_catalog=() json_of=() text_of=()
while IFS=$'\037' read -r name setup cat json text; do
  setup_of[$name]=$setup
  needs_catalog[$name]=$cat
  json_of[$name]=$json
  text_of[$name]=$text
done < <(awk '
  function out(   n, a, i, k, j) {
    n = file; sub(/.*\//, "", n); sub(/\.sql$/, "", n)
    j = "["; k = split(json, a, /, */)
    for (i = 1; i <= k; i++) { gsub(/[\\"]/, "\\\\&", a[i]); if (a[i] != "") j = j (j == "[" ? "" : ",") "\"" a[i] "\"" }
    printf "%s\037%s\037%d\037%s\037%s\n", n, setup, cat, j "]", t
  }
  FNR == 1 { if (NR > 1) out(); file = FILENAME; t = ""; setup = ""; cat = 0; json = ""; body = 0 }
  body { next }
  /^--/ {
    line = $0; sub(/^-- */, "", line)
    if (line ~ /^SPDX-License-Identifier:/) next
    if (line ~ /^JSON columns:/) { sub(/^JSON columns: */, "", line); json = line; next }
    if (match(line, /setup: [A-Za-z0-9._-]+\.sql/)) setup = substr(line, RSTART + 7, RLENGTH - 7)
    if (line ~ /action catalog/) cat = 1
    t = t (t == "" ? "" : " ") line
    next
  }
  { body = 1 }
  END { if (NR > 0) out() }' "${reports[@]}")

mkdir -p -- "$(dirname -- "$out")"
new=
temp_dir new "$out"
work=
temp_dir work
lib_on_stop() { echo "$PROG: $(shown "$out") left unchanged" >&2; }
html_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }

# The SQL that writes the current report_rows: a generator run by the session, producing the
# statements for this report's columns (pragma_table_info), then read back. Column names are
# quoted as identifiers; a cell is neutralised (OWASP "CSV injection") when it is text starting
# with = + - @ tab or CR.
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
  || ' FROM report_rows ORDER BY rowid;' || char(10);"
  else
    printf '%s\n' "SELECT '.output ' || $file || char(10) || '.mode list' || char(10)
  || 'SELECT ''['';' || char(10)
  || 'SELECT ''  '' || json_object(' || (SELECT group_concat(lit || ', ' || CASE WHEN is_json THEN 'json(' || id || ')' ELSE id END, ', ') FROM c)
  || ') || CASE WHEN rowid < (SELECT max(rowid) FROM report_rows) THEN '','' ELSE '''' END FROM report_rows ORDER BY rowid;' || char(10)
  || 'SELECT '']'';' || char(10);"
  fi
}

# The session: every report, with markers on standard output ("@@ ..." lines).
declare -A setup_done=()
emit=
dot_quote -v emit "$work/emit.sql"
skipped=()
{
  echo ".bail on"
  echo ".headers off"
  echo ".nullvalue ''"
  if [ "$catalog" != none ]; then echo "ATTACH $(sql_quote "$(uri_ro "$catalog")") AS catalog;"; fi
  for q in "${reports[@]}"; do
    name=$(basename "$q" .sql)
    if [ "${needs_catalog[$name]}" = 1 ] && [ "$catalog" = none ]; then
      skipped+=("$name")
      continue
    fi
    echo ".output stdout"
    echo ".print \"@@ report $name\""
    setup=${setup_of[$name]}
    if [ -n "$setup" ] && [ -z "${setup_done[$setup]:-}" ]; then
      setup_done[$setup]=1
      echo ".print \"@@ setup $setup\""
      dot_quote -v path "$QUERY_DIR/$setup"
      echo ".read $path"
      echo ".print \"@@ setup-done $setup\""
    fi
    echo "DROP TABLE IF EXISTS temp.report_rows;"
    echo "CREATE TEMP TABLE report_rows AS"
    cat "$q"
    echo
    echo "SELECT '@@ rows ' || count(*) FROM report_rows;"
    echo ".once $emit"
    emit_generator "$name"
    echo ".read $emit"
    dot_quote -v path "$work/$name.html"
    echo ".output $path"
    echo ".mode html"
    echo ".headers on"
    echo "SELECT * FROM report_rows ORDER BY rowid LIMIT $HTML_ROWS;"
    echo ".headers off"
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
  done
} > "$work/session.sql"

say "$(shown "$db"): ${#reports[@]} reports; catalog: $(shown "$catalog")"
declare -A rows=()
current=
took=
n_rows=
start=
trace "$SQLITE3 -batch -readonly -cmd '.load $(shown "$IAM_EXT")' $(shown "$db") < $(shown "$work/session.sql")"
load=".load $(dot_quote "$IAM_EXT")"
dbarg=$(db_arg "$db")
mkfifo -- "$work/session.out"
stdbuf -oL "$SQLITE3" -batch -readonly -cmd "$load" "$dbarg" < "$work/session.sql" > "$work/session.out" 2> "$work/session.err" &
session_pid=$!
LIB_PIDS+=("$session_pid")
exec {session}< "$work/session.out"
while IFS= read -r line <&"$session"; do
  case $line in
    "@@ report "*) current=${line#@@ report }; start=${EPOCHREALTIME/./} ;;
    "@@ setup "*) setup_start=${EPOCHREALTIME/./} ;;
    "@@ setup-done "*)
      seconds_since -v took "$setup_start"
      say "${line#@@ setup-done } (shared by the reports that name it) [$took s]"
      ;;
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
      seconds_since -v took "$start"
      plural -v n_rows "${rows[$name]}" row
      say "$name: $n_rows [$took s]"
      current=
      ;;
    *) printf '%s\n' "$line" ;;
  esac
done
exec {session}<&-
status=0
wait "$session_pid" || status=$?
if [ "$status" != 0 ]; then
  show_errors "$work/session.err"
  die 1 "FAILED${current:+ in report $current}; $(shown "$out") left unchanged"
fi
for name in "${skipped[@]}"; do
  warn "$name skipped: it needs the action catalog (sql/catalog/actions.sql in catalog.db or catalog-full.db; --catalog)"
done

# report.html: the reports in order, each table from its fragment.
{
  cat << 'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>sqlite-iam inventory report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ccc; }
p.desc { color: #555; max-width: 60em; } p.note { color: #a40; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; position: sticky; top: 0; } tr:nth-child(even) td { background: #fafafa; }
td { max-width: 40em; overflow-wrap: anywhere; }
</style></head><body>
EOF
  echo "<h1>sqlite-iam inventory report</h1>"
  printf '<p class="desc">Database <code>%s</code>; accounts: %s. Extension %s; action catalog: %s.</p>\n' \
    "$(basename -- "$db" | html_escape)" \
    "$("$SQLITE3" -batch -readonly "$(db_arg "$db")" "SELECT group_concat(account_id, ', ') FROM inv_account" | html_escape)" \
    "$("$SQLITE3" -batch :memory: -cmd ".load $(dot_quote "$IAM_EXT")" 'SELECT iam_version()')" \
    "$(if [ "$catalog" != none ]; then basename -- "$catalog" | html_escape; else echo none; fi)"
  for q in "${reports[@]}"; do
    name=$(basename "$q" .sql)
    text=${text_of[$name]}
    title=$text
    if [[ $text == *\?* ]]; then title="${text%%\?*}?"; fi
    desc=${text#"$title"}
    printf '<h2 id="%s">%s</h2>\n' "$name" "$(printf '%s: %s' "$name" "$title" | html_escape)"
    printf '<p class="desc">%s</p>\n' "$(printf '%s' "$desc" | html_escape)"
    if [ -z "${rows[$name]+x}" ]; then
      echo "<p class=\"note\">skipped: needs the action catalog (sql/catalog/actions.sql in catalog.db or catalog-full.db)</p>"
    elif [ "${rows[$name]}" = 0 ]; then
      echo "<p>(no rows)</p>"
    else
      echo "<table>"
      cat "$work/$name.html"
      echo "</table>"
      if [ "${rows[$name]}" -gt "$HTML_ROWS" ]; then
        echo "<p class=\"note\">first $HTML_ROWS of ${rows[$name]} rows; all are in $name.$format</p>"
      else
        echo "<p>${rows[$name]} row(s); $name.$format</p>"
      fi
    fi
  done
  echo "</body></html>"
} > "$new/report.html"
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
