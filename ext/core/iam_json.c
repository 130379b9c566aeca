/* SPDX-License-Identifier: MIT */
/* JSON services: the pre-checks, the parse-failure verdict, number text,
** and JSON string output. See iam_json.h. */
#include "iam_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes the C library may add to each block it hands out (glibc: 8, rounded
** up to 16, 32 at least). */
#define BLOCK_OVERHEAD 32

/* A byte of a number or a literal (true, false, null) outside strings. */
static int scalar_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || (c >= 'a' && c <= 'z') ||
         c == 'E';
}

int iam_json_check(const char *text, size_t len, const char *what, size_t node_size,
                   size_t *tree_bytes, IamError *err) {
  const unsigned char *s = (const unsigned char *)text;
  int depth = 0, in_str = 0, in_scalar = 0;
  /* for the bound of cJSON's tree (iam_json.h): nodes, strings, their bytes */
  size_t values = 0, strings = 0, string_bytes = 0, start = 0;
  if (len > IAM_MAX_INPUT_BYTES) {
    iam_error_set(err, -1, "%s JSON is %zu bytes, over the limit of %d", what, len,
                  IAM_MAX_INPUT_BYTES);
    return IAM_ELIMIT;
  }
  for (size_t i = 0; i < len; i++) {
    unsigned char c = s[i];
    if (c == 0) {
      iam_error_set(err, (long)i, "%s contains a NUL byte at byte %zu", what, i);
      return IAM_EPARSE;
    }
    if (c >= 0x80) {
      size_t k = iam_utf8_len(s, i, len);
      if (k == 1 || iam_utf8_invalid_at(s + i, k) != k) {
        iam_error_set(err, (long)i, "%s is not valid UTF-8 at byte %zu", what, i);
        return IAM_EPARSE;
      }
      i += k - 1;
      in_scalar = 0;
      continue;
    }
    if (in_str) {
      if (c == '\\') {
        if (i + 5 < len && s[i + 1] == 'u' && s[i + 2] == '0' && s[i + 3] == '0' &&
            s[i + 4] == '0' && s[i + 5] == '0') {
          iam_error_set(err, (long)i, "%s contains a \\u0000 escape at byte %zu", what, i);
          return IAM_EPARSE;
        }
        i++;
      } else if (c == '"') {
        in_str = 0;
        string_bytes += i - start + 1;
      }
    } else if (c == '"') {
      in_str = 1, start = i, strings++, in_scalar = 0;
    } else if (c == '{' || c == '[') {
      values++, in_scalar = 0;
      if (++depth > IAM_MAX_NESTING) {
        iam_error_set(err, (long)i, "%s JSON nests deeper than %d levels at byte %zu", what,
                      IAM_MAX_NESTING, i);
        return IAM_ELIMIT;
      }
    } else if (scalar_byte(c)) {
      /* a number or literal: over-counted when split, never under; cJSON copies
      ** a number's text into a block of its own while it reads it */
      if (!in_scalar) values++, string_bytes += 1 + BLOCK_OVERHEAD;
      string_bytes++, in_scalar = 1;
    } else {
      in_scalar = 0;
      if (c == '}' || c == ']') depth--;
    }
  }
  if (in_str) string_bytes += len - start + 1;
  /* every string may be a value (a node and its text) or a key (its text);
  ** cJSON also allocates a node before it reads each value, so a text that
  ** stops being well-formed takes one node more than it has values, and an
  ** empty one still its root's */
  if (tree_bytes)
    *tree_bytes = (values + strings + 2) * (node_size + BLOCK_OVERHEAD) + string_bytes +
                  strings * BLOCK_OVERHEAD;
  return IAM_OK;
}

int iam_json_precheck(const char *text, size_t len, const char *what, IamError *err) {
  return iam_json_check(text, len, what, 0, NULL, err);
}

size_t iam_json_tree_bytes(const char *text, size_t len, size_t node_size) {
  IamError err;
  size_t bytes = 0;
  return iam_json_check(text, len, "text", node_size, &bytes, &err) == IAM_OK ? bytes : 0;
}

/* ---- well-formedness, allocating nothing ----------------------------------
** RFC 8259, narrowed to what cJSON (Debian's 1.7.15) also accepts, so that a
** text read as well-formed here can only have failed in cJSON for want of
** memory: a \u escape of a UTF-16 surrogate must be a high surrogate followed
** by a low one. Stricter than cJSON elsewhere (leading zeros, raw control
** characters in strings, a byte-order mark), which only means that a failed
** allocation on such a text is reported as malformed. */

typedef struct Reader {
  const char *s;
  size_t n, i;
} Reader;

static int peek(const Reader *r) { return r->i < r->n ? (unsigned char)r->s[r->i] : -1; }

static void skip_space(Reader *r) {
  while (r->i < r->n &&
         (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' || r->s[r->i] == '\r'))
    r->i++;
}

static int hex4(const Reader *r, size_t at, unsigned *out) {
  unsigned v = 0;
  if (at + 4 > r->n) return 0;
  for (size_t k = at; k < at + 4; k++) {
    char c = r->s[k];
    int d = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (d < 0) return 0;
    v = v * 16 + (unsigned)d;
  }
  *out = v;
  return 1;
}

static int read_string(Reader *r) {
  r->i++; /* the opening quote */
  while (r->i < r->n) {
    unsigned char c = (unsigned char)r->s[r->i];
    if (c == '"') {
      r->i++;
      return 1;
    }
    if (c < 0x20) return 0;
    if (c != '\\') {
      r->i++;
      continue;
    }
    if (r->i + 1 >= r->n) return 0;
    char e = r->s[r->i + 1];
    if (strchr("\"\\/bfnrt", e) != NULL && e != 0) {
      r->i += 2;
      continue;
    }
    unsigned u, lo;
    if (e != 'u' || !hex4(r, r->i + 2, &u)) return 0;
    r->i += 6;
    if (u >= 0xDC00 && u <= 0xDFFF) return 0; /* a lone low surrogate */
    if (u >= 0xD800 && u <= 0xDBFF) {         /* needs its low surrogate */
      if (r->i + 1 >= r->n || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u' ||
          !hex4(r, r->i + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
        return 0;
      r->i += 6;
    }
  }
  return 0;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

static int read_number(Reader *r) {
  if (peek(r) == '-') r->i++;
  if (peek(r) == '0') {
    r->i++;
  } else if (is_digit(peek(r))) {
    while (is_digit(peek(r))) r->i++;
  } else {
    return 0;
  }
  if (peek(r) == '.') {
    r->i++;
    if (!is_digit(peek(r))) return 0;
    while (is_digit(peek(r))) r->i++;
  }
  if (peek(r) == 'e' || peek(r) == 'E') {
    r->i++;
    if (peek(r) == '+' || peek(r) == '-') r->i++;
    if (!is_digit(peek(r))) return 0;
    while (is_digit(peek(r))) r->i++;
  }
  return 1;
}

static int read_word(Reader *r, const char *w) {
  size_t k = strlen(w);
  if (r->n - r->i < k || memcmp(r->s + r->i, w, k) != 0) return 0;
  r->i += k;
  return 1;
}

static int read_value(Reader *r, int depth) {
  int c, close;
  skip_space(r);
  switch (c = peek(r)) {
    case '"': return read_string(r);
    case 't': return read_word(r, "true");
    case 'f': return read_word(r, "false");
    case 'n': return read_word(r, "null");
    case '{':
    case '[':
      if (depth >= IAM_MAX_NESTING) return 0;
      close = c == '{' ? '}' : ']';
      r->i++;
      skip_space(r);
      if (peek(r) == close) {
        r->i++;
        return 1;
      }
      for (;;) {
        if (c == '{') {
          skip_space(r);
          if (peek(r) != '"' || !read_string(r)) return 0;
          skip_space(r);
          if (peek(r) != ':') return 0;
          r->i++;
        }
        if (!read_value(r, depth + 1)) return 0;
        skip_space(r);
        if (peek(r) == close) {
          r->i++;
          return 1;
        }
        if (peek(r) != ',') return 0;
        r->i++;
      }
    default: return read_number(r);
  }
}

static int well_formed(const char *text, size_t len) {
  Reader r = {text, len, 0};
  if (!read_value(&r, 0)) return 0;
  skip_space(&r);
  return r.i == r.n;
}

int iam_json_parse_failed(const char *text, size_t len, const char *end, const char *what,
                          IamError *err) {
  if (well_formed(text, len)) return IAM_ENOMEM;
  long pos = end ? (long)(end - text) : -1;
  if (pos >= 0 && (size_t)pos >= len)
    iam_error_set(err, pos, "malformed %s JSON: unexpected end of input", what);
  else
    iam_error_set(err, pos, "malformed %s JSON at byte %ld", what, pos);
  return IAM_EPARSE;
}

/* ---- numbers, empty objects, strings -------------------------------------- */

int iam_number_text(double v, char *buf, size_t cap) {
  char e[40], digits[20];
  int prec, nd = 0, exp10;
  size_t o = 0;
  if (!isfinite(v)) return 0;
  if (v == 0) {
    snprintf(buf, cap, "0");
    return 1;
  }
  /* the shortest decimal that reads back as v, then written out positionally
  ** (never with an exponent: the Numeric grammar has none) */
  for (prec = 1; prec <= 17; prec++) {
    snprintf(e, sizeof e, "%.*e", prec - 1, v);
    if (strtod(e, NULL) == v) break;
  }
  const char *p = e;
  if (*p == '-') buf[o++] = *p++;
  for (; *p && *p != 'e'; p++)
    if (*p >= '0' && *p <= '9') digits[nd++] = *p;
  exp10 = atoi(p + 1);
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  int point = exp10 + 1; /* digits before the decimal point */
  size_t need = o + (size_t)(point > nd ? point : nd) + (point <= 0 ? (size_t)(2 - point) : 1) + 1;
  if (need > cap) return 0;
  if (point <= 0) {
    buf[o++] = '0';
    buf[o++] = '.';
    for (int i = 0; i < -point; i++) buf[o++] = '0';
    for (int i = 0; i < nd; i++) buf[o++] = digits[i];
  } else {
    for (int i = 0; i < point || i < nd; i++) {
      if (i == point) buf[o++] = '.';
      buf[o++] = i < nd ? digits[i] : '0';
    }
  }
  buf[o] = 0;
  return 1;
}

int iam_json_is_empty_object(const char *s, size_t n) {
  Reader r = {s, n, 0};
  skip_space(&r);
  if (peek(&r) != '{') return 0;
  r.i++;
  skip_space(&r);
  if (peek(&r) != '}') return 0;
  r.i++;
  skip_space(&r);
  return r.i == r.n;
}

void iam_json_write_string(const IamSink *out, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t i, from = 0;
  iam_sink_append(out, "\"", 1);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[6];
    size_t en = 2;
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    iam_sink_append(out, s + from, i - from);
    from = i + 1;
    esc[0] = '\\';
    switch (c) {
      case '"': esc[1] = '"'; break;
      case '\\': esc[1] = '\\'; break;
      case '\n': esc[1] = 'n'; break;
      case '\r': esc[1] = 'r'; break;
      case '\t': esc[1] = 't'; break;
      case '\b': esc[1] = 'b'; break;
      case '\f': esc[1] = 'f'; break;
      default:
        memcpy(esc + 1, "u00", 3);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        en = 6;
    }
    iam_sink_append(out, esc, en);
  }
  iam_sink_append(out, s + from, n - from);
  iam_sink_append(out, "\"", 1);
}
