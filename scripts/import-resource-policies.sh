#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Import resource-based policies (bucket, key, queue, topic, secret, function and repository
# policies) into an inventory database (inv_resource_policy of sql/org/schema.sql), all or
# nothing, from the generic form or from the AWS CLI's own output (sql/README.md,
# "Organizations and resource policies"). The steps, each in its own sqlite3 run:
#   1. check each file (readable, UTF-8 without byte-order mark, valid JSON: where it is not);
#   2. stage them in a scratch database (sql/org/stage-resource.sql): the format of each file,
#      the resource's ARN and account, every problem one line naming the file;
#   3. parse every policy with the extension, by the rules of resource policies;
#   4. load (sql/org/load-resource.sql) in one transaction, committed by this script only once
#      the load is done (lib.sh run_tx). A new database is built beside its name and renamed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init import-resource-policies

usage() {
  cat << EOF2
Usage: scripts/import-resource-policies.sh [OPTIONS] DB [--arn ARN] [--account ID] FILE...
Import resource-based policies into the inventory DB, all or nothing: on any problem DB is left
exactly as it was (and not created). Each resource of the input replaces the policy DB held for
its ARN; a resource the input says has no policy (an sqs or sns output without Policy, a secret
without ResourcePolicy) loses it.

  DB              the inventory (scripts/import-gaad.sh, import-org.sh); created if missing
  FILE...         the generic form, a JSON array of {"arn", "account", "type", "policy"} (policy
                  an object or the JSON string AWS returns; account needed when the ARN has
                  none, as for S3; type, if given, the ARN's service), or what one of these
                  printed (--output json):
                    aws s3api get-bucket-policy --bucket B          (needs --arn and --account)
                    aws kms get-key-policy --key-id K               (needs --arn)
                    aws sqs get-queue-attributes --queue-url U --attribute-names Policy QueueArn
                    aws sns get-topic-attributes --topic-arn T
                    aws secretsmanager get-resource-policy --secret-id S
                    aws lambda get-policy --function-name F         (the ARN from its statements)
                    aws ecr get-repository-policy --repository-name R   (needs --arn)
  --arn ARN       the resource of the next FILE, when its output does not say
  --account ID    the account that owns the resource of the next FILE (S3 bucket ARNs have none)

Options:
  --dry-run       check everything and print what the import would do; change nothing
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run and every problem (not only the first $ERROR_LIMIT)
  -h, --help      this help
  --version       the version
  --              end of options (for a DB or FILE whose name starts with '-'; --arn and
                  --account are still read after it)

Output: one line per resource imported on standard output; progress, warnings and errors on
standard error.

Environment: SQLITE3 (the sqlite3 shell), IAM_EXT (the extension, as for .load; default
dist/iam of this repository), TMPDIR, IMPORT_KEEP_WORK=1 (keep the scratch directory).

Exit status:
  0  imported (or, with --dry-run, the import would succeed)
  1  the input is invalid or a step failed; DB is unchanged
  2  usage: an unknown option, a missing argument, --arn or --account without a FILE after it,
     a file given twice
  4  missing: sqlite3 or the extension
  129, 130, 143  stopped by a signal; DB is unchanged
EOF2
}

dry_run=0
db=
have_db=0
files=() arns=() accounts=()
pending_arn=''
pending_account=''
# take NAME: the database (first), then a FILE with the --arn and --account given before it
take() {
  if [ "$have_db" = 0 ]; then
    [ -z "$pending_arn$pending_account" ] || usage_error "--arn and --account go before a FILE, after DB"
    db=$1
    have_db=1
  else
    files+=("$1")
    arns+=("$pending_arn")
    accounts+=("$pending_account")
    pending_arn=''
    pending_account=''
  fi
}
options=1
while [ $# -gt 0 ]; do
  case $1 in
    --arn | --account)
      [ $# -ge 2 ] || usage_error "$1 needs a value"
      if [ "$1" = --arn ]; then pending_arn=$2; else pending_account=$2; fi
      shift
      ;;
    --arn=*) pending_arn=${1#*=} ;;
    --account=*) pending_account=${1#*=} ;;
    --) if [ "$options" = 1 ]; then options=0; else take "$1"; fi ;;
    --dry-run) if [ "$options" = 1 ]; then dry_run=1; else take "$1"; fi ;;
    -?*) if [ "$options" = 1 ]; then common_option "$1" || bad_option "$1"; else take "$1"; fi ;;
    *) take "$1" ;;
  esac
  shift
done
if [ "$have_db" = 0 ] || [ "${#files[@]}" = 0 ]; then usage_error "needs an inventory database and at least one FILE"; fi
[ -z "$pending_arn$pending_account" ] || usage_error "--arn and --account apply to the FILE after them: none follows"
for ((i = 0; i < ${#files[@]}; i++)); do
  for ((j = i + 1; j < ${#files[@]}; j++)); do
    if [ "${files[i]}" -ef "${files[j]}" ]; then
      usage_error "$(shown "${files[j]}") is given twice (files $((i + 1)) and $((j + 1)))"
    fi
  done
done

need_sqlite3
need_ext
if [ "$dry_run" = 1 ]; then inventory_check "$db" readonly; else inventory_check "$db"; fi

import_start "$db"
lib_on_stop() { echo "$PROG: $(lib_import_unchanged)" >&2; }

# 1. Each file: a JSON text.
: > "$work/problems"
say "checking ${#files[@]} file(s)"
json_file_problems "$work/problems" "$work" "${files[@]}"
if [ -s "$work/problems" ]; then
  show_errors "$work/problems"
  fail "$(wc -l < "$work/problems") file(s) cannot be used"
fi

# 2. Staging.
stage_start=${EPOCHREALTIME/./}
{
  echo ".bail on"
  echo ".output /dev/null"
  echo "PRAGMA journal_mode = OFF;"
  echo "PRAGMA synchronous = OFF;"
  echo ".output stdout"
  echo "CREATE TABLE stage_file (file_no INTEGER PRIMARY KEY, file TEXT NOT NULL, txt TEXT, arn TEXT, account TEXT);"
  qf=''
  for i in "${!files[@]}"; do
    sql_quote_v qf "${files[i]}"
    qa=NULL qc=NULL
    [ -z "${arns[i]}" ] || sql_quote_v qa "${arns[i]}"
    [ -z "${accounts[i]}" ] || sql_quote_v qc "${accounts[i]}"
    echo "INSERT INTO stage_file VALUES ($((i + 1)), $qf, CAST(readfile($qf) AS TEXT), $qa, $qc);"
  done
  echo ".read $(dot_quote "$ROOT/sql/org/stage-resource.sql")"
} > "$work/stage.sql"
say "staging ${#files[@]} file(s)"
trace "$SQLITE3 -batch $(shown "$work/stage.db") < $(shown "$work/stage.sql")"
if ! "$SQLITE3" -batch -list "$work/stage.db" < "$work/stage.sql" > "$work/stage.out" 2> "$work/stage.err"; then
  sqlite_errors "$work/stage.err" >> "$work/stage.out"
  show_errors "$work/stage.out"
  fail "the input has $(wc -l < "$work/stage.out") problem(s)"
fi
n_policies=$("$SQLITE3" -batch "$work/stage.db" "SELECT count(*) FROM stage_policy WHERE document IS NOT NULL")
say "staged $(plural "$n_policies" 'resource policy') [$(seconds_since "$stage_start") s]"

# 3. Every policy through the extension, by the rules of resource policies (every statement has
#    a Principal or NotPrincipal; Resource may be left out): one statement per policy.
parse_start=${EPOCHREALTIME/./}
"$SQLITE3" -batch -list "$work/stage.db" \
  "SELECT printf('SELECT iam_decision(json_object(''principal'', ''anonymous'', ''resource_policy'', json(document)), ''sts:AssumeRole'', ''*'') FROM stage_policy WHERE rowid = %d;', rowid)
   FROM stage_policy WHERE document IS NOT NULL ORDER BY rowid" > "$work/check-docs.sql"
"$SQLITE3" -batch -list "$work/stage.db" \
  "SELECT replace(replace(at, char(13), '\\r'), char(10), '\\n') || ': the policy of ' || arn
   FROM stage_policy WHERE document IS NOT NULL ORDER BY rowid" > "$work/check-docs.names"
trace "$SQLITE3 -batch -readonly -cmd '.load $(shown "$IAM_EXT")' $(shown "$work/stage.db") < $(shown "$work/check-docs.sql")"
if ! "$SQLITE3" -batch -readonly -cmd ".load $(dot_quote "$IAM_EXT")" "$work/stage.db" < "$work/check-docs.sql" \
  > /dev/null 2> "$work/check-docs.err"; then
  awk 'NR == FNR { name[FNR] = $0; next }
       match($0, /near line [0-9]+: /) {
         n = substr($0, RSTART + 10, RLENGTH - 12) + 0
         msg = substr($0, RSTART + RLENGTH)
         sub(/resource_policy\./, "", msg)
         printf "%s: %s\n", (n in name ? name[n] : "line " n), msg
         next }
       { print }' "$work/check-docs.names" "$work/check-docs.err" > "$work/check-docs.msg"
  show_errors "$work/check-docs.msg"
  fail "$(grep -c 'near line' "$work/check-docs.err" || true) polic(ies) rejected by the iam extension"
fi
say "parsed $n_policies policies with the extension [$(seconds_since "$parse_start") s]"

# What the import does, per resource: new, replaced, or (no policy) removed.
plan_db=:memory:
if [ -e "$db" ] && [ "$("$SQLITE3" -batch -readonly "$(db_arg "$db")" \
  "SELECT count(*) FROM sqlite_schema WHERE name = 'inv_resource_policy'")" = 1 ]; then
  plan_db=$db
fi
ro=(-readonly)
[ "$plan_db" != :memory: ] || ro=()
"$SQLITE3" -batch -list "${ro[@]}" "$(db_arg "$plan_db")" \
  -cmd "$([ "$plan_db" != :memory: ] || echo "CREATE TABLE inv_resource_policy (arn TEXT PRIMARY KEY);")" \
  -cmd "ATTACH $(sql_quote "$(uri_ro "$work/stage.db")") AS stage" \
  "SELECT replace(replace(s.arn || ' (' || s.account || ', ' || s.source || ', ' || s.file || '): '
          || CASE WHEN s.document IS NULL THEN CASE WHEN p.arn IS NULL THEN 'no policy' ELSE 'no policy: the one held is removed' END
                  WHEN p.arn IS NULL THEN 'new' ELSE 'replaces the one held' END, char(13), '\\r'), char(10), '\\n')
   FROM stage.stage_policy AS s LEFT JOIN main.inv_resource_policy AS p ON p.arn = s.arn ORDER BY s.arn" \
  > "$work/plan.out" 2>&1 || fail "cannot compare the input with $(shown "$db"): $(cat "$work/plan.out")"
if [ "$dry_run" = 1 ]; then
  echo "dry run: $(shown "$db") would get:"
  sed 's/^/  /' "$work/plan.out"
  exit 0
fi

# 4. The import: one transaction on the inventory (a new inventory: a file beside it, renamed).
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
  echo "BEGIN IMMEDIATE;"
  echo ".read $(dot_quote "$ROOT/sql/org/load-resource.sql")"
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
cat "$work/plan.out"
