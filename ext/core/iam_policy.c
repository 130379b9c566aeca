/* Policy parsing and compilation (spec §1, §2, §4, §5). The cJSON tree lives
** only inside iam_policy_parse; everything kept is copied into the policy's
** arena. */
#include "iam_policy.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Parser {
  IamPolicy *p;
  IamError *err;
  int flags;
  int rc;           /* first error */
  char doc[24];     /* "" or "policy[3]." */
  char where[200];  /* location of the element being parsed */
  uint32_t nvalues; /* patterns and values so far */
  IamOp *tmp;       /* scratch ops */
  size_t tmpcap;
} Parser;

/* ---- shared JSON checks ------------------------------------------------- */

int iam_json_precheck(const char *text, size_t len, const char *what, IamError *err) {
  const unsigned char *s = (const unsigned char *)text;
  int depth = 0, in_str = 0;
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
      continue;
    }
    if (in_str) {
      if (c == '\\') {
        if (i + 5 < len + 0 && s[i + 1] == 'u' && s[i + 2] == '0' && s[i + 3] == '0' &&
            s[i + 4] == '0' && s[i + 5] == '0') {
          iam_error_set(err, (long)i, "%s contains a \\u0000 escape at byte %zu", what, i);
          return IAM_EPARSE;
        }
        i++;
      } else if (c == '"') {
        in_str = 0;
      }
    } else if (c == '"') {
      in_str = 1;
    } else if (c == '{' || c == '[') {
      if (++depth > IAM_MAX_NESTING) {
        iam_error_set(err, (long)i, "%s JSON nests deeper than %d levels at byte %zu", what,
                      IAM_MAX_NESTING, i);
        return IAM_ELIMIT;
      }
    } else if (c == '}' || c == ']') {
      depth--;
    }
  }
  return IAM_OK;
}

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

/* ---- helpers -------------------------------------------------------------- */

static int fail(Parser *P, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail(Parser *P, int rc, const char *fmt, ...) {
  if (P->rc == IAM_OK) {
    va_list ap;
    char msg[sizeof P->err->msg];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (rc != IAM_ENOMEM) iam_error_set(P->err, -1, "%s", msg);
    P->rc = rc;
  }
  return rc;
}

static int oom(Parser *P) { return fail(P, IAM_ENOMEM, "out of memory"); }

static void *aalloc(Parser *P, size_t n) {
  void *v = iam_arena_alloc(&P->p->arena, n);
  if (v == NULL) oom(P);
  return v;
}

static char *adup(Parser *P, const char *s, size_t n) {
  char *v = iam_arena_strndup(&P->p->arena, s, n);
  if (v == NULL) oom(P);
  return v;
}

static IamOp *tmp_ops(Parser *P, size_t n) {
  if (n + 1 > P->tmpcap) {
    size_t cap = (n + 1) * 2;
    IamOp *t = iam_realloc(P->tmp, cap * sizeof *t);
    if (t == NULL) {
      oom(P);
      return NULL;
    }
    P->tmp = t;
    P->tmpcap = cap;
  }
  return P->tmp;
}

static const char *type_name(const cJSON *j) {
  if (cJSON_IsString(j)) return "a string";
  if (cJSON_IsNumber(j)) return "a number";
  if (cJSON_IsBool(j)) return "a boolean";
  if (cJSON_IsNull(j)) return "null";
  if (cJSON_IsArray(j)) return "an array";
  return "an object";
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every object in a policy must have unique member names (spec §1). */
static int check_dups(Parser *P, const cJSON *obj, const char *where) {
  const char *small[16];
  const char **names = small;
  int n = 0, rc = IAM_OK;
  const cJSON *c;
  for (c = obj->child; c; c = c->next) n++;
  if (n < 2) return IAM_OK;
  if (n > 16) {
    names = iam_malloc((size_t)n * sizeof *names);
    if (names == NULL) return oom(P);
  }
  n = 0;
  for (c = obj->child; c; c = c->next) names[n++] = c->string;
  qsort(names, (size_t)n, sizeof *names, cmp_str);
  for (int i = 1; i < n; i++) {
    if (strcmp(names[i - 1], names[i]) == 0) {
      char q[80];
      rc = fail(P, IAM_EINVAL, "%s: duplicate member %s", where,
                iam_quote(q, sizeof q, names[i], strlen(names[i])));
      break;
    }
  }
  if (names != small) iam_free(names);
  return rc;
}

/* ---- templates -------------------------------------------------------------- */

/* Compile text into ops according to mode; field tracks Resource fields. */
static void ops_for(IamOp *ops, const char *s, size_t n, int mode, int *field) {
  if (mode == IAM_TPL_LIKE || (mode == IAM_TPL_RESOURCE && *field >= 5)) {
    iam_ops_like(ops, s, n);
  } else if (mode == IAM_TPL_RESOURCE) {
    *field = iam_ops_resource(ops, s, n, *field);
  } else {
    for (size_t i = 0; i < n; i++) ops[i] = (unsigned char)s[i];
  }
}

/* Fill g from ops[0..n): literal patterns keep only their text. */
static int glob_from_ops(Parser *P, IamGlob *g, const IamOp *ops, uint32_t n) {
  uint32_t i;
  for (i = 0; i < n; i++)
    if (IAM_OP_IS_WILD(ops[i])) break;
  g->n = n;
  if (i == n) {
    char *lit = aalloc(P, n + 1);
    if (lit == NULL) return P->rc;
    for (i = 0; i < n; i++) lit[i] = (char)ops[i];
    g->lit = lit;
    g->ops = NULL;
    g->kind = IAM_GLOB_LITERAL;
    return IAM_OK;
  }
  IamOp *o = aalloc(P, (size_t)n * sizeof *o);
  if (o == NULL) return P->rc;
  memcpy(o, ops, (size_t)n * sizeof *o);
  g->ops = o;
  return iam_glob_finish(g, &P->p->arena) == IAM_OK ? IAM_OK : oom(P);
}

static size_t trim(const char **s, size_t n) {
  while (n && (**s == ' ' || **s == '\t')) (*s)++, n--;
  while (n && ((*s)[n - 1] == ' ' || (*s)[n - 1] == '\t')) n--;
  return n;
}

/* Parse "${...}" at s[i]; on success fill the variable (or escape) and return
** the index after '}'. Returns 0 if the token is literal text. */
static size_t parse_var(const char *s, size_t n, size_t i, IamSeg *seg, char *esc) {
  size_t j = i + 2;
  while (j < n && s[j] != '}') j++;
  if (j >= n) return 0; /* unterminated */
  const char *in = s + i + 2;
  size_t inlen = j - (i + 2);
  *esc = 0;
  if (inlen == 1 && (in[0] == '*' || in[0] == '?' || in[0] == '$')) {
    *esc = in[0];
    return j + 1;
  }
  const char *comma = memchr(in, ',', inlen);
  const char *name = in;
  size_t nlen = trim(&name, comma ? (size_t)(comma - in) : inlen);
  if (nlen == 0) return 0;
  for (size_t k = 0; k < nlen; k++)
    if (name[k] == ' ' || name[k] == '\t') return 0;
  memset(seg, 0, sizeof *seg);
  seg->is_var = 1;
  seg->name = name;
  seg->name_len = (uint32_t)nlen;
  if (comma) {
    const char *d = comma + 1;
    size_t dlen = trim(&d, inlen - (size_t)(comma + 1 - in));
    if (dlen < 2 || d[0] != '\'' || d[dlen - 1] != '\'') return 0;
    seg->has_def = 1;
    seg->def = d + 1;
    seg->def_len = (uint32_t)(dlen - 2);
  }
  return j + 1;
}

static int tpl_build(Parser *P, IamTemplate *t, const char *s, size_t n, int mode, int vars) {
  IamOp *ops;
  int field = 0;
  size_t from = 0;
  memset(t, 0, sizeof *t);
  t->mode = (uint8_t)mode;
  t->len = (uint32_t)n;
  if (++P->nvalues > IAM_MAX_VALUES)
    return fail(P, IAM_ELIMIT, "%s: more than %d patterns and values", P->where, IAM_MAX_VALUES);
  if ((t->text = adup(P, s, n)) == NULL) return P->rc;
  s = t->text;
  if (vars && mode == IAM_TPL_RESOURCE) {
    /* variables only in the resource part, after the fifth ':' (spec §5) */
    int colons = 0;
    while (from < n && colons < 5)
      if (s[from++] == ':') colons++;
    if (colons < 5) vars = 0;
  }
  if (!vars || memmem(s + from, n - from, "${", 2) == NULL) {
    if ((ops = tmp_ops(P, n)) == NULL) return P->rc;
    ops_for(ops, s, n, mode, &field);
    size_t i = 0;
    while (i < n && !IAM_OP_IS_WILD(ops[i])) i++;
    if (i == n) { /* literal as written: share the text */
      t->glob.lit = t->text;
      t->glob.n = (uint32_t)n;
      t->glob.kind = IAM_GLOB_LITERAL;
      return IAM_OK;
    }
    return glob_from_ops(P, &t->glob, ops, (uint32_t)n);
  }
  /* Segments: [prefix ops][literal ops | var | escape]... at most 2 per token */
  size_t maxseg = 2 + 2 * (n / 3 + 1), nseg = 0, nops = 0;
  IamSeg *segs = aalloc(P, maxseg * sizeof *segs);
  if (segs == NULL || (ops = tmp_ops(P, n)) == NULL) return P->rc;
  IamOp *dst = aalloc(P, (n + 1) * sizeof *dst); /* ops of all literal segs */
  if (dst == NULL) return P->rc;
  if (from > 0) {
    ops_for(dst, s, from, mode, &field);
    segs[nseg].ops = dst;
    segs[nseg++].n = (uint32_t)from;
    nops = from;
  }
  size_t i = from, lit = from;
  int any_var = 0;
  while (i < n) {
    IamSeg v = {0};
    char esc = 0;
    size_t next;
    if (s[i] != '$' || i + 1 >= n || s[i + 1] != '{' ||
        (next = parse_var(s, n, i, &v, &esc)) == 0) {
      i++;
      continue;
    }
    if (i > lit) { /* literal text before the token */
      ops_for(dst + nops, s + lit, i - lit, mode, &field);
      segs[nseg].ops = dst + nops;
      segs[nseg++].n = (uint32_t)(i - lit);
      nops += i - lit;
    }
    if (esc) {
      dst[nops] = (unsigned char)esc; /* always a literal character */
      segs[nseg].ops = dst + nops;
      segs[nseg++].n = 1;
      nops++;
    } else {
      char *lname = aalloc(P, v.name_len + 1);
      if (lname == NULL) return P->rc;
      iam_ascii_lower(lname, v.name, v.name_len);
      v.name = lname;
      segs[nseg++] = v;
      any_var = 1;
    }
    i = lit = next;
  }
  if (lit < n) {
    ops_for(dst + nops, s + lit, n - lit, mode, &field);
    segs[nseg].ops = dst + nops;
    segs[nseg++].n = (uint32_t)(n - lit);
    nops += n - lit;
  }
  if (!any_var) return glob_from_ops(P, &t->glob, dst, (uint32_t)nops);
  t->has_vars = 1;
  t->segs = segs;
  t->nseg = (uint32_t)nseg;
  return IAM_OK;
}

/* ---- values ----------------------------------------------------------------- */

/* A string, or one of an array of strings. Returns the count, or -1 on error. */
static int string_list(Parser *P, const cJSON *j, const char *what) {
  if (cJSON_IsString(j)) return 1;
  if (!cJSON_IsArray(j)) {
    fail(P, IAM_EINVAL, "%s.%s: must be a string or an array of strings, not %s", P->where, what,
         type_name(j));
    return -1;
  }
  int n = 0, k = 0;
  const cJSON *c;
  for (c = j->child; c; c = c->next, k++) {
    if (!cJSON_IsString(c)) {
      fail(P, IAM_EINVAL, "%s.%s[%d]: must be a string, not %s", P->where, what, k, type_name(c));
      return -1;
    }
    n++;
  }
  return n;
}

static const cJSON *nth_string(const cJSON *j, int i) {
  if (cJSON_IsString(j)) return j;
  const cJSON *c = j->child;
  while (i-- > 0) c = c->next;
  return c;
}

uint32_t iam_action_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

uint64_t iam_service_bit(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n && s[i] != ':'; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return (uint64_t)1 << (h & 63);
}

static uint64_t service_mask(const IamStatement *st) {
  uint64_t m = 0;
  for (uint32_t i = 0; i < st->nact; i++) {
    const char *t = st->act_text[i];
    size_t k = 0;
    while (t[k] && t[k] != ':' && t[k] != '*' && t[k] != '?') k++;
    if (t[k] != ':') return ~(uint64_t)0; /* wildcard in the prefix, or no prefix */
    char low[64];
    if (k >= sizeof low) return ~(uint64_t)0;
    iam_ascii_lower(low, t, k);
    m |= iam_service_bit(low, k);
  }
  return m;
}

static int index_actions(Parser *P, IamStatement *st) {
  uint32_t size = 16, nlit = 0, i;
  for (i = 0; i < st->nact; i++) nlit += st->act[i].kind == IAM_GLOB_LITERAL;
  while (size < 2 * nlit) size *= 2;
  st->act_tab = aalloc(P, size * sizeof *st->act_tab);
  st->act_wild = aalloc(P, (st->nact - nlit + 1) * sizeof *st->act_wild);
  if (st->act_tab == NULL || st->act_wild == NULL) return P->rc;
  memset(st->act_tab, 0xFF, size * sizeof *st->act_tab);
  st->act_tab_mask = size - 1;
  for (i = 0; i < st->nact; i++) {
    const IamGlob *g = &st->act[i];
    if (g->kind != IAM_GLOB_LITERAL) {
      st->act_wild[st->nwild++] = i;
      continue;
    }
    uint32_t h = iam_action_hash(g->lit, g->n) & st->act_tab_mask;
    while (st->act_tab[h] != UINT32_MAX) h = (h + 1) & st->act_tab_mask;
    st->act_tab[h] = i;
  }
  return IAM_OK;
}

static int parse_actions(Parser *P, IamStatement *st, const cJSON *j, const char *what) {
  int n = string_list(P, j, what);
  if (n < 0) return P->rc;
  st->nact = (uint32_t)n;
  st->act = aalloc(P, (size_t)n * sizeof *st->act + 1);
  st->act_text = aalloc(P, (size_t)n * sizeof *st->act_text + 1);
  if (st->act == NULL || st->act_text == NULL) return P->rc;
  const cJSON *c = cJSON_IsString(j) ? j : j->child;
  for (int i = 0; i < n; i++, c = c->next) {
    size_t len = strlen(c->valuestring);
    IamOp *ops;
    if (++P->nvalues > IAM_MAX_VALUES)
      return fail(P, IAM_ELIMIT, "%s: more than %d patterns and values", P->where, IAM_MAX_VALUES);
    if ((st->act_text[i] = adup(P, c->valuestring, len)) == NULL) return P->rc;
    if ((ops = tmp_ops(P, len)) == NULL) return P->rc;
    iam_ops_action(ops, c->valuestring, len);
    if (glob_from_ops(P, &st->act[i], ops, (uint32_t)len) != IAM_OK) return P->rc;
    if (cJSON_IsString(j)) break;
  }
  st->svc_mask = service_mask(st);
  if (n >= IAM_ACTION_INDEX_MIN) return index_actions(P, st);
  return IAM_OK;
}

static int parse_resources(Parser *P, IamStatement *st, const cJSON *j, const char *what) {
  int n = string_list(P, j, what);
  if (n < 0) return P->rc;
  st->nres = (uint32_t)n;
  st->res = aalloc(P, (size_t)n * sizeof *st->res + 1);
  if (st->res == NULL) return P->rc;
  for (int i = 0; i < n; i++) {
    const cJSON *c = nth_string(j, i);
    if (tpl_build(P, &st->res[i], c->valuestring, strlen(c->valuestring), IAM_TPL_RESOURCE,
                  st->version2012) != IAM_OK)
      return P->rc;
  }
  return IAM_OK;
}

/* Condition value as text: strings as is, numbers and booleans as JSON text. */
static int value_text(Parser *P, const cJSON *v, const char *where, const char **s, size_t *n,
                      char *buf, size_t cap) {
  if (cJSON_IsString(v)) {
    *s = v->valuestring;
    *n = strlen(v->valuestring);
  } else if (cJSON_IsBool(v)) {
    *s = cJSON_IsTrue(v) ? "true" : "false";
    *n = strlen(*s);
  } else if (cJSON_IsNumber(v)) {
    if (!iam_number_text(v->valuedouble, buf, cap))
      return fail(P, IAM_EINVAL, "%s: number out of range", where);
    *s = buf;
    *n = strlen(buf);
  } else {
    return fail(P, IAM_EINVAL, "%s: must be a string, number or boolean, not %s", where,
                type_name(v));
  }
  return IAM_OK;
}

static int parse_cond_value(Parser *P, IamCond *c, IamCondValue *cv, const char *s, size_t n,
                            int v2012) {
  const IamOpInfo *op = &iam_ops[c->base];
  int mode = IAM_TPL_LITERAL;
  if (op->cmp == IAM_CMP_LIKE) mode = IAM_TPL_LIKE;
  if (tpl_build(P, &cv->t, s, n, mode, op->vars && v2012) != IAM_OK) return P->rc;
  switch ((IamFamily)op->family) {
    case IAM_FAM_NUMERIC: cv->ok = (uint8_t)iam_parse_number(cv->t.text, n, &cv->u.num); break;
    case IAM_FAM_DATE: cv->ok = (uint8_t)iam_parse_date(s, n, &cv->u.ms); break;
    case IAM_FAM_IP: cv->ok = (uint8_t)iam_parse_ip(s, n, 1, &cv->u.ip); break;
    case IAM_FAM_BINARY: {
      unsigned char *b = aalloc(P, n / 4 * 3 + 4);
      if (b == NULL) return P->rc;
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

static int parse_condition(Parser *P, IamStatement *st, const cJSON *j) {
  char where[sizeof P->where + 160], q[80];
  if (!cJSON_IsObject(j))
    return fail(P, IAM_EINVAL, "%s.Condition: must be an object, not %s", P->where, type_name(j));
  if (check_dups(P, j, P->where) != IAM_OK) return P->rc;
  uint32_t n = 0, block = 0;
  const cJSON *b, *k;
  for (b = j->child; b; b = b->next) {
    snprintf(where, sizeof where, "%s.Condition.%s", P->where, b->string);
    if (!cJSON_IsObject(b))
      return fail(P, IAM_EINVAL, "%s: must be an object of condition keys, not %s", where,
                  type_name(b));
    if (check_dups(P, b, where) != IAM_OK) return P->rc;
    for (k = b->child; k; k = k->next) n++;
  }
  st->ncond = n;
  st->cond = aalloc(P, n * sizeof *st->cond + 1);
  if (st->cond == NULL) return P->rc;
  n = 0;
  for (b = j->child; b; b = b->next, block++) {
    uint8_t qual, ifx;
    size_t oplen = strlen(b->string);
    int base = iam_op_parse(b->string, oplen, &qual, &ifx);
    if (base < 0) {
      if (oplen > 8 && strcmp(b->string + oplen - 8, "IfExists") == 0 &&
          iam_op_parse(b->string, oplen - 8, &qual, &ifx) == IAM_N_OPS - 1)
        return fail(P, IAM_EINVAL, "%s.Condition: %s is not allowed: Null takes no IfExists",
                    P->where, iam_quote(q, sizeof q, b->string, oplen));
      return fail(P, IAM_EINVAL, "%s.Condition: unknown operator %s", P->where,
                  iam_quote(q, sizeof q, b->string, oplen));
    }
    const char *optext = adup(P, b->string, oplen);
    if (optext == NULL) return P->rc;
    uint32_t first = n;
    for (k = b->child; k; k = k->next, n++) {
      IamCond *c = &st->cond[n];
      size_t klen = strlen(k->string);
      char *lk;
      snprintf(where, sizeof where, "%s.Condition.%s.%s", P->where, b->string, k->string);
      c->op_text = optext;
      c->base = (int16_t)base;
      c->qual = qual;
      c->if_exists = ifx;
      c->block = block;
      c->key_len = (uint32_t)klen;
      if ((c->key = adup(P, k->string, klen)) == NULL) return P->rc;
      if ((lk = adup(P, k->string, klen)) == NULL) return P->rc;
      iam_ascii_lower(lk, k->string, klen);
      c->key_lower = lk;
      for (uint32_t o = first; o < n; o++) {
        if (strcmp(st->cond[o].key_lower, lk) == 0)
          return fail(P, IAM_EINVAL, "%s.Condition.%s: keys %s and '%s' differ only in case",
                      P->where, b->string,
                      iam_quote(q, sizeof q, st->cond[o].key, strlen(st->cond[o].key)), k->string);
      }
      /* values */
      const cJSON *v;
      uint32_t nv = 0;
      if (cJSON_IsArray(k)) {
        for (v = k->child; v; v = v->next) nv++;
      } else {
        nv = 1;
      }
      c->nvals = nv;
      c->vals = aalloc(P, nv * sizeof *c->vals + 1);
      if (c->vals == NULL) return P->rc;
      uint32_t i = 0;
      for (v = cJSON_IsArray(k) ? k->child : k; v && i < nv; v = v->next, i++) {
        char buf[IAM_NUMBER_TEXT_MAX], vwhere[sizeof where + 16];
        const char *s = NULL;
        size_t sl = 0;
        if (cJSON_IsArray(k))
          snprintf(vwhere, sizeof vwhere, "%s[%u]", where, i);
        else
          snprintf(vwhere, sizeof vwhere, "%s", where);
        if (value_text(P, v, vwhere, &s, &sl, buf, sizeof buf) != IAM_OK) return P->rc;
        if (parse_cond_value(P, c, &c->vals[i], s, sl, st->version2012) != IAM_OK) return P->rc;
        if (!cJSON_IsArray(k)) break;
      }
    }
  }
  return IAM_OK;
}

static int check_principal(Parser *P, const cJSON *j, const char *name) {
  char where[sizeof P->where + 32];
  snprintf(where, sizeof where, "%s.%s", P->where, name);
  if (cJSON_IsString(j)) {
    if (strcmp(j->valuestring, "*") != 0)
      return fail(P, IAM_EINVAL, "%s: must be \"*\" or an object", where);
    return IAM_OK;
  }
  if (!cJSON_IsObject(j))
    return fail(P, IAM_EINVAL, "%s: must be \"*\" or an object, not %s", where, type_name(j));
  if (check_dups(P, j, where) != IAM_OK) return P->rc;
  for (const cJSON *c = j->child; c; c = c->next) {
    if (strcmp(c->string, "AWS") && strcmp(c->string, "Federated") &&
        strcmp(c->string, "Service") && strcmp(c->string, "CanonicalUser")) {
      char q[80];
      return fail(P, IAM_EINVAL, "%s: unknown principal type %s", where,
                  iam_quote(q, sizeof q, c->string, strlen(c->string)));
    }
    char sub[64];
    snprintf(sub, sizeof sub, "%s.%s", name, c->string);
    if (string_list(P, c, sub) < 0) return P->rc;
  }
  return IAM_OK;
}

static int parse_statement(Parser *P, IamStatement *st, const cJSON *j) {
  const cJSON *effect = NULL, *action = NULL, *notaction = NULL, *resource = NULL,
              *notresource = NULL, *cond = NULL, *sid = NULL, *principal = NULL,
              *notprincipal = NULL;
  char q[80];
  if (!cJSON_IsObject(j))
    return fail(P, IAM_EINVAL, "%s: must be an object, not %s", P->where, type_name(j));
  if (check_dups(P, j, P->where) != IAM_OK) return P->rc;
  for (const cJSON *c = j->child; c; c = c->next) {
    const char *k = c->string;
    if (!strcmp(k, "Effect"))
      effect = c;
    else if (!strcmp(k, "Action"))
      action = c;
    else if (!strcmp(k, "NotAction"))
      notaction = c;
    else if (!strcmp(k, "Resource"))
      resource = c;
    else if (!strcmp(k, "NotResource"))
      notresource = c;
    else if (!strcmp(k, "Condition"))
      cond = c;
    else if (!strcmp(k, "Sid"))
      sid = c;
    else if (!strcmp(k, "Principal"))
      principal = c;
    else if (!strcmp(k, "NotPrincipal"))
      notprincipal = c;
    else
      return fail(P, IAM_EINVAL, "%s: unknown statement element %s", P->where,
                  iam_quote(q, sizeof q, k, strlen(k)));
  }
  if (sid) {
    if (!cJSON_IsString(sid))
      return fail(P, IAM_EINVAL, "%s.Sid: must be a string, not %s", P->where, type_name(sid));
    if ((st->sid = adup(P, sid->valuestring, strlen(sid->valuestring))) == NULL) return P->rc;
  }
  if (effect == NULL) return fail(P, IAM_EINVAL, "%s: missing Effect", P->where);
  if (!cJSON_IsString(effect) ||
      (strcmp(effect->valuestring, "Allow") && strcmp(effect->valuestring, "Deny")))
    return fail(P, IAM_EINVAL, "%s.Effect: must be \"Allow\" or \"Deny\"", P->where);
  st->effect = effect->valuestring[0] == 'D' ? IAM_EFFECT_DENY : IAM_EFFECT_ALLOW;
  if ((action == NULL) == (notaction == NULL))
    return fail(P, IAM_EINVAL, "%s: needs exactly one of Action and NotAction", P->where);
  if ((resource == NULL) == (notresource == NULL))
    return fail(P, IAM_EINVAL, "%s: needs exactly one of Resource and NotResource", P->where);
  if (principal && notprincipal)
    return fail(P, IAM_EINVAL, "%s: has both Principal and NotPrincipal", P->where);
  if (principal || notprincipal) {
    if (!(P->flags & IAM_PARSE_PRINCIPAL))
      return fail(P, IAM_EINVAL, "%s: %s is not allowed in an identity policy", P->where,
                  principal ? "Principal" : "NotPrincipal");
    if (check_principal(P, principal ? principal : notprincipal,
                        principal ? "Principal" : "NotPrincipal") != IAM_OK)
      return P->rc;
    char *pj = cJSON_PrintUnformatted(principal ? principal : notprincipal);
    if (pj == NULL) return oom(P);
    st->principal_json = adup(P, pj, strlen(pj));
    cJSON_free(pj);
    if (st->principal_json == NULL) return P->rc;
    st->has_principal = 1;
    st->not_principal = notprincipal != NULL;
  }
  st->not_action = notaction != NULL;
  st->not_resource = notresource != NULL;
  if (parse_actions(P, st, action ? action : notaction, action ? "Action" : "NotAction") != IAM_OK)
    return P->rc;
  if (parse_resources(P, st, resource ? resource : notresource,
                      resource ? "Resource" : "NotResource") != IAM_OK)
    return P->rc;
  if (cond && parse_condition(P, st, cond) != IAM_OK) return P->rc;
  return IAM_OK;
}

static int count_statements(Parser *P, const cJSON *doc, uint32_t *total) {
  char q[80];
  if (!cJSON_IsObject(doc))
    return fail(P, IAM_EINVAL, "%sdocument must be a JSON object, not %s",
                P->doc[0] ? P->doc : "policy ", type_name(doc));
  if (check_dups(P, doc, P->doc[0] ? P->doc : "policy") != IAM_OK) return P->rc;
  const cJSON *stmts = NULL;
  for (const cJSON *c = doc->child; c; c = c->next) {
    if (!strcmp(c->string, "Statement"))
      stmts = c;
    else if (strcmp(c->string, "Version") && strcmp(c->string, "Id"))
      return fail(P, IAM_EINVAL, "%sunknown policy element %s", P->doc,
                  iam_quote(q, sizeof q, c->string, strlen(c->string)));
  }
  if (stmts == NULL) return fail(P, IAM_EINVAL, "%sStatement: missing", P->doc);
  if (cJSON_IsObject(stmts)) {
    (*total)++;
  } else if (cJSON_IsArray(stmts)) {
    *total += (uint32_t)cJSON_GetArraySize(stmts);
  } else {
    return fail(P, IAM_EINVAL, "%sStatement: must be an object or an array, not %s", P->doc,
                type_name(stmts));
  }
  if (*total > IAM_MAX_STATEMENTS)
    return fail(P, IAM_ELIMIT, "more than %d statements", IAM_MAX_STATEMENTS);
  return IAM_OK;
}

static int parse_document(Parser *P, const cJSON *doc, uint32_t di, uint32_t *ns) {
  const cJSON *version = cJSON_GetObjectItemCaseSensitive(doc, "Version");
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(doc, "Id");
  const cJSON *stmts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
  int v2012 = 0;
  char q[80];
  if (version) {
    if (!cJSON_IsString(version))
      return fail(P, IAM_EINVAL, "%sVersion: must be a string, not %s", P->doc, type_name(version));
    if (!strcmp(version->valuestring, "2012-10-17"))
      v2012 = 1;
    else if (strcmp(version->valuestring, "2008-10-17"))
      return fail(P, IAM_EINVAL, "%sVersion: must be \"2012-10-17\" or \"2008-10-17\", not %s",
                  P->doc,
                  iam_quote(q, sizeof q, version->valuestring, strlen(version->valuestring)));
  }
  if (id && !cJSON_IsString(id))
    return fail(P, IAM_EINVAL, "%sId: must be a string, not %s", P->doc, type_name(id));
  int single = cJSON_IsObject(stmts);
  uint32_t k = 0;
  for (const cJSON *s = single ? stmts : stmts->child; s; s = s->next, k++) {
    IamStatement *st = &P->p->stmt[*ns];
    if (single)
      snprintf(P->where, sizeof P->where, "%sStatement", P->doc);
    else
      snprintf(P->where, sizeof P->where, "%sStatement[%u]", P->doc, k);
    st->doc = di;
    st->idx = k;
    st->version2012 = (uint8_t)v2012;
    if (parse_statement(P, st, s) != IAM_OK) return P->rc;
    (*ns)++;
    if (single) break;
  }
  return IAM_OK;
}

typedef struct DocRef {
  const cJSON *doc;
  uint8_t set;
  char prefix[24]; /* "", "policy[3].", "boundary." ... */
} DocRef;

/* Append the documents of j (one document, or an array of them) to *docs. */
static void add_docs(Parser *P, const cJSON *j, uint8_t set, const char *name, DocRef **docs,
                     DocRef *small, uint32_t *cap, uint32_t *n) {
  const cJSON *d = cJSON_IsArray(j) ? j->child : j;
  uint32_t k = 0;
  if (name && !cJSON_IsArray(j) && !cJSON_IsObject(j)) {
    fail(P, IAM_EINVAL, "%s: must be a policy document or an array of documents, not %s", name,
         type_name(j));
    return;
  }
  for (; d; d = cJSON_IsArray(j) ? d->next : NULL, k++) {
    if (*n >= IAM_MAX_DOCUMENTS) {
      fail(P, IAM_ELIMIT, "more than %d policy documents", IAM_MAX_DOCUMENTS);
      return;
    }
    if (*n == *cap) {
      DocRef *nd = iam_malloc(2 * *cap * sizeof *nd);
      if (nd == NULL) {
        oom(P);
        return;
      }
      memcpy(nd, *docs, *n * sizeof *nd);
      if (*docs != small) iam_free(*docs);
      *docs = nd;
      *cap *= 2;
    }
    DocRef *r = &(*docs)[(*n)++];
    r->doc = d;
    r->set = set;
    if (name == NULL)
      r->prefix[0] = 0;
    else if (cJSON_IsArray(j))
      snprintf(r->prefix, sizeof r->prefix, "%s[%u].", name, k);
    else
      snprintf(r->prefix, sizeof r->prefix, "%s.", name);
  }
}

int iam_policy_parse(const char *text, size_t len, int flags, IamPolicy **out, IamError *err) {
  Parser P;
  IamPolicy *p;
  const char *end = NULL;
  cJSON *root;
  int rc;
  *out = NULL;
  memset(&P, 0, sizeof P);
  P.err = err;
  P.flags = flags;
  if ((rc = iam_json_precheck(text, len, "policy", err)) != IAM_OK) return rc;
  root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
  if (root == NULL) {
    long pos = end ? (long)(end - text) : -1;
    if (pos >= 0 && (size_t)pos >= len)
      iam_error_set(err, pos, "malformed policy JSON: unexpected end of input");
    else
      iam_error_set(err, pos, "malformed policy JSON at byte %ld", pos);
    return IAM_EPARSE; /* cJSON also returns NULL when out of memory: reported as malformed */
  }
  p = iam_malloc(sizeof *p);
  if (p == NULL) {
    cJSON_Delete(root);
    return IAM_ENOMEM;
  }
  memset(p, 0, sizeof *p);
  iam_arena_init(&p->arena, 6 * len + 512);
  p->refcount = 1;
  P.p = p;

  /* The documents, with the prefix that locates errors in them. */
  DocRef small[8], *docs = small;
  uint32_t ndocs = 0, cap = 8, total = 0;
  if (cJSON_IsArray(root)) {
    p->is_array = 1;
    add_docs(&P, root, IAM_SET_IDENTITY, "policy", &docs, small, &cap, &ndocs);
  } else if (cJSON_IsObject(root) && !(flags & IAM_PARSE_DOCS) &&
             (cJSON_GetObjectItemCaseSensitive(root, "identity") ||
              cJSON_GetObjectItemCaseSensitive(root, "boundary"))) {
    /* {"identity": docs, "boundary": docs|null}: a principal with a boundary */
    const cJSON *id = NULL, *bd = NULL;
    char q[80];
    p->is_array = 1;
    if (check_dups(&P, root, "policy") == IAM_OK) {
      for (const cJSON *c = root->child; c && P.rc == IAM_OK; c = c->next) {
        if (!strcmp(c->string, "identity"))
          id = c;
        else if (!strcmp(c->string, "boundary"))
          bd = c;
        else
          fail(&P, IAM_EINVAL, "policy: unknown member %s (expected \"identity\" and \"boundary\")",
               iam_quote(q, sizeof q, c->string, strlen(c->string)));
      }
    }
    if (P.rc == IAM_OK && id == NULL) fail(&P, IAM_EINVAL, "policy: missing \"identity\"");
    if (P.rc == IAM_OK) add_docs(&P, id, IAM_SET_IDENTITY, "identity", &docs, small, &cap, &ndocs);
    if (P.rc == IAM_OK && bd && !cJSON_IsNull(bd)) {
      p->has_boundary = 1;
      add_docs(&P, bd, IAM_SET_BOUNDARY, "boundary", &docs, small, &cap, &ndocs);
    }
  } else if (cJSON_IsObject(root)) {
    add_docs(&P, root, IAM_SET_IDENTITY, NULL, &docs, small, &cap, &ndocs);
  } else {
    fail(&P, IAM_EINVAL, "policy must be a JSON object or an array of objects, not %s",
         type_name(root));
  }
  /* Pass 1: shape of documents and statement count. */
  for (uint32_t di = 0; di < ndocs && P.rc == IAM_OK; di++) {
    memcpy(P.doc, docs[di].prefix, sizeof P.doc);
    count_statements(&P, docs[di].doc, &total);
  }
  if (P.rc == IAM_OK) {
    p->ndocs = ndocs;
    p->stmt = aalloc(&P, (total + 1) * sizeof *p->stmt);
  }
  /* Pass 2: statements. */
  if (P.rc == IAM_OK) {
    uint32_t ns = 0;
    for (uint32_t di = 0; di < ndocs && P.rc == IAM_OK; di++) {
      uint32_t first = ns;
      memcpy(P.doc, docs[di].prefix, sizeof P.doc);
      parse_document(&P, docs[di].doc, di, &ns);
      for (uint32_t k = first; k < ns; k++) p->stmt[k].set = docs[di].set;
    }
    p->nstmt = ns;
  }
  if (docs != small) iam_free(docs);
  if (P.rc == IAM_OK) {
    p->deny = aalloc(&P, (p->nstmt + 1) * sizeof *p->deny);
    p->allow = aalloc(&P, (p->nstmt + 1) * sizeof *p->allow);
    p->ballow = aalloc(&P, (p->nstmt + 1) * sizeof *p->ballow);
    p->svc = aalloc(&P, (p->nstmt + 1) * sizeof *p->svc);
    if (P.rc == IAM_OK) {
      for (uint32_t i = 0; i < p->nstmt; i++) {
        p->svc[i] = p->stmt[i].not_action ? ~(uint64_t)0 : p->stmt[i].svc_mask;
        if (p->stmt[i].effect == IAM_EFFECT_DENY)
          p->deny[p->ndeny++] = i;
        else if (p->stmt[i].set == IAM_SET_BOUNDARY)
          p->ballow[p->nballow++] = i;
        else
          p->allow[p->nallow++] = i;
      }
    }
  }
  cJSON_Delete(root);
  iam_free(P.tmp);
  if (P.rc != IAM_OK) {
    iam_policy_free(p);
    return P.rc;
  }
  *out = p;
  return IAM_OK;
}

void iam_policy_free(IamPolicy *p) {
  if (p == NULL) return;
  iam_arena_free(&p->arena);
  iam_free(p);
}

int iam_pattern_new(const char *text, size_t len, int mode, int vars, IamPattern **out) {
  Parser P;
  IamPolicy holder;
  IamError err;
  IamPattern *pat = iam_malloc(sizeof *pat);
  *out = NULL;
  if (pat == NULL) return IAM_ENOMEM;
  memset(&P, 0, sizeof P);
  memset(&holder, 0, sizeof holder);
  iam_arena_init(&holder.arena, 4 * len + 256);
  P.p = &holder;
  P.err = &err;
  tpl_build(&P, &pat->t, text, len, mode, vars);
  iam_free(P.tmp);
  pat->arena = holder.arena;
  if (P.rc != IAM_OK) {
    iam_pattern_free(pat);
    return P.rc;
  }
  *out = pat;
  return IAM_OK;
}

void iam_pattern_free(IamPattern *p) {
  if (p == NULL) return;
  iam_arena_free(&p->arena);
  iam_free(p);
}

size_t iam_policy_size(const IamPolicy *p) { return sizeof *p + p->arena.bytes; }
