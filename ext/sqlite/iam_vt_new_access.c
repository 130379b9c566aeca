/* SPDX-License-Identifier: MIT */
/*
** iam_new_access(old, new [, policy_type]): what new allows that old does not,
** one row per action of the catalog (ext/core/iam_access.h).
**
**   SELECT action, access_level, kind, resource
**   FROM iam_new_access('{"Version":"2012-10-17","Statement":{"Effect":"Allow",
**                         "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/logs"}}',
**                       '{"Version":"2012-10-17","Statement":{"Effect":"Allow",
** "Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/logs"}}');
**   -- s3:PutObject|Write|action|arn:aws:s3:::b/logs
**
** Schema (old, new and policy_type are the hidden argument columns):
**
**   action           'service:Name' as the catalog spells it; NULL for a pattern row
**   service          the service prefix; NULL for a pattern row
**   access_level     'List', 'Read', 'Write', 'Tagging' or 'Permissions management'
**   kind             'action': old allows the action nowhere; 'resource': it does, but
**                    not on this resource pattern; 'pattern': an Action pattern of new that
**                    matches no catalog action (or no catalog is in the database)
**   conditional      1 when conditions, principals or Deny statements took part (the row
**                    may then be a false alarm); 0 when new's statement grants the action
**                    on the whole pattern, unconditionally
**   resource         the new statement's resource pattern that old does not cover; its
**                    NotResource list as a JSON array when not_resource = 1; NULL for a
**                    resource-policy statement without Resource
**   not_resource     1 when resource is a NotResource list
**   pattern          the new statement's Action pattern that matches; NULL for NotAction
**   policy_index, statement_index, sid   the new statement that grants it (NULL for an
**                    RCP's implicit Allow)
**
** old and new are documents or arrays of documents of one policy_type (NULL or
** 'identity', 'boundary', 'session', 'resource', 'trust', 'scp', 'rcp',
** 'endpoint'); '[]' is "no policy". An invalid document is an SQL error naming
** old or new; a NULL old or new gives no rows. The catalog is read as iam_lint
** reads it, once per query.
*/
#include <string.h>

#include "iam_access.h"
#include "iam_catalog_glue.h"
#include "iam_vt.h"

#define IAM_NA_COL_ACTION          0
#define IAM_NA_COL_SERVICE         1
#define IAM_NA_COL_ACCESS_LEVEL    2
#define IAM_NA_COL_KIND            3
#define IAM_NA_COL_CONDITIONAL     4
#define IAM_NA_COL_RESOURCE        5
#define IAM_NA_COL_NOT_RESOURCE    6
#define IAM_NA_COL_PATTERN         7
#define IAM_NA_COL_POLICY_INDEX    8
#define IAM_NA_COL_STATEMENT_INDEX 9
#define IAM_NA_COL_SID             10
#define IAM_NA_COL_OLD             11 /* hidden arguments: old, new, policy_type */
#define IAM_NA_COL_NEW             12
#define IAM_NA_COL_POLICY_TYPE     13
_Static_assert(IAM_NA_COL_OLD == IAM_NA_COL_SID + 1, "the hidden argument columns come last");

enum { ARG_OLD = 0, ARG_NEW, ARG_TYPE };

typedef struct NewAccessCursor {
  IamVtCursor c;
  IamCacheEntry *old_e, *new_e; /* references on the compiled policies */
  IamNewAccessList *rows;
  IamGlueCatalog *cat; /* for the cursor's lifetime (one query) */
} NewAccessCursor;

static const char *const na_args[] = {"old", "new", "policy_type"};

static int na_load(IamVtCursor *cur);
static int na_first(IamVtCursor *cur);
static void na_reset(IamVtCursor *cur);
static void na_close(IamVtCursor *cur);

static const IamVtDef na_def = {
    .name = "iam_new_access",
    .schema =
        "CREATE TABLE x(action TEXT, service TEXT, access_level TEXT, kind TEXT,"
        " conditional INTEGER, resource TEXT, not_resource INTEGER, pattern TEXT,"
        " policy_index INTEGER, statement_index INTEGER, sid TEXT,"
        " old HIDDEN, new HIDDEN, policy_type HIDDEN)",
    .ncol = IAM_NA_COL_OLD,
    .nargs = 3,
    .nrequired = 2,
    .arg_names = na_args,
    .parse_flags = 0,
    .cursor_size = sizeof(NewAccessCursor),
    .reset = na_reset,
    .close = na_close,
    .load = na_load,
    .first = na_first,
    .nitems = NULL,
};

static int na_connect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                      sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc, (void)argv, (void)pzErr;
  return iam_vt_connect(db, pAux, &na_def, ppVtab);
}

static void na_reset(IamVtCursor *base) {
  NewAccessCursor *cur = (NewAccessCursor *)base;
  iam_new_access_free(cur->rows);
  cur->rows = NULL;
  if (cur->old_e) iam_cache_entry_unref(cur->old_e);
  if (cur->new_e) iam_cache_entry_unref(cur->new_e);
  cur->old_e = cur->new_e = NULL;
}

static void na_close(IamVtCursor *base) {
  NewAccessCursor *cur = (NewAccessCursor *)base;
  iam_glue_catalog_close(cur->cat);
  cur->cat = NULL;
}

int iam_glue_new_access(IamConn *conn, sqlite3 *db, IamGlueCatalog **cat, const char *old_s,
                        size_t old_n, const char *new_s, size_t new_n, const IamPolicyType *t,
                        IamCacheEntry **old_e, IamCacheEntry **new_e, IamNewAccessList **rows,
                        char **errmsg) {
  IamError err;
  int flags = t->typed ? IAM_PARSE_TYPE(t->set) : IAM_PARSE_DOCS;
  const char *which = "old";
  int rc = iam_conn_policy(conn, old_s, old_n, iam_cache_hash(conn->policies, old_s, old_n), flags,
                           old_e, &err);
  if (rc == IAM_OK) {
    which = "new";
    rc = iam_conn_policy(conn, new_s, new_n, iam_cache_hash(conn->policies, new_s, new_n), flags,
                         new_e, &err);
  }
  if (rc == IAM_ENOMEM) return SQLITE_NOMEM;
  if (rc != IAM_OK) {
    *errmsg = sqlite3_mprintf("%s: %s", which, err.msg);
    return *errmsg ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  const IamCatalog *c;
  const char *missing;
  if (*cat == NULL && (*cat = iam_glue_catalog_open(db)) == NULL) return SQLITE_NOMEM;
  if ((rc = iam_glue_catalog_get(*cat, &c, &missing)) != SQLITE_OK) return rc;
  rc = iam_new_access(iam_cache_entry_obj(*old_e), iam_cache_entry_obj(*new_e), t->set, c, rows);
  if (rc == IAM_OK) return SQLITE_OK;
  if (rc == IAM_EWORK) {
    *errmsg = sqlite3_mprintf(
        "comparing the two policies' resource patterns needs more work than "
        "the limit of %llu units: compare smaller policies",
        (unsigned long long)IAM_NEW_ACCESS_WORK_LIMIT);
    return *errmsg ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  const char *msg;
  int err2 = iam_glue_catalog_error(*cat, &msg);
  if (err2 == SQLITE_OK) return SQLITE_NOMEM;
  *errmsg = sqlite3_mprintf("%s", msg);
  return err2;
}

static int na_load(IamVtCursor *base) {
  NewAccessCursor *cur = (NewAccessCursor *)base;
  IamVtab *tab = (IamVtab *)base->base.pVtab;
  IamPolicyType t;
  char *msg = NULL;
  int rc = iam_vt_policy_type(base, ARG_TYPE, &t);
  if (rc != SQLITE_OK) return rc;
  rc = iam_glue_new_access(tab->conn, tab->db, &cur->cat, base->arg[ARG_OLD],
                           base->arg_len[ARG_OLD], base->arg[ARG_NEW], base->arg_len[ARG_NEW], &t,
                           &cur->old_e, &cur->new_e, &cur->rows, &msg);
  if (msg) {
    iam_vtab_error(&tab->base, "iam_new_access(): %s", msg);
    sqlite3_free(msg);
  }
  return rc;
}

static int na_first(IamVtCursor *base) {
  NewAccessCursor *cur = (NewAccessCursor *)base;
  base->i = 0;
  base->eof = iam_new_access_count(cur->rows) == 0;
  return SQLITE_OK;
}

static int na_next(sqlite3_vtab_cursor *b) {
  NewAccessCursor *cur = (NewAccessCursor *)b;
  cur->c.i++;
  cur->c.rowid++;
  cur->c.eof = cur->c.i >= iam_new_access_count(cur->rows);
  return SQLITE_OK;
}

static int na_column(sqlite3_vtab_cursor *b, sqlite3_context *ctx, int col) {
  NewAccessCursor *cur = (NewAccessCursor *)b;
  const IamNewAccess *r = iam_new_access_row(cur->rows, cur->c.i);
  const IamPolicy *p = iam_cache_entry_obj(cur->new_e);
  const IamStatement *st = r->stmt < p->nstmt ? &p->stmt[r->stmt] : NULL;
  switch (col) {
    case IAM_NA_COL_ACTION:
      if (r->action) {
        char *t = sqlite3_mprintf("%s:%s", r->svc->prefix, r->action->name);
        if (t == NULL) return SQLITE_NOMEM;
        sqlite3_result_text(ctx, t, -1, sqlite3_free);
      }
      break;
    case IAM_NA_COL_SERVICE:
      if (r->svc) sqlite3_result_text(ctx, r->svc->prefix, -1, SQLITE_TRANSIENT);
      break;
    case IAM_NA_COL_ACCESS_LEVEL:
      if (r->action && iam_access_level_name((IamAccessLevel)r->action->access))
        sqlite3_result_text(ctx, iam_access_level_name((IamAccessLevel)r->action->access), -1,
                            SQLITE_STATIC);
      break;
    case IAM_NA_COL_KIND:
      sqlite3_result_text(ctx, iam_new_kind_name((IamNewKind)r->kind), -1, SQLITE_STATIC);
      break;
    case IAM_NA_COL_CONDITIONAL: sqlite3_result_int(ctx, r->conditional); break;
    case IAM_NA_COL_RESOURCE:
      if (r->resource) sqlite3_result_text(ctx, r->resource, -1, SQLITE_TRANSIENT);
      break;
    case IAM_NA_COL_NOT_RESOURCE: sqlite3_result_int(ctx, r->not_resource); break;
    case IAM_NA_COL_PATTERN:
      if (r->pattern) sqlite3_result_text(ctx, r->pattern, -1, SQLITE_TRANSIENT);
      break;
    case IAM_NA_COL_POLICY_INDEX:
      if (st) sqlite3_result_int64(ctx, st->doc);
      break;
    case IAM_NA_COL_STATEMENT_INDEX:
      if (st) sqlite3_result_int64(ctx, st->idx);
      break;
    case IAM_NA_COL_SID:
      if (st && st->sid) sqlite3_result_text(ctx, st->sid, -1, SQLITE_TRANSIENT);
      break;
    default: iam_vt_column_arg(&cur->c, ctx, col); break;
  }
  return SQLITE_OK;
}

const sqlite3_module iam_new_access_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only */
    .xConnect = na_connect,
    .xBestIndex = iam_vt_best_index,
    .xDisconnect = iam_vt_disconnect,
    .xDestroy = NULL,
    .xOpen = iam_vt_open,
    .xClose = iam_vt_close,
    .xFilter = iam_vt_filter,
    .xNext = na_next,
    .xEof = iam_vt_eof,
    .xColumn = na_column,
    .xRowid = iam_vt_rowid,
};
