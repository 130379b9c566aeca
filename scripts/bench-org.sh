#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The organization at scale: generate organizations of N accounts x M users and roles shaped like
# a landing zone (tests/bench/org-account.sql: shared AWS-managed policies, per-account copies of
# customer-managed policies, boundaries, groups, inline policies, about half of the documents
# URL-encoded, both date styles), and time, for each size, the import as one run, who-can with 20
# privileged questions (20-who-can), and every report (scripts/report.sh), with the database size,
# the peak memory of each step and the growth from the previous size. The generated files are
# kept in BENCH_DIR (default build/bench-org) and reused by the next run; never committed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init bench-org

usage() {
  cat << EOF
Usage: scripts/bench-org.sh [OPTIONS] [ACCOUNTS...]
Generate organizations of ACCOUNTS accounts (default: 1 10 100) of PRINCIPALS users and roles
each, and time the import, who-can (20 questions) and all reports for each size. Prints one row
per size (seconds, peak memory, database size, growth from the previous size, and the total:
import + every report), then key=value lines.

Options:
  -m, --principals N  users and roles per account (default 500: 150 users, 350 roles)
  -j, --jobs N        also time, at the largest size, the import and the reports with N
                      workers (import-gaad.sh -j N, report.sh -j N) against one
  --generate DIR      only write the GAAD files of the largest size into DIR (account-N.json)
  -q, --quiet         no progress lines
  -v, --verbose       print the commands run
  -h, --help          this help
  --version           the version

Environment: BENCH_DIR (default build/bench-org of this repository: the generated files, about
0.4 MB per account of 500 principals, reused by later runs, and the databases), CATALOG_DB
(default catalog.db of this repository), SQLITE3, IAM_EXT.

Exit status:
  0  measured (or generated)
  1  a step failed
  2  usage: an unknown option, a size that is not a number from 1 to 9999, principals not from
     10 to 5000, jobs not from 1 to 64
  4  missing: the catalog, sqlite3 or the extension
EOF
}
sizes=()
principals=500
jobs=
generate=
while [ $# -gt 0 ]; do
  case $1 in
    -m | --principals | -j | --jobs | --generate)
      [ $# -ge 2 ] || usage_error "$1 needs a value"
      case $1 in
        -m | --principals) principals=$2 ;;
        -j | --jobs) jobs=$2 ;;
        *) generate=$2 ;;
      esac
      shift
      ;;
    --principals=*) principals=${1#*=} ;;
    --jobs=*) jobs=${1#*=} ;;
    --generate=*) generate=${1#*=} ;;
    --) shift; break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *)
      [[ $1 =~ ^[1-9][0-9]{0,3}$ ]] || usage_error "a size is a number of accounts from 1 to 9999, not '$1'"
      sizes+=("$1")
      ;;
  esac
  shift
done
[ $# -eq 0 ] || usage_error "unexpected argument '$1'"
if ! [[ $principals =~ ^[1-9][0-9]{1,3}$ ]] || [ "$principals" -gt 5000 ]; then
  usage_error "principals is a number from 10 to 5000, not '$principals'"
fi
if [ -n "$jobs" ] && { ! [[ $jobs =~ ^[1-9][0-9]?$ ]] || [ "$jobs" -gt 64 ]; }; then
  usage_error "jobs is a number from 1 to 64, not '$jobs'"
fi
[ "${#sizes[@]}" -gt 0 ] || sizes=(1 10 100)
max=0
for n in "${sizes[@]}"; do [ "$n" -le "$max" ] || max=$n; done
catalog=${CATALOG_DB:-$ROOT/catalog.db}
problem=$(catalog_problem "$catalog" actions)
[ -z "$problem" ] || die 4 "the catalog $(shown "$catalog") cannot be used: $problem"
need_sqlite3
[ -n "$generate" ] || need_ext
quiet=()
[ "$VERBOSE" = 1 ] || quiet=(-q)
users=$((principals * 3 / 10))
roles=$((principals - users))
acct_id() { printf '%012d' $((300000000000 + $1)); }

# gen_accounts DIR N: account-1.json ... account-N.json in DIR (those missing), one sqlite3 run.
gen_accounts() {
  local dir=$1 n=$2 i todo=0 t0 file
  mkdir -p -- "$dir"
  t0=${EPOCHREALTIME/./}
  {
    echo ".bail on"
    echo "ATTACH $(sql_quote "$(uri_ro "$catalog")") AS catalog;"
    echo "CREATE TEMP TABLE gen_cur (i INTEGER, id TEXT, next_id TEXT, users INTEGER, roles INTEGER, file TEXT);"
    for ((i = 1; i <= n; i++)); do
      file="$dir/account-$i.json"
      [ ! -s "$file" ] || continue
      todo=$((todo + 1))
      echo "DELETE FROM gen_cur;"
      echo "INSERT INTO gen_cur VALUES ($i, '$(acct_id "$i")', '$(acct_id $((i + 1)))', $users, $roles, $(sql_quote "$file.tmp"));"
      echo ".read $(dot_quote "$ROOT/tests/bench/org-account.sql")"
    done
  } > "$dir/gen.sql"
  [ "$todo" -gt 0 ] || return 0
  say "generating $todo account(s) of $principals users and roles in $(shown "$dir")"
  "$SQLITE3" -batch :memory: < "$dir/gen.sql" > /dev/null || die 1 "cannot generate the accounts"
  for ((i = 1; i <= n; i++)); do
    [ ! -e "$dir/account-$i.json.tmp" ] || mv -- "$dir/account-$i.json.tmp" "$dir/account-$i.json"
  done
  say "generated $todo account(s) [$(seconds_since "$t0") s]"
}

bench=${BENCH_DIR:-$ROOT/build/bench-org}
# The files depend on the generator and the principals count: a folder for each, shared by the
# sizes (account N is the same in every size; the account after the last, which some trust
# policies name, is outside the organization).
gen_hash=$(cksum < "$ROOT/tests/bench/org-account.sql" | cut -d ' ' -f 1)
if [ -n "$generate" ]; then
  gen_accounts "$generate" "$max"
  exit 0
fi
mkdir -p -- "$bench"
work=
temp_dir work "$bench/run"

# The 20 questions: privileged actions, on every resource of a kind or on one.
questions="DELETE FROM inv_question;
INSERT INTO inv_question (name, action, resource, context) VALUES
  ('pass-any-role-to-ecs-tasks', 'iam:PassRole', 'arn:aws:iam::\${account}:role/*', '{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}'),
  ('pass-any-role-to-ec2', 'iam:PassRole', 'arn:aws:iam::\${account}:role/*', '{\"iam:PassedToService\":\"ec2.amazonaws.com\"}'),
  ('pass-app-role-to-ecs-tasks', 'iam:PassRole', 'arn:aws:iam::\${account}:role/app/svc-0-task', '{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}'),
  ('create-user', 'iam:CreateUser', 'arn:aws:iam::\${account}:user/intruder', '{}'),
  ('access-key-of-user-1', 'iam:CreateAccessKey', 'arn:aws:iam::\${account}:user/people/user-1', '{}'),
  ('attach-role-policy', 'iam:AttachRolePolicy', 'arn:aws:iam::\${account}:role/*', '{}'),
  ('put-role-policy', 'iam:PutRolePolicy', 'arn:aws:iam::\${account}:role/*', '{}'),
  ('create-policy-version', 'iam:CreatePolicyVersion', 'arn:aws:iam::\${account}:policy/*', '{}'),
  ('update-trust', 'iam:UpdateAssumeRolePolicy', 'arn:aws:iam::\${account}:role/*', '{}'),
  ('assume-any-role', 'sts:AssumeRole', 'arn:aws:iam::\${account}:role/*', '{}'),
  ('ecs-exec-any-task', 'ecs:ExecuteCommand', 'arn:aws:ecs:eu-west-1:\${account}:task/*', '{}'),
  ('read-every-s3-object', 's3:GetObject', 'arn:aws:s3:::*/*', '{}'),
  ('write-artifacts', 's3:PutObject', 'arn:aws:s3:::\${account}-artifacts/release.zip', '{}'),
  ('decrypt-any-key', 'kms:Decrypt', 'arn:aws:kms:eu-west-1:\${account}:key/*', '{}'),
  ('read-any-secret', 'secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:eu-west-1:\${account}:secret:*', '{}'),
  ('update-function-code', 'lambda:UpdateFunctionCode', 'arn:aws:lambda:eu-west-1:\${account}:function:*', '{}'),
  ('start-team-1-instance', 'ec2:StartInstances', 'arn:aws:ec2:eu-west-1:\${account}:instance/i-0abc', '{\"aws:ResourceTag/team\":\"team-1\"}'),
  ('stop-cloudtrail', 'cloudtrail:StopLogging', 'arn:aws:cloudtrail:eu-west-1:\${account}:trail/org', '{}'),
  ('remove-boundary', 'iam:DeleteRolePermissionsBoundary', 'arn:aws:iam::\${account}:role/*', '{}'),
  ('leave-organization', 'organizations:LeaveOrganization', '*', '{}');"

# measure NAME CMD...: run CMD, keep its seconds and peak memory (the largest process, MB) in
# the globals took and peak_mb; stop on a failure with its messages.
measure() {
  local name=$1 t0 kb
  took=0
  shift
  t0=${EPOCHREALTIME/./}
  trace "$*"
  if ! /usr/bin/time -f '%M' -o "$work/time" "$@" > "$work/step.out" 2> "$work/step.err"; then
    cat "$work/step.err" >&2
    die 1 "$name failed"
  fi
  seconds_since -v took "$t0"
  kb=$(tail -n 1 "$work/time")
  peak_mb=$(((kb + 512) / 1024))
}
[ -x /usr/bin/time ] || die 4 "/usr/bin/time is not installed (apt-get install time)"
ratio() { # NEW OLD -> "x9.8" (or "-" without OLD)
  if [ -z "$2" ]; then printf -- '-'; else awk -v a="$1" -v b="$2" 'BEGIN { printf "x%.1f", (b > 0 ? a / b : 0) }'; fi
}

printf '%-8s %-10s %-9s %-6s %-8s %-7s %-10s %-6s %-9s %-6s %-8s %-8s %s\n' accounts principals import_s growth import_mb db_mb \
  who_can_s growth reports_s growth report_mb total_s slowest_report
results=()
prev_n='' prev_import='' prev_who='' prev_rep=''
for n in "${sizes[@]}"; do
  dir=$bench/gen-$gen_hash-m$principals
  gen_accounts "$dir" "$n"
  files=()
  for ((i = 1; i <= n; i++)); do files+=("$dir/account-$i.json"); done
  db=$work/org-$n.db
  say "importing $n account(s) ($(du -ch -- "${files[@]}" | tail -n 1 | cut -f 1))"
  measure "the import of $n account(s)" "$ROOT/scripts/import-gaad.sh" "${quiet[@]}" --catalog "$catalog" "$db" "${files[@]}"
  import_s=$took import_mb=$peak_mb
  db_mb=$(($(stat -c %s -- "$db") / 1048576))
  "$SQLITE3" -batch "$db" "$questions" || die 1 "cannot write the questions"
  mkdir -p -- "$work/q20"
  cp -- "$ROOT/sql/queries/inventory/20-who-can.sql" "$ROOT/sql/queries/inventory/principal-sets-setup.sql" "$work/q20/"
  say "who-can, 20 questions"
  measure "who-can on $n account(s)" env QUERY_DIR="$work/q20" "$ROOT/scripts/report.sh" -q --catalog "$catalog" "$db" "$work/who-$n"
  who_s=$took
  say "every report"
  measure "the reports of $n account(s)" "$ROOT/scripts/report.sh" --catalog "$catalog" "$db" "$work/report-$n"
  rep_s=$took rep_mb=$peak_mb
  slowest=$(sed -n 's/^report: \[ *[0-9.]*s\] \([0-9][0-9]-[a-z-]*\): .* \[\([0-9.]*\) s\]$/\2 \1/p' "$work/step.err" |
    sort -rn | head -n 1 | awk '{ print $2 " " $1 "s" }')
  p=$("$SQLITE3" -batch -readonly "$db" "SELECT count(*) FROM inv_principal")
  if [ -n "$prev_n" ]; then g="per x$((n / prev_n))"; else g=''; fi
  total_s=$(awk -v a="$import_s" -v b="$rep_s" 'BEGIN { printf "%.1f", a + b }')
  printf '%-8s %-10s %-9s %-6s %-8s %-7s %-10s %-6s %-9s %-6s %-8s %-8s %s\n' "$n" "$p" "$import_s" \
    "$(ratio "$import_s" "$prev_import")" "$import_mb" "$db_mb" "$who_s" "$(ratio "$who_s" "$prev_who")" \
    "$rep_s" "$(ratio "$rep_s" "$prev_rep")" "$rep_mb" "$total_s" "$slowest"
  [ -z "$g" ] || say "growth above is $g accounts"
  results+=("accounts_${n}_principals=$p" "accounts_${n}_import_s=$import_s" "accounts_${n}_import_mb=$import_mb"
    "accounts_${n}_db_mb=$db_mb" "accounts_${n}_who_can_s=$who_s" "accounts_${n}_reports_s=$rep_s"
    "accounts_${n}_reports_mb=$rep_mb" "accounts_${n}_total_s=$total_s")
  prev_n=$n prev_import=$import_s prev_who=$who_s prev_rep=$rep_s
  rm -rf -- "$db" "$work/who-$n" "$work/report-$n"
done
if [ -n "$jobs" ]; then
  # The per-account path at the largest size: N workers against the one-run figures above.
  n=$max
  files=()
  for ((i = 1; i <= n; i++)); do files+=("$dir/account-$i.json"); done
  db=$work/org-$n-j$jobs.db
  say "importing $n account(s) with $jobs workers"
  measure "the import of $n account(s) with $jobs workers" "$ROOT/scripts/import-gaad.sh" "${quiet[@]}" -j "$jobs" --catalog "$catalog" "$db" "${files[@]}"
  import_s=$took import_mb=$peak_mb
  "$SQLITE3" -batch "$db" "$questions" || die 1 "cannot write the questions"
  say "every report, $jobs sessions"
  measure "the reports of $n account(s) with $jobs sessions" "$ROOT/scripts/report.sh" -j "$jobs" --catalog "$catalog" "$db" "$work/report-$n-j$jobs"
  rep_s=$took rep_mb=$peak_mb
  total_s=$(awk -v a="$import_s" -v b="$rep_s" 'BEGIN { printf "%.1f", a + b }')
  printf '%-8s %-10s %-9s %-6s %-8s %-7s %-10s %-6s %-9s %-6s %-8s %-8s %s\n' "$n" "(-j $jobs)" "$import_s" \
    "$(ratio "$import_s" "$prev_import")" "$import_mb" "-" "-" "-" "$rep_s" "$(ratio "$rep_s" "$prev_rep")" "$rep_mb" \
    "$total_s" "growth: against one worker"
  results+=("accounts_${n}_j${jobs}_import_s=$import_s" "accounts_${n}_j${jobs}_reports_s=$rep_s"
    "accounts_${n}_j${jobs}_total_s=$total_s")
  rm -rf -- "$db" "$work/report-$n-j$jobs"
fi
printf '%s\n' "${results[@]}"
