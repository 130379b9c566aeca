#!/usr/bin/env bash
# Run the inventory reports of sql/queries/inventory/ on an inventory database: one CSV file per
# report and one self-contained HTML page (inline style, no external assets) in OUT_DIR.
#
# Usage: scripts/report.sh [--print] DB [OUT_DIR]
#   DB       an inventory (scripts/import-gaad.sh)
#   OUT_DIR  where to write <report>.csv and report.html (default: report/ beside DB)
#   --print  also print every report as a table on standard output (the first PRINT_ROWS rows)
#
# Each report is a file NN-name.sql; its leading comment gives the title (up to the first '?')
# and the description. A report whose header says "setup: FILE" runs FILE (in the same
# directory) first. Reports that need the action catalog ("action catalog" in the header) run
# only when CATALOG_DB holds the table `action` (sql/catalog/actions.sql); otherwise they are listed as
# skipped. The catalog is attached as `catalog`.
#
# Environment:
#   SQLITE3     sqlite3 shell (default: sqlite3)
#   IAM_EXT     the extension, as for .load (default: dist/iam of this repository)
#   CATALOG_DB  catalog database with the action tables (default: catalog-full.db of this
#               repository if it has them, else catalog.db; 'none' for none)
#   QUERY_DIR   the reports (default: sql/queries/inventory of this repository)
#   PRINT_ROWS  rows printed per report with --print (default 15)
#   PRINT_SKIP  a glob of report names (without .sql) not to print with --print, e.g. '31-*'
#               (they are still written to CSV and HTML)
#   HTML_ROWS   rows shown per report in the HTML page (default 1000; the CSV has them all)
set -euo pipefail

SQLITE3=${SQLITE3:-sqlite3}
root=$(cd "$(dirname "$0")/.." && pwd)
IAM_EXT=${IAM_EXT:-$root/dist/iam}
QUERY_DIR=${QUERY_DIR:-$root/sql/queries/inventory}
PRINT_ROWS=${PRINT_ROWS:-15}
PRINT_SKIP=${PRINT_SKIP:-}
HTML_ROWS=${HTML_ROWS:-1000}
print=0
if [ "${1:-}" = --print ]; then print=1; shift; fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 [--print] DB [OUT_DIR]" >&2
  exit 2
fi
db=$1
out=${2:-$(dirname "$db")/report}
[ -f "$db" ] || { echo "report: $db not found" >&2; exit 1; }
sql_quote() { printf "'%s'" "${1//\'/\'\'}"; }
html_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }

has_actions() {
  [ -f "$1" ] && [ "$("$SQLITE3" -batch -readonly "$1" \
    "SELECT count(*) FROM sqlite_master WHERE name = 'action'" 2>/dev/null || echo 0)" = 1 ]
}
if [ -z "${CATALOG_DB+x}" ]; then
  CATALOG_DB=none
  for c in "$root/catalog-full.db" "$root/catalog.db"; do
    if has_actions "$c"; then CATALOG_DB=$c; break; fi
  done
fi
actions=0
if [ "$CATALOG_DB" != none ] && has_actions "$CATALOG_DB"; then actions=1; fi

mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/report.XXXXXX")
trap 'rm -rf "$work"' EXIT
html=$out/report.html

# The title: the leading comment block up to its first '?'; the description: the rest of it.
header() { awk '/^--/ { sub(/^-- */, ""); t = t (t == "" ? "" : " ") $0; next } { exit } END { print t }' "$1"; }

{
  cat <<'EOF'
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
    "$(basename "$db" | html_escape)" \
    "$("$SQLITE3" -batch -readonly "$db" "SELECT group_concat(account_id, ', ') FROM inv_account" | html_escape)" \
    "$("$SQLITE3" -batch :memory: -cmd ".load $IAM_EXT" 'SELECT iam_version()')" \
    "$(if [ "$actions" = 1 ]; then basename "$CATALOG_DB"; else echo none; fi)"
} > "$html"

shopt -s nullglob
reports=("$QUERY_DIR"/[0-9]*.sql)
[ "${#reports[@]}" -gt 0 ] || { echo "report: no reports in $QUERY_DIR" >&2; exit 1; }
for q in "${reports[@]}"; do
  name=$(basename "$q" .sql)
  text=$(header "$q")
  title=$text
  if [[ $text == *\?* ]]; then title="${text%%\?*}?"; fi
  desc=${text#"$title"}
  setup=$(sed -n '1,/^[^-]/s/^--.*setup: \([A-Za-z0-9._-]*\.sql\).*/\1/p' "$q" | head -n 1)
  {
    printf '<h2 id="%s">%s</h2>\n' "$name" "$(printf '%s: %s' "$name" "$title" | html_escape)"
    printf '<p class="desc">%s</p>\n' "$(printf '%s' "$desc" | html_escape)"
  } >> "$html"
  show=$print
  # shellcheck disable=SC2053  # PRINT_SKIP is a glob
  if [ -n "$PRINT_SKIP" ] && [[ $name == $PRINT_SKIP ]]; then show=0; fi
  [ "$show" = 0 ] || { echo; echo "== $name: $title"; }
  if grep -q '^--.*action catalog' "$q" && [ "$actions" = 0 ]; then
    msg="skipped: needs the action catalog (tables of sql/catalog/actions.sql in catalog.db or catalog-full.db, or CATALOG_DB)"
    echo "<p class=\"note\">$msg</p>" >> "$html"
    [ "$show" = 0 ] || echo "($msg)"
    echo "report: $name: $msg" >&2
    continue
  fi
  {
    echo ".bail on"
    if [ "$actions" = 1 ]; then echo "ATTACH $(sql_quote "file:$CATALOG_DB?mode=ro") AS catalog;"; fi
    if [ -n "$setup" ]; then echo ".read $QUERY_DIR/$setup"; fi
    echo ".headers on"
    echo ".mode csv"
    echo ".output $out/$name.csv"
    echo ".read $q"
  } > "$work/run.sql"
  echo "+ $SQLITE3 -batch -cmd '.load $IAM_EXT' $db < ${setup:+$setup + }$q > $out/$name.csv" >&2
  "$SQLITE3" -batch -readonly -cmd ".load $IAM_EXT" "$db" < "$work/run.sql"
  # HTML and the printed table come from the CSV (so each report runs once).
  if [ ! -s "$out/$name.csv" ]; then
    echo "<p>(no rows)</p>" >> "$html"
    [ "$show" = 0 ] || echo "(no rows)"
    continue
  fi
  rows=$("$SQLITE3" -batch :memory: -cmd ".import --csv $out/$name.csv t" "SELECT count(*) FROM t")
  {
    echo "<table>"
    "$SQLITE3" -batch :memory: -cmd ".import --csv $out/$name.csv t" -cmd ".headers on" -cmd ".mode html" \
      "SELECT * FROM t LIMIT $HTML_ROWS"
    echo "</table>"
    if [ "$rows" -gt "$HTML_ROWS" ]; then
      echo "<p class=\"note\">first $HTML_ROWS of $rows rows; all are in $name.csv</p>"
    else
      echo "<p>$rows row(s); $name.csv</p>"
    fi
  } >> "$html"
  if [ "$show" = 1 ]; then
    "$SQLITE3" -batch :memory: -cmd ".import --csv $out/$name.csv t" -cmd ".mode table" \
      "SELECT * FROM t LIMIT $PRINT_ROWS"
    if [ "$rows" -gt "$PRINT_ROWS" ]; then echo "... $rows rows in all: $out/$name.csv"; fi
  fi
done
echo "</body></html>" >> "$html"
echo "report: wrote ${#reports[@]} reports to $out/ (CSV) and $html" >&2
