#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Import `aws iam get-account-authorization-details` (GAAD) exports into an inventory database
# (sql/inventory/schema.sql, with the organization tables of sql/org/schema.sql), all or nothing. The
# steps, each in its own sqlite3 run:
#   1. check each file (readable, UTF-8 without byte-order mark, valid JSON: where it is not);
#   2. stage them in a scratch database (sql/inventory/stage.sql, which percent-decodes string
#      documents with the extension, then sql/inventory/check.sql): every problem, one line each;
#   3. parse every policy document with the extension, one statement per document so that an
#      error names its document;
#   4. plan (sql/inventory/plan.sql): what the import would add and delete; a deletion without
#      --replace is refused here, and --dry-run stops here;
#   5. load (sql/inventory/load.sql) in one transaction, committed by this script only once the
#      load is done (lib.sh run_tx): a killed import commits nothing. A new database is built
#      beside its name and renamed into place.
# See usage() for the options, and sql/README.md for the input rules.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
lib_init import-gaad

usage() {
  cat << EOF
Usage: scripts/import-gaad.sh [OPTIONS] DB FILE...
Import GAAD exports (aws iam get-account-authorization-details) into the inventory DB,
all or nothing: on any problem DB is left exactly as it was (and not created).

  DB              the inventory; created if missing. An account in the input replaces what DB
                  held for it, so give all pages of an account in the same run.
  FILE...         GAAD files: pages of one account, several accounts, in any mix.

Options:
  --catalog FILE  the catalog that AWS-managed policies the export lacks are taken from
                  (default: \$CATALOG_DB, else catalog-full.db of this repository if it is
                  built, else catalog.db); 'none' for no catalog
  --replace       let an account lose the users, groups, roles and policies that the input
                  does not have (without it, such an import is refused: a partial export?)
  --dry-run       check everything and print what the import would do; change nothing
  -j, --jobs N    import the accounts in N workers at once, each into an inventory of its own,
                  then merge them into DB (scripts/merge-inventory.sh); the files of an account
                  (the account of the first user, group, role or policy ARN in each) stay in
                  one worker. Still all or nothing. Not with --dry-run.
  -q, --quiet     no progress lines
  -v, --verbose   print the commands run and every problem (not only the first $ERROR_LIMIT)
  -h, --help      this help
  --version       the version
  --              end of options (for a DB or FILE whose name starts with '-')

Output: one line per account imported on standard output; progress, warnings (policies
neither the export nor the catalog holds) and errors on standard error.

Environment: SQLITE3 (the sqlite3 shell), IAM_EXT (the extension, as for .load; default
dist/iam of this repository), CATALOG_DB (as --catalog), TMPDIR, IAM_CHECK=skip (do not check
the documents with the extension; it still decodes the URL-encoded ones), IMPORT_KEEP_WORK=1
(keep the scratch directory).

Exit status:
  0  imported (or, with --dry-run, the import would succeed)
  1  the input is invalid or a step failed; DB is unchanged
  2  usage: an unknown option, a missing argument, a file given twice
  3  refused: the import would delete what DB holds (see --replace)
  4  missing: sqlite3, the extension or the catalog
  129, 130, 143  stopped by a signal; DB is unchanged
EOF
}

replace=0
dry_run=0
jobs=1
catalog=${CATALOG_DB-}
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --replace) replace=1 ;;
    --dry-run) dry_run=1 ;;
    -j | --jobs)
      [ $# -ge 2 ] || usage_error "$1 needs a number of workers"
      jobs=$2
      shift
      ;;
    --jobs=*) jobs=${1#*=} ;;
    --catalog)
      [ $# -ge 2 ] || usage_error "--catalog needs a file (or 'none')"
      catalog=$2
      shift
      ;;
    --catalog=*) catalog=${1#*=} ;;
    --) shift; args+=("$@"); break ;;
    -?*) common_option "$1" || bad_option "$1" ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ "${#args[@]}" -ge 2 ] || usage_error "needs an inventory database and at least one GAAD file"
if ! [[ $jobs =~ ^[1-9][0-9]?$ ]] || [ "$jobs" -gt 64 ]; then usage_error "-j takes a number of workers from 1 to 64, not '$jobs'"; fi
[ "$jobs" = 1 ] || [ "$dry_run" = 0 ] || usage_error "-j and --dry-run do not go together"
db=${args[0]}
files=("${args[@]:1}")
IAM_CHECK=${IAM_CHECK:-1}

# The same file twice would define everything twice: refuse it once, clearly. Files are the same
# when their device and inode are (one stat for all: an organization has thousands of files).
existing=()
for ((i = 0; i < ${#files[@]}; i++)); do [ ! -e "${files[i]}" ] || existing+=("$i"); done
if [ "${#existing[@]}" -gt 1 ]; then
  declare -A first_of=()
  i=0
  while IFS= read -r key; do
    j=${existing[i]}
    if [ -n "${first_of[$key]:-}" ]; then
      usage_error "$(shown "${files[j]}") is given twice (arguments $((${first_of[$key]} + 2)) and $((j + 2)))"
    fi
    first_of[$key]=$j
    i=$((i + 1))
  done < <(for j in "${existing[@]}"; do printf '%s\0' "${files[j]}"; done | xargs -0 stat -L -c '%d:%i' --)
fi

need_sqlite3
if [ -z "$catalog" ]; then
  catalog=none
  for c in "$ROOT/catalog-full.db" "$ROOT/catalog.db"; do
    [ -e "$c" ] || continue
    problem=$(catalog_problem "$c")
    [ -z "$problem" ] || die 4 "the catalog $(shown "$c") cannot be used: $problem (or --catalog none)"
    catalog=$c
    break
  done
  if [ "$catalog" = none ]; then
    warn "no catalog (make catalog): AWS-managed policies that the export lacks stay unresolved"
  fi
elif [ "$catalog" != none ]; then
  problem=$(catalog_problem "$catalog")
  [ -z "$problem" ] || die 4 "the catalog $(shown "$catalog") cannot be used: $problem"
fi
need_ext
[ "$IAM_CHECK" != skip ] || warn "IAM_CHECK=skip: the documents are not checked with the iam extension"
if [ "$dry_run" = 1 ]; then inventory_check "$db" readonly; else inventory_check "$db"; fi

import_start "$db"
lib_on_stop() { echo "$PROG: $(lib_import_unchanged)" >&2; }

# In parallel (-j N): the accounts in N groups, each imported into an inventory of its own by
# this script, then merged into DB in one step. The files of an account go to one group (its
# account: the first user, group, role or customer-managed policy ARN in the file).
if [ "$jobs" -gt 1 ]; then
  par_start=${EPOCHREALTIME/./}
  declare -A group_of=()
  groups=0
  for ((i = 0; i < ${#files[@]}; i++)); do
    acct=$(grep -o -m 1 -E 'arn:aws[a-z-]*:iam::[0-9]{12}:(user|group|role|policy)/' -- "${files[i]}" 2> /dev/null | head -n 1 || true)
    acct=${acct#*::}
    acct=${acct%%:*}
    if [ -z "${group_of[x$acct]:-}" ]; then
      group_of[x$acct]=$((groups % jobs))
      groups=$((groups + 1))
    fi
    printf '%s\0' "${files[i]}" >> "$work/group-${group_of[x$acct]}"
  done
  workers=$((groups < jobs ? groups : jobs))
  say "importing ${#files[@]} file(s) of $groups account(s) in $workers worker(s)"
  pids=()
  for ((k = 0; k < workers; k++)); do
    mapfile -d '' -t group < "$work/group-$k"
    IAM_CHECK=$IAM_CHECK "$ROOT/scripts/import-gaad.sh" -q --catalog "$catalog" -- "$work/part-$k.db" "${group[@]}" \
      > "$work/part-$k.out" 2> "$work/part-$k.err" &
    pids+=("$!")
    LIB_PIDS+=("$!")
  done
  failed=0
  parts=()
  for ((k = 0; k < workers; k++)); do
    if ! wait "${pids[k]}"; then failed=$((failed + 1)); fi
    parts+=("$work/part-$k.db")
    grep -v '^import-gaad: FAILED: ' -- "$work/part-$k.err" >&2 || true
  done
  [ "$failed" = 0 ] || fail "$failed of $workers worker(s) failed"
  say "imported in $workers worker(s) [$(seconds_since "$par_start") s]"
  rc=0
  merge_opts=(-q)
  [ "$replace" = 0 ] || merge_opts+=(--replace)
  [ "$VERBOSE" = 0 ] || merge_opts=(-v)
  "$ROOT/scripts/merge-inventory.sh" "${merge_opts[@]}" -- "$db" "${parts[@]}" > /dev/null || rc=$?
  [ "$rc" = 0 ] || exit "$rc"
  sort -- "$work"/part-*.out
  say "merged into $(shown "$db") [$(seconds_since "$par_start") s]"
  exit 0
fi

# 1. Each file: readable, not UTF-16, no byte-order mark, valid JSON (else where it is not).
: > "$work/problems"
say "checking ${#files[@]} file(s)"
json_file_problems "$work/problems" "$work" "${files[@]}"
if [ -s "$work/problems" ]; then
  show_errors "$work/problems"
  fail "$(wc -l < "$work/problems") file(s) cannot be used"
fi

# 2. Staging: read and check the files in a scratch database.
stage_start=${EPOCHREALTIME/./}
{
  echo ".bail on"
  echo ".load $(dot_quote "$IAM_EXT")"
  # a scratch database: no journal, no waiting for the disk (a failed run throws it away)
  echo ".output /dev/null"
  echo "PRAGMA journal_mode = OFF;"
  # read through a map, not one read() per page: the staging reads back every table it writes
  # (a quarter of its time at 1,000 accounts). Up to 1 GiB of the file is mapped; those pages
  # count in the process's resident memory, but the kernel can drop them at any time.
  echo "PRAGMA mmap_size = 1073741824;"
  echo ".output stdout"
  echo "PRAGMA synchronous = OFF;"
  if [ "$catalog" = none ]; then
    echo "ATTACH ':memory:' AS catalog;"
    echo "CREATE TABLE catalog.policy (policy_id, arn, name, path, default_version_id, created_date, last_updated_date);"
    echo "CREATE TABLE catalog.policy_version (policy_id, version_id, document);"
  else
    echo "ATTACH $(sql_quote "$(uri_ro "$catalog")") AS catalog;"
  fi
  echo "CREATE TABLE stage_file (file_no INTEGER PRIMARY KEY, file TEXT NOT NULL, txt TEXT);"
  n=0
  for f in "${files[@]}"; do
    n=$((n + 1))
    sql_quote_v q "$f" # (no subshell per file: an organization has thousands)
    echo "INSERT INTO stage_file VALUES ($n, $q, CAST(readfile($q) AS TEXT));"
  done
  echo ".read $(dot_quote "$ROOT/sql/inventory/stage.sql")"
  echo ".read $(dot_quote "$ROOT/sql/inventory/check.sql")"
} > "$work/stage.sql"
say "staging ${#files[@]} file(s) ($(du -ch -- "${files[@]}" | tail -n 1 | cut -f 1)); catalog: $(shown "$catalog")"
trace "$SQLITE3 -batch $(shown "$work/stage.db") < $(shown "$work/stage.sql")"
if ! "$SQLITE3" -batch -list "$work/stage.db" < "$work/stage.sql" > "$work/stage.out" 2> "$work/stage.err"; then
  sqlite_errors "$work/stage.err" >> "$work/stage.out"
  show_errors "$work/stage.out"
  fail "the input has $(wc -l < "$work/stage.out") problem(s)"
fi
"$SQLITE3" -batch -list -separator ' ' "$work/stage.db" \
  "SELECT (SELECT count(DISTINCT account_id) FROM stage_file_account), (SELECT count(*) FROM stage_user),
          (SELECT count(*) FROM stage_group), (SELECT count(*) FROM stage_role),
          (SELECT count(*) FROM stage_policy) + (SELECT count(*) FROM stage_inline), (SELECT count(*) FROM stage_doc)" \
  > "$work/counts"
read -r n_accounts n_users n_groups n_roles n_policies n_docs < "$work/counts"
say "staged: $n_accounts account(s), $n_users users, $n_groups groups, $n_roles roles, $n_policies policies, $n_docs documents [$(seconds_since "$stage_start") s]"

# 3. Every policy document through the extension, in one query: iam_policy_error() gives the
#    error iam_decision would raise for an identity policy, and checks a trust policy by the
#    rules of a role trust policy (a resource policy: Principal in every statement, Resource
#    optional); each error is named by the entity it belongs to (line breaks in names as \n).
if [ "$IAM_CHECK" != skip ]; then
  parse_start=${EPOCHREALTIME/./}
  trace "$SQLITE3 -batch -readonly -cmd '.load $(shown "$IAM_EXT")' $(shown "$work/stage.db") 'SELECT ... iam_policy_error(text) ...'"
  if ! "$SQLITE3" -batch -readonly -list -cmd ".load $(dot_quote "$IAM_EXT")" "$work/stage.db" \
    "SELECT replace(replace(at, char(13), '\\r'), char(10), '\\n') || ': '
            || CASE kind WHEN 'trust' THEN 'as a role trust policy: ' ELSE '' END || error
     FROM (SELECT rowid, at, kind, CASE kind WHEN 'trust' THEN iam_policy_error(text, 'trust')
                                             ELSE iam_policy_error(text) END AS error
           FROM stage_doc WHERE text IS NOT NULL)
     WHERE error IS NOT NULL ORDER BY rowid" > "$work/check-docs.msg" 2>&1; then
    show_errors "$work/check-docs.msg"
    fail "the documents could not be checked"
  fi
  if [ -s "$work/check-docs.msg" ]; then
    show_errors "$work/check-docs.msg"
    fail "$(wc -l < "$work/check-docs.msg") document(s) rejected by the iam extension"
  fi
  say "parsed $("$SQLITE3" -batch "$work/stage.db" "SELECT count(*) FROM stage_doc WHERE text IS NOT NULL") documents with the extension [$(seconds_since "$parse_start") s]"
fi

# 4. The plan: what the import adds, replaces and deletes.
plan_db=$db
if [ ! -e "$db" ] || [ "$("$SQLITE3" -batch -readonly "$(db_arg "$db")" \
  "SELECT count(*) FROM sqlite_schema WHERE name = 'inv_account'")" = 0 ]; then
  plan_db=:memory:
fi
{
  echo ".bail on"
  [ "$plan_db" != :memory: ] || echo ".read $(dot_quote "$ROOT/sql/inventory/schema.sql")"
  echo "ATTACH $(sql_quote "$(uri_ro "$work/stage.db")") AS stage;"
  echo ".read $(dot_quote "$ROOT/sql/inventory/plan.sql")"
} > "$work/plan.sql"
ro=(-readonly)
[ "$plan_db" != :memory: ] || ro=()
trace "$SQLITE3 -batch ${ro[*]} $(shown "$plan_db") < $(shown "$work/plan.sql")"
"$SQLITE3" -batch -list "${ro[@]}" "$(db_arg "$plan_db")" < "$work/plan.sql" > "$work/plan.out" 2>&1 \
  || fail "cannot compare the input with $(shown "$db"): $(cat "$work/plan.out")"
# deleted KIND: the names of that kind the import would delete, as "a, b, c" (at most 10).
grep '^delete|' "$work/plan.out" > "$work/deletes" || true
if [ -s "$work/deletes" ]; then
  awk -F '|' '{ k = $2 "|" $3; n[k]++; if (n[k] <= 10) l[k] = l[k] (n[k] > 1 ? ", " : "") substr($0, length($1 $2 $3) + 4) }
              END { for (k in n) { split(k, p, "|"); w = p[2]
                                   if (n[k] > 1) w = (w ~ /y$/) ? substr(w, 1, length(w) - 1) "ies" : w "s"
                                   printf "account %s would lose %d %s: %s%s\n", p[1], n[k], w, l[k], (n[k] > 10 ? ", ..." : "") } }' \
    "$work/deletes" | sort > "$work/deletes.txt"
fi
# counts USERS GROUPS ROLES MANAGED INLINE PROFILES: "2 users, 1 group, ...".
counts() {
  printf '%s, %s, %s, %s, %s, %s' "$(plural "$1" user)" "$(plural "$2" group)" "$(plural "$3" role)" \
    "$(plural "$4" 'managed policy')" "$(plural "$5" 'inline policy')" "$(plural "$6" 'instance profile')"
}
plan_lines() {
  local tag acct action users groups roles managed inline profiles before
  while IFS='|' read -r tag acct action users groups roles managed inline profiles before; do
    [ "$tag" = account ] || continue
    if [ "$action" = new ]; then
      echo "account $acct (new): $(counts "$users" "$groups" "$roles" "$managed" "$inline" "$profiles")"
    else
      echo "account $acct (replacing what $before gave): $(counts "$users" "$groups" "$roles" "$managed" "$inline" "$profiles")"
    fi
  done < "$work/plan.out"
  if [ -s "$work/deletes" ]; then cat "$work/deletes.txt"; fi
}
if [ "$dry_run" = 1 ]; then
  echo "dry run: $(shown "$db") would get:"
  plan_lines | sed 's/^/  /'
  if [ -s "$work/deletes" ] && [ "$replace" = 0 ]; then
    echo "  and the import would be refused without --replace (it deletes what the input lacks)"
  fi
  exit 0
fi
if [ -s "$work/deletes" ] && [ "$replace" = 0 ]; then
  ERROR_LIMIT=0 show_errors "$work/deletes.txt"
  echo "$PROG: refused: the input lacks these, which $(shown "$db") holds: a partial export? Give every page of the account, or --replace to delete them; $(shown "$db") left unchanged" >&2
  exit 3
fi

# 5. The import: one transaction on the inventory (a new inventory: a file beside it, renamed).
load_start=${EPOCHREALTIME/./}
target=$db
if [ ! -e "$db" ]; then temp_file target "$db"; fi
catalog_param=NULL
[ "$catalog" = none ] || catalog_param=$(sql_quote "$catalog")
{
  echo ".bail on"
  echo "PRAGMA foreign_keys = ON;"
  echo ".read $(dot_quote "$ROOT/sql/inventory/schema.sql")"
  echo ".read $(dot_quote "$ROOT/sql/org/schema.sql")"
  echo ".read $(dot_quote "$ROOT/sql/org/paths-schema.sql")"
  echo "ATTACH $(sql_quote "$(uri_ro "$work/stage.db")") AS stage;"
  echo ".parameter init"
  echo ".parameter set :catalog $catalog_param"
  echo ".parameter set :replace $replace"
  echo "BEGIN IMMEDIATE;"
  echo ".output /dev/null"
  echo ".read $(dot_quote "$ROOT/sql/inventory/plan.sql")"
  echo ".output stdout"
  echo ".read $(dot_quote "$ROOT/sql/inventory/load.sql")"
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

# One line per account, written by SQL (no subshell per account: an organization has thousands).
"$SQLITE3" -batch -list "$(db_arg "$db")" -cmd "ATTACH $(sql_quote "$(uri_ro "$work/stage.db")") AS stage" \
  "WITH c AS (
     SELECT a.account_id,
            (SELECT count(*) FROM inv_user AS x WHERE x.account_id = a.account_id) AS users,
            (SELECT count(*) FROM inv_group AS x WHERE x.account_id = a.account_id) AS groups,
            (SELECT count(*) FROM inv_role AS x WHERE x.account_id = a.account_id) AS roles,
            (SELECT count(*) FROM inv_managed_policy AS x WHERE x.account_id = a.account_id) AS managed,
            (SELECT count(*) FROM inv_inline_policy AS x WHERE x.account_id = a.account_id) AS inline,
            (SELECT count(*) FROM inv_instance_profile AS x WHERE x.account_id = a.account_id) AS profiles,
            (SELECT count(*) FROM inv_managed_policy AS x WHERE x.account_id = a.account_id AND source = 'catalog') AS from_catalog,
            (SELECT group_concat(replace(replace(value, char(13), '\\r'), char(10), '\\n'), ', ')
             FROM json_each(a.source_files)) AS sources
     FROM inv_account AS a WHERE a.account_id IN (SELECT account_id FROM stage.stage_file_account))
   SELECT 'account ' || account_id || ' (' || sources || '): '
          || users || CASE users WHEN 1 THEN ' user, ' ELSE ' users, ' END
          || groups || CASE groups WHEN 1 THEN ' group, ' ELSE ' groups, ' END
          || roles || CASE roles WHEN 1 THEN ' role, ' ELSE ' roles, ' END
          || managed || CASE managed WHEN 1 THEN ' managed policy, ' ELSE ' managed policies, ' END
          || inline || CASE inline WHEN 1 THEN ' inline policy, ' ELSE ' inline policies, ' END
          || profiles || CASE profiles WHEN 1 THEN ' instance profile' ELSE ' instance profiles' END
          || CASE WHEN from_catalog > 0 THEN ' (' || from_catalog || ' managed from the catalog)' ELSE '' END
   FROM c ORDER BY account_id;"
"$SQLITE3" -batch -list "$work/stage.db" \
  "SELECT replace(replace(at, char(13), '\\r'), char(10), '\\n') || ': ' || arn || ' is in neither the export nor the catalog'
          || CASE WHEN uses > 1 THEN ' (' || uses || ' uses)' ELSE '' END
   FROM stage_unresolved ORDER BY account_id, arn" > "$work/unresolved"
if [ -s "$work/unresolved" ]; then show_errors "$work/unresolved" "$PROG: WARNING: "; fi
