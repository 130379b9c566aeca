#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Import an AWS Organization (its root, OUs, accounts, SCPs, RCPs and their attachments) from the
# JSON that the AWS CLI prints, saved into a folder under the names sql/README.md gives
# ("Organizations and resource policies"), into an inventory database (sql/org/schema.sql), all
# or nothing. The steps, each in its own sqlite3 run:
#   1. list the folder (only the documented names) and check each file (readable, UTF-8 without
#      byte-order mark, valid JSON: where it is not);
#   2. stage them in a scratch database (sql/org/stage-org.sql): the tree, every reference
#      (parents, policies, targets) checked, every problem one line naming the file and entity;
#   3. parse every SCP and RCP with the extension, by the rules of its type;
#   4. plan: an inventory that holds another organization is refused without --replace, and
#      --dry-run stops here;
#   5. load (sql/org/load-org.sql) in one transaction, committed by this script only once the
#      load is done (lib.sh run_tx). A new database is built beside its name and renamed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init import-org

usage() {
  cat << EOF
Usage: scripts/import-org.sh [OPTIONS] DB DIR
Import the organization that the AWS CLI's output in DIR describes into the inventory DB, all
or nothing: on any problem DB is left exactly as it was (and not created).

  DB      the inventory (scripts/import-gaad.sh fills its accounts); created if missing. The
          organization replaces the one DB held.
  DIR     the CLI's output, saved as (sql/README.md has the loop that makes it):
            describe-organization.json, list-roots.json,
            list-organizational-units-for-parent/PARENT_ID.json, list-accounts-for-parent/PARENT_ID.json
              (for the root and every OU),
            list-policies-SERVICE_CONTROL_POLICY.json, list-policies-RESOURCE_CONTROL_POLICY.json,
            describe-policy/POLICY_ID.json, list-targets-for-policy/POLICY_ID.json (every policy)

Options:
  --replace       let the import replace another organization that DB holds
  --dry-run       check everything and print what the import would do; change nothing
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run and every problem (not only the first $ERROR_LIMIT)
  -h, --help      this help
  --version       the version
  --              end of options (for a DB or DIR whose name starts with '-')

Output: one line for the organization imported on standard output; progress, warnings (an
account where a level of the tree has no SCP: all its requests are denied) and errors on
standard error.

Environment: SQLITE3 (the sqlite3 shell), IAM_EXT (the extension, as for .load; default
dist/iam of this repository), TMPDIR, IMPORT_KEEP_WORK=1 (keep the scratch directory),
IMPORT_EXTRA_SQL (an SQL file read inside the load's transaction, for tests).

Exit status:
  0  imported (or, with --dry-run, the import would succeed)
  1  the input is invalid or a step failed; DB is unchanged
  2  usage: an unknown option, a missing or extra argument
  3  refused: DB holds another organization (see --replace)
  4  missing: sqlite3 or the extension
  129, 130, 143  stopped by a signal; DB is unchanged
EOF
}

replace=0
dry_run=0
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --replace) replace=1 ;;
    --dry-run) dry_run=1 ;;
    --) shift; args+=("$@"); break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ "${#args[@]}" = 2 ] || usage_error "needs an inventory database and the folder of the CLI's output"
db=${args[0]}
dir=${args[1]}
[ "$dir" = / ] || dir=${dir%/}

need_sqlite3
need_ext
[ -d "$dir" ] || die 1 "$(shown "$dir") is not a folder (it holds the CLI's output: scripts/import-org.sh --help)"
if [ "$dry_run" = 1 ]; then inventory_check "$db" readonly; else inventory_check "$db"; fi

import_start "$db"
lib_on_stop() { echo "$PROG: $(lib_import_unchanged)" >&2; }

# 1. The files: the documented names only (kind and key from the name), each a JSON text.
: > "$work/problems"
files=() kinds=() keys=()
add() { files+=("$1"); kinds+=("$2"); keys+=("$3"); }
for name in describe-organization list-roots; do
  [ ! -e "$dir/$name.json" ] || add "$dir/$name.json" "$name" ""
done
for t in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
  [ ! -e "$dir/list-policies-$t.json" ] || add "$dir/list-policies-$t.json" list-policies "$t"
done
for f in "$dir"/list-policies-*.json; do
  [ -e "$f" ] || continue
  case ${f##*/} in list-policies-SERVICE_CONTROL_POLICY.json | list-policies-RESOURCE_CONTROL_POLICY.json) ;;
    *) echo "$(shown "$f"): not a file the import reads (list-policies-SERVICE_CONTROL_POLICY.json or list-policies-RESOURCE_CONTROL_POLICY.json)" >> "$work/problems" ;;
  esac
done
for sub in list-organizational-units-for-parent list-accounts-for-parent describe-policy list-targets-for-policy; do
  [ -e "$dir/$sub" ] || continue
  [ -d "$dir/$sub" ] || { echo "$(shown "$dir/$sub"): not a folder" >> "$work/problems"; continue; }
  for f in "$dir/$sub"/* "$dir/$sub"/.[!.]*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    base=${f##*/}
    if [[ $base =~ ^[A-Za-z0-9_-]+\.json$ ]] && [ -f "$f" ]; then
      add "$f" "$sub" "${base%.json}"
    else
      echo "$(shown "$f"): not a file the import reads (ID.json, the id of a parent or a policy)" >> "$work/problems"
    fi
  done
done
say "checking ${#files[@]} file(s) of $(shown "$dir")"
[ "${#files[@]}" = 0 ] || json_file_problems "$work/problems" "$work" "${files[@]}"
if [ -s "$work/problems" ]; then
  show_errors "$work/problems"
  fail "$(wc -l < "$work/problems") file(s) cannot be used"
fi

# 2. Staging: read and check the files in a scratch database.
stage_start=${EPOCHREALTIME/./}
{
  echo ".bail on"
  echo ".output /dev/null"
  echo "PRAGMA journal_mode = OFF;"
  echo "PRAGMA synchronous = OFF;"
  echo ".output stdout"
  echo "CREATE TABLE stage_param (dir TEXT NOT NULL); INSERT INTO stage_param VALUES ($(sql_quote "$dir"));"
  echo "CREATE TABLE stage_file (file_no INTEGER PRIMARY KEY, file TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, txt TEXT);"
  qf=''
  qk=''
  for i in "${!files[@]}"; do
    sql_quote_v qf "${files[i]}"
    sql_quote_v qk "${keys[i]}"
    echo "INSERT INTO stage_file VALUES ($((i + 1)), $qf, '${kinds[i]}', $qk, CAST(readfile($qf) AS TEXT));"
  done
  echo ".read $(dot_quote "$ROOT/sql/org/stage-org.sql")"
} > "$work/stage.sql"
say "staging ${#files[@]} file(s)"
trace "$SQLITE3 -batch $(shown "$work/stage.db") < $(shown "$work/stage.sql")"
if ! "$SQLITE3" -batch -list "$work/stage.db" < "$work/stage.sql" > "$work/stage.out" 2> "$work/stage.err"; then
  sqlite_errors "$work/stage.err" >> "$work/stage.out"
  show_errors "$work/stage.out"
  fail "the input has $(wc -l < "$work/stage.out") problem(s)"
fi
"$SQLITE3" -batch -list -separator ' ' "$work/stage.db" \
  "SELECT (SELECT org_id FROM stage_org), (SELECT count(*) FROM stage_node WHERE kind = 'ou'),
          (SELECT count(*) FROM stage_node WHERE kind = 'account'),
          (SELECT count(*) FROM stage_policy WHERE type = 'SERVICE_CONTROL_POLICY'),
          (SELECT count(*) FROM stage_policy WHERE type = 'RESOURCE_CONTROL_POLICY'),
          (SELECT count(*) FROM stage_attachment)" > "$work/counts"
read -r org_id n_ous n_accounts n_scps n_rcps n_attach < "$work/counts"
counts="$(plural "$n_ous" OU), $(plural "$n_accounts" account), $(plural "$n_scps" SCP), $(plural "$n_rcps" RCP), $(plural "$n_attach" attachment)"
say "staged organization $org_id: $counts [$(seconds_since "$stage_start") s]"

# 3. Every SCP and RCP through the extension, by the rules of its type (an SCP has no
#    Principal; every RCP statement has "Principal": "*"): one statement per policy, so that the
#    line of an error names it.
parse_start=${EPOCHREALTIME/./}
"$SQLITE3" -batch -list "$work/stage.db" \
  "SELECT printf('SELECT iam_decision(json_object(''principal'', ''arn:aws:iam::111111111111:root'', %s, json_array(json_array(json(document)))), ''iam:x'', ''*'') FROM stage_policy WHERE rowid = %d;',
                 CASE type WHEN 'SERVICE_CONTROL_POLICY' THEN '''scps''' ELSE '''rcps''' END, rowid)
   FROM stage_policy ORDER BY rowid" > "$work/check-docs.sql"
"$SQLITE3" -batch -list "$work/stage.db" \
  "SELECT replace(replace(describe_file || ': Policy.Content (' || CASE type WHEN 'SERVICE_CONTROL_POLICY' THEN 'SCP' ELSE 'RCP' END
                          || ' ' || quote(name) || ')', char(13), '\\r'), char(10), '\\n')
   FROM stage_policy ORDER BY rowid" > "$work/check-docs.names"
trace "$SQLITE3 -batch -readonly -cmd '.load $(shown "$IAM_EXT")' $(shown "$work/stage.db") < $(shown "$work/check-docs.sql")"
if ! "$SQLITE3" -batch -readonly -cmd ".load $(dot_quote "$IAM_EXT")" "$work/stage.db" < "$work/check-docs.sql" \
  > /dev/null 2> "$work/check-docs.err"; then
  awk 'NR == FNR { name[FNR] = $0; next }
       match($0, /near line [0-9]+: /) {
         n = substr($0, RSTART + 10, RLENGTH - 12) + 0
         msg = substr($0, RSTART + RLENGTH)
         sub(/(scps|rcps)\[0\]\[0\]\./, "", msg)
         printf "%s: %s\n", (n in name ? name[n] : "line " n), msg
         next }
       { print }' "$work/check-docs.names" "$work/check-docs.err" > "$work/check-docs.msg"
  show_errors "$work/check-docs.msg"
  fail "$(grep -c 'near line' "$work/check-docs.err" || true) polic(ies) rejected by the iam extension"
fi
say "parsed $(wc -l < "$work/check-docs.names") SCPs and RCPs with the extension [$(seconds_since "$parse_start") s]"

# The warnings (sql/org/warn-org.sql: a level without an SCP that allows, a type not enabled).
"$SQLITE3" -batch -list -readonly -cmd ".load $(dot_quote "$IAM_EXT")" "$work/stage.db" \
  ".read $(dot_quote "$ROOT/sql/org/warn-org.sql")" > "$work/warnings" 2>&1 \
  || fail "cannot list the warnings: $(cat "$work/warnings")"
# 4. The plan: another organization is replaced only with --replace.
held=
if [ -e "$db" ]; then
  held=$("$SQLITE3" -batch -readonly "$(db_arg "$db")" \
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'org_organization')
            THEN (SELECT org_id || ' (from ' || source || ', ' || imported || ')' FROM org_organization) END")
fi
if [ "$dry_run" = 1 ]; then
  echo "dry run: $(shown "$db") would get:"
  echo "  organization $org_id ($(shown "$dir")): $counts"
  if [ -n "$held" ]; then echo "  replacing organization $(shown "$held")"; fi
  if [ -n "$held" ] && [ "${held%% *}" != "$org_id" ] && [ "$replace" = 0 ]; then
    echo "  and the import would be refused without --replace (DB holds another organization)"
  fi
  sed 's/^/  warning: /' "$work/warnings"
  exit 0
fi
if [ -n "$held" ] && [ "${held%% *}" != "$org_id" ] && [ "$replace" = 0 ]; then
  echo "$PROG: refused: $(shown "$db") holds organization $(shown "$held"), not $org_id: --replace replaces it; $(shown "$db") left unchanged" >&2
  exit 3
fi

# 5. The import: one transaction on the inventory (a new inventory: a file beside it, renamed).
load_start=${EPOCHREALTIME/./}
target=$db
if [ ! -e "$db" ]; then temp_file target "$db"; fi
{
  echo ".bail on"
  echo "PRAGMA foreign_keys = ON;"
  echo ".read $(dot_quote "$ROOT/sql/inventory/schema.sql")"
  echo ".read $(dot_quote "$ROOT/sql/org/schema.sql")"
  echo ".read $(dot_quote "$ROOT/sql/org/paths-schema.sql")"
  echo "ATTACH $(sql_quote "$(uri_ro "$work/stage.db")") AS stage;"
  echo "CREATE TEMP TABLE load_param (source TEXT NOT NULL, allow_replace INTEGER NOT NULL);"
  echo "INSERT INTO load_param VALUES ($(sql_quote "$dir"), $replace);"
  echo "BEGIN IMMEDIATE;"
  echo ".read $(dot_quote "$ROOT/sql/org/load-org.sql")"
  echo "SELECT 'rows written: ' || total_changes();"
  if [ -n "${IMPORT_EXTRA_SQL:-}" ]; then echo ".read $(dot_quote "$IMPORT_EXTRA_SQL")"; fi
} > "$work/load.sql"
say "loading into $(shown "$db") (one transaction)"
if ! run_tx "$target" "$work/load.sql" "$work/load.out"; then
  sqlite_errors "$work/load.out.err" >> "$work/load.out"
  show_errors "$work/load.out"
  fail "the import did not commit"
fi
if [ "$target" != "$db" ]; then
  [ ! -e "$db" ] || fail "$(shown "$db") was created by someone else meanwhile"
  mv -- "$target" "$db"
  forget_temp "$target"
fi
say "loaded: $(sed -n 's/^rows written: //p' "$work/load.out") rows written [$(seconds_since "$load_start") s]"
echo "organization $org_id ($(shown "$dir")): $counts"
if [ -s "$work/warnings" ]; then ERROR_LIMIT=0 show_errors "$work/warnings" "$PROG: WARNING: "; fi
