/* SPDX-License-Identifier: MIT */
/* Wildcard matching: a greedy glob for patterns whose wildcards are all
** unrestricted, and a position-set DP (O(pattern x text), never exponential)
** for Resource patterns with wildcards that may not cross ':'. */
#include "iam_match.h"

#include <string.h>

#include "iam.h"
#include "iam_text.h"

IamGlobCode *iam_glob_scratch(IamGlobScratch *s, size_t n) {
  if (n + 1 > s->cap) {
    size_t cap = (n + 1) * 2;
    IamGlobCode *t = iam_realloc(s->codes, cap * sizeof *t);
    if (t == NULL) return NULL;
    s->codes = t;
    s->cap = cap;
  }
  return s->codes;
}

void iam_glob_scratch_free(IamGlobScratch *s) {
  iam_free(s->codes);
  s->codes = NULL;
  s->cap = 0;
}

int iam_glob_init(IamGlob *g, const IamGlobCode *codes, uint32_t n, IamArena *a) {
  uint32_t i, wild = 0, restricted = 0;
  for (i = 0; i < n; i++) {
    if (IAM_GLOB_IS_WILD(codes[i])) {
      wild++;
      if (codes[i] & IAM_GLOB_NOCOLON) restricted++;
    }
  }
  g->n = n;
  g->codes = NULL;
  g->lit = NULL;
  if (wild == 0) { /* a literal keeps only its text */
    char *lit = iam_arena_alloc(a, (size_t)n + 1);
    if (lit == NULL) return IAM_ENOMEM;
    for (i = 0; i < n; i++) lit[i] = (char)codes[i];
    g->lit = lit;
    g->kind = IAM_GLOB_LITERAL;
    return IAM_OK;
  }
  IamGlobCode *c = iam_arena_alloc(a, (size_t)n * sizeof *c);
  if (c == NULL) return IAM_ENOMEM;
  memcpy(c, codes, (size_t)n * sizeof *c);
  g->codes = c;
  if (restricted)
    g->kind = IAM_GLOB_RESTRICTED;
  else if (n == 1 && codes[0] == IAM_GLOB_STAR)
    g->kind = IAM_GLOB_ANY;
  else
    g->kind = IAM_GLOB_SIMPLE;
  return IAM_OK;
}

/* Bytes of the character at t[i]: ASCII without a call, the rest by
** iam_utf8_len (matching is the hottest loop of an evaluation). */
#define CHAR_LEN(t, i, m) ((t)[i] < 0x80 ? (size_t)1 : iam_utf8_len((t), (i), (m)))

/* Classic single-backtrack glob; correct when every '*' is unrestricted. A '*'
** advances by whole characters so that '?' always sees a character start.
** Going forward is linear in the pattern and the text; each restart after the
** last '*' counts the codes it goes back over (iam_work.h), which bounds the
** O(pattern x text) worst case. A trailing '*' takes the rest at once. */
static int glob_greedy(const IamGlobCode *code, size_t n, const unsigned char *t, size_t m,
                       IamWork *w) {
  size_t p = 0, i = 0, sp = (size_t)-1, si = 0;
  while (i < m) {
    if (p < n) {
      uint32_t o = code[p];
      if (o == IAM_GLOB_STAR) {
        sp = p++;
        si = i;
        continue;
      }
      if (o == IAM_GLOB_QMARK) {
        i += CHAR_LEN(t, i, m);
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
    if (sp + 1 == n) return 1; /* the last code is the '*': it takes the rest */
    int rc = IAM_WORK_CHARGE(w, p - sp);
    if (rc != IAM_OK) return rc;
    p = sp + 1;
    si += CHAR_LEN(t, si, m);
    i = si;
  }
  while (p < n && code[p] == IAM_GLOB_STAR) p++;
  return p == n;
}

/* Set of reachable text positions, advanced one pattern op at a time; each
** pass over the text counts m + 1 units. */
static int glob_dp(const IamGlobCode *code, size_t n, const unsigned char *t, size_t m,
                   IamWork *w) {
  unsigned char stack[2 * (IAM_MATCH_STACK + 1)];
  unsigned char *cur = stack, *next;
  int rc = IAM_OK;
  if (m > IAM_MATCH_STACK) {
    cur = iam_malloc(2 * (m + 1));
    if (cur == NULL) return IAM_ENOMEM;
  }
  next = cur + m + 1;
  memset(cur, 0, m + 1);
  cur[0] = 1;
  for (size_t p = 0; p < n; p++) {
    uint32_t o = code[p];
    int nocolon = (o & IAM_GLOB_NOCOLON) != 0, any = 0;
    if ((rc = IAM_WORK_CHARGE(w, m + 1)) != IAM_OK) break;
    memset(next, 0, m + 1);
    if (o & IAM_GLOB_STAR) {
      /* A run of stars is one star, which may cross ':' if any of them may:
      ** then every pass but a star's consumes a character, so the loop ends
      ** after at most 2m+2 passes however long the pattern (hostile input:
      ** a 4 MB run of stars against a 1,000-byte ARN took 8 s). */
      while (p + 1 < n && (code[p + 1] & IAM_GLOB_STAR)) {
        p++;
        if (!(code[p] & IAM_GLOB_NOCOLON)) nocolon = 0;
      }
      int run = 0;
      for (size_t i = 0; i <= m; i++) {
        if (cur[i]) run = 1;
        if (run && (i == m || (t[i] & 0xC0) != 0x80)) next[i] = 1, any = 1;
        if (i < m && nocolon && t[i] == ':') run = 0;
      }
    } else if (o & IAM_GLOB_QMARK) {
      for (size_t i = 0; i < m; i++) {
        if (cur[i] && !(nocolon && t[i] == ':')) next[i + CHAR_LEN(t, i, m)] = 1, any = 1;
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
  if (rc == IAM_OK) rc = cur[m];
  if (m > IAM_MATCH_STACK) iam_free(cur < next ? cur : next);
  return rc;
}

int iam_glob_match(const IamGlob *g, const char *text, size_t m, IamWork *w) {
  const unsigned char *t = (const unsigned char *)text;
  switch ((IamGlobKind)g->kind) {
    case IAM_GLOB_LITERAL: return g->n == m && memcmp(g->lit, text, m) == 0;
    case IAM_GLOB_ANY: return 1;
    case IAM_GLOB_SIMPLE: return glob_greedy(g->codes, g->n, t, m, w);
    case IAM_GLOB_RESTRICTED: return glob_dp(g->codes, g->n, t, m, w);
  }
  return 0;
}

int iam_glob_match_codes(const IamGlobCode *codes, uint32_t n, const char *text, size_t m,
                         IamWork *w) {
  int restricted = 0;
  for (uint32_t i = 0; i < n; i++)
    if (codes[i] & IAM_GLOB_NOCOLON) restricted = 1;
  if (restricted) return glob_dp(codes, n, (const unsigned char *)text, m, w);
  return glob_greedy(codes, n, (const unsigned char *)text, m, w);
}

void iam_glob_codes_action(IamGlobCode *codes, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '*')
      codes[i] = IAM_GLOB_STAR;
    else if (c == '?')
      codes[i] = IAM_GLOB_QMARK;
    else
      codes[i] = (c >= 'A' && c <= 'Z') ? (IamGlobCode)(c + 32) : c;
  }
}

void iam_glob_codes_like(IamGlobCode *codes, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    codes[i] = c == '*' ? IAM_GLOB_STAR : c == '?' ? IAM_GLOB_QMARK : c;
  }
}

int iam_glob_codes_resource(IamGlobCode *codes, const char *s, size_t n, int field) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (field >= 5) {
      codes[i] = c == '*' ? IAM_GLOB_STAR : c == '?' ? IAM_GLOB_QMARK : c;
    } else if (c == ':') {
      codes[i] = c;
      field++;
    } else if (c == '*') {
      /* a field-final '*' may run past ':' (SEMANTICS.md, "Resource") */
      int last = (i + 1 == n) || s[i + 1] == ':';
      codes[i] = last ? IAM_GLOB_STAR : (IamGlobCode)(IAM_GLOB_STAR | IAM_GLOB_NOCOLON);
    } else if (c == '?') {
      codes[i] = (IamGlobCode)(IAM_GLOB_QMARK | IAM_GLOB_NOCOLON);
    } else {
      codes[i] = c;
    }
  }
  return field;
}

int iam_glob_arn_like(const IamGlobCode *codes, uint32_t n, const char *text, size_t m,
                      IamWork *w) {
  size_t pstart = 0, tstart = 0;
  for (int f = 0; f < 6; f++) {
    size_t pend = pstart, tend = tstart;
    if (f < 5) {
      while (pend < n && codes[pend] != ':') pend++;
      while (tend < m && text[tend] != ':') tend++;
      if (pend == n || tend == m) return IAM_ARN_MALFORMED; /* fewer than six fields */
    } else {
      pend = n;
      tend = m;
    }
    int r = glob_greedy(codes + pstart, pend - pstart, (const unsigned char *)text + tstart,
                        tend - tstart, w);
    if (r <= 0) return r;
    pstart = pend + 1;
    tstart = tend + 1;
  }
  return 1;
}

int iam_glob_match_short(const IamGlob *g, const char *text, size_t m) {
  IamWork w;
  iam_work_init(&w, 0, NULL, NULL);
  return iam_glob_match(g, text, m, &w);
}

int iam_glob_match_codes_short(const IamGlobCode *codes, uint32_t n, const char *text, size_t m) {
  IamWork w;
  iam_work_init(&w, 0, NULL, NULL);
  return iam_glob_match_codes(codes, n, text, m, &w);
}
