/* SPDX-License-Identifier: MIT */
/* Text services: UTF-8, ASCII case, quoting, error messages, sinks. */
#include "iam_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

size_t iam_utf8_len(const unsigned char *t, size_t i, size_t m) {
  unsigned char c = t[i];
  size_t len = 1, k;
  if (c >= 0xF0 && c < 0xF8)
    len = 4;
  else if (c >= 0xE0)
    len = (c < 0xF0) ? 3 : 1;
  else if (c >= 0xC0)
    len = 2;
  if (i + len > m) return 1;
  for (k = 1; k < len; k++)
    if ((t[i + k] & 0xC0) != 0x80) return 1;
  return len;
}

size_t iam_utf8_invalid_at(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    if (c < 0x80) continue;
    size_t k = iam_utf8_len(s, i, n);
    int bad = (k == 1);
    if (!bad && k == 2 && c < 0xC2) bad = 1;                      /* overlong */
    if (!bad && k == 3 && c == 0xE0 && s[i + 1] < 0xA0) bad = 1;  /* overlong */
    if (!bad && k == 3 && c == 0xED && s[i + 1] >= 0xA0) bad = 1; /* surrogate */
    if (!bad && k == 4 && c == 0xF0 && s[i + 1] < 0x90) bad = 1;  /* overlong */
    if (!bad && k == 4 && (c > 0xF4 || (c == 0xF4 && s[i + 1] >= 0x90))) bad = 1;
    if (bad) return i;
    i += k - 1;
  }
  return n;
}

static int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int iam_url_decode(const char *s, size_t n, char *out, size_t *out_n, IamError *err) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i, o = 0, bad;
  for (i = 0; i < n; i++) {
    if (u[i] != '%') {
      out[o++] = s[i];
      continue;
    }
    int hi = i + 1 < n ? hex_value(u[i + 1]) : -1, lo = i + 2 < n ? hex_value(u[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      iam_error_set(err, (long)i, "'%%' at byte %zu is not followed by two hex digits", i);
      return IAM_EINVAL;
    }
    out[o++] = (char)(hi * 16 + lo);
    i += 2;
  }
  bad = iam_utf8_invalid_at((const unsigned char *)out, o);
  if (bad != o) {
    /* name the place in s that the bad decoded byte came from */
    size_t at = 0;
    for (size_t k = 0; k < bad; k++) at += u[at] == '%' ? 3 : 1;
    char q[32];
    iam_error_set(err, (long)at, "the decoded text is not valid UTF-8 at byte %zu (%s %s)", at,
                  u[at] == '%' ? "the escapes" : "the bytes",
                  iam_quote(q, sizeof q, s + at, n - at));
    return IAM_EINVAL;
  }
  *out_n = o;
  return IAM_OK;
}

void iam_ascii_lower(char *dst, const char *src, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = src[i];
    dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
}

void iam_error_set(IamError *err, long pos, const char *fmt, ...) {
  va_list ap;
  if (err == NULL) return;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  err->pos = pos;
}

const char *iam_quote(char *buf, size_t cap, const char *s, size_t n) {
  /* 'value' with embedded quotes doubled, SQL style; long values cut with "...". */
  size_t o = 0, i;
  const size_t max_body = cap > 8 ? cap - 8 : 0;
  buf[o++] = '\'';
  for (i = 0; i < n && o < max_body; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\'') buf[o++] = '\'';
    buf[o++] = (c < 0x20) ? '?' : (char)c;
  }
  if (i < n) {
    /* do not cut a UTF-8 sequence in half */
    while (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80) o--;
    if (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0) o--;
    memcpy(buf + o, "...", 3);
    o += 3;
  }
  buf[o++] = '\'';
  buf[o] = 0;
  return buf;
}

void iam_sink_append(const IamSink *out, const char *s, size_t n) {
  if (n) out->append(out->arg, s, n);
}

void iam_sink_puts(const IamSink *out, const char *s) { iam_sink_append(out, s, strlen(s)); }

#define SINK_QUOTE_MAX 256 /* the largest cap iam_sink_quote takes */

void iam_sink_quote(const IamSink *out, const char *s, size_t n, size_t cap) {
  char q[SINK_QUOTE_MAX];
  if (cap > sizeof q) cap = sizeof q;
  iam_sink_puts(out, iam_quote(q, cap, s, n));
}
