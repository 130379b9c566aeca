/* SPDX-License-Identifier: MIT */
/* New access: what the new policy allows that the old one does not.
**
** For every catalog action A that an Allow statement S of the new policy
** lets through (Action patterns expanded over the catalog, NotAction
** inverted over all of it), and every resource item of S (each Resource
** pattern, the NotResource list, or "this resource" for a resource-policy
** statement without Resource), the pair (A, item) is covered when
**   - an unconditional Deny of the new policy takes it back entirely, or
**   - an Allow statement S' of the old policy lets A through, names the
**     same principals or "*", has no conditions or the same conditions
**     (compared as text), and its resources include the item's: a pattern
**     of S' contains the item's pattern (iam_cover.h, decided exactly), S'
**     has no Resource (a resource policy's "this resource") or a "*", or
**     S's NotResource list and S''s are such that every pattern S' leaves
**     out S leaves out too; and every Deny of the old policy that might take
**     (A, item) back appears, word for word, in the new policy as well.
** An action with an item that is not covered is a row. Each step only ever
** answers "covered" when it is sure, so the rows over-approximate and the
** absence of a row is exact. See iam_access.h. */
#include "iam_access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iam_cover.h"
#include "iam_mem.h"
#include "iam_text.h"

#define ITEM_ANY    (-1) /* a resource-policy statement without Resource */
#define ITEM_NOTRES (-2) /* the NotResource list */

const char *iam_new_kind_name(IamNewKind k) {
  switch (k) {
    case IAM_NEW_ACTION: return "action";
    case IAM_NEW_RESOURCE: return "resource";
    case IAM_NEW_PATTERN: return "pattern";
  }
  return "?";
}

/* A resource pattern as codes, each policy variable as any text. */
typedef struct Pat {
  IamGlobCode *codes;
  uint32_t n;
  uint8_t vars; /* the template has variables */
  uint8_t all;  /* the pattern matches every text ("*", "**") */
} Pat;

/* What is worked out once per statement. */
typedef struct SInfo {
  const IamStatement *st;
  char *cond; /* conditions as canonical text, "" without */
  char *sig;  /* the whole statement as canonical text (Deny statements) */
  Pat *res;
  uint8_t star;          /* a Resource pattern matches every text */
  uint8_t principal_all; /* Principal "*" or {"AWS": "*"} */
  uint8_t grants;        /* an Allow that grants (an RCP's Allow does not) */
} SInfo;

typedef struct Side {
  const IamPolicy *p;
  SInfo *s;
  uint32_t n;
  uint8_t implicit_all; /* an RCP: everything is allowed but what is denied */
} Side;

struct IamNewAccessList {
  IamNewAccess *v;
  uint32_t n, cap;
  char **texts; /* NotResource lists as JSON, owned */
  uint32_t ntexts, captexts;
};

typedef struct Rec {
  const IamCatService *svc;
  const IamCatAction *a;
  uint32_t stmt;
  int32_t pattern; /* index into act_text, -1 for NotAction */
} Rec;

typedef struct RecList {
  Rec *v;
  uint32_t n, cap;
} RecList;

typedef struct Ctx {
  Side old, new;
  IamStatement all_st; /* an RCP's implicit Allow of every action on every resource */
  SInfo all;
  const IamCatalog *cat;
  IamNewAccessList *out;
  RecList recs;      /* the grants of the new policy: (action, statement) */
  RecList old_recs;  /* the old policy's Allow statements with Action, by action */
  uint32_t *old_not; /* the old policy's Allow statements with NotAction */
  uint32_t nold_not;
  /* Resource relations of statement pairs, which every action of a statement
  ** asks again: key (relation, statement of one side, statement of new, item),
  ** value the answer + 1 (0 = empty slot). */
  uint64_t *memo_key;
  int8_t *memo_val;
  uint32_t memo_n, memo_cap;
  int oom;
  uint64_t work, work_limit; /* units of pattern comparison so far, and the limit */
} Ctx;

/* ---- per statement ---------------------------------------------------------------- */

static char *cat_text(const char *a, size_t an, const char *b) {
  size_t bn = strlen(b);
  char *t = iam_malloc(an + bn + 1);
  if (t == NULL) return NULL;
  memcpy(t, a, an);
  memcpy(t + an, b, bn + 1);
  return t;
}

/* Append s and a separator to *t (grown with iam_realloc). */
static int append(char **t, size_t *n, const char *s, size_t sn, char sep) {
  char *x = iam_realloc(*t, *n + sn + 2);
  if (x == NULL) return IAM_ENOMEM;
  memcpy(x + *n, s, sn);
  x[*n + sn] = sep;
  x[*n + sn + 1] = 0;
  *t = x;
  *n += sn + 1;
  return IAM_OK;
}

static int cond_text(const IamStatement *st, char **out) {
  char *t = cat_text("", 0, "");
  size_t n = 0;
  if (t == NULL) return IAM_ENOMEM;
  for (uint32_t i = 0; i < st->ncond; i++) {
    const IamCond *c = &st->cond[i];
    if (append(&t, &n, c->operator_text, strlen(c->operator_text), '\x1f') != IAM_OK ||
        append(&t, &n, c->key_lower, c->key_len, '\x1f') != IAM_OK)
      goto oom;
    for (uint32_t v = 0; v < c->nvals; v++)
      if (append(&t, &n, c->vals[v].t.text, c->vals[v].t.len, '\x1e') != IAM_OK) goto oom;
    if (append(&t, &n, "", 0, '\x1d') != IAM_OK) goto oom;
  }
  *out = t;
  return IAM_OK;
oom:
  iam_free(t);
  return IAM_ENOMEM;
}

static int signature(const SInfo *s, char **out) {
  const IamStatement *st = s->st;
  char *t = cat_text("", 0, "");
  size_t n = 0;
  char head[16];
  if (t == NULL) return IAM_ENOMEM;
  snprintf(head, sizeof head, "%d%d%d%d", st->effect, st->not_action, st->not_resource,
           st->any_resource);
  if (append(&t, &n, head, strlen(head), '\x1d') != IAM_OK) goto oom;
  for (uint32_t i = 0; i < st->nact; i++)
    if (append(&t, &n, st->act_text[i], strlen(st->act_text[i]), '\x1e') != IAM_OK) goto oom;
  for (uint32_t i = 0; i < st->nres; i++)
    if (append(&t, &n, st->res[i].text, st->res[i].len, '\x1e') != IAM_OK) goto oom;
  if (append(&t, &n, s->cond, strlen(s->cond), '\x1d') != IAM_OK) goto oom;
  if (st->principal_json &&
      append(&t, &n, st->principal_json, strlen(st->principal_json), '\x1d') != IAM_OK)
    goto oom;
  *out = t;
  return IAM_OK;
oom:
  iam_free(t);
  return IAM_ENOMEM;
}

static int resource_pat(const IamTemplate *t, Pat *p) {
  p->codes = iam_malloc(((size_t)t->len + 1) * sizeof *p->codes);
  if (p->codes == NULL) return IAM_ENOMEM;
  p->vars = t->has_vars;
  iam_glob_codes_resource(p->codes, t->text, t->len, 0);
  uint32_t m = t->len;
  if (t->has_vars) { /* each variable of the resource part as any text */
    m = 0;
    const char *s = t->text;
    int colons = 0;
    for (uint32_t i = 0; i < t->len; i++) {
      const char *e = colons >= 5 && s[i] == '$' && i + 1 < t->len && s[i + 1] == '{'
                          ? memchr(s + i, '}', t->len - i)
                          : NULL;
      if (s[i] == ':' && colons < 5) colons++;
      if (e) {
        p->codes[m++] = IAM_GLOB_STAR;
        i = (uint32_t)(e - s);
      } else {
        p->codes[m++] = p->codes[i];
      }
    }
  }
  p->n = m;
  p->all = m > 0;
  for (uint32_t i = 0; i < m; i++)
    if (p->codes[i] != IAM_GLOB_STAR) p->all = 0;
  return IAM_OK;
}

static int side_init(Side *sd, const IamPolicy *p, int set) {
  sd->p = p;
  sd->n = p->nstmt;
  sd->implicit_all = set == IAM_SET_RCP;
  sd->s = iam_malloc(((size_t)p->nstmt + 1) * sizeof *sd->s);
  if (sd->s == NULL) return IAM_ENOMEM;
  memset(sd->s, 0, ((size_t)p->nstmt + 1) * sizeof *sd->s);
  for (uint32_t k = 0; k < p->nstmt; k++) {
    SInfo *s = &sd->s[k];
    const IamStatement *st = &p->stmt[k];
    s->st = st;
    s->grants = st->effect == IAM_EFFECT_ALLOW && set != IAM_SET_RCP;
    s->principal_all =
        st->principal_json && !st->not_principal &&
        (!strcmp(st->principal_json, "\"*\"") || !strcmp(st->principal_json, "{\"AWS\":\"*\"}"));
    if (cond_text(st, &s->cond) != IAM_OK || signature(s, &s->sig) != IAM_OK) return IAM_ENOMEM;
    s->res = iam_malloc(((size_t)st->nres + 1) * sizeof *s->res);
    if (s->res == NULL) return IAM_ENOMEM;
    memset(s->res, 0, ((size_t)st->nres + 1) * sizeof *s->res);
    for (uint32_t i = 0; i < st->nres; i++) {
      if (resource_pat(&st->res[i], &s->res[i]) != IAM_OK) return IAM_ENOMEM;
      if (!st->not_resource && s->res[i].all && !s->res[i].vars) s->star = 1;
    }
  }
  return IAM_OK;
}

static void side_free(Side *sd) {
  if (sd->s == NULL) return;
  for (uint32_t k = 0; k < sd->n; k++) {
    iam_free(sd->s[k].cond);
    iam_free(sd->s[k].sig);
    if (sd->s[k].res)
      for (uint32_t i = 0; i < sd->s[k].st->nres; i++) iam_free(sd->s[k].res[i].codes);
    iam_free(sd->s[k].res);
  }
  iam_free(sd->s);
}

/* ---- relations ---------------------------------------------------------------------- */

/* Whether the statement's action part lets the lower-case action text through. */
static int admits(const IamStatement *st, const char *text, size_t n) {
  int any = 0;
  for (uint32_t i = 0; i < st->nact && !any; i++)
    any = iam_glob_match_short(&st->act[i], text, n) == 1;
  return st->not_action ? !any : any;
}

/* L(q) contains L(p); unknown is no. */
static int pat_covers(const Pat *q, const Pat *p, const IamTemplate *qt, const IamTemplate *pt,
                      uint64_t *work) {
  if (q->vars) /* the same variables resolve alike: equal text only */
    return p->vars && qt->len == pt->len && memcmp(qt->text, pt->text, qt->len) == 0;
  /* p's variables are any text in its codes: if q holds that, it holds p */
  int r = iam_glob_covers(q->codes, q->n, p->codes, p->n, work);
  return r < 0 && r != IAM_COVER_UNKNOWN ? r : r == 1;
}

/* L(q) and L(p) share a text; unknown is yes. */
static int pat_overlaps(const Pat *q, const Pat *p, uint64_t *work) {
  int r = iam_glob_overlaps(q->codes, q->n, p->codes, p->n, work);
  return r < 0 && r != IAM_COVER_UNKNOWN ? r : r != 0;
}

/* The principal element of o names at least everyone n's does. */
static int principal_covers(const SInfo *o, const SInfo *n) {
  const IamStatement *a = o->st, *b = n->st;
  if (!a->has_principal) return !b->has_principal;
  if (o->principal_all) return 1;
  return b->has_principal && a->not_principal == b->not_principal &&
         strcmp(a->principal_json, b->principal_json) == 0;
}

/* The resources of statement o include all of item of statement n:
** 1, 0, or IAM_ENOMEM. */
static int resources_cover(const SInfo *o, const SInfo *n, int item, uint64_t *work) {
  const IamStatement *a = o->st, *b = n->st;
  if (a->any_resource) return 1;
  if (!a->not_resource) {
    if (o->star) return 1;
    if (item < 0) return 0;
    for (uint32_t j = 0; j < a->nres; j++) {
      int c = pat_covers(&o->res[j], &n->res[item], &a->res[j], &b->res[item], work);
      if (c != 0) return c;
    }
    return 0;
  }
  if (item == ITEM_ANY) return 0;
  if (item == ITEM_NOTRES) { /* what a leaves out, b leaves out too */
    for (uint32_t j = 0; j < a->nres; j++) {
      int ok = 0;
      for (uint32_t i = 0; i < b->nres && !ok; i++) {
        ok = pat_covers(&n->res[i], &o->res[j], &b->res[i], &a->res[j], work);
        if (ok < 0) return ok;
      }
      if (!ok) return 0;
    }
    return 1;
  }
  for (uint32_t j = 0; j < a->nres; j++) { /* the pattern meets none of a's exclusions */
    int o2 = pat_overlaps(&o->res[j], &n->res[item], work);
    if (o2 != 0) return o2 < 0 ? o2 : 0;
  }
  return 1;
}

/* Whether a Deny statement d might take back part of item of statement n:
** 1 (or unknown), 0, IAM_ENOMEM. */
static int deny_may_apply(const SInfo *d, const SInfo *n, int item, uint64_t *work) {
  const IamStatement *a = d->st;
  if (a->any_resource || item < 0) return 1;
  if (!a->not_resource) {
    for (uint32_t j = 0; j < a->nres; j++) {
      int o = pat_overlaps(&d->res[j], &n->res[item], work);
      if (o != 0) return o;
    }
    return 0;
  }
  for (uint32_t j = 0; j < a->nres; j++) { /* excluded whole: it does not apply */
    int c = pat_covers(&d->res[j], &n->res[item], &a->res[j], &n->st->res[item], work);
    if (c != 0) return c < 0 ? c : 0;
  }
  return 1;
}

/* ---- the comparison ------------------------------------------------------------------ */

enum { REL_OLD_COVERS = 1, REL_NEW_DENY_COVERS, REL_OLD_DENY_MAY };

static uint64_t memo_key(int rel, const Ctx *x, const SInfo *a, const SInfo *n, int item) {
  uint64_t ka = (uint64_t)(rel == REL_NEW_DENY_COVERS ? a - x->new.s : a - x->old.s) & 0xFFFFF;
  uint64_t kn = n == &x->all ? 0xFFFFF : (uint64_t)(n - x->new.s) & 0xFFFFF;
  return (uint64_t)rel << 62 | ka << 41 | kn << 21 | ((uint64_t)(item + 2) & 0x1FFFFF);
}

/* The relation rel of (a, item of n), computed once: 1, 0, IAM_ENOMEM. */
static int related(Ctx *x, int rel, const SInfo *a, const SInfo *n, int item) {
  uint64_t key = memo_key(rel, x, a, n, item);
  if (x->memo_cap) {
    uint32_t h = (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (x->memo_cap - 1);
    for (; x->memo_val[h]; h = (h + 1) & (x->memo_cap - 1))
      if (x->memo_key[h] == key) return x->memo_val[h] - 1;
  }
  /* every pair of patterns compared costs at least one unit, whatever the search */
  x->work += 1;
  int r = rel == REL_OLD_DENY_MAY ? deny_may_apply(a, n, item, &x->work)
                                  : resources_cover(a, n, item, &x->work);
  if (r < 0) return r;
  if (x->work > x->work_limit) return IAM_EWORK;
  if (2 * (x->memo_n + 1) > x->memo_cap) { /* grow (and rehash) */
    uint32_t cap = x->memo_cap ? 2 * x->memo_cap : 1024;
    uint64_t *k = iam_malloc((size_t)cap * sizeof *k);
    int8_t *v = iam_malloc((size_t)cap);
    if (k == NULL || v == NULL) {
      iam_free(k);
      iam_free(v);
      return IAM_ENOMEM;
    }
    memset(v, 0, cap);
    for (uint32_t i = 0; i < x->memo_cap; i++) {
      if (!x->memo_val[i]) continue;
      uint32_t h = (uint32_t)((x->memo_key[i] * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
      while (v[h]) h = (h + 1) & (cap - 1);
      k[h] = x->memo_key[i];
      v[h] = x->memo_val[i];
    }
    iam_free(x->memo_key);
    iam_free(x->memo_val);
    x->memo_key = k;
    x->memo_val = v;
    x->memo_cap = cap;
  }
  uint32_t h = (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (x->memo_cap - 1);
  while (x->memo_val[h]) h = (h + 1) & (x->memo_cap - 1);
  x->memo_key[h] = key;
  x->memo_val[h] = (int8_t)(r + 1);
  x->memo_n++;
  return r;
}

typedef struct Verdict {
  int covered;
  int conditional; /* conditions, principals or Deny statements took part */
  int old_any;     /* some Allow of the old policy lets the action through */
} Verdict;

/* Whether (action text, item of new statement n) is covered; v filled. */
static int cmp_rec_action(const void *p, const void *q) {
  const Rec *a = p, *b = q;
  uintptr_t x = (uintptr_t)a->a, y = (uintptr_t)b->a;
  if (x != y) return x < y ? -1 : 1;
  return a->stmt < b->stmt ? -1 : a->stmt > b->stmt;
}

/* One old Allow statement o that lets the action through: whether it covers
** the item; the verdict's flags updated. 1, 0, IAM_ENOMEM. */
static int old_allow_covers(Ctx *x, const SInfo *o, const SInfo *n, int item, Verdict *v) {
  v->old_any = 1;
  int c = related(x, REL_OLD_COVERS, o, n, item);
  if (c <= 0) return c;
  if (!principal_covers(o, n) || (o->st->ncond && strcmp(o->cond, n->cond) != 0)) {
    v->conditional = 1;
    return 0;
  }
  return 1;
}

static int judge(Ctx *x, const char *text, size_t tn, const IamCatAction *act, const SInfo *n,
                 int item, Verdict *v) {
  memset(v, 0, sizeof *v);
  if (n->st->ncond) v->conditional = 1;
  /* taken back entirely by an unconditional Deny of the new policy */
  for (uint32_t k = 0; k < x->new.n; k++) {
    const SInfo *d = &x->new.s[k];
    if (d->st->effect != IAM_EFFECT_DENY || !admits(d->st, text, tn)) continue;
    if (d->st->ncond || (d->st->has_principal && !d->principal_all &&
                         !(principal_covers(d, n) && !d->st->not_principal))) {
      v->conditional = 1; /* it may take part of it back */
      continue;
    }
    int c = related(x, REL_NEW_DENY_COVERS, d, n, item);
    if (c < 0) return c;
    if (c) {
      v->covered = 1;
      v->conditional = 0;
      return IAM_OK;
    }
  }
  /* an Allow of the old policy: its Action statements that match, by the index */
  int allowed = x->old.implicit_all;
  v->old_any = allowed;
  const RecList *ol = &x->old_recs;
  uint32_t lo = 0, hi = ol->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if ((uintptr_t)ol->v[mid].a < (uintptr_t)act)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (uint32_t k = lo; k < ol->n && ol->v[k].a == act && !allowed; k++) {
    if (k > lo && ol->v[k].stmt == ol->v[k - 1].stmt) continue;
    int c = old_allow_covers(x, &x->old.s[ol->v[k].stmt], n, item, v);
    if (c < 0) return c;
    allowed = c;
  }
  for (uint32_t k = 0; k < x->nold_not && !allowed; k++) {
    const SInfo *o = &x->old.s[x->old_not[k]];
    if (!admits(o->st, text, tn)) continue;
    int c = old_allow_covers(x, o, n, item, v);
    if (c < 0) return c;
    allowed = c;
  }
  if (!allowed) return IAM_OK;
  /* every Deny of the old policy that might take it back is in the new one too */
  for (uint32_t k = 0; k < x->old.n; k++) {
    const SInfo *d = &x->old.s[k];
    if (d->st->effect != IAM_EFFECT_DENY || !admits(d->st, text, tn)) continue;
    int m = related(x, REL_OLD_DENY_MAY, d, n, item);
    if (m < 0) return m;
    if (!m) continue;
    int same = 0;
    for (uint32_t j = 0; j < x->new.n && !same; j++)
      same = x->new.s[j].st->effect == IAM_EFFECT_DENY && !strcmp(x->new.s[j].sig, d->sig);
    if (!same) {
      v->conditional = 1;
      return IAM_OK;
    }
  }
  v->covered = 1;
  return IAM_OK;
}

static int add_row(Ctx *x, const IamNewAccess *r) {
  IamNewAccessList *l = x->out;
  if (l->n == l->cap) {
    uint32_t cap = l->cap ? 2 * l->cap : 32;
    IamNewAccess *v = iam_realloc(l->v, cap * sizeof *v);
    if (v == NULL) return IAM_ENOMEM;
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = *r;
  return IAM_OK;
}

/* The NotResource list of a statement as a JSON array, kept in the list. */
static const char *not_resource_json(Ctx *x, const IamStatement *st) {
  size_t n = 2;
  for (uint32_t i = 0; i < st->nres; i++) n += 2 * st->res[i].len + 3;
  char *t = iam_malloc(n + 1);
  if (t == NULL) return NULL;
  size_t k = 0;
  t[k++] = '[';
  for (uint32_t i = 0; i < st->nres; i++) {
    if (i) t[k++] = ',';
    t[k++] = '"';
    for (uint32_t c = 0; c < st->res[i].len; c++) {
      char ch = st->res[i].text[c];
      if (ch == '"' || ch == '\\') t[k++] = '\\';
      t[k++] = ch;
    }
    t[k++] = '"';
  }
  t[k++] = ']';
  t[k] = 0;
  IamNewAccessList *l = x->out;
  if (l->ntexts == l->captexts) {
    uint32_t cap = l->captexts ? 2 * l->captexts : 8;
    char **v = iam_realloc(l->texts, cap * sizeof *v);
    if (v == NULL) {
      iam_free(t);
      return NULL;
    }
    l->texts = v;
    l->captexts = cap;
  }
  l->texts[l->ntexts++] = t;
  return t;
}

static const SInfo *stmt_info(const Ctx *x, uint32_t stmt) {
  return stmt == UINT32_MAX ? &x->all : &x->new.s[stmt];
}

/* The items of the statement's grant of text that are not covered: 1 with
** row filled (the first unconditional one, else the first), 0 when all are
** covered, or IAM_ENOMEM. */
static int first_uncovered(Ctx *x, const char *text, size_t tn, const IamCatAction *act,
                           uint32_t stmt, IamNewAccess *row) {
  const SInfo *n = stmt_info(x, stmt);
  const IamStatement *st = n->st;
  int items = st->any_resource || st->not_resource ? 1 : (int)st->nres, have = 0;
  for (int i = 0; i < items; i++) {
    int item = st->any_resource ? ITEM_ANY : st->not_resource ? ITEM_NOTRES : i;
    Verdict v;
    int rc = judge(x, text, tn, act, n, item, &v);
    if (rc != IAM_OK) return rc;
    if (v.covered || (have && row->conditional <= v.conditional)) continue;
    row->stmt = stmt;
    row->kind = (uint8_t)(v.old_any ? IAM_NEW_RESOURCE : IAM_NEW_ACTION);
    row->conditional = (uint8_t)v.conditional;
    row->not_resource = item == ITEM_NOTRES;
    row->resource = item >= 0 ? st->res[item].text : NULL;
    if (item == ITEM_NOTRES && (row->resource = not_resource_json(x, st)) == NULL)
      return IAM_ENOMEM;
    have = 1;
    if (!v.conditional) break;
  }
  return have;
}

/* ---- the catalog's actions ------------------------------------------------------------- */

static int add_rec(RecList *l, const IamCatService *svc, const IamCatAction *a, uint32_t stmt,
                   int32_t pattern) {
  if (l->n == l->cap) {
    uint32_t cap = l->cap ? 2 * l->cap : 256;
    Rec *v = iam_realloc(l->v, cap * sizeof *v);
    if (v == NULL) return IAM_ENOMEM;
    l->v = v;
    l->cap = cap;
  }
  Rec *r = &l->v[l->n++];
  r->svc = svc;
  r->a = a;
  r->stmt = stmt;
  r->pattern = pattern;
  return IAM_OK;
}

typedef struct Each {
  RecList *out;
  const IamCatService *svc;
  uint32_t stmt;
  int32_t pattern;
} Each;

static int each_match(void *arg, const IamCatAction *a) {
  Each *e = arg;
  return add_rec(e->out, e->svc, a, e->stmt, e->pattern) == IAM_OK ? 0 : IAM_ENOMEM;
}

/* The catalog actions of one Action pattern of statement stmt of side sd,
** appended to out: how many. */
static long expand_pattern(Ctx *x, const Side *sd, uint32_t stmt, int32_t pi, RecList *out) {
  const IamStatement *st = sd->s[stmt].st;
  const char *s = st->act_text[pi];
  size_t n = strlen(s);
  IamGlobCode stack[256], *codes = n <= 256 ? stack : iam_malloc(n * sizeof *codes);
  long total = 0;
  if (codes == NULL) return IAM_ENOMEM;
  iam_glob_codes_action(codes, s, n);
  const char *colon = strchr(s, ':');
  size_t sl = colon ? (size_t)(colon - s) : n;
  const char *const *prefixes;
  uint32_t np = 0;
  char one[128];
  const char *one_list[1] = {one};
  if (colon && sl > 0 && sl < sizeof one && !memchr(s, '*', sl) && !memchr(s, '?', sl)) {
    for (size_t i = 0; i < sl; i++) one[i] = (char)codes[i];
    one[sl] = 0;
    prefixes = one_list;
    np = 1;
  } else if (!colon && strspn(s, "*") != n) {
    np = 0; /* not service:action: matches no catalog action */
  } else if (x->cat->services(x->cat->arg, &prefixes, &np) != IAM_OK) {
    total = IAM_ENOMEM;
  }
  for (uint32_t i = 0; total >= 0 && i < np; i++) {
    const IamCatService *svc;
    if (colon && np > 1 &&
        iam_glob_match_codes_short(codes, (uint32_t)sl, prefixes[i], strlen(prefixes[i])) != 1)
      continue;
    int r = x->cat->service(x->cat->arg, prefixes[i], strlen(prefixes[i]), &svc);
    if (r < 0) total = IAM_ENOMEM;
    if (r <= 0) continue;
    Each e = {out, svc, stmt, pi};
    long m = iam_cat_actions_matching(svc, codes, (uint32_t)n, each_match, &e);
    if (m < 0)
      total = IAM_ENOMEM;
    else
      total += m;
  }
  if (codes != stack) iam_free(codes);
  return total;
}

/* Every catalog action the statement's NotAction (or an RCP's implicit
** Allow, all = 1) lets through. */
static int expand_all(Ctx *x, uint32_t stmt, int all) {
  const char *const *prefixes;
  uint32_t np;
  char text[512];
  if (x->cat->services(x->cat->arg, &prefixes, &np) != IAM_OK) return IAM_ENOMEM;
  for (uint32_t i = 0; i < np; i++) {
    const IamCatService *svc;
    int r = x->cat->service(x->cat->arg, prefixes[i], strlen(prefixes[i]), &svc);
    if (r < 0) return IAM_ENOMEM;
    if (r == 0) continue;
    size_t pl = strlen(svc->prefix);
    for (uint32_t k = 0; k < svc->nactions; k++) {
      const IamCatAction *a = &svc->actions[k];
      if (pl + 1 + a->lower_len >= sizeof text) continue;
      memcpy(text, svc->prefix, pl);
      text[pl] = ':';
      memcpy(text + pl + 1, a->lower, a->lower_len);
      if (!all && !admits(stmt_info(x, stmt)->st, text, pl + 1 + a->lower_len)) continue;
      if (add_rec(&x->recs, svc, a, stmt, -1) != IAM_OK) return IAM_ENOMEM;
    }
  }
  return IAM_OK;
}

static int cmp_rec(const void *p, const void *q) {
  const Rec *a = p, *b = q;
  int c = strcmp(a->svc->prefix, b->svc->prefix);
  if (c == 0) c = strcmp(a->a->lower, b->a->lower);
  if (c == 0) c = a->stmt < b->stmt ? -1 : a->stmt > b->stmt;
  if (c == 0) c = a->pattern < b->pattern ? -1 : a->pattern > b->pattern;
  return c;
}

/* ---- patterns outside the catalog ---------------------------------------------------- */

/* Whether the old statement's action part lets every action of the pattern
** (action codes c[0..n)) through: 1, 0, IAM_ENOMEM. */
static int admits_pattern(const IamStatement *st, const IamGlobCode *c, uint32_t n) {
  for (uint32_t i = 0; i < st->nact; i++) {
    const char *t = st->act_text[i];
    size_t tn = strlen(t);
    IamGlobCode stack[256], *q = tn <= 256 ? stack : iam_malloc(tn * sizeof *q);
    if (q == NULL) return IAM_ENOMEM;
    iam_glob_codes_action(q, t, tn);
    int r = st->not_action ? iam_glob_overlaps(q, (uint32_t)tn, c, n, NULL)
                           : iam_glob_covers(q, (uint32_t)tn, c, n, NULL);
    if (q != stack) iam_free(q);
    if (r < 0 && r != IAM_COVER_UNKNOWN) return r;
    if (st->not_action && r != 0) return 0; /* an exclusion may meet the pattern */
    if (!st->not_action && r == 1) return 1;
  }
  return st->not_action;
}

/* A pattern of a new Allow statement (pi >= 0), or its whole NotAction
** (pi = -1), compared at the level of patterns: a row unless some old Allow
** surely grants all of it on the same resources and no old Deny may touch it. */
static int judge_pattern(Ctx *x, uint32_t stmt, int32_t pi) {
  const SInfo *n = &x->new.s[stmt];
  const IamStatement *st = n->st;
  const char *s = pi >= 0 ? st->act_text[pi] : NULL;
  size_t sn = s ? strlen(s) : 0;
  IamGlobCode stack[256], *codes = sn <= 256 ? stack : iam_malloc(sn * sizeof *codes);
  int rc = IAM_OK;
  if (codes == NULL) return IAM_ENOMEM;
  if (s) iam_glob_codes_action(codes, s, sn);
  int items = st->any_resource || st->not_resource ? 1 : (int)st->nres;
  IamNewAccess row;
  memset(&row, 0, sizeof row);
  int have = 0;
  for (int i = 0; i < items && rc == IAM_OK; i++) {
    int item = st->any_resource ? ITEM_ANY : st->not_resource ? ITEM_NOTRES : i;
    int allowed = x->old.implicit_all, old_any = allowed, conditional = st->ncond > 0;
    for (uint32_t k = 0; k < x->old.n && !allowed && rc == IAM_OK; k++) {
      const SInfo *o = &x->old.s[k];
      if (!o->grants) continue;
      int a;
      if (s) {
        a = admits_pattern(o->st, codes, (uint32_t)sn);
      } else { /* NotAction: what o leaves out, n leaves out too */
        a = !o->st->not_action ? 0 : 1;
        for (uint32_t j = 0; a == 1 && j < o->st->nact; j++) {
          int ok = 0;
          for (uint32_t q = 0; q < st->nact && !ok; q++) {
            IamGlobCode cq[256], cj[256];
            size_t lq = strlen(st->act_text[q]), lj = strlen(o->st->act_text[j]);
            if (lq > 256 || lj > 256) continue;
            iam_glob_codes_action(cq, st->act_text[q], lq);
            iam_glob_codes_action(cj, o->st->act_text[j], lj);
            ok = iam_glob_covers(cq, (uint32_t)lq, cj, (uint32_t)lj, &x->work) == 1;
          }
          a = ok;
        }
        if (!o->st->not_action)
          for (uint32_t j = 0; j < o->st->nact && !a; j++) a = !strcmp(o->st->act_text[j], "*");
      }
      if (a < 0) {
        rc = a;
        break;
      }
      if (!a) continue;
      old_any = 1;
      x->work += 1;
      int c = resources_cover(o, n, item, &x->work);
      if (c >= 0 && x->work > x->work_limit) c = IAM_EWORK;
      if (c < 0) {
        rc = c;
        break;
      }
      if (!c) continue;
      if (!principal_covers(o, n) || (o->st->ncond && strcmp(o->cond, n->cond) != 0)) {
        conditional = 1;
        continue;
      }
      allowed = 1;
    }
    /* any old Deny may touch an action outside the catalog: it must be in the new one too */
    for (uint32_t k = 0; allowed && k < x->old.n; k++) {
      const SInfo *d = &x->old.s[k];
      if (d->st->effect != IAM_EFFECT_DENY) continue;
      int same = 0;
      for (uint32_t j = 0; j < x->new.n && !same; j++)
        same = x->new.s[j].st->effect == IAM_EFFECT_DENY && !strcmp(x->new.s[j].sig, d->sig);
      if (!same) allowed = 0, conditional = 1;
    }
    if (rc != IAM_OK || allowed || (have && row.conditional <= conditional)) continue;
    row.stmt = stmt;
    row.pattern = s;
    row.kind = IAM_NEW_PATTERN;
    row.conditional = (uint8_t)conditional;
    (void)old_any;
    row.not_resource = item == ITEM_NOTRES;
    row.resource = item >= 0 ? st->res[item].text : NULL;
    if (item == ITEM_NOTRES && (row.resource = not_resource_json(x, st)) == NULL) rc = IAM_ENOMEM;
    have = 1;
  }
  if (codes != stack) iam_free(codes);
  if (rc == IAM_OK && have) rc = add_row(x, &row);
  return rc;
}

/* ---- all of it ----------------------------------------------------------------------- */

int iam_new_access(const IamPolicy *old_p, const IamPolicy *new_p, int set, const IamCatalog *cat,
                   IamNewAccessList **out) {
  return iam_new_access_limited(old_p, new_p, set, cat, 0, out);
}

int iam_new_access_limited(const IamPolicy *old_p, const IamPolicy *new_p, int set,
                           const IamCatalog *cat, uint64_t work_limit, IamNewAccessList **out) {
  Ctx x;
  int rc;
  memset(&x, 0, sizeof x);
  x.work_limit = work_limit ? work_limit : IAM_NEW_ACCESS_WORK_LIMIT;
  *out = NULL;
  x.cat = cat;
  x.out = iam_malloc(sizeof *x.out);
  if (x.out == NULL) return IAM_ENOMEM;
  memset(x.out, 0, sizeof *x.out);
  if ((rc = side_init(&x.old, old_p, set)) != IAM_OK ||
      (rc = side_init(&x.new, new_p, set)) != IAM_OK)
    goto done;
  x.all_st.effect = IAM_EFFECT_ALLOW;
  x.all_st.not_action = 1; /* NotAction []: every action */
  x.all_st.any_resource = 1;
  x.all.st = &x.all_st;
  x.all.cond = x.all.sig = (char *)(uintptr_t) "";
  x.all.grants = 1;
  /* the index of the old policy's Allow statements by action */
  for (uint32_t k = 0; cat && k < x.old.n && rc == IAM_OK; k++) {
    const SInfo *s = &x.old.s[k];
    if (!s->grants) continue;
    if (s->st->not_action) {
      uint32_t *v = iam_realloc(x.old_not, ((size_t)x.nold_not + 1) * sizeof *v);
      if (v == NULL) {
        rc = IAM_ENOMEM;
        break;
      }
      x.old_not = v;
      x.old_not[x.nold_not++] = k;
      continue;
    }
    for (uint32_t i = 0; i < s->st->nact && rc == IAM_OK; i++)
      if (expand_pattern(&x, &x.old, k, (int32_t)i, &x.old_recs) < 0) rc = IAM_ENOMEM;
  }
  if (rc != IAM_OK) goto done;
  if (x.old_recs.n > 1) qsort(x.old_recs.v, x.old_recs.n, sizeof *x.old_recs.v, cmp_rec_action);
  /* the grants of the new policy: catalog actions, and patterns outside it */
  if (cat && x.new.implicit_all && (rc = expand_all(&x, UINT32_MAX, 1)) != IAM_OK) goto done;
  for (uint32_t k = 0; k < x.new.n &&rc == IAM_OK; k++) {
    const SInfo *s = &x.new.s[k];
    if (!s->grants) continue;
    if (s->st->not_action) {
      rc = cat ? expand_all(&x, k, 0) : judge_pattern(&x, k, -1);
      continue;
    }
    for (uint32_t i = 0; i < s->st->nact && rc == IAM_OK; i++) {
      long m = cat ? expand_pattern(&x, &x.new, k, (int32_t)i, &x.recs) : 0;
      if (m < 0)
        rc = IAM_ENOMEM;
      else if (m == 0)
        rc = judge_pattern(&x, k, (int32_t)i);
    }
  }
  if (rc != IAM_OK) goto done;
  if (x.recs.n > 1) qsort(x.recs.v, x.recs.n, sizeof *x.recs.v, cmp_rec);
  /* one row per action: its first grant that is not covered */
  char text[512];
  const Rec *recs = x.recs.v;
  for (uint32_t i = 0; i < x.recs.n && rc == IAM_OK;) {
    const Rec *r = &recs[i];
    uint32_t j = i;
    while (j < x.recs.n && recs[j].a == r->a) j++;
    size_t pl = strlen(r->svc->prefix), tn = pl + 1 + r->a->lower_len;
    IamNewAccess best;
    int have = 0;
    for (uint32_t k = i; k < j && rc == IAM_OK && tn < sizeof text; k++) {
      if (k > i && recs[k].stmt == recs[k - 1].stmt) continue; /* one pass per statement */
      memcpy(text, r->svc->prefix, pl);
      text[pl] = ':';
      memcpy(text + pl + 1, r->a->lower, r->a->lower_len);
      text[tn] = 0;
      IamNewAccess cand;
      memset(&cand, 0, sizeof cand);
      int f = first_uncovered(&x, text, tn, r->a, recs[k].stmt, &cand);
      if (f < 0) {
        rc = f;
        break;
      }
      if (f == 0 || (have && best.conditional <= cand.conditional)) continue;
      best = cand;
      best.pattern =
          recs[k].pattern >= 0 ? stmt_info(&x, recs[k].stmt)->st->act_text[recs[k].pattern] : NULL;
      have = 1;
      if (!best.conditional) break;
    }
    if (rc == IAM_OK && have) {
      best.svc = r->svc;
      best.action = r->a;
      rc = add_row(&x, &best);
    }
    i = j;
  }
done:
  side_free(&x.old);
  side_free(&x.new);
  iam_free(x.recs.v);
  iam_free(x.old_recs.v);
  iam_free(x.old_not);
  iam_free(x.memo_key);
  iam_free(x.memo_val);
  if (rc != IAM_OK) {
    iam_new_access_free(x.out);
    return rc;
  }
  *out = x.out;
  return IAM_OK;
}

uint32_t iam_new_access_count(const IamNewAccessList *l) { return l->n; }

const IamNewAccess *iam_new_access_row(const IamNewAccessList *l, uint32_t i) { return &l->v[i]; }

void iam_new_access_free(IamNewAccessList *l) {
  if (l == NULL) return;
  for (uint32_t i = 0; i < l->ntexts; i++) iam_free(l->texts[i]);
  iam_free(l->texts);
  iam_free(l->v);
  iam_free(l);
}
