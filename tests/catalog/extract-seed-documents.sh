#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Extract the policy documents printed in the ECS managed-policy seed page into one file per
# policy, <Name>.json, holding the JSON text exactly as printed (one line).
# A document is the first line starting with '{' after the line "<Name> ポリシーの例を次に示します。".
# Usage: tests/catalog/extract-seed-documents.sh SEED_TXT OUT_DIR
# Prints the names written; fails if none is found or a document is not valid JSON.
set -euo pipefail
SQLITE3=${SQLITE3:-sqlite3}
seed=${1:?usage: extract-seed-documents.sh SEED_TXT OUT_DIR}
out=${2:?usage: extract-seed-documents.sh SEED_TXT OUT_DIR}
mkdir -p "$out"
awk -v out="$out" '
  match($0, /^[A-Za-z0-9_+=,.@-]+ ポリシーの例を次に示します/) { name = $1; next }
  name != "" && /^\{/ { f = out "/" name ".json"; print > f; close(f); print name; name = "" }
' "$seed" > "$out/.names"
[ -s "$out/.names" ] || { echo "extract-seed-documents: no documents found in $seed" >&2; exit 1; }
while read -r name; do
  valid=$("$SQLITE3" :memory: "SELECT json_valid(CAST(readfile('$out/$name.json') AS TEXT))")
  [ "$valid" = 1 ] || { echo "extract-seed-documents: $name: not valid JSON" >&2; exit 1; }
  echo "$name"
done < "$out/.names"
rm -f "$out/.names"
