/* SPDX-License-Identifier: MIT */
/* Templates: compiling patterns and values with policy variables, and
** expanding them per request. See iam_template.h. */
#include "iam_template.h"

#include <string.h>

#include "iam.h"
#include "iam_compact.h"
#include "iam_text.h"

/* Codes for s[0..n) according to mode; field tracks Resource fields. */
static void codes_for(IamGlobCode *codes, const char *s, size_t n, int mode, int *field) {
  if (mode == IAM_TEMPLATE_LIKE || (mode == IAM_TEMPLATE_RESOURCE && *field >= 5)) {
    iam_glob_codes_like(codes, s, n);
  } else if (mode == IAM_TEMPLATE_RESOURCE) {
    *field = iam_glob_codes_resource(codes, s, n, *field);
  } else {
    for (size_t i = 0; i < n; i++) codes[i] = (unsigned char)s[i];
  }
}

static int blank(char c) { return c == ' ' || c == '\t'; }

/* What parse_var searches for, remembered between the tokens of one pattern.
** Tokens that share one '}' share their searches, so a pattern of many "${"
** costs time linear in its length rather than in its length times its
** tokens. The next '}', ',' and blank are searched from positions that only
** grow: an answer stands until the position passes it. Each run of blanks
** (before and after a name, before and after a default) is remembered for
** the last position it was asked about. */
typedef struct BlankRun {
  size_t key, at; /* key: the position asked about, or SCAN_UNKNOWN */
} BlankRun;

typedef struct VarScan {
  const char *s;
  size_t n;
  size_t close, comma, blank; /* next '}', ',' and blank at or after the last query */
  BlankRun name_lead, name_trail, def_lead, def_trail;
} VarScan;

#define SCAN_UNKNOWN ((size_t)-1)

static void scan_init(VarScan *v, const char *s, size_t n) {
  const BlankRun unknown = {SCAN_UNKNOWN, 0};
  v->s = s, v->n = n;
  v->close = v->comma = v->blank = SCAN_UNKNOWN;
  v->name_lead = v->name_trail = v->def_lead = v->def_trail = unknown;
}

/* The next position >= from holding c (a blank when c is 0), or n; from
** never decreases between calls with the same *at. */
static size_t scan_next(const VarScan *v, size_t from, size_t *at, char c) {
  if (*at == SCAN_UNKNOWN || *at < from) {
    size_t i = from;
    while (i < v->n && !(c ? v->s[i] == c : blank(v->s[i]))) i++;
    *at = i;
  }
  return *at;
}

/* The first non-blank at or after from, at most end. */
static size_t skip_blanks(const VarScan *v, BlankRun *r, size_t from, size_t end) {
  if (r->key != from) {
    size_t i = from;
    while (i < v->n && blank(v->s[i])) i++;
    r->key = from, r->at = i;
  }
  return r->at < end ? r->at : end;
}

/* end moved back over the blanks just before it, at least from. */
static size_t trim_blanks(const VarScan *v, BlankRun *r, size_t from, size_t end) {
  if (r->key != end) {
    size_t e = end;
    while (e > 0 && blank(v->s[e - 1])) e--;
    r->key = end, r->at = e;
  }
  return r->at > from ? r->at : from;
}

/* Parse "${...}" at s[i] (SEMANTICS.md, "Policy variables"); on success fill
** the variable (or the escaped character) and return the index after '}'.
** Returns 0 if the token is literal text. */
static size_t parse_var(VarScan *sc, size_t i, IamTemplatePart *var, char *esc) {
  const char *s = sc->s;
  size_t j = scan_next(sc, i + 2, &sc->close, '}');
  if (j >= sc->n) return 0; /* unterminated */
  const char *in = s + i + 2;
  size_t inlen = j - (i + 2);
  *esc = 0;
  if (inlen == 1 && (in[0] == '*' || in[0] == '?' || in[0] == '$')) {
    *esc = in[0];
    return j + 1;
  }
  size_t comma = scan_next(sc, i + 2, &sc->comma, ',');
  size_t name_end = comma < j ? comma : j;
  size_t nb = skip_blanks(sc, &sc->name_lead, i + 2, name_end);
  size_t ne = trim_blanks(sc, &sc->name_trail, nb, name_end);
  if (ne == nb) return 0;
  if (scan_next(sc, nb, &sc->blank, 0) < ne) return 0; /* a blank inside */
  memset(var, 0, sizeof *var);
  var->is_var = 1;
  var->name = s + nb;
  var->name_len = (uint32_t)(ne - nb);
  if (comma < j) {
    size_t db = skip_blanks(sc, &sc->def_lead, comma + 1, j);
    size_t de = trim_blanks(sc, &sc->def_trail, db, j);
    if (de - db < 2 || s[db] != '\'' || s[de - 1] != '\'') return 0;
    var->has_def = 1;
    var->def = s + db + 1;
    var->def_len = (uint32_t)(de - db - 2);
  }
  return j + 1;
}

int iam_template_compile(IamTemplate *t, const char *s, size_t n, IamTemplateMode mode, int vars,
                         IamArena *a, IamGlobScratch *scratch) {
  IamGlobCode *codes;
  int field = 0;
  size_t from = 0;
  memset(t, 0, sizeof *t);
  t->mode = (uint8_t)mode;
  t->len = (uint32_t)n;
  if ((t->text = iam_arena_strndup(a, s, n)) == NULL) return IAM_ENOMEM;
  s = t->text;
  if (vars && mode == IAM_TEMPLATE_RESOURCE) {
    /* variables only in the resource part, after the fifth ':' */
    int colons = 0;
    while (from < n && colons < 5)
      if (s[from++] == ':') colons++;
    if (colons < 5) vars = 0;
  }
  if (!vars || memmem(s + from, n - from, "${", 2) == NULL) {
    if ((codes = iam_glob_scratch(scratch, n)) == NULL) return IAM_ENOMEM;
    codes_for(codes, s, n, mode, &field);
    size_t i = 0;
    while (i < n && !IAM_GLOB_IS_WILD(codes[i])) i++;
    if (i == n) { /* literal as written: share the text */
      t->glob.lit = t->text;
      t->glob.n = (uint32_t)n;
      t->glob.kind = IAM_GLOB_LITERAL;
      return IAM_OK;
    }
    return iam_glob_init(&t->glob, codes, (uint32_t)n, a);
  }
  /* Parts: [prefix codes][literal codes | var | escape]... at most 2 per token */
  size_t maxparts = 2 + 2 * (n / 3 + 1), np = 0, ncodes = 0;
  IamTemplatePart *parts = iam_arena_alloc(a, maxparts * sizeof *parts);
  IamGlobCode *dst = iam_arena_alloc(a, (n + 1) * sizeof *dst); /* codes of all literal parts */
  if (parts == NULL || dst == NULL) return IAM_ENOMEM;
  if (from > 0) {
    codes_for(dst, s, from, mode, &field);
    parts[np].codes = dst;
    parts[np++].n = (uint32_t)from;
    ncodes = from;
  }
  size_t i = from, lit = from;
  int any_var = 0;
  VarScan sc;
  scan_init(&sc, s, n);
  while (i < n) {
    IamTemplatePart v = {0};
    char esc = 0;
    size_t next;
    if (s[i] != '$' || i + 1 >= n || s[i + 1] != '{' || (next = parse_var(&sc, i, &v, &esc)) == 0) {
      i++;
      continue;
    }
    if (i > lit) { /* literal text before the token */
      codes_for(dst + ncodes, s + lit, i - lit, mode, &field);
      parts[np].codes = dst + ncodes;
      parts[np++].n = (uint32_t)(i - lit);
      ncodes += i - lit;
    }
    if (esc) {
      dst[ncodes] = (unsigned char)esc; /* always a literal character */
      parts[np].codes = dst + ncodes;
      parts[np++].n = 1;
      ncodes++;
    } else {
      char *lname = iam_arena_alloc(a, v.name_len + 1);
      if (lname == NULL) return IAM_ENOMEM;
      iam_ascii_lower(lname, v.name, v.name_len);
      v.name = lname;
      parts[np++] = v;
      any_var = 1;
    }
    i = lit = next;
  }
  if (lit < n) {
    codes_for(dst + ncodes, s + lit, n - lit, mode, &field);
    parts[np].codes = dst + ncodes;
    parts[np++].n = (uint32_t)(n - lit);
    ncodes += n - lit;
  }
  if (!any_var) return iam_glob_init(&t->glob, dst, (uint32_t)ncodes, a);
  t->has_vars = 1;
  t->parts = parts;
  t->nparts = (uint32_t)np;
  return IAM_OK;
}

/* Whether a pattern of these parts, expanded to total codes, is longer than
** any text of max_len bytes it could match: every code but '*' takes at
** least one byte (variables expand to literal text). */
static int too_long(const IamTemplate *t, size_t total, size_t max_len) {
  if (total <= max_len) return 0;
  for (uint32_t i = 0; i < t->nparts; i++) {
    const IamTemplatePart *s = &t->parts[i];
    for (uint32_t j = 0; !s->is_var && j < s->n; j++)
      if (s->codes[j] & IAM_GLOB_STAR) total--;
  }
  return total > max_len;
}

/* Work units of looking up one variable: a binary search of the context
** (iam_work.h counts it like the bytes a matcher compares). */
#define VAR_LOOKUP_UNITS 32

/* Expand the variables of t from c into codes (see iam_template_codes). */
static int expand(const IamTemplate *t, const IamCtx *c, size_t max_len, IamGlobCode *buf,
                  size_t cap, IamGlobCode **codes, uint32_t *n, IamWork *w) {
  size_t total = 0, lookups = 0;
  /* resolve: a variable is its single value, else its default, else unresolved */
  for (uint32_t i = 0; i < t->nparts; i++) {
    const IamTemplatePart *s = &t->parts[i];
    if (!s->is_var) {
      total += s->n;
      continue;
    }
    const IamCtxEntry *e = iam_ctx_get(c, s->name, s->name_len);
    lookups += VAR_LOOKUP_UNITS + s->name_len;
    if (e && !e->multi)
      total += e->len[0];
    else if (s->has_def)
      total += s->def_len;
    else
      return IAM_WORK_CHARGE(w, lookups); /* 0 unless the charge ends the call */
  }
  int rc = IAM_WORK_CHARGE(w, t->nparts + 2 * lookups + total);
  if (rc != IAM_OK) return rc;
  if (too_long(t, total, max_len)) return 0;
  IamGlobCode *o = buf;
  if (total > cap) {
    o = iam_malloc(total * sizeof *o);
    if (o == NULL) return IAM_ENOMEM;
  }
  size_t k = 0;
  for (uint32_t i = 0; i < t->nparts; i++) {
    const IamTemplatePart *s = &t->parts[i];
    if (!s->is_var) {
      memcpy(o + k, s->codes, s->n * sizeof *o);
      k += s->n;
      continue;
    }
    const IamCtxEntry *e = iam_ctx_get(c, s->name, s->name_len);
    const char *v = (e && !e->multi) ? e->val[0] : s->def;
    uint32_t vl = (e && !e->multi) ? e->len[0] : s->def_len;
    for (uint32_t j = 0; j < vl; j++) o[k++] = (unsigned char)v[j]; /* literal text */
  }
  *codes = o;
  *n = (uint32_t)total;
  return 1;
}

int iam_template_codes(const IamTemplate *t, const IamCtx *c, size_t max_len, IamGlobCode *buf,
                       size_t cap, IamGlobCode **codes, uint32_t *n, IamWork *w) {
  if (t->has_vars) return expand(t, c, max_len, buf, cap, codes, n, w);
  if (t->glob.codes) {
    *codes = (IamGlobCode *)(uintptr_t)t->glob.codes;
    *n = t->glob.n;
    return 1;
  }
  /* literal pattern: only its text is kept */
  if (t->glob.n > max_len) return 0; /* longer than the text */
  int rc = IAM_WORK_CHARGE(w, t->glob.n);
  if (rc != IAM_OK) return rc;
  IamGlobCode *o = buf;
  if (t->glob.n > cap && (o = iam_malloc(t->glob.n * sizeof *o)) == NULL) return IAM_ENOMEM;
  for (uint32_t i = 0; i < t->glob.n; i++) o[i] = (unsigned char)t->glob.lit[i];
  *codes = o;
  *n = t->glob.n;
  return 1;
}

void iam_template_codes_release(const IamTemplate *t, IamGlobCode *codes, const IamGlobCode *buf) {
  if (codes != buf && codes != t->glob.codes) iam_free(codes);
}

int iam_template_match(const IamTemplate *t, const char *text, size_t m, const IamCtx *c,
                       IamWork *w) {
  if (!t->has_vars) return iam_glob_match(&t->glob, text, m, w);
  IamGlobCode buf[IAM_TEMPLATE_STACK], *codes;
  uint32_t n;
  int x = expand(t, c, m, buf, IAM_TEMPLATE_STACK, &codes, &n, w);
  if (x <= 0) return x; /* unresolved or longer than the text: matches nothing */
  x = iam_glob_match_codes(codes, n, text, m, w);
  if (codes != buf) iam_free(codes);
  return x;
}

/* Compile size of a template: its text, codes and parts, per input byte. */
#define TEMPLATE_ARENA_HINT(len) (4 * (len) + 256)

int iam_template_new(const char *text, size_t len, IamTemplateMode mode, int vars,
                     IamTemplate **out) {
  IamArena a;
  IamGlobScratch scratch = {NULL, 0};
  IamTemplate draft;
  int rc;
  *out = NULL;
  iam_arena_init(&a, TEMPLATE_ARENA_HINT(len));
  rc = iam_template_compile(&draft, text, len, mode, vars, &a, &scratch);
  iam_glob_scratch_free(&scratch);
  if (rc == IAM_OK) {
    void *block = iam_malloc(iam_compact_template(&draft, NULL));
    if (block == NULL)
      rc = IAM_ENOMEM;
    else
      iam_compact_template(&draft, block), *out = block;
  }
  iam_arena_free(&a);
  return rc;
}
