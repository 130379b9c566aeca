/* Glue between the core and SQLite: only files that include this header see
** the SQLite API. */
#ifndef IAM_SQLITE_H
#define IAM_SQLITE_H

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include "iam.h"
#include "iam_cache.h"

#define IAM_FN_FLAGS (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

/* Per-connection state shared by the functions: the compiled-object caches.
** Reference counted because every registered function holds it. */
typedef struct IamConn {
  IamCache *policies; /* policy text -> IamPolicy */
  IamCache *contexts; /* context text -> IamCtx */
  int refs;
} IamConn;

/* Default cache bounds (README "Limits"). */
#define IAM_CACHE_POLICY_BYTES   ((size_t)256 << 20)
#define IAM_CACHE_POLICY_ENTRIES 100000
#define IAM_CACHE_CTX_BYTES      ((size_t)128 << 20)
#define IAM_CACHE_CTX_ENTRIES    100000

IamConn *iam_conn_new(void);
void iam_conn_unref(void *p); /* sqlite3 xDestroy */

int iam_register_functions(sqlite3 *db, IamConn *conn, char **pzErrMsg);

/* The compiled policy (parsed with flags) or context for a text, from the
** connection's cache or a fresh parse; hash is iam_hash(s, n). On IAM_OK *e
** holds one reference the caller releases with iam_cache_entry_unref;
** otherwise err is filled (except for IAM_ENOMEM). */
int iam_conn_policy(IamConn *conn, const char *s, size_t n, uint64_t hash, int flags,
                    IamCacheEntry **e, IamError *err);
int iam_conn_ctx(IamConn *conn, const char *s, size_t n, uint64_t hash, IamCacheEntry **e,
                 IamError *err);
/* The table-valued functions (iam_vt_register.c); stops at the first failure. */
int iam_register_vtabs(sqlite3 *db, IamConn *conn, char **pzErrMsg);

#ifdef _WIN32
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
    int sqlite3_iam_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

#endif /* IAM_SQLITE_H */
