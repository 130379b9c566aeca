/*
** sqlite-iam: evaluate AWS IAM policies in SQL.
**
** Usage (sqlite3 shell):
**   .load ./dist/iam
**   SELECT iam_decision(doc, 'ecs:RunTask', 'arn:aws:ecs:...:task-definition/web:3', '{}');
**
** This file holds the entry point; the functions are in iam_fn.c, the
** table-valued functions in iam_vt_*.c.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include <string.h>

#include "iam_compact.h"
#include "iam_ctx.h"
#include "iam_policy.h"
#include "iam_sqlite.h"

IamConn *iam_conn_new(void) {
  IamConn *c = sqlite3_malloc64(sizeof *c);
  if (c == NULL) return NULL;
  memset(c, 0, sizeof *c);
  /* no destructors: every object is a compact copy inside its entry */
  c->policies = iam_cache_new(IAM_CACHE_POLICY_BYTES, IAM_CACHE_POLICY_ENTRIES, NULL);
  c->contexts = iam_cache_new(IAM_CACHE_CTX_BYTES, IAM_CACHE_CTX_ENTRIES, NULL);
  if (c->policies == NULL || c->contexts == NULL) {
    iam_cache_free(c->policies);
    iam_cache_free(c->contexts);
    sqlite3_free(c);
    return NULL;
  }
  c->refs = 1;
  return c;
}

void iam_conn_unref(void *p) {
  IamConn *c = p;
  if (c == NULL || --c->refs > 0) return;
  iam_cache_free(c->policies);
  iam_cache_free(c->contexts);
  sqlite3_free(c);
}

/* Cache entries hold compact copies (iam_compact.h): key and object in one
** block, read in the order evaluation reads them. */
static void *build_policy(void *dst, const void *p) {
  iam_policy_compact(p, dst);
  return dst;
}

static void *build_ctx(void *dst, const void *c) {
  iam_ctx_compact(c, dst);
  return dst;
}

int iam_conn_policy(IamConn *conn, const char *s, size_t n, uint64_t hash, int flags,
                    IamCacheEntry **e, IamError *err) {
  IamPolicy *p;
  if ((*e = iam_cache_get(conn->policies, s, n, hash, (uint32_t)flags)) != NULL) return IAM_OK;
  int rc = iam_policy_parse(s, n, flags, &p, err);
  if (rc != IAM_OK) return rc;
  *e = iam_cache_put_inline(conn->policies, s, n, hash, (uint32_t)flags,
                            iam_policy_compact(p, NULL), build_policy, p);
  iam_policy_free(p);
  return *e ? IAM_OK : IAM_ENOMEM;
}

int iam_conn_ctx(IamConn *conn, const char *s, size_t n, uint64_t hash, IamCacheEntry **e,
                 IamError *err) {
  IamCtx *c;
  if ((*e = iam_cache_get(conn->contexts, s, n, hash, 0)) != NULL) return IAM_OK;
  int rc = iam_ctx_parse(s, n, &c, err);
  if (rc != IAM_OK) return rc;
  *e = iam_cache_put_inline(conn->contexts, s, n, hash, 0, iam_ctx_compact(c, NULL), build_ctx, c);
  iam_ctx_free(c);
  return *e ? IAM_OK : IAM_ENOMEM;
}

int sqlite3_iam_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  IamConn *conn = iam_conn_new();
  if (conn == NULL) return SQLITE_NOMEM;
  int rc = iam_register_functions(db, conn, pzErrMsg);
  if (rc == SQLITE_OK) rc = iam_register_vtabs(db, conn, pzErrMsg);
  iam_conn_unref(conn); /* each registered function holds its own reference */
  return rc;
}
