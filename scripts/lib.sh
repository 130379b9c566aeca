# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# scripts/lib.sh: what the scripts share. Sourced, not run:  . "$(dirname "$0")/lib.sh"
#
# Conventions every script follows (and documents in its --help):
#   -h, --help      usage on standard output, exit 0
#   --version       "sqlite-iam VERSION", exit 0
#   -q, --quiet     no progress lines on standard error (errors and warnings still appear)
#   -v, --verbose   also print each command run ("+ ...") and every error (not only the first 20)
#   --              ends the options: later arguments are names even if they start with '-'
# Progress lines go to standard error, each with the time since the start; results go to
# standard output. Exit codes:
#   0    done
#   1    failed: the input is invalid or a step failed; nothing was changed
#   2    usage: unknown option, missing or extra argument
#   3    refused: going on would delete or overwrite data (see the message for the option that allows it)
#   4    a prerequisite is missing: sqlite3, the extension, the catalog, npm or node
#   129, 130, 143   stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM; nothing was changed

# lib_init NAME: set PROG, ROOT, VERSION, the defaults of SQLITE3 and IAM_EXT, and the traps.
lib_init() {
  PROG=$1
  ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  VERSION=$(cat "$ROOT/VERSION" 2> /dev/null || echo unknown)
  SQLITE3=${SQLITE3:-sqlite3}
  IAM_EXT=${IAM_EXT:-$ROOT/dist/iam}
  # glibc's malloc gives a freed block of 128 KiB or more back to the kernel at once, and maps
  # fresh pages for the next one. On a virtual machine, where a page fault is dear, that was up
  # to a third of an import's or a report's time (system time; the file check of 1,000 files:
  # 10.8 s, 0.5 s with these). These keep freed memory in the process for the next allocation;
  # the caller's own settings win.
  export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-33554432}
  export MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-268435456}
  QUIET=0
  VERBOSE=0
  ERROR_LIMIT=${ERROR_LIMIT:-20}
  LIB_START=${EPOCHREALTIME/./}
  LIB_TEMP=()
  LIB_PIDS=()
  # Standard error as the script got it: a message on a signal goes there even when the signal
  # lands in a command whose standard error is redirected.
  exec {LIB_STDERR}>&2
  trap lib_cleanup EXIT
  trap 'lib_stopped 129 SIGHUP' HUP
  trap 'lib_stopped 130 SIGINT' INT
  trap 'lib_stopped 143 SIGTERM' TERM
}

# What lib_cleanup does last (a script may set it: e.g. say what was left unchanged).
lib_on_stop() { :; }
lib_stopped() {
  exec 2>&"$LIB_STDERR"
  printf '%s: stopped by %s\n' "$PROG" "$2" >&2
  lib_on_stop
  exit "$1"
}
lib_cleanup() {
  local pid path
  for pid in "${LIB_PIDS[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  # (and waits for them: a script among them removes its own temporary files first)
  for pid in "${LIB_PIDS[@]}"; do wait "$pid" 2> /dev/null || true; done
  for path in "${LIB_TEMP[@]}"; do rm -rf -- "$path"; done
}

# temp_dir VAR [NEAR]: a new directory, removed on every exit this script sees, named
# NEAR.PID.XXXXXX.tmp beside NEAR (so that a rename from it is atomic) or, without NEAR, in TMPDIR.
# A kill -9 leaves it behind: the next run of the same script removes those whose process is gone.
temp_dir() {
  local base=${2:-${TMPDIR:-/tmp}/$PROG} d
  clean_stale "$base"
  d=$(mktemp -d -- "$base.$$.XXXXXX.tmp") || die 1 "cannot create a temporary directory beside $(shown "$base")"
  LIB_TEMP+=("$d")
  printf -v "$1" '%s' "$d"
}
# temp_file VAR NEAR: the same for a file.
temp_file() {
  local f
  clean_stale "$2"
  f=$(mktemp -- "$2.$$.XXXXXX.tmp") || die 1 "cannot create a temporary file beside $(shown "$2")"
  LIB_TEMP+=("$f")
  printf -v "$1" '%s' "$f"
}
# clean_stale BASE: remove BASE.PID.*.tmp left by a process PID that no longer runs.
clean_stale() {
  local p pid
  for p in "$1".*.tmp; do
    [ -e "$p" ] || continue
    pid=${p#"$1".}
    pid=${pid%%.*}
    case $pid in '' | *[!0-9]*) continue ;; esac
    # A process of another user fails kill -0 but is alive: /proc tells.
    if [ ! -e "/proc/$pid" ] && ! kill -0 "$pid" 2> /dev/null; then rm -rf -- "$p" 2> /dev/null || true; fi
  done
}
# forget_temp PATH: PATH is no longer temporary (it was renamed into place).
forget_temp() {
  local i
  for i in "${!LIB_TEMP[@]}"; do
    if [ "${LIB_TEMP[$i]}" = "$1" ]; then unset 'LIB_TEMP[i]'; fi
  done
}

# import_start DB: what every import does before its first step: its scratch directory in $work
# (kept, and said so, with IMPORT_KEEP_WORK), a stop or a failure that says DB is left unchanged
# (fail MESSAGE exits 1), and sqlite_errors FILE: the error lines of a sqlite3 run without the
# stop of the loaders' idiom.
import_start() {
  IMPORT_DB=$1
  work=
  temp_dir work
  if [ -n "${IMPORT_KEEP_WORK:-}" ]; then
    forget_temp "$work"
    say "the scratch directory is kept: $(shown "$work")"
  fi
  # shellcheck disable=SC2317 # (fail and sqlite_errors are called by the import scripts)
  fail() {
    echo "$PROG: FAILED: $*; $(lib_import_unchanged)" >&2
    exit 1
  }
  # shellcheck disable=SC2317
  sqlite_errors() { grep -v 'the input is invalid (see the messages above)' -- "$1" || true; }
}
lib_import_unchanged() { printf '%s left unchanged' "$(shown "$IMPORT_DB")"; }

# run_tx DB SQL_FILE OUT_FILE: run SQL_FILE on DB with the sqlite3 shell, and commit only after it
# all succeeded. SQL_FILE opens a transaction (BEGIN) and does not end it. Its output goes to
# OUT_FILE, its errors to OUT_FILE.err. The COMMIT (or, with ROLLBACK=1, a ROLLBACK) is written to
# the shell's standard input by this script only once the shell says the work is done: if this
# script is killed, even with kill -9, the shell reads end-of-file instead, and SQLite rolls the
# transaction back. Nothing is committed after this script is gone. Returns the shell's status.
run_tx() {
  local db=$1 sql=$2 out=$3 line rc=0 end=COMMIT
  [ "${ROLLBACK:-0}" = 1 ] && end=ROLLBACK
  trace "$SQLITE3 -batch -bail $(db_arg "$db") < $(shown "$sql"); $end"
  coproc SQLTX { exec "$SQLITE3" -batch -bail "$(db_arg "$db")" 2> "$out.err"; }
  LIB_PIDS+=("$SQLTX_PID")
  local to=${SQLTX[1]} from=${SQLTX[0]} pid=$SQLTX_PID
  printf '.read %s\n.print @@work-done\n' "$(dot_quote "$sql")" >&"$to"
  : > "$out"
  while IFS= read -r line <&"$from"; do
    if [ "$line" = @@work-done ]; then
      printf '%s;\n.print @@tx-done\n' "$end" >&"$to"
      continue
    fi
    [ "$line" = @@tx-done ] && break
    printf '%s\n' "$line" >> "$out"
  done
  exec {to}>&-
  wait "$pid" || rc=$?
  [ "$line" = @@tx-done ] || [ "$rc" != 0 ] || rc=1
  return "$rc"
}

# common_option ARG: handle -h/--help, --version, -q/--quiet, -v/--verbose; returns 1 otherwise.
# The script defines usage() (printing its help).
common_option() {
  case $1 in
    -h | --help) usage; exit 0 ;;
    --version) echo "sqlite-iam $VERSION"; exit 0 ;;
    -q | --quiet) QUIET=1 ;;
    -v | --verbose) VERBOSE=1; ERROR_LIMIT=0 ;;
    *) return 1 ;;
  esac
}
usage_error() {
  printf '%s: %s\n' "$PROG" "$1" >&2
  printf "Try 'scripts/%s --help'.\n" "$(basename "$0")" >&2
  exit 2
}
# bad_option ARG: an argument that starts with '-' and is not an option.
bad_option() { usage_error "unknown option '$1'"; }

# say MESSAGE: a progress line on standard error, with the time since the start.
say() {
  [ "$QUIET" = 1 ] && return 0
  local ms=$(((${EPOCHREALTIME/./} - LIB_START) / 1000))
  printf '%s: [%3d.%01ds] %s\n' "$PROG" $((ms / 1000)) $((ms % 1000 / 100)) "$*" >&2
}
warn() { printf '%s: WARNING: %s\n' "$PROG" "$*" >&2; }
# die CODE MESSAGE
die() {
  printf '%s: %s\n' "$PROG" "$2" >&2
  exit "$1"
}
# trace WORDS...: "+ WORDS" on standard error with --verbose.
trace() { if [ "$VERBOSE" = 1 ]; then printf '+ %s\n' "$*" >&2; fi; }
# run CMD...: trace and run.
run() {
  trace "$@"
  "$@"
}
# seconds_since [-v VAR] START: "1.2", the seconds since START (${EPOCHREALTIME/./}, in
# microseconds; no subshell needed, so that a signal never lands in one: bash 5.2 can then fail
# to parse its trap).
seconds_since() {
  local var=
  if [ "$1" = -v ]; then var=$2; shift 2; fi
  local ms=$(((${EPOCHREALTIME/./} - $1) / 1000))
  if [ -n "$var" ]; then printf -v "$var" '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
  else printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); fi
}

# show_errors FILE [PREFIX]: the lines of FILE on standard error, each after PREFIX ("PROG: "),
# at most ERROR_LIMIT of them (0: all) and then how many more there were.
show_errors() {
  local prefix=${2-"$PROG: "} n
  n=$(wc -l < "$1")
  if [ "$ERROR_LIMIT" -gt 0 ] && [ "$n" -gt "$ERROR_LIMIT" ]; then
    head -n "$ERROR_LIMIT" -- "$1" | sed "s|^|${prefix//|/\\|}|" >&2
    printf '%s... and %d more (all of them with --verbose)\n' "$prefix" $((n - ERROR_LIMIT)) >&2
  else
    sed "s|^|${prefix//|/\\|}|" -- "$1" >&2
  fi
}

# --- quoting ----------------------------------------------------------------------------------
# sql_quote TEXT: an SQL string literal.
sql_quote() { printf "'%s'" "${1//\'/\'\'}"; }
# dot_quote TEXT (or dot_quote -v VAR TEXT, without a subshell): an argument of a dot-command of the sqlite3 shell (.load, .read, .once,
# .output, .import): double-quoted, with backslash, double quote and control characters escaped
# as the shell unescapes them.
dot_quote() {
  local var=
  if [ "$1" = -v ]; then
    var=$2
    shift 2
  fi
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  if [ -n "$var" ]; then printf -v "$var" '"%s"' "$s"; else printf '"%s"' "$s"; fi
}
# db_arg PATH: PATH as a database argument of the sqlite3 command line, which would take a
# name starting with '-' for an option: such a relative name gets a leading ./
db_arg() {
  case $1 in
    -*) printf './%s' "$1" ;;
    *) printf '%s' "$1" ;;
  esac
}
# uri_ro PATH: a read-only URI for ATTACH (characters that mean something in a URI escaped).
uri_ro() {
  local p
  p=$(realpath -m -- "$1")
  p=${p//%/%25}
  p=${p//\?/%3f}
  p=${p//#/%23}
  printf 'file:%s?mode=ro' "$p"
}
# shown TEXT: TEXT for a message on one line (newline, CR and tab written as \n, \r, \t).
shown() {
  local s=$1
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '%s' "$s"
}

# --- prerequisites ----------------------------------------------------------------------------
need_sqlite3() {
  command -v -- "$SQLITE3" > /dev/null 2>&1 \
    || die 4 "the sqlite3 shell '$SQLITE3' is not found (apt-get install sqlite3, or set SQLITE3)"
}
# need_ext: the extension file exists and loads.
need_ext() {
  local f=$IAM_EXT err
  [[ $f == *.so ]] || f=$f.so
  [ -f "$f" ] || die 4 "the extension $(shown "$f") is not built (run make, or set IAM_EXT)"
  if ! err=$("$SQLITE3" -batch :memory: -cmd ".load $(dot_quote "$IAM_EXT")" "SELECT iam_version()" 2>&1); then
    die 4 "the extension $(shown "$f") does not load: $err"
  fi
}
# catalog_problem FILE [actions]: why FILE is not a usable catalog (empty output if it is one).
# With 'actions', the action tables are needed too.
catalog_problem() {
  local n
  if [ ! -e "$1" ]; then echo "it does not exist (make catalog)"; return; fi
  if [ ! -f "$1" ] || [ ! -r "$1" ]; then echo "it is not a readable file"; return; fi
  if [ ! -s "$1" ]; then echo "it is empty (make catalog rebuilds it)"; return; fi
  if ! n=$("$SQLITE3" -batch -readonly "$(db_arg "$1")" \
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('policy', 'policy_version', 'catalog_source')" 2>&1); then
    echo "it is not an SQLite database: $n"
    return
  fi
  if [ "$n" != 3 ]; then echo "it has no catalog tables (make catalog rebuilds it)"; return; fi
  if [ "${2:-}" = actions ] && [ "$("$SQLITE3" -batch -readonly "$(db_arg "$1")" \
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'action'")" != 1 ]; then
    echo "it has no action tables (sql/catalog/actions.sql; make catalog rebuilds it)"
  fi
}

# inventory_check DB [readonly]: DB, if it exists, is an SQLite file whose inventory schema (if
# any) this version knows (1 or 2; 2 = 1 plus sql/org/schema.sql, which an import adds), and
# (unless readonly) writable; else exit 1 naming the problem.
inventory_check() {
  local db=$1 version
  [ -e "$db" ] || return 0
  [ -f "$db" ] || die 1 "$(shown "$db") is not a file"
  # (two statements: a reference to a missing inv_meta fails when it is prepared)
  version=$("$SQLITE3" -batch -readonly "$(db_arg "$db")" \
    "SELECT count(*) FROM sqlite_schema WHERE name = 'inv_meta'" 2>&1) \
    || die 1 "$(shown "$db") is not an SQLite database: $version"
  if [ "$version" = 0 ]; then
    version=none
  else
    version=$("$SQLITE3" -batch -readonly "$(db_arg "$db")" \
      "SELECT coalesce((SELECT value FROM inv_meta WHERE key = 'schema_version'), 'none')" 2>&1) \
      || die 1 "$(shown "$db") cannot be read: $version"
  fi
  case $version in none | 1 | 2) ;; *) die 1 "$(shown "$db") has inventory schema version $version; this script knows versions 1 and 2" ;; esac
  [ "${2:-}" = readonly ] || [ -w "$db" ] || die 1 "$(shown "$db") is not writable"
}

# json_file_problems PROBLEMS WORK_DIR FILE...: check that each FILE can be read as a JSON text
# (readable, not empty, UTF-8 without a byte-order mark, valid JSON); append one line per file
# that cannot to PROBLEMS ("FILE: what is wrong", a syntax error placed by json-error.awk). One
# sqlite3 run for all the files.
json_file_problems() {
  local problems=$1 work=$2 f i q status readable=()
  shift 2
  for f in "$@"; do
    if [ ! -e "$f" ]; then echo "$(shown "$f"): cannot read the file: it does not exist" >> "$problems"
    elif [ -d "$f" ]; then echo "$(shown "$f"): cannot read the file: it is a directory" >> "$problems"
    elif [ ! -r "$f" ]; then echo "$(shown "$f"): cannot read the file: permission denied" >> "$problems"
    elif [ ! -f "$f" ]; then echo "$(shown "$f"): cannot read the file: not a regular file (a pipe? save the output to a file first)" >> "$problems"
    else readable+=("$f"); fi
  done
  [ "${#readable[@]}" -gt 0 ] || return 0
  # (one statement per file: a compound SELECT has at most 500 terms, an organization more files;
  # the file is read once, MATERIALIZED, not once per test of the CASE)
  {
    echo "CREATE TEMP TABLE precheck (n INTEGER, status TEXT);"
    for i in "${!readable[@]}"; do
      sql_quote_v q "${readable[i]}"
      echo "WITH f (b) AS MATERIALIZED (SELECT readfile($q))"
      echo "INSERT INTO precheck SELECT $i, CASE WHEN b IS NULL THEN 'unreadable' WHEN length(b) = 0 THEN 'empty'"
      echo "  WHEN substr(b, 1, 3) = X'EFBBBF' THEN 'bom' WHEN substr(b, 1, 2) IN (X'FFFE', X'FEFF') THEN 'utf16'"
      echo "  WHEN json_valid(CAST(b AS TEXT)) THEN 'ok' ELSE 'invalid' END FROM f;"
    done
    echo "SELECT n, status FROM precheck WHERE status <> 'ok' ORDER BY n;"
  } > "$work/precheck.sql"
  "$SQLITE3" -batch -list :memory: < "$work/precheck.sql" > "$work/precheck.out" 2>&1 \
    || die 1 "cannot check the files: $(cat "$work/precheck.out")"
  while IFS='|' read -r i status; do
    f=${readable[i]}
    case $status in
      ok) ;;
      unreadable) echo "$(shown "$f"): cannot read the file" ;;
      empty) echo "$(shown "$f"): the file is empty" ;;
      bom) echo "$(shown "$f"): starts with a UTF-8 byte-order mark (bytes EF BB BF), which JSON does not allow; save it without one" ;;
      utf16) echo "$(shown "$f"): is UTF-16 (it starts with the byte-order mark $(head -c 2 -- "$f" | od -An -tx1 | tr -d ' ' | tr a-f A-F)); convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8" ;;
      *) echo "$(shown "$f"): not valid JSON: $(LC_ALL=C awk -f "$ROOT/scripts/json-error.awk" < "$f")" ;;
    esac
  done < "$work/precheck.out" >> "$problems"
}

# plural [-v VAR] N WORD: "1 user", "2 users", "2 policies".
plural() {
  local var='' w
  if [ "$1" = -v ]; then var=$2; shift 2; fi
  if [ "$1" = 1 ]; then w=$2; elif [[ $2 == *y ]]; then w=${2%y}ies; else w=${2}s; fi
  if [ -n "$var" ]; then printf -v "$var" '%s %s' "$1" "$w"; else printf '%s %s' "$1" "$w"; fi
}
# say_slow START MESSAGE: say MESSAGE with the time since START (${EPOCHREALTIME/./}) when that
# is a second or more.
say_slow() {
  local ms=$(((${EPOCHREALTIME/./} - $1) / 1000))
  [ "$ms" -lt 1000 ] || say "$2 [$(seconds_since "$1") s]"
}

# --- pinned npm packages ------------------------------------------------------------------------
# pin_value FILE KEY: the value of KEY in a pin file (key<TAB>value lines, '#' comments).
pin_value() {
  local k v
  while IFS=$'\t' read -r k v; do
    if [ "$k" = "$2" ]; then
      printf '%s\n' "$v"
      return 0
    fi
  done < "$1"
  die 1 "$1 has no $2"
}
# sri_of FILE: "sha512-<base64>", as npm writes an integrity.
sri_of() { printf 'sha512-%s\n' "$(openssl dgst -sha512 -binary -- "$1" | base64 -w0)"; }
# npm_fetch PACKAGE VERSION INTEGRITY CACHED_TGZ WORK_DIR: make CACHED_TGZ the package's tarball,
# checked against INTEGRITY (again on every run). When it is not cached, npm pack fetches it from
# the npm registry into WORK_DIR first; if npm fails, its own output is shown.
npm_fetch() {
  local pkg=$1 ver=$2 integrity=$3 tgz=$4 work=$5 got name rc=0
  command -v openssl > /dev/null || die 4 "openssl is not found (apt-get install openssl): it checks the package's sha512"
  if [ -f "$tgz" ] && [ "$(sri_of "$tgz")" = "$integrity" ]; then
    say "using the cached $(shown "$tgz")"
    return 0
  fi
  command -v npm > /dev/null \
    || die 4 "npm is not found (apt-get install npm): it fetches $pkg@$ver from the npm registry, once (the tarball is then cached)"
  say "fetching $pkg@$ver from the npm registry (npm pack)"
  trace "npm pack --pack-destination $(shown "$work") $pkg@$ver"
  npm pack --pack-destination "$work" "$pkg@$ver" > "$work/npm.out" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    sed 's/^/  /' "$work/npm.out" >&2
    die 4 "npm pack $pkg@$ver failed (exit $rc; npm's output is above): the npm registry is needed once to fetch it (make test does not need it; make test-full does)"
  fi
  name=$(printf '%s' "${pkg#@}" | tr / -)-$ver.tgz
  [ -f "$work/$name" ] || die 1 "npm pack did not write $name: $(tail -n 3 "$work/npm.out")"
  got=$(sri_of "$work/$name")
  if [ "$got" != "$integrity" ]; then
    die 1 "integrity mismatch for $pkg@$ver: pinned $integrity, got $got"
  fi
  mkdir -p -- "$(dirname "$tgz")"
  mv -- "$work/$name" "$tgz.$$.tmp"
  mv -- "$tgz.$$.tmp" "$tgz"
  say "$(shown "$tgz") matches the pinned integrity"
}
# sql_quote_v VAR TEXT: sql_quote into VAR, without a subshell.
sql_quote_v() { printf -v "$1" "'%s'" "${2//\'/\'\'}"; }
# run_bg CMD...: trace CMD and run it in the background, waiting for it: a signal then stops this
# script at once (bash runs a trap only after a foreground command ends), and lib_cleanup stops
# CMD. CMD's standard input is /dev/null; redirect its output as for any command. Returns its
# status.
run_bg() {
  local pid
  trace "$@"
  "$@" &
  pid=$!
  LIB_PIDS+=("$pid")
  wait "$pid"
}
