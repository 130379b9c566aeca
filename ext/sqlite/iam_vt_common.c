/* SPDX-License-Identifier: MIT */
/* Plumbing shared by the table-valued functions: connect, the query plan for
** the hidden argument columns, argument copying and policy lookup in xFilter,
** and text results. See iam_vt.h. */
#include <stdarg.h>
#include <string.h>

#include "iam_json.h"
#include "iam_vt.h"

void iam_vtab_error(sqlite3_vtab *tab, const char *fmt, ...) {
  va_list ap;
  sqlite3_free(tab->zErrMsg);
  va_start(ap, fmt);
  tab->zErrMsg = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
}

int iam_vt_connect(sqlite3 *db, void *pAux, const IamVtDef *def, sqlite3_vtab **ppVtab) {
  IamVtab *tab;
  int rc;
  *ppVtab = NULL;
  rc = sqlite3_declare_vtab(db, def->schema);
  if (rc != SQLITE_OK) return rc;
  tab = sqlite3_malloc64(sizeof *tab);
  if (tab == NULL) return SQLITE_NOMEM;
  memset(tab, 0, sizeof *tab);
  tab->conn = pAux;
  tab->db = db;
  tab->def = def;
  /* pure functions of their arguments: no files, no side effects */
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  *ppVtab = &tab->base;
  return SQLITE_OK;
}

int iam_vt_disconnect(sqlite3_vtab *tab) {
  sqlite3_free(tab);
  return SQLITE_OK;
}

/*
** The plan. Every hidden argument column with a usable EQ constraint is
** passed to xFilter, in argument order; nothing else is (constraints on the
** visible columns are left to SQLite, which checks each row).
**
**   idxNum bit i   argument i (column ncol+i) has a value in xFilter's argv
**
** A required argument whose EQ constraint is not usable in this plan makes the
** plan impossible (SQLITE_CONSTRAINT: SQLite tries another join order). A
** plan without any EQ constraint on a required argument gets a prohibitive
** cost, so that SQLite takes one with it whenever the query has one, and
** xFilter raises "missing ... argument" if it is ever run. (SQLite also asks
** about partial plans, such as one term of an OR in WHERE, that lack the
** argument's constraint: an error here would fail such queries.)
*/
int iam_vt_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  const IamVtDef *def = ((IamVtab *)vtab)->def;
  int aIdx[IAM_VT_MAX_ARGS], usable = 0, unusable = 0, i, n = 0;
  const struct sqlite3_index_constraint *c = info->aConstraint;
  for (i = 0; i < def->nargs; i++) aIdx[i] = -1;
  for (i = 0; i < info->nConstraint; i++, c++) {
    int a = c->iColumn - def->ncol;
    if (a < 0 || a >= def->nargs || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c->usable) {
      unusable |= 1 << a;
    } else if (aIdx[a] < 0) {
      aIdx[a] = i;
      usable |= 1 << a;
    }
  }
  if (unusable & ~usable) return SQLITE_CONSTRAINT;
  int missing = 0;
  for (i = 0; i < def->nrequired; i++)
    if (!(usable & (1 << i))) missing = 1;
  for (i = 0; i < def->nargs; i++) {
    if (aIdx[i] < 0) continue;
    info->aConstraintUsage[aIdx[i]].argvIndex = ++n;
    info->aConstraintUsage[aIdx[i]].omit = 1;
  }
  info->idxNum = usable;
  info->estimatedCost = missing ? 1e300 : 10.0;
  info->estimatedRows = missing ? 2147483647 : 20;
  return SQLITE_OK;
}

int iam_vt_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **ppCursor) {
  const IamVtDef *def = ((IamVtab *)vtab)->def;
  IamVtCursor *cur = sqlite3_malloc64(def->cursor_size);
  if (cur == NULL) return SQLITE_NOMEM;
  memset(cur, 0, def->cursor_size);
  cur->eof = 1;
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static void cursor_reset(IamVtCursor *cur) {
  const IamVtDef *def = ((IamVtab *)cur->base.pVtab)->def;
  if (def->reset) def->reset(cur);
  if (cur->pe) iam_cache_entry_unref(cur->pe);
  cur->pe = NULL;
  cur->p = NULL;
  for (int i = 0; i < IAM_VT_MAX_ARGS; i++) {
    sqlite3_free(cur->arg[i]);
    cur->arg[i] = NULL;
    cur->arg_len[i] = 0;
  }
  cur->i = cur->j = cur->k = 0;
  cur->rowid = 0;
  cur->eof = 1;
}

int iam_vt_close(sqlite3_vtab_cursor *base) {
  IamVtCursor *cur = (IamVtCursor *)base;
  const IamVtDef *def = ((IamVtab *)cur->base.pVtab)->def;
  cursor_reset(cur);
  if (def->close) def->close(cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

int iam_vt_core_error(IamVtCursor *cur, int rc, const IamError *err) {
  const IamVtDef *def = ((IamVtab *)cur->base.pVtab)->def;
  if (rc == IAM_ENOMEM) return SQLITE_NOMEM;
  iam_vtab_error(cur->base.pVtab, "%s(): %s", def->name, err->msg);
  return SQLITE_ERROR;
}

int iam_vt_call_error(IamVtCursor *cur, sqlite3_context *ctx, int rc, const IamWork *w) {
  const IamVtDef *def = ((IamVtab *)cur->base.pVtab)->def;
  IamError err;
  if (ctx) iam_result_call_error(ctx, def->name, rc, w);
  if (rc == IAM_ENOMEM) return SQLITE_NOMEM;
  if (rc == IAM_EINTERRUPT) {
    if (!ctx) iam_vtab_error(cur->base.pVtab, "interrupted");
    return SQLITE_INTERRUPT;
  }
  if (!ctx) {
    iam_work_error(w, &err);
    iam_vtab_error(cur->base.pVtab, "%s(): %s", def->name, err.msg);
  }
  return SQLITE_ERROR;
}

/* The compiled policy for the text in arg[0], from the connection's cache (keyed
** by text and parse flags) or a fresh parse. */
int iam_vt_load_policy(IamVtCursor *cur) {
  IamVtab *tab = (IamVtab *)cur->base.pVtab;
  IamError err;
  int rc = iam_conn_policy(tab->conn, cur->arg[0], cur->arg_len[0],
                           iam_cache_hash(tab->conn->policies, cur->arg[0], cur->arg_len[0]),
                           tab->def->parse_flags, &cur->pe, &err);
  if (rc != IAM_OK) return iam_vt_core_error(cur, rc, &err);
  cur->p = iam_cache_entry_obj(cur->pe);
  return SQLITE_OK;
}

int iam_vt_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr, int argc,
                  sqlite3_value **argv) {
  IamVtCursor *cur = (IamVtCursor *)base;
  const IamVtDef *def = ((IamVtab *)base->pVtab)->def;
  int i, k = 0;
  (void)idxStr;
  cursor_reset(cur);
  for (i = 0; i < def->nrequired; i++) {
    if (!(idxNum & (1 << i))) {
      iam_vtab_error(base->pVtab, "%s(): missing %s argument", def->name, def->arg_names[i]);
      return SQLITE_ERROR;
    }
  }
  /* Copy the arguments, in order: NULL for a required one means no rows. */
  for (i = 0; i < def->nargs; i++) {
    if (!(idxNum & (1 << i))) continue;
    if (k >= argc) break;
    sqlite3_value *v = argv[k++];
    int t = sqlite3_value_type(v);
    if (t == SQLITE_NULL) {
      if (i < def->nrequired) goto no_rows;
      continue;
    }
    if (t != SQLITE_TEXT) {
      iam_vtab_error(base->pVtab, "%s(): %s must be text, not %s", def->name, def->arg_names[i],
                     iam_arg_type_name(t));
      return SQLITE_ERROR;
    }
    const unsigned char *s = sqlite3_value_text(v);
    size_t n = (size_t)sqlite3_value_bytes(v);
    if (s == NULL || (cur->arg[i] = sqlite3_malloc64(n + 1)) == NULL) return SQLITE_NOMEM;
    memcpy(cur->arg[i], s, n);
    cur->arg[i][n] = 0;
    cur->arg_len[i] = n;
  }
  if (cur->arg[0] == NULL) goto no_rows;
  int rc = def->load ? def->load(cur) : iam_vt_load_policy(cur);
  if (rc != SQLITE_OK) return rc;
  cur->eof = 0;
  return def->first(cur);
no_rows:
  cur->eof = 1;
  return SQLITE_OK;
}

int iam_vt_eof(sqlite3_vtab_cursor *base) { return ((IamVtCursor *)base)->eof; }

int iam_vt_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *pRowid) {
  *pRowid = ((IamVtCursor *)base)->rowid;
  return SQLITE_OK;
}

void iam_vt_column_arg(IamVtCursor *cur, sqlite3_context *ctx, int col) {
  const IamVtDef *def = ((IamVtab *)cur->base.pVtab)->def;
  int a = col - def->ncol;
  if (a >= 0 && a < def->nargs && cur->arg[a] != NULL)
    sqlite3_result_text(ctx, cur->arg[a], (int)cur->arg_len[a], SQLITE_TRANSIENT);
}

int iam_vt_get_ctx(IamVtCursor *cur, int ai, IamCacheEntry **e, const IamCtx **ctx) {
  IamVtab *tab = (IamVtab *)cur->base.pVtab;
  const char *s = cur->arg[ai];
  size_t n = cur->arg_len[ai];
  IamError err;
  *e = NULL;
  *ctx = iam_ctx_empty();
  if (s == NULL || iam_json_is_empty_object(s, n)) return SQLITE_OK;
  int rc = iam_conn_ctx(tab->conn, s, n, iam_cache_hash(tab->conn->contexts, s, n), e, &err);
  if (rc != IAM_OK) return iam_vt_core_error(cur, rc, &err);
  *ctx = iam_cache_entry_obj(*e);
  return SQLITE_OK;
}

/* Move to the first item at or after (i, j). */
static void items_settle(IamVtCursor *cur) {
  const IamVtDef *def = ((IamVtab *)cur->base.pVtab)->def;
  const IamPolicy *p = cur->p;
  while (cur->i < p->nstmt && cur->j >= def->nitems(&p->stmt[cur->i])) {
    cur->i++;
    cur->j = 0;
  }
  cur->eof = cur->i >= p->nstmt;
}

int iam_vt_items_first(IamVtCursor *cur) {
  items_settle(cur);
  return SQLITE_OK;
}

int iam_vt_items_next(sqlite3_vtab_cursor *base) {
  IamVtCursor *cur = (IamVtCursor *)base;
  cur->j++;
  cur->rowid++;
  items_settle(cur);
  return SQLITE_OK;
}

int iam_vt_stmt_column(const IamStatement *s, sqlite3_context *ctx, int col) {
  switch (col) {
    case IAM_VT_COL_POLICY_INDEX: sqlite3_result_int64(ctx, s->doc); return 1;
    case IAM_VT_COL_STATEMENT_INDEX: sqlite3_result_int64(ctx, s->idx); return 1;
    case IAM_VT_COL_SID:
      if (s->sid) sqlite3_result_text(ctx, s->sid, -1, SQLITE_TRANSIENT);
      return 1;
    case IAM_VT_COL_EFFECT:
      sqlite3_result_text(ctx, s->effect == IAM_EFFECT_DENY ? "Deny" : "Allow", -1, SQLITE_STATIC);
      return 1;
    default: return 0;
  }
}

/* ---- text results ----------------------------------------------------------- */

sqlite3_str *iam_vt_str(sqlite3_context *ctx) {
  return sqlite3_str_new(sqlite3_context_db_handle(ctx));
}

static void str_append(void *arg, const char *s, size_t n) {
  sqlite3_str_append(arg, s, (int)n); /* pieces are under 2 GB: inputs are bounded */
}

IamSink iam_vt_sink(sqlite3_str *s) {
  IamSink sink = {str_append, s};
  return sink;
}

int iam_vt_str_result(sqlite3_str *s, sqlite3_context *ctx) {
  int rc = sqlite3_str_errcode(s);
  char *z = sqlite3_str_finish(s);
  if (rc == SQLITE_TOOBIG) {
    sqlite3_result_error_toobig(ctx);
  } else if (rc != SQLITE_OK) {
    sqlite3_result_error_nomem(ctx);
  } else {
    /* an empty string finishes as NULL */
    sqlite3_result_text(ctx, z ? z : "", -1, z ? sqlite3_free : SQLITE_STATIC);
    return SQLITE_OK;
  }
  sqlite3_free(z);
  return rc == SQLITE_TOOBIG ? SQLITE_TOOBIG : SQLITE_NOMEM;
}
