/* SPDX-License-Identifier: MIT */
/* Compact copies: one pass measures (base NULL), the same pass with a block
** writes. Every pointer of the source is re-pointed into the block; pointers
** that share text with a template (literal patterns, variable defaults,
** number digits) keep sharing the copied text. The copy is laid out in three
** regions: hot (statement headers, then each statement's action and resource
** patterns together: every request reads the first, a statement whose action
** matches reads its resources next), warm (conditions) and cold (text as
** written, for the table-valued functions). */
#include "iam_compact.h"

#include <string.h>

typedef struct Flat {
  unsigned char *base; /* NULL: measure only */
  size_t off;
} Flat;

/* n bytes aligned to a; NULL when measuring. */
static void *take(Flat *f, size_t n, size_t a) {
  f->off = (f->off + a - 1) & ~(a - 1);
  void *p = f->base ? f->base + f->off : NULL;
  f->off += n;
  return p;
}

static void *copy(Flat *f, const void *src, size_t n, size_t a) {
  if (src == NULL) return NULL;
  void *p = take(f, n, a);
  if (p && n) memcpy(p, src, n);
  return p;
}

#define COPY_ARRAY(f, src, n) \
  copy((f), (src), (size_t)(n) * sizeof *(src), _Alignof(__typeof__(*(src))))

/* n bytes of text and a NUL. */
static char *str(Flat *f, const char *s, size_t n) {
  if (s == NULL) return NULL;
  char *p = take(f, n + 1, 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = 0;
  }
  return p;
}

/* Whether p points into the text [o, o+n]. */
static int within(const char *p, const char *o, size_t n) {
  return p != NULL && o != NULL && p >= o && p <= o + n;
}

/* p re-pointed from old text o (within(p, o, ...)) to its copy at nw. */
static const char *reloc(const char *p, const char *o, const char *nw) {
  return nw ? nw + (p - o) : NULL;
}

/* Glob g's pieces (d: its copy, NULL when measuring). A literal that is the
** template's own text (o) points to the copied text (nw). */
static void glob_copy(Flat *f, IamGlob *d, const IamGlob *g, const char *o, const char *nw) {
  const IamGlobCode *ops = COPY_ARRAY(f, g->codes, g->n);
  const char *lit = NULL;
  if (g->lit != NULL) lit = (o != NULL && g->lit == o) ? nw : str(f, g->lit, g->n);
  if (d) d->codes = ops, d->lit = lit;
}

static void tpl_copy(Flat *f, IamTemplate *d, const IamTemplate *t) {
  const char *text = str(f, t->text, t->len);
  glob_copy(f, d ? &d->glob : NULL, &t->glob, t->text, text);
  IamTemplatePart *parts = COPY_ARRAY(f, t->parts, t->nparts);
  for (uint32_t k = 0; k < t->nparts && t->parts; k++) {
    const IamTemplatePart *s = &t->parts[k];
    IamTemplatePart *ds = parts ? &parts[k] : NULL;
    const IamGlobCode *ops = s->is_var ? NULL : COPY_ARRAY(f, s->codes, s->n);
    const char *name = s->is_var ? str(f, s->name, s->name_len) : NULL;
    const char *def =
        within(s->def, t->text, t->len) ? reloc(s->def, t->text, text) : str(f, s->def, s->def_len);
    if (ds) ds->codes = ops, ds->name = name, ds->def = def;
  }
  if (d) d->text = text, d->parts = parts;
}

static void cond_value_copy(Flat *f, IamCondValue *d, const IamCondValue *v, int family) {
  tpl_copy(f, d ? &d->t : NULL, &v->t);
  if (family == IAM_FAM_NUMERIC && v->ok) {
    /* digits point into the value's text */
    const IamNum *n = &v->u.num;
    if (d) {
      d->u.num.int_p =
          within(n->int_p, v->t.text, v->t.len) ? reloc(n->int_p, v->t.text, d->t.text) : NULL;
      d->u.num.frac_p =
          within(n->frac_p, v->t.text, v->t.len) ? reloc(n->frac_p, v->t.text, d->t.text) : NULL;
      if (d->u.num.int_p == NULL || d->u.num.frac_p == NULL)
        d->ok = 0; /* cannot happen: fail closed */
    }
  } else if (family == IAM_FAM_BINARY) {
    unsigned char *b = copy(f, v->u.bin.bytes, v->u.bin.n, 1);
    if (d) d->u.bin.bytes = b;
  }
}

/* Hot: what deciding whether a statement's Action and Resource match reads. */
static void stmt_hot(Flat *f, IamStatement *d, const IamStatement *s) {
  IamGlob *act = COPY_ARRAY(f, s->act, s->nact);
  uint32_t *tab = s->act_tab ? COPY_ARRAY(f, s->act_tab, (size_t)s->act_tab_mask + 1) : NULL;
  uint32_t *wild = COPY_ARRAY(f, s->act_wild, s->nwild);
  for (uint32_t i = 0; i < s->nact && s->act; i++)
    glob_copy(f, act ? &act[i] : NULL, &s->act[i], NULL, NULL);
  if (d) d->act = act, d->act_tab = tab, d->act_wild = wild;
  /* a statement whose Action matches reads its Resource next */
  IamTemplate *res = COPY_ARRAY(f, s->res, s->nres);
  for (uint32_t i = 0; i < s->nres && s->res; i++) tpl_copy(f, res ? &res[i] : NULL, &s->res[i]);
  if (d) d->res = res;
}

/* A Principal block: its values and their text. */
static const IamPrincipalBlock *principal_copy(Flat *f, const IamPrincipalBlock *b) {
  if (b == NULL) return NULL;
  IamPrincipalBlock *d = copy(f, b, sizeof *b, _Alignof(IamPrincipalBlock));
  IamPrincipalValue *v = COPY_ARRAY(f, b->vals, b->nvals);
  for (uint32_t i = 0; i < b->nvals && b->vals; i++) {
    const char *t = str(f, b->vals[i].text, b->vals[i].len);
    if (v) v[i].text = t;
  }
  if (d) d->vals = v;
  return d;
}

/* The caller and request members of a whole-request policy. */
static IamAuthz *authz_copy(Flat *f, const IamAuthz *a) {
  if (a == NULL) return NULL;
  IamAuthz *d = copy(f, a, sizeof *a, _Alignof(IamAuthz));
  const IamCaller *c = &a->caller;
  const char *arn = str(f, c->arn, c->arn_len);
  const char *parn =
      c->principal_arn == c->arn ? arn : str(f, c->principal_arn, c->principal_arn_len);
  const char *action = str(f, a->action, a->action_len);
  const char *resource = str(f, a->resource, a->resource_len);
  const char *context = str(f, a->context, a->context_len);
  if (d) {
    d->caller.arn = arn;
    d->caller.principal_arn = parn;
    d->caller.name = c->name && arn ? arn + (c->name - c->arn) : NULL;
    d->action = action, d->resource = resource, d->context = context;
  }
  return d;
}

/* Warm: conditions, and the Principal block resource-policy statements check last. */
static void stmt_warm(Flat *f, IamStatement *d, const IamStatement *s) {
  const IamPrincipalBlock *pb = principal_copy(f, s->principal);
  if (d) d->principal = pb;
  IamCond *cond = COPY_ARRAY(f, s->cond, s->ncond);
  for (uint32_t i = 0; i < s->ncond && s->cond; i++) {
    const IamCond *c = &s->cond[i];
    IamCond *dc = cond ? &cond[i] : NULL;
    const char *kl = str(f, c->key_lower, c->key_len);
    IamCondValue *vals = COPY_ARRAY(f, c->vals, c->nvals);
    for (uint32_t k = 0; k < c->nvals && c->vals; k++)
      cond_value_copy(f, vals ? &vals[k] : NULL, &c->vals[k], iam_cond_operators[c->base].family);
    if (dc) dc->key_lower = kl, dc->vals = vals;
  }
  if (d) d->cond = cond;
}

/* Cold: text as written, for the table-valued functions. */
static void stmt_cold(Flat *f, IamStatement *d, const IamStatement *s) {
  const char *sid = s->sid ? str(f, s->sid, strlen(s->sid)) : NULL;
  const char *pj = s->principal_json ? str(f, s->principal_json, strlen(s->principal_json)) : NULL;
  const char **at = COPY_ARRAY(f, s->act_text, s->nact);
  for (uint32_t i = 0; i < s->nact && s->act_text; i++) {
    const char *t = s->act_text[i] ? str(f, s->act_text[i], strlen(s->act_text[i])) : NULL;
    if (at) at[i] = t;
  }
  for (uint32_t i = 0; i < s->ncond && s->cond; i++) {
    const IamCond *c = &s->cond[i];
    const char *op = c->operator_text ? str(f, c->operator_text, strlen(c->operator_text)) : NULL;
    const char *key = c->key ? str(f, c->key, c->key_len) : NULL;
    if (d) d->cond[i].operator_text = op, d->cond[i].key = key;
  }
  if (d) d->sid = sid, d->principal_json = pj, d->act_text = at;
}

size_t iam_compact_policy(const IamPolicy *p, void *dst) {
  Flat f = {dst, 0};
  IamPolicy *d = take(&f, sizeof *d, IAM_COMPACT_ALIGN);
  if (d) *d = *p;
  uint64_t *svc = COPY_ARRAY(&f, p->svc, p->nstmt);
  uint32_t *deny = COPY_ARRAY(&f, p->deny, p->ndeny);
  uint32_t *allow = COPY_ARRAY(&f, p->allow, p->nallow);
  uint32_t *ballow = COPY_ARRAY(&f, p->ballow, p->nballow);
  IamStatement *st = COPY_ARRAY(&f, p->stmt, p->nstmt);
  const IamAuthz *az = authz_copy(&f, p->authz);
  if (d) d->svc = svc, d->deny = deny, d->allow = allow, d->ballow = ballow, d->stmt = st;
  if (d) d->authz = az;
  if (p->stmt == NULL) return f.off;
  for (uint32_t i = 0; i < p->nstmt; i++) stmt_hot(&f, st ? &st[i] : NULL, &p->stmt[i]);
  for (uint32_t i = 0; i < p->nstmt; i++) stmt_warm(&f, st ? &st[i] : NULL, &p->stmt[i]);
  for (uint32_t i = 0; i < p->nstmt; i++) stmt_cold(&f, st ? &st[i] : NULL, &p->stmt[i]);
  return f.off;
}

size_t iam_compact_ctx(const IamCtx *c, void *dst) {
  Flat f = {dst, 0};
  IamCtx *d = take(&f, sizeof *d, IAM_COMPACT_ALIGN);
  if (d) *d = *c;
  IamCtxEntry *e = COPY_ARRAY(&f, c->e, c->n);
  if (d) d->e = e;
  for (uint32_t i = 0; i < c->n && c->e; i++) {
    const IamCtxEntry *s = &c->e[i];
    const char *key = str(&f, s->key, s->key_len);
    const char **val = COPY_ARRAY(&f, s->val, s->n);
    uint32_t *len = COPY_ARRAY(&f, s->len, s->n);
    for (uint32_t k = 0; k < s->n && s->val; k++) {
      const char *v = str(&f, s->val[k], s->len[k]);
      if (val) val[k] = v;
    }
    if (e) e[i].key = key, e[i].val = val, e[i].len = len;
  }
  return f.off;
}

size_t iam_compact_template(const IamTemplate *t, void *dst) {
  Flat f = {dst, 0};
  IamTemplate *d = take(&f, sizeof *d, IAM_COMPACT_ALIGN);
  if (d) *d = *t;
  tpl_copy(&f, d, t);
  return f.off;
}
