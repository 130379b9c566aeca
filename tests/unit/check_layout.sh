#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make check-layout: keeps the layout of ext/ true (ext/README.md, "Layout").
#
#   1. no core file (ext/core/) includes a SQLite header or a glue header, or names
#      the SQLite API outside comments;
#   2. the core links alone: its objects, cJSON and libm resolve every symbol;
#   3. every header a core file includes is a core header; every header a glue file
#      (ext/sqlite/) includes is a glue header, a core header or a system header;
#   4. the glue reaches the core only through the core headers: every core function
#      or object the glue objects use is declared in an ext/core/*.h, and no glue
#      file declares a core function itself;
#   5. cJSON is seen only by the three parsers (iam_policy.c, iam_ctx.c,
#      iam_authzmsg.c: authorization-failure messages), by the
#      linter's grammar walk (iam_lint.c, which reads the tree the parser reads to
#      report every problem rather than the first) and by iam_fn.c (iam_debug()
#      reports its version), never in a header;
#   6. every file under ext/ starts with an SPDX-License-Identifier line;
#   7. every section a comment cites as SEMANTICS.md, "Title" or ext/core/README.md,
#      "Title" (and ext/README.md) is a heading of that file.
#
# Usage: tests/unit/check_layout.sh   (CC=cc; builds objects in a temporary directory)
# Prints "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${1:-}" = --help ] || [ "${1:-}" = -h ]; then
  sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
if [ "$#" -gt 0 ]; then
  echo "check_layout: no arguments expected (see --help)" >&2
  exit 2
fi

CC=${CC:-cc}
passed=0
failed=0
ok() {
  echo "ok   $1"
  passed=$((passed + 1))
}
fail() {
  echo "FAIL $1"
  failed=$((failed + 1))
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shopt -s nullglob
core_c=(ext/core/*.c)
core_h=(ext/core/*.h)
glue_c=(ext/sqlite/*.c)
glue_h=(ext/sqlite/*.h)
shopt -u nullglob
if [ "${#core_c[@]}" -eq 0 ] || [ "${#glue_c[@]}" -eq 0 ]; then
  echo "check_layout: no sources under ext/core or ext/sqlite" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

names() { for f in "$@"; do basename "$f"; done; }
core_h_names=$(names "${core_h[@]}")
glue_h_names=$(names "${glue_h[@]}")

# "..." includes of a file, one per line.
quoted_includes() { sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1"; }
# <...> includes of a file, one per line.
system_includes() { sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$1"; }
# The file without its comments (gcc's preprocessor, includes not expanded).
code_of() { "$CC" -fpreprocessed -dD -E -P "$1" 2>/dev/null || cat "$1"; }

# 1. no SQLite in the core
bad=""
for f in "${core_c[@]}" "${core_h[@]}"; do
  if system_includes "$f" | grep -q '^sqlite3'; then bad+=" $f(includes <sqlite3...>)"; fi
  while read -r h; do
    [ -n "$h" ] || continue
    if grep -qxF "$h" <<<"$glue_h_names" || [[ $h == sqlite3* ]]; then bad+=" $f(includes \"$h\")"; fi
  done < <(quoted_includes "$f")
  if code_of "$f" | grep -qE '\bsqlite3_|\bSQLITE_[A-Z]'; then bad+=" $f(names the SQLite API)"; fi
done
if [ -z "$bad" ]; then
  ok "ext/core: no SQLite header, no glue header, no SQLite API (${#core_c[@]} sources, ${#core_h[@]} headers)"
else
  fail "ext/core sees SQLite:$bad"
fi

# 2. the core links alone
WARN=(-Wall -Wextra)
build_ok=1
for f in "${core_c[@]}" "${glue_c[@]}"; do
  o="$tmp/$(basename "$(dirname "$f")")-$(basename "$f" .c).o"
  if ! "$CC" -std=c11 -D_GNU_SOURCE -Iext/core -fPIC "${WARN[@]}" -c "$f" -o "$o" 2>"$tmp/cc.err"; then
    fail "cannot compile $f: $(head -3 "$tmp/cc.err")"
    build_ok=0
  fi
done
if [ "$build_ok" = 1 ]; then
  if "$CC" -shared -Wl,--no-undefined -o "$tmp/core.so" "$tmp"/core-*.o -lcjson -lm 2>"$tmp/ld.err"; then
    ok "ext/core links alone against cJSON and libm"
  else
    fail "ext/core does not link alone: $(grep -o "undefined reference to \`[^']*'" "$tmp/ld.err" | sort -u | head -5 | tr '\n' ' ')"
  fi
fi

# 3. includes stay on their side
bad=""
for f in "${core_c[@]}" "${core_h[@]}"; do
  while read -r h; do
    [ -n "$h" ] || continue
    grep -qxF "$h" <<<"$core_h_names" || bad+=" $f->\"$h\""
  done < <(quoted_includes "$f")
done
for f in "${glue_c[@]}" "${glue_h[@]}"; do
  while read -r h; do
    [ -n "$h" ] || continue
    grep -qxF "$h" <<<"$core_h_names" || grep -qxF "$h" <<<"$glue_h_names" || bad+=" $f->\"$h\""
  done < <(quoted_includes "$f")
done
if [ -z "$bad" ]; then
  ok "includes: core files include core headers; glue files glue or core headers"
else
  fail "includes across the line:$bad"
fi

# 4. the glue uses the core through its headers only
if [ "$build_ok" = 1 ]; then
  core_defs=$(nm --defined-only -g "$tmp"/core-*.o | awk 'NF == 3 {print $3}' | sort -u)
  glue_uses=$(nm -u "$tmp"/sqlite-*.o | awk '{print $NF}' | sort -u)
  used=$(comm -12 <(echo "$core_defs") <(echo "$glue_uses"))
  declared=$(code_of_all() { for h in "${core_h[@]}"; do code_of "$h"; done; }
    code_of_all | grep -oE '\b[A-Za-z_][A-Za-z0-9_]*\b' | sort -u)
  undeclared=$(comm -23 <(echo "$used") <(echo "$declared"))
  self_declared=""
  syms=$(tr '\n' '|' <<<"$core_defs" | sed 's/|$//')
  for f in "${glue_c[@]}" "${glue_h[@]}"; do
    # a prototype at file scope: "type name(args);"
    hits=$(code_of "$f" | grep -oE "^[A-Za-z_][A-Za-z0-9_ *]*\b($syms)[[:space:]]*\([^)]*\)[[:space:]]*;" |
      grep -oE "\b($syms)\b" | sort -u | tr '\n' ' ' || true)
    [ -z "$hits" ] || self_declared+=" $f: $hits"
  done
  if [ -z "$undeclared" ] && [ -z "$self_declared" ]; then
    ok "ext/sqlite uses $(wc -w <<<"$used") core symbols, each declared in an ext/core header"
  else
    fail "ext/sqlite reaches into the core:${undeclared:+ undeclared: $(tr '\n' ' ' <<<"$undeclared")}${self_declared:+ declared in glue:$self_declared}"
  fi
fi

# 5. cJSON stays with the parsers
allowed='^(ext/core/iam_policy\.c|ext/core/iam_ctx\.c|ext/core/iam_lint\.c|ext/core/iam_authzmsg\.c|ext/sqlite/iam_fn\.c)$'
bad=""
for f in "${core_c[@]}" "${core_h[@]}" "${glue_c[@]}" "${glue_h[@]}"; do
  if system_includes "$f" | grep -q '^cjson/' && ! [[ $f =~ $allowed ]]; then bad+=" $f"; fi
done
if [ -z "$bad" ]; then
  ok "cJSON is included by iam_policy.c, iam_ctx.c, iam_lint.c, iam_authzmsg.c and iam_fn.c only"
else
  fail "cJSON included by:$bad"
fi

# 6. licence lines
bad=""
for f in "${core_c[@]}" "${core_h[@]}" "${glue_c[@]}" "${glue_h[@]}"; do
  head -1 "$f" | grep -q 'SPDX-License-Identifier: MIT' || bad+=" $f"
done
if [ -z "$bad" ]; then
  ok "every ext/ file starts with SPDX-License-Identifier: MIT"
else
  fail "no SPDX line:$bad"
fi

# 7. cited sections exist
headings() { sed -n 's/^#\{2,4\} \(.*\)$/\1/p' "$1"; }
bad=""
cited=0
for f in "${core_c[@]}" "${core_h[@]}" "${glue_c[@]}" "${glue_h[@]}" tests/unit/*.c \
  tests/hostile/*.c tests/bench/*.c; do
  # comments joined into one line, "**" continuation marks dropped
  text=$(tr '\n' ' ' <"$f" | sed 's/[*#][*#]* / /g; s/  */ /g')
  while IFS=$'\t' read -r doc title; do
    [ -n "$doc" ] || continue
    cited=$((cited + 1))
    case $doc in
      SEMANTICS.md | ext/core/SEMANTICS.md) target=ext/core/SEMANTICS.md ;;
      ext/core/README.md) target=ext/core/README.md ;;
      ext/README.md) target=ext/README.md ;;
      *) continue ;;
    esac
    headings "$target" | grep -qxF "$title" || bad+=" $f: $doc \"$title\";"
  done < <(grep -oE '((ext/core/|ext/)?(SEMANTICS|README)\.md)[,]? \(?"[^"]+"' <<<"$text" |
    sed -E 's/^([^ ,]+)[,]? \(?"([^"]+)"$/\1\t\2/' | sort -u)
done
if [ -z "$bad" ]; then
  ok "$cited cited sections of SEMANTICS.md and the ext READMEs exist"
else
  fail "cited sections that do not exist:$bad"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
