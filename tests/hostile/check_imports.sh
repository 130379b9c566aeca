#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The extension reads no files, opens no network connection, runs no program and keeps no
# process-global mutable state, checked on the built library:
#   1. `nm -D` imports none of the functions that open files or sockets, load code or start
#      processes;
#   2. its only writable data (.data/.bss) of its own is SQLite's sqlite3_api pointer (the same value
#      for every connection).
#   3. no source file under ext/ calls one of them by name.
# Usage: tests/hostile/check_imports.sh [LIBRARY]   (default dist/iam.so)
# Prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."

lib=${1:-dist/iam.so}
if [ ! -f "$lib" ]; then
  echo "check_imports: $lib not found; run make first" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0
failed=0

forbidden='^(open|open64|openat|openat64|creat|creat64|fopen|fopen64|freopen|fdopen|opendir|stat|stat64|lstat|access|readlink|mmap|mmap64|socket|socketpair|connect|bind|listen|accept|accept4|send|sendto|sendmsg|recv|recvfrom|recvmsg|getaddrinfo|gethostbyname|gethostbyname2|dlopen|dlsym|system|popen|fork|vfork|clone|execl|execle|execlp|execv|execve|execvp|execvpe|posix_spawn|posix_spawnp|pthread_create|getenv|secure_getenv|cJSON_InitHooks)$'

echo "check_imports: nm -D --undefined-only $lib"
imports=$(nm -D --undefined-only "$lib" | awk '{print $NF}' | sed 's/@.*//' | sort -u)
if [ -z "$imports" ]; then
  echo "FAIL $lib: no imports at all (not a dynamic library?)"
  failed=$((failed + 1))
elif bad=$(grep -E "$forbidden" <<<"$imports"); then
  echo "FAIL $lib imports: $(tr '\n' ' ' <<<"$bad")"
  failed=$((failed + 1))
else
  echo "ok   $lib imports no file, network, process, loader or environment functions ($(wc -l <<<"$imports") imports)"
  passed=$((passed + 1))
fi

echo "check_imports: objdump -t $lib (symbols in .data and .bss)"
# crt files' own symbols are not ours
crt='^(completed\.[0-9]+|__dso_handle|__TMC_END__|_edata|_end|__bss_start)$'
writable=$(objdump -t "$lib" | awk '$4 == ".data" || $4 == ".bss" {print $NF}' | grep -Ev "$crt" | sort -u || true)
expected=sqlite3_api
if [ "$writable" = "$expected" ]; then
  echo "ok   $lib writable data: $(tr '\n' ' ' <<<"$writable")"
  passed=$((passed + 1))
else
  echo "FAIL $lib writable data: $(tr '\n' ' ' <<<"$writable") (expected: $(tr '\n' ' ' <<<"$expected"))"
  failed=$((failed + 1))
fi

echo "check_imports: grep for file, network, process and environment calls in ext/"
if calls=$(grep -nE '\b(fopen|open|openat|creat|socket|connect|popen|system|getenv|dlopen|exec[lv]p?e?)[[:space:]]*\(' ext/*/*.c ext/*/*.h); then
  echo "FAIL ext/ calls:"
  echo "$calls"
  failed=$((failed + 1))
else
  echo "ok   ext/*/*.c, ext/*/*.h call none of them"
  passed=$((passed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
