#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Merge inventories into one, all or nothing: the accounts of each PART (an inventory that
# scripts/import-gaad.sh made, for one account, an OU, or one machine's share of an organization)
# are copied into DB, replacing what DB held for them (sql/inventory/merge.sql, one PART attached
# at a time), in a copy of DB beside it that is renamed over DB only once every PART is in. Two
# PARTs that hold the same account are refused. Writes to DB by others during the merge are lost
# (as with any rename into place): merge when nothing else writes. scripts/import-gaad.sh -j N uses it to merge the inventories it builds in parallel.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init merge-inventory

usage() {
  cat << EOF
Usage: scripts/merge-inventory.sh [OPTIONS] DB PART...
Copy the accounts of the inventories PART... into the inventory DB (created if missing), all or
nothing: on any problem DB is left exactly as it was (and not created).

  DB        the inventory that receives the accounts; what it holds for other accounts, its
            questions and rules (inv_question, privesc_rule...) and its organization are kept
  PART...   inventories (scripts/import-gaad.sh), each account in one of them only

Options:
  --replace       let an account of DB lose the users, groups, roles and policies that its
                  PART does not have (without it, such a merge is refused, as an import is)
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run and every problem
  -h, --help      this help
  --version       the version
  --              end of options (for a DB or PART whose name starts with '-')

Output: one line per account merged on standard output.

Environment: SQLITE3, TMPDIR.

Exit status:
  0  merged
  1  a PART is not an inventory, two PARTs hold the same account, or a step failed; DB is unchanged
  2  usage: an unknown option, a missing argument, a PART given twice
  3  refused: the merge would delete what DB holds (see --replace)
  4  missing: sqlite3
  129, 130, 143  stopped by a signal; DB is unchanged
EOF
}
replace=0
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --replace) replace=1 ;;
    --) shift; args+=("$@"); break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ "${#args[@]}" -ge 2 ] || usage_error "needs an inventory database and at least one inventory to merge into it"
db=${args[0]}
parts=("${args[@]:1}")
for ((i = 0; i < ${#parts[@]}; i++)); do
  for ((j = i + 1; j < ${#parts[@]}; j++)); do
    if [ "${parts[i]}" -ef "${parts[j]}" ]; then
      usage_error "$(shown "${parts[j]}") is given twice (arguments $((i + 2)) and $((j + 2)))"
    fi
  done
  if [ -e "$db" ] && [ "${parts[i]}" -ef "$db" ]; then usage_error "$(shown "$db") is merged into itself"; fi
done
need_sqlite3
inventory_check "$db"
work=
temp_dir work
lib_on_stop() { echo "$PROG: $(shown "$db") left unchanged" >&2; }
fail() {
  echo "$PROG: FAILED: $*; $(shown "$db") left unchanged" >&2
  exit 1
}

# Each PART: an inventory of this schema, and its accounts (each in one PART only).
start=${EPOCHREALTIME/./}
: > "$work/accounts"
for ((i = 0; i < ${#parts[@]}; i++)); do
  p=${parts[i]}
  [ -f "$p" ] || fail "$(shown "$p") is not a file"
  version=$("$SQLITE3" -batch -readonly "$(db_arg "$p")" \
    "SELECT count(*) FROM sqlite_schema WHERE name IN ('inv_meta', 'inv_account')" 2>&1) \
    || fail "$(shown "$p") is not an SQLite database: $version"
  [ "$version" = 2 ] || fail "$(shown "$p") is not an inventory (scripts/import-gaad.sh makes one)"
  version=$("$SQLITE3" -batch -readonly "$(db_arg "$p")" "SELECT value FROM inv_meta WHERE key = 'schema_version'")
  [ "$version" = 2 ] || fail "$(shown "$p") has inventory schema version $version; import it again (scripts/import-gaad.sh upgrades it)"
  "$SQLITE3" -batch -readonly "$(db_arg "$p")" "SELECT account_id || ' $i' FROM inv_account" >> "$work/accounts" \
    || fail "cannot read the accounts of $(shown "$p")"
done
dups=$(sort "$work/accounts" | awk '{ if ($1 == a) print $1 " (" p " and " $2 ")"; a = $1; p = $2 }')
if [ -n "$dups" ]; then
  while read -r acct x _ y; do
    x=${x#(}
    y=${y%)}
    echo "$PROG: account $acct is in both $(shown "${parts[x]}") and $(shown "${parts[y]}")" >&2
  done <<< "$dups"
  fail "an account is in more than one inventory to merge"
fi
say "merging ${#parts[@]} inventories ($(wc -l < "$work/accounts") accounts) into $(shown "$db")"

# The merge writes a copy of DB beside it (VACUUM INTO: a consistent snapshot), one transaction
# per PART (SQLite attaches a database only outside a transaction, and at most ten at once), and
# renames the copy over DB only when every PART is in: a failure or a kill leaves DB as it was.
target=
temp_file target "$db"
rm -f -- "$target"
if [ -e "$db" ]; then
  "$SQLITE3" -batch "$(db_arg "$db")" "VACUUM INTO $(sql_quote "$target")" 2> "$work/copy.err" \
    || fail "cannot copy $(shown "$db"): $(cat "$work/copy.err")"
fi
{
  echo ".bail on"
  echo "PRAGMA foreign_keys = ON;"
  echo ".read $(dot_quote "$ROOT/sql/inventory/schema.sql")"
  echo ".read $(dot_quote "$ROOT/sql/org/schema.sql")"
  echo ".read $(dot_quote "$ROOT/sql/org/paths-schema.sql")"
  echo ".parameter init"
  echo ".parameter set :replace $replace"
  for p in "${parts[@]}"; do
    echo "ATTACH $(sql_quote "$(uri_ro "$p")") AS part;"
    echo "BEGIN IMMEDIATE;"
    echo ".read $(dot_quote "$ROOT/sql/inventory/merge.sql")"
    echo "COMMIT;"
    echo "DETACH part;"
  done
  echo "SELECT 'rows written: ' || total_changes();"
} > "$work/merge.sql"
trace "$SQLITE3 -batch -bail $(shown "$target") < $(shown "$work/merge.sql")"
if ! "$SQLITE3" -batch -bail "$(db_arg "$target")" < "$work/merge.sql" > "$work/merge.out" 2> "$work/merge.out.err"; then
  grep -v 'the input is invalid (see the messages above)' -- "$work/merge.out.err" >> "$work/merge.out" || true
  if grep -q 'a partial export? --replace deletes it' "$work/merge.out"; then
    ERROR_LIMIT=0 show_errors "$work/merge.out"
    echo "$PROG: refused: an inventory to merge lacks what $(shown "$db") holds for its accounts: --replace to delete it; $(shown "$db") left unchanged" >&2
    exit 3
  fi
  show_errors "$work/merge.out"
  fail "the merge did not complete"
fi
mv -- "$target" "$db"
forget_temp "$target"
names=()
for p in "${parts[@]}"; do names+=("$(shown "$p")"); done
while read -r acct i; do
  echo "account $acct (${names[i]}): merged"
done < <(sort "$work/accounts")
say "merged: $(sed -n 's/^rows written: //p' "$work/merge.out") rows written [$(seconds_since "$start") s]"
