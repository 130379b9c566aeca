/* SPDX-License-Identifier: MIT */
/* Reading the action catalog and the lint lists with SQL, for the core's
** IamCatalog and IamLintLists (iam_catalog_glue.h). Every string and array is
** kept in one pool freed by iam_glue_catalog_close. A read that fails for
** another reason than memory (a busy or broken database) is remembered and
** reported by the caller as an SQL error: never a lint that silently lacks
** the catalog. */
#include "iam_catalog_glue.h"

#include <stdlib.h>
#include <string.h>

#include "iam_text.h"

#define POOL_CHUNK (64 * 1024)

typedef struct PoolChunk {
  struct PoolChunk *next;
  size_t used, cap;
  /* data follows, 16-byte aligned */
} PoolChunk;

/* The catalog's queries, in the order of the tables they need. */
enum { Q_SERVICES = 0, Q_SERVICE, Q_ACTIONS, Q_RTYPES, Q_ACTION_RTYPES, Q_KEYS, Q_ACTION_KEYS, NQ };
static const struct {
  const char *table, *sql;
} queries[NQ] = {
    {"service", "SELECT lower(service) FROM service ORDER BY 1"},
    {"service", "SELECT 1 FROM service WHERE service = ?1"},
    {"action", "SELECT name, access_level FROM action WHERE service = ?1"},
    {"resource_type", "SELECT name, arn_pattern FROM resource_type WHERE service = ?1"},
    {"action_resource_type",
     "SELECT action, resource_type FROM action_resource_type WHERE service = ?1"},
    {"condition_key", "SELECT name, type FROM condition_key WHERE service = ?1"},
    {"action_condition_key",
     "SELECT action, condition_key FROM action_condition_key WHERE service = ?1"},
};

typedef struct SvcSlot {
  char *prefix;             /* NULL: empty slot */
  const IamCatService *svc; /* NULL: no such service */
} SvcSlot;

struct IamGlueCatalog {
  sqlite3 *db;
  PoolChunk *pool;
  int checked;         /* the tables were looked for */
  sqlite3_stmt *q[NQ]; /* prepared when the tables are there */
  char missing[200];   /* tables not found */
  IamCatalog cat;
  SvcSlot *slots;
  uint32_t nslots, nused;
  const char **prefixes; /* every service, once read */
  uint32_t nprefixes;
  int lists_read;
  IamLintLists lists;
  int err;       /* the SQLite error of a failed read, or SQLITE_OK */
  char *err_msg; /* sqlite3_malloc'd */
};

static void *pool_alloc(IamGlueCatalog *c, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (c->pool == NULL || c->pool->used + n > c->pool->cap) {
    size_t cap = n > POOL_CHUNK ? n : POOL_CHUNK;
    size_t head = (sizeof(PoolChunk) + 15) & ~(size_t)15;
    PoolChunk *k = sqlite3_malloc64(head + cap);
    if (k == NULL) return NULL;
    k->next = c->pool;
    k->used = 0;
    k->cap = cap;
    c->pool = k;
  }
  size_t head = (sizeof(PoolChunk) + 15) & ~(size_t)15;
  void *p = (char *)c->pool + head + c->pool->used;
  c->pool->used += n;
  memset(p, 0, n);
  return p;
}

static char *pool_strdup(IamGlueCatalog *c, const unsigned char *s, int n) {
  if (s == NULL) s = (const unsigned char *)"", n = 0;
  char *d = pool_alloc(c, (size_t)n + 1);
  if (d == NULL) return NULL;
  memcpy(d, s, (size_t)n);
  d[n] = 0;
  return d;
}

static char *pool_lower(IamGlueCatalog *c, const unsigned char *s, int n) {
  char *d = pool_strdup(c, s, n);
  if (d) iam_ascii_lower(d, d, (size_t)n);
  return d;
}

/* Remember a failed step (other than out of memory) for the caller. */
static int read_failed(IamGlueCatalog *c, int rc) {
  if (rc == SQLITE_NOMEM) return IAM_ENOMEM;
  if (c->err == SQLITE_OK) {
    c->err = rc;
    sqlite3_free(c->err_msg);
    c->err_msg = sqlite3_mprintf("reading the action catalog: %s", sqlite3_errmsg(c->db));
  }
  return IAM_ENOMEM;
}

/* ---- one service -------------------------------------------------------------------- */

typedef struct Named {
  const char *lower;
  uint32_t idx;
} Named;

static int cmp_named(const void *a, const void *b) {
  return strcmp(((const Named *)a)->lower, ((const Named *)b)->lower);
}

static int cmp_action(const void *a, const void *b) {
  return strcmp(((const IamCatAction *)a)->lower, ((const IamCatAction *)b)->lower);
}

/* Index of lower name s in the sorted v[0..n), or -1. */
static long find_named(const Named *v, uint32_t n, const char *s) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int k = strcmp(v[mid].lower, s);
    if (k == 0) return (long)v[mid].idx;
    if (k < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

static long find_action(const IamCatAction *v, uint32_t n, const char *s) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int k = strcmp(v[mid].lower, s);
    if (k == 0) return (long)mid;
    if (k < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

typedef struct Pair {
  uint32_t a, b;
} Pair;

static int cmp_pair(const void *x, const void *y) {
  const Pair *p = x, *q = y;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  return p->b < q->b ? -1 : p->b > q->b;
}

/* Rows of a two-column query for the service into growable arrays. */
typedef struct Rows {
  unsigned char **a, **b;
  int *na, *nb;
  uint32_t n, cap;
} Rows;

static void rows_free(Rows *r) {
  for (uint32_t i = 0; i < r->n; i++) {
    sqlite3_free(r->a[i]);
    sqlite3_free(r->b[i]);
  }
  sqlite3_free(r->a);
  sqlite3_free(r->b);
  sqlite3_free(r->na);
  sqlite3_free(r->nb);
  memset(r, 0, sizeof *r);
}

static unsigned char *dup_col(sqlite3_stmt *q, int col, int *n) {
  const unsigned char *s = sqlite3_column_text(q, col);
  *n = sqlite3_column_bytes(q, col);
  unsigned char *d = sqlite3_malloc64((sqlite3_uint64)*n + 1);
  if (d == NULL) return NULL;
  if (s) memcpy(d, s, (size_t)*n);
  d[*n] = 0;
  return d;
}

static int read_rows(IamGlueCatalog *c, int qi, const char *prefix, Rows *r) {
  sqlite3_stmt *q = c->q[qi];
  int rc;
  memset(r, 0, sizeof *r);
  sqlite3_reset(q);
  if (sqlite3_bind_text(q, 1, prefix, -1, SQLITE_STATIC) != SQLITE_OK) return IAM_ENOMEM;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (r->n == r->cap) {
      uint32_t cap = r->cap ? 2 * r->cap : 64;
      void *a = sqlite3_realloc64(r->a, cap * sizeof *r->a);
      if (a) r->a = a;
      void *b = sqlite3_realloc64(r->b, cap * sizeof *r->b);
      if (b) r->b = b;
      void *na = sqlite3_realloc64(r->na, cap * sizeof *r->na);
      if (na) r->na = na;
      void *nb = sqlite3_realloc64(r->nb, cap * sizeof *r->nb);
      if (nb) r->nb = nb;
      if (!a || !b || !na || !nb) {
        sqlite3_reset(q);
        return IAM_ENOMEM;
      }
      r->cap = cap;
    }
    unsigned char *x = dup_col(q, 0, &r->na[r->n]), *y = dup_col(q, 1, &r->nb[r->n]);
    if (x == NULL || y == NULL) {
      sqlite3_free(x);
      sqlite3_free(y);
      sqlite3_reset(q);
      return IAM_ENOMEM;
    }
    r->a[r->n] = x;
    r->b[r->n++] = y;
  }
  sqlite3_reset(q);
  sqlite3_clear_bindings(q);
  return rc == SQLITE_DONE ? IAM_OK : read_failed(c, rc);
}

/* Per-action slices of (action index, other index) pairs into an action field. */
static int slices(IamGlueCatalog *c, IamCatAction *acts, uint32_t nacts, Pair *p, uint32_t np,
                  int keys) {
  qsort(p, np, sizeof *p, cmp_pair);
  uint32_t *all = pool_alloc(c, ((size_t)np + 1) * sizeof *all), k = 0;
  if (all == NULL) return IAM_ENOMEM;
  for (uint32_t i = 0; i < np;) {
    uint32_t a = p[i].a, first = k;
    for (; i < np && p[i].a == a; i++)
      if (k == first || all[k - 1] != p[i].b) all[k++] = p[i].b; /* sorted: drop repeats */
    if (a >= nacts) continue;
    if (keys) {
      acts[a].keys = all + first;
      acts[a].nkeys = k - first;
    } else {
      acts[a].rtypes = all + first;
      acts[a].nrtypes = k - first;
    }
  }
  return IAM_OK;
}

/* Pairs (action, name) of rows, the names found in v[0..nv). */
static int pairs_of(const Rows *r, const IamCatAction *acts, uint32_t nacts, const Named *v,
                    uint32_t nv, Pair **out, uint32_t *np) {
  Pair *p = sqlite3_malloc64(((sqlite3_uint64)r->n + 1) * sizeof *p);
  uint32_t n = 0;
  if (p == NULL) return IAM_ENOMEM;
  for (uint32_t i = 0; i < r->n; i++) {
    char *a = (char *)r->a[i], *b = (char *)r->b[i]; /* lower-cased in place */
    iam_ascii_lower(a, a, (size_t)r->na[i]);
    iam_ascii_lower(b, b, (size_t)r->nb[i]);
    long ai = find_action(acts, nacts, a), bi = find_named(v, nv, b);
    if (ai >= 0 && bi >= 0) p[n].a = (uint32_t)ai, p[n++].b = (uint32_t)bi;
  }
  *out = p;
  *np = n;
  return IAM_OK;
}

static int load_service(IamGlueCatalog *c, const char *prefix, const IamCatService **out) {
  sqlite3_stmt *q = c->q[Q_SERVICE];
  int rc;
  *out = NULL;
  sqlite3_reset(q);
  if (sqlite3_bind_text(q, 1, prefix, -1, SQLITE_STATIC) != SQLITE_OK) return IAM_ENOMEM;
  rc = sqlite3_step(q);
  sqlite3_reset(q);
  sqlite3_clear_bindings(q);
  if (rc == SQLITE_DONE) return IAM_OK; /* no such service */
  if (rc != SQLITE_ROW) return read_failed(c, rc);

  IamCatService *svc = pool_alloc(c, sizeof *svc);
  Rows ra, rr, rk, rar, rak;
  Named *rnames = NULL, *knames = NULL;
  Pair *pr = NULL, *pk = NULL;
  uint32_t npr = 0, npk = 0;
  memset(&ra, 0, sizeof ra), memset(&rr, 0, sizeof rr), memset(&rk, 0, sizeof rk);
  memset(&rar, 0, sizeof rar), memset(&rak, 0, sizeof rak);
  rc = svc ? IAM_OK : IAM_ENOMEM;
  if (rc == IAM_OK) rc = read_rows(c, Q_ACTIONS, prefix, &ra);
  if (rc == IAM_OK) rc = read_rows(c, Q_RTYPES, prefix, &rr);
  if (rc == IAM_OK) rc = read_rows(c, Q_KEYS, prefix, &rk);
  if (rc == IAM_OK) rc = read_rows(c, Q_ACTION_RTYPES, prefix, &rar);
  if (rc == IAM_OK) rc = read_rows(c, Q_ACTION_KEYS, prefix, &rak);
  if (rc != IAM_OK) goto done;
  /* the service, its actions sorted by lower-case name */
  svc->prefix = pool_strdup(c, (const unsigned char *)prefix, (int)strlen(prefix));
  IamCatAction *acts = pool_alloc(c, ((size_t)ra.n + 1) * sizeof *acts);
  if (svc->prefix == NULL || acts == NULL) goto oom;
  for (uint32_t i = 0; i < ra.n; i++) {
    acts[i].name = pool_strdup(c, ra.a[i], ra.na[i]);
    acts[i].lower = pool_lower(c, ra.a[i], ra.na[i]);
    acts[i].lower_len = (uint32_t)ra.na[i];
    acts[i].access = (uint8_t)iam_access_level_parse((const char *)ra.b[i], (size_t)ra.nb[i]);
    if (acts[i].name == NULL || acts[i].lower == NULL) goto oom;
  }
  qsort(acts, ra.n, sizeof *acts, cmp_action);
  svc->actions = acts;
  svc->nactions = ra.n;
  /* resource types */
  const char **arn = pool_alloc(c, ((size_t)rr.n + 1) * sizeof *arn);
  rnames = sqlite3_malloc64(((sqlite3_uint64)rr.n + 1) * sizeof *rnames);
  if (arn == NULL || rnames == NULL) goto oom;
  for (uint32_t i = 0; i < rr.n; i++) {
    arn[i] = pool_strdup(c, rr.b[i], rr.nb[i]);
    rnames[i].lower = pool_lower(c, rr.a[i], rr.na[i]);
    rnames[i].idx = i;
    if (arn[i] == NULL || rnames[i].lower == NULL) goto oom;
  }
  qsort(rnames, rr.n, sizeof *rnames, cmp_named);
  svc->arn = arn;
  svc->narn = rr.n;
  /* condition keys */
  IamCatKey *keys = pool_alloc(c, ((size_t)rk.n + 1) * sizeof *keys);
  knames = sqlite3_malloc64(((sqlite3_uint64)rk.n + 1) * sizeof *knames);
  if (keys == NULL || knames == NULL) goto oom;
  for (uint32_t i = 0; i < rk.n; i++) {
    int multi;
    keys[i].name = pool_strdup(c, rk.a[i], rk.na[i]);
    keys[i].type = (uint8_t)iam_key_type_parse((const char *)rk.b[i], (size_t)rk.nb[i], &multi);
    keys[i].multi = (uint8_t)multi;
    knames[i].lower = pool_lower(c, rk.a[i], rk.na[i]);
    knames[i].idx = i;
    if (keys[i].name == NULL || knames[i].lower == NULL) goto oom;
  }
  qsort(knames, rk.n, sizeof *knames, cmp_named);
  svc->keys = keys;
  svc->nkeys = rk.n;
  /* which action has which resource types and keys */
  if (pairs_of(&rar, acts, ra.n, rnames, rr.n, &pr, &npr) != IAM_OK ||
      pairs_of(&rak, acts, ra.n, knames, rk.n, &pk, &npk) != IAM_OK ||
      slices(c, acts, ra.n, pr, npr, 0) != IAM_OK || slices(c, acts, ra.n, pk, npk, 1) != IAM_OK)
    goto oom;
  *out = svc;
  goto done;
oom:
  rc = IAM_ENOMEM;
done:
  rows_free(&ra), rows_free(&rr), rows_free(&rk), rows_free(&rar), rows_free(&rak);
  sqlite3_free(rnames);
  sqlite3_free(knames);
  sqlite3_free(pr);
  sqlite3_free(pk);
  return rc;
}

/* ---- the callbacks -------------------------------------------------------------------- */

static uint32_t hash_text(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static int cat_service(void *arg, const char *prefix, size_t n, const IamCatService **out) {
  IamGlueCatalog *c = arg;
  char key[128];
  if (n >= sizeof key) return 0;
  memcpy(key, prefix, n);
  key[n] = 0;
  if (c->nused * 2 >= c->nslots) { /* grow */
    uint32_t ns = c->nslots ? 2 * c->nslots : 64;
    SvcSlot *s = sqlite3_malloc64(ns * sizeof *s);
    if (s == NULL) return IAM_ENOMEM;
    memset(s, 0, ns * sizeof *s);
    for (uint32_t i = 0; i < c->nslots; i++) {
      if (c->slots[i].prefix == NULL) continue;
      uint32_t h = hash_text(c->slots[i].prefix) & (ns - 1);
      while (s[h].prefix) h = (h + 1) & (ns - 1);
      s[h] = c->slots[i];
    }
    sqlite3_free(c->slots);
    c->slots = s;
    c->nslots = ns;
  }
  uint32_t h = hash_text(key) & (c->nslots - 1);
  for (; c->slots[h].prefix; h = (h + 1) & (c->nslots - 1)) {
    if (strcmp(c->slots[h].prefix, key) == 0) {
      *out = c->slots[h].svc;
      return *out != NULL;
    }
  }
  const IamCatService *svc;
  if (load_service(c, key, &svc) != IAM_OK) return IAM_ENOMEM;
  char *p = pool_strdup(c, (const unsigned char *)key, (int)n);
  if (p == NULL) return IAM_ENOMEM;
  c->slots[h].prefix = p;
  c->slots[h].svc = svc;
  c->nused++;
  *out = svc;
  return svc != NULL;
}

static int cat_services(void *arg, const char *const **out, uint32_t *n) {
  IamGlueCatalog *c = arg;
  if (c->prefixes == NULL) {
    sqlite3_stmt *q = c->q[Q_SERVICES];
    uint32_t cap = 512, k = 0;
    const char **v = pool_alloc(c, cap * sizeof *v);
    int rc;
    if (v == NULL) return IAM_ENOMEM;
    sqlite3_reset(q);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
      if (k == cap) {
        const char **w = pool_alloc(c, 2 * cap * sizeof *w);
        if (w == NULL) {
          sqlite3_reset(q);
          return IAM_ENOMEM;
        }
        memcpy(w, v, cap * sizeof *v);
        v = w;
        cap *= 2;
      }
      if ((v[k++] = pool_strdup(c, sqlite3_column_text(q, 0), sqlite3_column_bytes(q, 0))) ==
          NULL) {
        sqlite3_reset(q);
        return IAM_ENOMEM;
      }
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) return read_failed(c, rc);
    c->prefixes = v;
    c->nprefixes = k;
  }
  *out = c->prefixes;
  *n = c->nprefixes;
  return IAM_OK;
}

/* ---- opening -------------------------------------------------------------------------- */

IamGlueCatalog *iam_glue_catalog_open(sqlite3 *db) {
  IamGlueCatalog *c = sqlite3_malloc64(sizeof *c);
  if (c == NULL) return NULL;
  memset(c, 0, sizeof *c);
  c->db = db;
  c->cat.arg = c;
  c->cat.service = cat_service;
  c->cat.services = cat_services;
  return c;
}

void iam_glue_catalog_close(IamGlueCatalog *c) {
  if (c == NULL) return;
  for (int i = 0; i < NQ; i++) sqlite3_finalize(c->q[i]);
  while (c->pool) {
    PoolChunk *k = c->pool;
    c->pool = k->next;
    sqlite3_free(k);
  }
  sqlite3_free(c->slots);
  sqlite3_free(c->err_msg);
  sqlite3_free(c);
}

/* Prepare sql; SQLITE_OK, SQLITE_NOMEM, or SQLITE_ERROR when it cannot be
** prepared (a table or column that is not there). */
static int prepare(IamGlueCatalog *c, const char *sql, sqlite3_stmt **q) {
  int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, q, NULL);
  if (rc == SQLITE_NOMEM) return SQLITE_NOMEM;
  return rc == SQLITE_OK ? SQLITE_OK : SQLITE_ERROR;
}

int iam_glue_catalog_get(IamGlueCatalog *c, const IamCatalog **out, const char **missing) {
  *out = NULL;
  *missing = NULL;
  if (!c->checked) {
    size_t k = 0;
    for (int i = 0; i < NQ; i++) {
      int rc = prepare(c, queries[i].sql, &c->q[i]);
      if (rc == SQLITE_NOMEM) return SQLITE_NOMEM;
      if (rc != SQLITE_OK && i == Q_SERVICES) { /* no catalog at all: do not look further */
        sqlite3_snprintf((int)sizeof c->missing, c->missing,
                         "service, action, resource_type, action_resource_type, condition_key, "
                         "action_condition_key");
        break;
      }
      if (rc != SQLITE_OK && !strstr(c->missing, queries[i].table) && k < sizeof c->missing) {
        sqlite3_snprintf((int)(sizeof c->missing - k), c->missing + k, "%s%s", k ? ", " : "",
                         queries[i].table);
        k = strlen(c->missing);
      }
    }
    c->checked = 1;
  }
  if (c->missing[0]) {
    *missing = c->missing;
    return SQLITE_OK;
  }
  *out = &c->cat;
  return SQLITE_OK;
}

/* ---- the lint lists ------------------------------------------------------------------- */

/* All rows of a query with ncol text columns into pooled arrays; -1 when the
** query cannot be prepared (the table is not there). */
static int read_list(IamGlueCatalog *c, const char *sql, int ncol, const char **cols[3],
                     uint32_t *n) {
  sqlite3_stmt *q;
  int rc = prepare(c, sql, &q);
  *n = 0;
  if (rc == SQLITE_NOMEM) return SQLITE_NOMEM;
  if (rc != SQLITE_OK) return -1;
  uint32_t cap = 0;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (*n == cap) {
      uint32_t nc = cap ? 2 * cap : 64;
      for (int k = 0; k < ncol; k++) {
        const char **w = pool_alloc(c, nc * sizeof *w);
        if (w == NULL) {
          sqlite3_finalize(q);
          return SQLITE_NOMEM;
        }
        if (cap) memcpy(w, cols[k], cap * sizeof *w);
        cols[k] = w;
      }
      cap = nc;
    }
    for (int k = 0; k < ncol; k++)
      if ((cols[k][*n] = pool_strdup(c, sqlite3_column_text(q, k), sqlite3_column_bytes(q, k))) ==
          NULL) {
        sqlite3_finalize(q);
        return SQLITE_NOMEM;
      }
    (*n)++;
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) {
    read_failed(c, rc);
    return c->err ? c->err : rc;
  }
  if (cap == 0)
    for (int k = 0; k < ncol; k++)
      if ((cols[k] = pool_alloc(c, sizeof *cols[k])) == NULL) return SQLITE_NOMEM;
  return SQLITE_OK;
}

int iam_glue_catalog_lists(IamGlueCatalog *c, const IamLintLists **out) {
  IamLintLists *ls = &c->lists;
  *out = ls;
  if (c->lists_read) return SQLITE_OK;
  const char **cols[3];
  uint32_t n;
  int rc;
  sqlite3_stmt *meta;
  /* sql/lint/tables.sql makes lint_meta with the lists: without it, none is there */
  if ((rc = prepare(c, "SELECT 1 FROM lint_meta", &meta)) == SQLITE_NOMEM) return rc;
  sqlite3_finalize(meta);
  if (rc != SQLITE_OK) {
    c->lists_read = 1;
    return SQLITE_OK;
  }
  /* global condition keys */
  rc = read_list(c, "SELECT name, type FROM lint_global_condition_key ORDER BY name", 2, cols, &n);
  if (rc > 0) return rc;
  if (rc == SQLITE_OK) {
    IamCatKey *k = pool_alloc(c, ((size_t)n + 1) * sizeof *k);
    if (k == NULL) return SQLITE_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
      int multi;
      k[i].name = cols[0][i];
      k[i].type = (uint8_t)iam_key_type_parse(cols[1][i], strlen(cols[1][i]), &multi);
      k[i].multi = (uint8_t)multi;
    }
    ls->global_keys = k;
    ls->nglobal_keys = n;
    ls->has_global_keys = 1;
  }
  /* escalation rules: rows (rule, action) grouped by rule */
  rc = read_list(
      c,
      "SELECT a.rule, a.action FROM lint_escalation_action AS a JOIN lint_escalation_rule AS r "
      "ON r.name = a.rule ORDER BY a.rule, a.step",
      2, cols, &n);
  if (rc > 0) return rc;
  if (rc == SQLITE_OK) {
    IamLintRule *r = pool_alloc(c, ((size_t)n + 1) * sizeof *r);
    uint32_t nr = 0;
    if (r == NULL) return SQLITE_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
      if (nr == 0 || strcmp(r[nr - 1].name, cols[0][i]) != 0) {
        r[nr].name = cols[0][i];
        r[nr].actions = &cols[1][i];
        nr++;
      }
      r[nr - 1].nactions++;
    }
    ls->escalation = r;
    ls->nescalation = nr;
    ls->has_escalation = 1;
  }
  rc = read_list(c, "SELECT action FROM lint_credentials_action ORDER BY action", 1, cols, &n);
  if (rc > 0) return rc;
  if (rc == SQLITE_OK) ls->credentials = cols[0], ls->ncredentials = n, ls->has_credentials = 1;
  rc = read_list(c, "SELECT action, resource FROM lint_sensitive_access ORDER BY action, resource",
                 2, cols, &n);
  if (rc > 0) return rc;
  if (rc == SQLITE_OK)
    ls->sensitive_action = cols[0], ls->sensitive_resource = cols[1], ls->nsensitive = n,
    ls->has_sensitive = 1;
  rc = read_list(c, "SELECT action FROM lint_resource_policy_action ORDER BY action", 1, cols, &n);
  if (rc > 0) return rc;
  if (rc == SQLITE_OK)
    ls->resource_policy = cols[0], ls->nresource_policy = n, ls->has_resource_policy = 1;
  rc = read_list(c,
                 "SELECT condition_key, paired_key FROM lint_paired_condition_key "
                 "ORDER BY condition_key, paired_key",
                 2, cols, &n);
  if (rc > 0) return rc;
  if (rc == SQLITE_OK)
    ls->paired_key = cols[0], ls->paired_with = cols[1], ls->npaired = n, ls->has_paired = 1;
  c->lists_read = 1;
  return SQLITE_OK;
}

int iam_glue_catalog_error(IamGlueCatalog *c, const char **msg) {
  *msg = c->err_msg ? c->err_msg : "reading the action catalog failed";
  return c->err;
}
