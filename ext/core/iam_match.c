/* Wildcard matching: a greedy glob for patterns whose wildcards are all
** unrestricted, and a position-set DP (O(pattern x text), never exponential)
** for Resource patterns with wildcards that may not cross ':'. */
#include "iam_match.h"

#include <string.h>

#include "iam.h"

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

void iam_ascii_lower(char *dst, const char *src, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = src[i];
    dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
}

int iam_glob_finish(IamGlob *g, IamArena *a) {
  uint32_t i, wild = 0, restricted = 0;
  for (i = 0; i < g->n; i++) {
    if (IAM_OP_IS_WILD(g->ops[i])) {
      wild++;
      if (g->ops[i] & IAM_OP_NOCOLON) restricted++;
    }
  }
  g->lit = NULL;
  if (wild == 0) {
    char *lit = iam_arena_alloc(a, g->n + 1);
    if (lit == NULL) return IAM_ENOMEM;
    for (i = 0; i < g->n; i++) lit[i] = (char)g->ops[i];
    g->lit = lit;
    g->kind = IAM_GLOB_LITERAL;
  } else if (restricted) {
    g->kind = IAM_GLOB_RESTRICTED;
  } else if (g->n == 1 && g->ops[0] == IAM_OP_STAR) {
    g->kind = IAM_GLOB_ANY;
  } else {
    g->kind = IAM_GLOB_SIMPLE;
  }
  return IAM_OK;
}

/* Classic single-backtrack glob; correct when every '*' is unrestricted. A '*'
** advances by whole characters so that '?' always sees a character start. */
static int glob_greedy(const IamOp *op, size_t n, const unsigned char *t, size_t m) {
  size_t p = 0, i = 0, sp = (size_t)-1, si = 0;
  while (i < m) {
    if (p < n) {
      uint32_t o = op[p];
      if (o == IAM_OP_STAR) {
        sp = p++;
        si = i;
        continue;
      }
      if (o == IAM_OP_QMARK) {
        i += iam_utf8_len(t, i, m);
        p++;
        continue;
      }
      if (o == t[i]) {
        p++;
        i++;
        continue;
      }
    }
    if (sp == (size_t)-1) return 0;
    p = sp + 1;
    si += iam_utf8_len(t, si, m);
    i = si;
  }
  while (p < n && op[p] == IAM_OP_STAR) p++;
  return p == n;
}

/* Set of reachable text positions, advanced one pattern op at a time. */
static int glob_dp(const IamOp *op, size_t n, const unsigned char *t, size_t m) {
  unsigned char stack[2 * (IAM_MATCH_STACK + 1)];
  unsigned char *cur = stack, *next;
  int rc;
  if (m > IAM_MATCH_STACK) {
    cur = iam_malloc(2 * (m + 1));
    if (cur == NULL) return -1;
  }
  next = cur + m + 1;
  memset(cur, 0, m + 1);
  cur[0] = 1;
  for (size_t p = 0; p < n; p++) {
    uint32_t o = op[p];
    int nocolon = (o & IAM_OP_NOCOLON) != 0, any = 0;
    memset(next, 0, m + 1);
    if (o & IAM_OP_STAR) {
      /* A run of stars is one star, which may cross ':' if any of them may:
      ** then every pass but a star's consumes a character, so the loop ends
      ** after at most 2m+2 passes however long the pattern (hostile input:
      ** a 4 MB run of stars against a 1,000-byte ARN took 8 s). */
      while (p + 1 < n && (op[p + 1] & IAM_OP_STAR)) {
        p++;
        if (!(op[p] & IAM_OP_NOCOLON)) nocolon = 0;
      }
      int run = 0;
      for (size_t i = 0; i <= m; i++) {
        if (cur[i]) run = 1;
        if (run && (i == m || (t[i] & 0xC0) != 0x80)) next[i] = 1, any = 1;
        if (i < m && nocolon && t[i] == ':') run = 0;
      }
    } else if (o & IAM_OP_QMARK) {
      for (size_t i = 0; i < m; i++) {
        if (cur[i] && !(nocolon && t[i] == ':')) next[i + iam_utf8_len(t, i, m)] = 1, any = 1;
      }
    } else {
      for (size_t i = 0; i < m; i++) {
        if (cur[i] && t[i] == o) next[i + 1] = 1, any = 1;
      }
    }
    unsigned char *tmp = cur;
    cur = next;
    next = tmp;
    if (!any) break;
  }
  rc = cur[m];
  if (m > IAM_MATCH_STACK) iam_free(cur < next ? cur : next);
  return rc;
}

int iam_glob_match(const IamGlob *g, const char *text, size_t m) {
  const unsigned char *t = (const unsigned char *)text;
  switch ((IamGlobKind)g->kind) {
    case IAM_GLOB_LITERAL: return g->n == m && memcmp(g->lit, text, m) == 0;
    case IAM_GLOB_ANY: return 1;
    case IAM_GLOB_SIMPLE: return glob_greedy(g->ops, g->n, t, m);
    case IAM_GLOB_RESTRICTED: return glob_dp(g->ops, g->n, t, m);
  }
  return 0;
}

int iam_ops_match(const IamOp *ops, uint32_t n, const char *text, size_t m) {
  int restricted = 0;
  for (uint32_t i = 0; i < n; i++)
    if (ops[i] & IAM_OP_NOCOLON) restricted = 1;
  if (restricted) return glob_dp(ops, n, (const unsigned char *)text, m);
  return glob_greedy(ops, n, (const unsigned char *)text, m);
}

void iam_ops_action(IamOp *ops, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '*')
      ops[i] = IAM_OP_STAR;
    else if (c == '?')
      ops[i] = IAM_OP_QMARK;
    else
      ops[i] = (c >= 'A' && c <= 'Z') ? (IamOp)(c + 32) : c;
  }
}

void iam_ops_like(IamOp *ops, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    ops[i] = c == '*' ? IAM_OP_STAR : c == '?' ? IAM_OP_QMARK : c;
  }
}

int iam_ops_resource(IamOp *ops, const char *s, size_t n, int field) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (field >= 5) {
      ops[i] = c == '*' ? IAM_OP_STAR : c == '?' ? IAM_OP_QMARK : c;
    } else if (c == ':') {
      ops[i] = c;
      field++;
    } else if (c == '*') {
      /* a field-final '*' may run past ':' (spec §2.2) */
      int last = (i + 1 == n) || s[i + 1] == ':';
      ops[i] = last ? IAM_OP_STAR : (IamOp)(IAM_OP_STAR | IAM_OP_NOCOLON);
    } else if (c == '?') {
      ops[i] = (IamOp)(IAM_OP_QMARK | IAM_OP_NOCOLON);
    } else {
      ops[i] = c;
    }
  }
  return field;
}

int iam_arn_like(const IamOp *ops, uint32_t n, const char *text, size_t m) {
  size_t pstart = 0, tstart = 0;
  for (int f = 0; f < 6; f++) {
    size_t pend = pstart, tend = tstart;
    if (f < 5) {
      while (pend < n && ops[pend] != ':') pend++;
      while (tend < m && text[tend] != ':') tend++;
      if (pend == n || tend == m) return 2; /* fewer than six fields */
    } else {
      pend = n;
      tend = m;
    }
    if (!glob_greedy(ops + pstart, pend - pstart, (const unsigned char *)text + tstart,
                     tend - tstart))
      return 0;
    pstart = pend + 1;
    tstart = tend + 1;
  }
  return 1;
}
