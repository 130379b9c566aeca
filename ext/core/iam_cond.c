/* SPDX-License-Identifier: MIT */
/* Conditions: the operator table, the value parsers of each family,
** compiling values, and evaluating an entry (ext/core/SEMANTICS.md,
** "Conditions"). */
#include "iam_cond.h"

#include <string.h>
#include <strings.h>

#include "iam.h"
#include "iam_match.h"

/* Null must stay last: the parser uses IAM_COND_N_OPERATORS-1 to spot "NullIfExists". */
const IamCondOperator iam_cond_operators[IAM_COND_N_OPERATORS] = {
    {"StringEquals", IAM_FAM_STRING, IAM_CMP_EQ, 0, 1},
    {"StringNotEquals", IAM_FAM_STRING, IAM_CMP_EQ, 1, 1},
    {"StringEqualsIgnoreCase", IAM_FAM_STRING, IAM_CMP_ICASE, 0, 1},
    {"StringNotEqualsIgnoreCase", IAM_FAM_STRING, IAM_CMP_ICASE, 1, 1},
    {"StringLike", IAM_FAM_STRING, IAM_CMP_LIKE, 0, 1},
    {"StringNotLike", IAM_FAM_STRING, IAM_CMP_LIKE, 1, 1},
    {"NumericEquals", IAM_FAM_NUMERIC, IAM_CMP_EQ, 0, 0},
    {"NumericNotEquals", IAM_FAM_NUMERIC, IAM_CMP_EQ, 1, 0},
    {"NumericLessThan", IAM_FAM_NUMERIC, IAM_CMP_LT, 0, 0},
    {"NumericLessThanEquals", IAM_FAM_NUMERIC, IAM_CMP_LE, 0, 0},
    {"NumericGreaterThan", IAM_FAM_NUMERIC, IAM_CMP_GT, 0, 0},
    {"NumericGreaterThanEquals", IAM_FAM_NUMERIC, IAM_CMP_GE, 0, 0},
    {"DateEquals", IAM_FAM_DATE, IAM_CMP_EQ, 0, 0},
    {"DateNotEquals", IAM_FAM_DATE, IAM_CMP_EQ, 1, 0},
    {"DateLessThan", IAM_FAM_DATE, IAM_CMP_LT, 0, 0},
    {"DateLessThanEquals", IAM_FAM_DATE, IAM_CMP_LE, 0, 0},
    {"DateGreaterThan", IAM_FAM_DATE, IAM_CMP_GT, 0, 0},
    {"DateGreaterThanEquals", IAM_FAM_DATE, IAM_CMP_GE, 0, 0},
    {"Bool", IAM_FAM_BOOL, IAM_CMP_EQ, 0, 1},
    {"BinaryEquals", IAM_FAM_BINARY, IAM_CMP_EQ, 0, 0},
    {"IpAddress", IAM_FAM_IP, IAM_CMP_INRANGE, 0, 0},
    {"NotIpAddress", IAM_FAM_IP, IAM_CMP_INRANGE, 1, 0},
    {"ArnEquals", IAM_FAM_ARN, IAM_CMP_LIKE, 0, 1},
    {"ArnLike", IAM_FAM_ARN, IAM_CMP_LIKE, 0, 1},
    {"ArnNotEquals", IAM_FAM_ARN, IAM_CMP_LIKE, 1, 1},
    {"ArnNotLike", IAM_FAM_ARN, IAM_CMP_LIKE, 1, 1},
    {"Null", IAM_FAM_NULL, IAM_CMP_NULL, 0, 0},
};

int iam_cond_operator_parse(const char *name, size_t n, uint8_t *qual, uint8_t *if_exists) {
  *qual = IAM_QUAL_NONE;
  *if_exists = 0;
  if (n >= 13 && memcmp(name, "ForAllValues:", 13) == 0) {
    *qual = IAM_QUAL_FORALL;
    name += 13, n -= 13;
  } else if (n >= 12 && memcmp(name, "ForAnyValue:", 12) == 0) {
    *qual = IAM_QUAL_FORANY;
    name += 12, n -= 12;
  }
  if (n > 8 && memcmp(name + n - 8, "IfExists", 8) == 0) {
    *if_exists = 1;
    n -= 8;
  }
  for (int i = 0; i < IAM_COND_N_OPERATORS; i++) {
    if (strlen(iam_cond_operators[i].name) == n &&
        memcmp(iam_cond_operators[i].name, name, n) == 0) {
      if (*if_exists && iam_cond_operators[i].family == IAM_FAM_NULL) return -1;
      return i;
    }
  }
  return -1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* ---- Numeric: ^[+-]?(\d+(\.\d*)?|\.\d+)$, compared exactly ------------------ */

int iam_parse_number(const char *s, size_t n, IamNum *out) {
  size_t i = 0, ib, ie, fb, fe;
  int neg = 0;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  ib = i;
  while (i < n && is_digit(s[i])) i++;
  ie = i;
  fb = fe = i;
  if (i < n && s[i] == '.') {
    fb = ++i;
    while (i < n && is_digit(s[i])) i++;
    fe = i;
  }
  if (i != n || (ie == ib && fe == fb)) return 0;
  while (ib < ie && s[ib] == '0') ib++;
  while (fe > fb && s[fe - 1] == '0') fe--;
  out->int_p = s + ib;
  out->int_n = (uint32_t)(ie - ib);
  out->frac_p = s + fb;
  out->frac_n = (uint32_t)(fe - fb);
  out->sign = (int8_t)((out->int_n == 0 && out->frac_n == 0) ? 0 : neg ? -1 : 1);
  return 1;
}

static int mag_cmp(const IamNum *a, const IamNum *b) {
  if (a->int_n != b->int_n) return a->int_n < b->int_n ? -1 : 1;
  int c = memcmp(a->int_p, b->int_p, a->int_n);
  if (c) return c < 0 ? -1 : 1;
  uint32_t m = a->frac_n < b->frac_n ? a->frac_n : b->frac_n;
  c = memcmp(a->frac_p, b->frac_p, m);
  if (c) return c < 0 ? -1 : 1;
  return a->frac_n == b->frac_n ? 0 : a->frac_n < b->frac_n ? -1 : 1;
}

int iam_num_cmp(const IamNum *a, const IamNum *b) {
  if (a->sign != b->sign) return a->sign < b->sign ? -1 : 1;
  if (a->sign == 0) return 0;
  int c = mag_cmp(a, b);
  return a->sign > 0 ? c : -c;
}

/* ---- Date: epoch seconds or W3C-profile ISO 8601, to ms UTC ---------------- */

static int digits(const char *s, size_t n, size_t at, size_t k, int *v) {
  if (at + k > n) return 0;
  int x = 0;
  for (size_t i = 0; i < k; i++) {
    if (!is_digit(s[at + i])) return 0;
    x = x * 10 + (s[at + i] - '0');
  }
  *v = x;
  return 1;
}

static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m) {
  static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dim[m - 1];
}

int iam_parse_date(const char *s, size_t n, int64_t *ms_out) {
  size_t i = 0;
  int y, mo = 1, d = 1, h = 0, mi = 0, se = 0, ms = 0, off = 0;
  if (n == 0) return 0;
  /* all digits (optional '-'): epoch seconds */
  i = (s[0] == '-') ? 1 : 0;
  while (i < n && is_digit(s[i])) i++;
  if (i == n && n > (size_t)(s[0] == '-')) {
    if (n - (s[0] == '-') > 14) return 0; /* beyond any representable date */
    int64_t v = 0;
    for (size_t k = (s[0] == '-'); k < n; k++) v = v * 10 + (s[k] - '0');
    *ms_out = (s[0] == '-' ? -v : v) * 1000;
    return 1;
  }
  if (!digits(s, n, 0, 4, &y) || n < 7 || s[4] != '-' || !digits(s, n, 5, 2, &mo)) return 0;
  if (mo < 1 || mo > 12) return 0;
  i = 7;
  if (i < n) {
    if (s[i] != '-' || !digits(s, n, 8, 2, &d)) return 0;
    if (d < 1 || d > days_in_month(y, mo)) return 0;
    i = 10;
    if (i < n) {
      if (s[i] != 'T' && s[i] != 't') return 0;
      if (!digits(s, n, 11, 2, &h) || n < 16 || s[13] != ':' || !digits(s, n, 14, 2, &mi)) return 0;
      if (h > 23 || mi > 59) return 0;
      i = 16;
      if (i < n && s[i] == ':') {
        if (!digits(s, n, 17, 2, &se) || se > 59) return 0;
        i = 19;
        if (i < n && s[i] == '.') {
          size_t k = ++i;
          int scale = 100;
          while (i < n && is_digit(s[i])) {
            if (scale) ms += (s[i] - '0') * scale, scale /= 10;
            i++;
          }
          if (i == k) return 0;
        }
      }
      if (i < n) { /* zone designator */
        if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n) {
          i++;
        } else if (s[i] == '+' || s[i] == '-') {
          int oh, om, sign = s[i] == '-' ? -1 : 1;
          if (!digits(s, n, i + 1, 2, &oh)) return 0;
          if (i + 3 < n && s[i + 3] == ':') {
            if (!digits(s, n, i + 4, 2, &om) || i + 6 != n) return 0;
          } else if (!digits(s, n, i + 3, 2, &om) || i + 5 != n) {
            return 0;
          }
          if (oh > 23 || om > 59) return 0;
          off = sign * (oh * 60 + om);
          i = n;
        } else {
          return 0;
        }
      }
    }
  }
  if (i != n) return 0;
  int64_t days = days_from_civil(y, mo, d);
  *ms_out = ((days * 24 + h) * 60 + mi - off) * 60000LL + se * 1000LL + ms;
  return 1;
}

/* ---- IP addresses and CIDR ranges ---------------------------------------- */

static int parse_v4(const char *s, size_t n, uint8_t *out) {
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    size_t b = i;
    int v = 0;
    while (i < n && is_digit(s[i]) && i - b < 3) v = v * 10 + (s[i++] - '0');
    if (i == b || v > 255 || (i - b > 1 && s[b] == '0')) return 0;
    out[part] = (uint8_t)v;
    if (part < 3) {
      if (i >= n || s[i] != '.') return 0;
      i++;
    }
  }
  return i == n;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int parse_v6(const char *s, size_t n, uint8_t *out) {
  uint16_t g[8];
  int ng = 0, gap = -1;
  size_t i = 0;
  if (n >= 2 && s[0] == ':' && s[1] == ':') {
    gap = 0;
    i = 2;
    if (i == n) goto done;
  } else if (n && s[0] == ':') {
    return 0;
  }
  for (;;) {
    size_t b = i;
    int v = 0;
    while (i < n && hexval(s[i]) >= 0 && i - b < 4) v = v * 16 + hexval(s[i++]);
    if (i < n && s[i] == '.') { /* embedded IPv4 as the last 32 bits */
      uint8_t v4[4];
      if (ng > 6 || !parse_v4(s + b, n - b, v4)) return 0;
      g[ng++] = (uint16_t)(v4[0] << 8 | v4[1]);
      g[ng++] = (uint16_t)(v4[2] << 8 | v4[3]);
      i = n;
      break;
    }
    if (i == b || ng >= 8) return 0;
    g[ng++] = (uint16_t)v;
    if (i == n) break;
    if (s[i] != ':') return 0;
    i++;
    if (i < n && s[i] == ':') {
      if (gap >= 0) return 0;
      gap = ng;
      i++;
      if (i == n) break;
    } else if (i == n) {
      return 0;
    }
  }
done:
  if (gap < 0 ? ng != 8 : ng > 7) return 0;
  memset(out, 0, 16);
  int tail = gap < 0 ? 0 : ng - gap;
  for (int k = 0; k < ng; k++) {
    int pos = (gap >= 0 && k >= gap) ? 8 - tail + (k - gap) : k;
    out[2 * pos] = (uint8_t)(g[k] >> 8);
    out[2 * pos + 1] = (uint8_t)g[k];
  }
  return 1;
}

int iam_parse_ip(const char *s, size_t n, int allow_prefix, IamIp *out) {
  const char *slash = memchr(s, '/', n);
  size_t alen = slash ? (size_t)(slash - s) : n;
  memset(out, 0, sizeof *out);
  if (slash && !allow_prefix) return 0;
  if (memchr(s, ':', alen)) {
    if (!parse_v6(s, alen, out->addr)) return 0;
    out->family = 6;
    out->prefix = 128;
  } else {
    if (!parse_v4(s, alen, out->addr)) return 0;
    out->family = 4;
    out->prefix = 32;
  }
  if (slash) {
    size_t i = alen + 1;
    int v = 0;
    if (i == n || n - i > 3) return 0;
    for (; i < n; i++) {
      if (!is_digit(s[i])) return 0;
      v = v * 10 + (s[i] - '0');
    }
    if (v > out->prefix) return 0;
    out->prefix = (uint8_t)v;
  }
  return 1;
}

/* ---- base64 (RFC 4648 standard alphabet, padding optional) ------------- */

static int b64val(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

long iam_b64_decode(const char *s, size_t n, unsigned char *out) {
  size_t pad = 0, o = 0;
  uint32_t acc = 0;
  int bits = 0;
  while (pad < 2 && n > pad && s[n - 1 - pad] == '=') pad++;
  if (pad && n % 4 != 0) return -1;
  n -= pad;
  if (n % 4 == 1) return -1;
  for (size_t i = 0; i < n; i++) {
    int v = b64val((unsigned char)s[i]);
    if (v < 0) return -1;
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (unsigned char)(acc >> bits);
    }
  }
  return (long)o;
}

int iam_parse_bool(const char *s, size_t n, int *out) {
  if (n == 4 && strncasecmp(s, "true", 4) == 0) return *out = 1, 1;
  if (n == 5 && strncasecmp(s, "false", 5) == 0) return *out = 0, 1;
  return 0;
}

/* ---- compiling values ------------------------------------------------------- */

int iam_cond_value_compile(IamCondValue *cv, int base, const char *s, size_t n, int vars,
                           IamArena *a, IamGlobScratch *scratch) {
  const IamCondOperator *op = &iam_cond_operators[base];
  IamTemplateMode mode = op->cmp == IAM_CMP_LIKE ? IAM_TEMPLATE_LIKE : IAM_TEMPLATE_LITERAL;
  int rc = iam_template_compile(&cv->t, s, n, mode, vars && op->vars, a, scratch);
  if (rc != IAM_OK) return rc;
  switch ((IamCondFamily)op->family) {
    case IAM_FAM_NUMERIC: cv->ok = (uint8_t)iam_parse_number(cv->t.text, n, &cv->u.num); break;
    case IAM_FAM_DATE: cv->ok = (uint8_t)iam_parse_date(s, n, &cv->u.ms); break;
    case IAM_FAM_IP: cv->ok = (uint8_t)iam_parse_ip(s, n, 1, &cv->u.ip); break;
    case IAM_FAM_BINARY: {
      unsigned char *b = iam_arena_alloc(a, n / 4 * 3 + 4);
      if (b == NULL) return IAM_ENOMEM;
      long len = iam_b64_decode(s, n, b);
      cv->ok = len >= 0;
      cv->u.bin.bytes = b;
      cv->u.bin.n = len >= 0 ? (size_t)len : 0;
      break;
    }
    case IAM_FAM_BOOL:
    case IAM_FAM_NULL:
      if (!cv->t.has_vars) cv->ok = (uint8_t)iam_parse_bool(s, n, &cv->u.b);
      break;
    case IAM_FAM_STRING:
    case IAM_FAM_ARN: cv->ok = 1; break;
  }
  return IAM_OK;
}

/* ---- evaluation ------------------------------------------------------------- */

/* P(v, p): the result of comparing one request value with one policy value. */
enum { P_NOMATCH = 0, P_MATCH = 1, P_FAIL = 2, P_OOM = IAM_ENOMEM };

#define BINARY_STACK  512 /* decoded request bytes kept on the stack */
#define BOOL_TEXT_MAX 8   /* longer than "false": not a boolean */

/* Template codes as literal text, compared for equality. */
static int codes_equal(const IamGlobCode *codes, uint32_t n, const char *v, size_t m, int icase) {
  if (n != m) return 0;
  for (uint32_t i = 0; i < n; i++) {
    unsigned char a = (unsigned char)codes[i], b = (unsigned char)v[i];
    if (icase) {
      if (a >= 'A' && a <= 'Z') a = (unsigned char)(a + 32);
      if (b >= 'A' && b <= 'Z') b = (unsigned char)(b + 32);
    }
    if (a != b) return 0;
  }
  return 1;
}

static int cmp_result(int c, uint8_t cmp) {
  switch ((IamCondCmp)cmp) {
    case IAM_CMP_EQ: return c == 0;
    case IAM_CMP_LT: return c < 0;
    case IAM_CMP_LE: return c <= 0;
    case IAM_CMP_GT: return c > 0;
    case IAM_CMP_GE: return c >= 0;
    case IAM_CMP_LIKE:
    case IAM_CMP_ICASE:
    case IAM_CMP_INRANGE:
    case IAM_CMP_NULL: break;
  }
  return 0;
}

static int ip_in(const IamIp *range, const IamIp *a) {
  if (range->family != a->family) return 0;
  int bits = range->prefix, i = 0;
  for (; bits >= 8; bits -= 8, i++)
    if (range->addr[i] != a->addr[i]) return 0;
  if (bits) {
    uint8_t mask = (uint8_t)(0xFF << (8 - bits));
    if ((range->addr[i] & mask) != (a->addr[i] & mask)) return 0;
  }
  return 1;
}

/* P(v, p): compare one request value with one policy value, counting 1 +
** both lengths (and what matching adds) in w. P_MATCH, P_NOMATCH, P_FAIL, or
** a negative IamRc (out of memory, w's IAM_EWORK / IAM_EINTERRUPT). */
static int compare(const IamCondOperator *op, const IamCondValue *p, const char *v, size_t m,
                   const IamCtx *ctx, IamWork *w) {
  int rc = IAM_WORK_CHARGE(w, 1 + m + p->t.len);
  if (rc != IAM_OK) return rc;
  switch ((IamCondFamily)op->family) {
    case IAM_FAM_STRING:
    case IAM_FAM_ARN: {
      IamGlobCode buf[IAM_TEMPLATE_STACK], *codes;
      uint32_t n;
      /* a String pattern longer than the value matches nothing; an ARN one
      ** still says whether the value is an ARN */
      size_t max_len = op->family == IAM_FAM_STRING ? m : SIZE_MAX;
      int r = iam_template_codes(&p->t, ctx, max_len, buf, IAM_TEMPLATE_STACK, &codes, &n, w), res;
      if (r <= 0) return r < 0 ? r : P_NOMATCH; /* unresolved variable: null */
      if (op->family == IAM_FAM_ARN) {
        r = iam_glob_arn_like(codes, n, v, m, w);
        res = r < 0 ? r : r == IAM_ARN_MALFORMED ? P_FAIL : r ? P_MATCH : P_NOMATCH;
      } else if (op->cmp == IAM_CMP_LIKE) {
        r = iam_glob_match_codes(codes, n, v, m, w);
        res = r < 0 ? r : r ? P_MATCH : P_NOMATCH;
      } else {
        res = codes_equal(codes, n, v, m, op->cmp == IAM_CMP_ICASE) ? P_MATCH : P_NOMATCH;
      }
      iam_template_codes_release(&p->t, codes, buf);
      return res;
    }
    case IAM_FAM_NUMERIC: {
      IamNum a;
      if (!p->ok || !iam_parse_number(v, m, &a)) return P_FAIL;
      return cmp_result(iam_num_cmp(&a, &p->u.num), op->cmp) ? P_MATCH : P_NOMATCH;
    }
    case IAM_FAM_DATE: {
      int64_t a;
      if (!p->ok || !iam_parse_date(v, m, &a)) return P_FAIL;
      return cmp_result(a < p->u.ms ? -1 : a > p->u.ms, op->cmp) ? P_MATCH : P_NOMATCH;
    }
    case IAM_FAM_BOOL: {
      int a, b;
      if (!iam_parse_bool(v, m, &a)) return P_FAIL;
      if (p->t.has_vars) {
        IamGlobCode buf[IAM_TEMPLATE_STACK], *codes;
        uint32_t n;
        char txt[BOOL_TEXT_MAX];
        int r = iam_template_codes(&p->t, ctx, SIZE_MAX, buf, IAM_TEMPLATE_STACK, &codes, &n, w);
        if (r <= 0) return r < 0 ? r : P_NOMATCH;
        int okb = n < sizeof txt;
        for (uint32_t i = 0; okb && i < n; i++) txt[i] = (char)codes[i];
        iam_template_codes_release(&p->t, codes, buf);
        if (!okb || !iam_parse_bool(txt, n, &b)) return P_FAIL;
      } else {
        if (!p->ok) return P_FAIL;
        b = p->u.b;
      }
      return a == b ? P_MATCH : P_NOMATCH;
    }
    case IAM_FAM_BINARY: {
      unsigned char stack[BINARY_STACK], *bytes = stack;
      int res;
      if (!p->ok) return P_FAIL;
      if (m / 4 * 3 + 4 > sizeof stack && (bytes = iam_malloc(m / 4 * 3 + 4)) == NULL) return P_OOM;
      long n = iam_b64_decode(v, m, bytes);
      if (n < 0)
        res = P_FAIL;
      else
        res = ((size_t)n == p->u.bin.n && memcmp(bytes, p->u.bin.bytes, (size_t)n) == 0)
                  ? P_MATCH
                  : P_NOMATCH;
      if (bytes != stack) iam_free(bytes);
      return res;
    }
    case IAM_FAM_IP: {
      IamIp a;
      if (!p->ok || !iam_parse_ip(v, m, 0, &a)) return P_FAIL;
      return ip_in(&p->u.ip, &a) ? P_MATCH : P_NOMATCH;
    }
    case IAM_FAM_NULL: break;
  }
  return P_FAIL;
}

/* The unqualified operator on one request value (SEMANTICS.md, "One
** condition entry", steps 6-7): 1, 0, or a negative IamRc. */
static int operator_one(const IamCond *c, const IamCondOperator *op, const char *v, size_t m,
                        const IamCtx *ctx, IamWork *w) {
  for (uint32_t i = 0; i < c->nvals; i++) {
    int r = compare(op, &c->vals[i], v, m, ctx, w);
    if (r < 0) return r;
    if (op->negated) {
      if (r != P_NOMATCH) return 0; /* a match, or a value that fails */
    } else if (r == P_MATCH) {
      return 1;
    }
  }
  return op->negated ? 1 : 0;
}

int iam_cond_eval(const IamCond *c, const IamCtx *ctx, IamWork *w) {
  const IamCondOperator *op = &iam_cond_operators[c->base];
  const IamCtxEntry *e = iam_ctx_get(ctx, c->key_lower, c->key_len);
  if (op->family == IAM_FAM_NULL) {
    if (c->qual == IAM_QUAL_FORALL) return 1;
    if (c->qual == IAM_QUAL_FORANY) return 0;
    for (uint32_t i = 0; i < c->nvals; i++) {
      const IamCondValue *v = &c->vals[i];
      if (v->ok && (v->u.b ? e == NULL : e != NULL)) return 1;
    }
    return 0;
  }
  if (c->if_exists && e == NULL) return 1;
  if (c->qual != IAM_QUAL_NONE) {
    uint32_t nr = e ? e->n : 0;
    if (c->nvals == 0) return c->qual == IAM_QUAL_FORALL ? nr == 0 : 0;
    for (uint32_t i = 0; i < nr; i++) {
      int r = operator_one(c, op, e->val[i], e->len[i], ctx, w);
      if (r < 0) return r;
      if (c->qual == IAM_QUAL_FORALL && !r) return 0;
      if (c->qual == IAM_QUAL_FORANY && r) return 1;
    }
    return c->qual == IAM_QUAL_FORALL;
  }
  if (e == NULL) return op->negated;
  if (e->multi) return 0;
  return operator_one(c, op, e->val[0], e->len[0], ctx, w);
}
