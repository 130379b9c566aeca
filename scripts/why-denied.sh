#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Why was this denied? Read an access-denied message decoded by the AWS CLI (aws sts
# decode-authorization-message), rebuild the request with what the inventory knows (the
# caller's policies and boundary, its account's SCPs, the resource's policy and owner, that
# account's RCPs), and print what decided it and which statements came closest to allowing it
# (sql/org/why-denied.sql: iam_authz_message, then iam_explain).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init why-denied

usage() {
  cat << EOF2
Usage: scripts/why-denied.sh [OPTIONS] DB MESSAGE_FILE
Explain an access denial with the inventory DB: the request of MESSAGE_FILE decided again with
the caller's identity policies and boundary, the SCPs of its account, the resource's policy and
the RCPs of its account, as far as DB holds them; what decided, and the Allow statements that
came closest (action and resource matched; a condition or the Principal did not), with the
context keys the request lacked.

  DB            an inventory (scripts/import-gaad.sh, import-org.sh, import-resource-policies.sh)
  MESSAGE_FILE  what the CLI printed for the failure's encoded message:
                  aws sts decode-authorization-message --encoded-message "\$MSG" > MESSAGE_FILE
                (or its DecodedMessage alone)

Options:
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run
  -h, --help      this help
  --version       the version
  --              end of options (for a DB or MESSAGE_FILE whose name starts with '-')

Output on standard output, one line per fact: request, context, caller, resource, aws (what
the message says AWS decided), decision (this inventory's, and whether it agrees), decided by
(the step and the policy), closest (each Allow statement that nearly applied, and why not).

Environment: SQLITE3 (the sqlite3 shell), IAM_EXT (the extension, as for .load; default
dist/iam of this repository).

Exit status:
  0  explained
  1  the message or DB cannot be used (the message says which and where)
  2  usage: an unknown option, a missing or extra argument
  4  missing: sqlite3 or the extension
  129, 130, 143  stopped by a signal
EOF2
}

args=()
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; args+=("$@"); break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ "${#args[@]}" = 2 ] || usage_error "needs an inventory database and a message file"
db=${args[0]}
file=${args[1]}

need_sqlite3
need_ext
[ -f "$db" ] || die 1 "$(shown "$db") does not exist (scripts/import-gaad.sh makes an inventory)"
inventory_check "$db" readonly
kind=$("$SQLITE3" -batch -readonly "$(db_arg "$db")" \
  "SELECT count(*) FROM sqlite_schema WHERE name IN ('inv_account', 'org_account_controls')" 2>&1) \
  || die 1 "$(shown "$db") is not an SQLite database: $kind"
[ "$kind" = 2 ] || die 1 "$(shown "$db") is not an inventory of this version (scripts/import-gaad.sh makes one, and adds what an older one lacks)"
[ -e "$file" ] || die 1 "$(shown "$file"): cannot read the file: it does not exist"
if [ ! -f "$file" ] || [ ! -r "$file" ]; then die 1 "$(shown "$file"): cannot read the file"; fi

work=
temp_dir work
{
  echo ".bail on"
  echo "CREATE TEMP TABLE why_param (file TEXT NOT NULL); INSERT INTO why_param VALUES ($(sql_quote "$file"));"
  echo ".read $(dot_quote "$ROOT/sql/org/why-denied.sql")"
} > "$work/why.sql"
say "explaining $(shown "$file") with $(shown "$db")"
trace "$SQLITE3 -batch -readonly -cmd '.load $(shown "$IAM_EXT")' $(shown "$db") < $(shown "$work/why.sql")"
if ! "$SQLITE3" -batch -list -readonly -cmd ".load $(dot_quote "$IAM_EXT")" "$(db_arg "$db")" < "$work/why.sql" \
  > "$work/out" 2> "$work/err"; then
  msg=$(sed -n 's/^\(Runtime\|Parse\) error near line [0-9]*: //p' "$work/err" | head -n 1)
  die 1 "$(shown "$file"): ${msg:-$(head -n 3 "$work/err")}"
fi
while IFS=$'\t' read -r key text; do
  printf '%-11s %s\n' "$key" "$text"
done < "$work/out"
