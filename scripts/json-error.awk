# SPDX-License-Identifier: MIT
# scripts/json-error.awk: where a JSON text stops being valid (RFC 8259), for error messages.
# SQLite 3.40's json_valid() says only yes or no; this says where and why.
#
# Usage: LC_ALL=C awk -f scripts/json-error.awk < FILE
# Prints one line, "WHAT at byte N (line L, column C)" with N counted from 0 and L, C from 1 (C
# in bytes), or "unexpected end of input (...)"; nothing when FILE is valid JSON. Reads the input
# once, line by line, keeping only the stack of open containers.
function err(what) { printf "%s at byte %d (line %d, column %d)\n", what, off + i - 1, NR, i; bad = 1; exit }
function value_start(c) {
  if (c == "{") { sp++; st[sp] = "o"; state = "key1"; return }
  if (c == "[") { sp++; st[sp] = "a"; state = "val1"; return }
  if (c == "\"") { instr = 1; strkey = 0; return }
  if (c ~ /[-0-9]/) { num(); return }
  if (c ~ /[tfn]/) { lit(); return }
  err("expected a value")
}
function num(   m) {
  rest = substr($0, i, 4096)
  if (match(rest, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/) == 0) err("invalid number")
  m = RLENGTH; nxt = substr(rest, m + 1, 1)
  if (nxt ~ /[0-9.eE+-]/) { i += m; err("invalid number") }
  i += m - 1; state = "after"
}
function lit(   w) {
  rest = substr($0, i, 4096)
  if (rest ~ /^true/) w = 4; else if (rest ~ /^false/) w = 5; else if (rest ~ /^null/) w = 4; else err("invalid literal")
  if (substr(rest, w + 1, 1) ~ /[A-Za-z0-9_]/) err("invalid literal")
  i += w - 1; state = "after"
}
function close_ok(c) {
  if (sp == 0) err("unexpected '" c "'")
  if ((c == "}" && st[sp] != "o") || (c == "]" && st[sp] != "a")) err("expected ',' or '" (st[sp] == "o" ? "}" : "]") "'")
  sp--; state = "after"
}
BEGIN { state = "val"; sp = 0; off = 0; instr = 0; bad = 0 }
NR == 1 && substr($0, 1, 3) == "\357\273\277" { i = 1; err("a UTF-8 byte-order mark (EF BB BF) before the JSON") }
{
  n = length($0)
  for (i = 1; i <= n; i++) {
    c = substr($0, i, 1)
    if (instr) {
      if (c == "\\") {
        e = substr($0, i + 1, 1)
        if (e ~ /["\\\/bfnrt]/) { i++; continue }
        if (e == "u") { if (substr($0, i + 2, 4) ~ /^[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]$/) { i += 5; continue } err("invalid \\u escape in a string") }
        err("invalid escape in a string")
      }
      if (c == "\"") { instr = 0; state = strkey ? "colon" : "after"; continue }
      if (c < " ") err("a control character in a string")
      continue
    }
    if (c == " " || c == "\t" || c == "\r") continue
    if (state == "val") { value_start(c); continue }
    if (state == "val1") { if (c == "]") { close_ok(c); continue } value_start(c); continue }
    if (state == "key1" || state == "key") {
      if (state == "key1" && c == "}") { close_ok(c); continue }
      if (c == "\"") { instr = 1; strkey = 1; continue }
      err("expected a member name (a string)" (state == "key1" ? " or '}'" : ""))
    }
    if (state == "colon") { if (c == ":") { state = "val"; continue } err("expected ':'") }
    if (state == "after") {
      if (sp == 0) err("unexpected text after the JSON value")
      if (c == ",") { state = (st[sp] == "o") ? "key" : "val"; continue }
      if (c == "}" || c == "]") { close_ok(c); continue }
      err("expected ',' or '" (st[sp] == "o" ? "}" : "]") "'")
    }
  }
  if (instr) { i = n + 1; err("a line break in a string") }
  off += n + 1
}
END {
  if (bad) exit
  if (sp > 0 || state != "after" || instr) printf "unexpected end of input (the text stops at line %d)\n", (NR > 0 ? NR : 1)
}
