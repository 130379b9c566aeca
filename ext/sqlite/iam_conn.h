/* SPDX-License-Identifier: MIT */
/* Per-connection state: the caches of compiled policies and contexts, keyed
** by their text, shared by every function and table-valued function of one
** database connection. Glue: allocates with SQLite's allocator. */
#ifndef IAM_CONN_H
#define IAM_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "iam.h"
#include "iam_cache.h"
#include "iam_work.h"

struct sqlite3;

/* Reference counted because every registered function and module holds it. */
typedef struct IamConn {
  IamCache *policies;  /* (policy text, parse flags) -> IamPolicy, placed in the entry */
  IamCache *contexts;  /* context text -> IamCtx, placed in the entry */
  struct sqlite3 *db;  /* the connection (borrowed: it outlives its functions) */
  uint64_t work_limit; /* of every call (iam_work.h) */
  int refs;
} IamConn;

/* Default cache bounds (ext/core/README.md, "Limits"). */
#define IAM_CACHE_POLICY_BYTES   ((size_t)256 << 20)
#define IAM_CACHE_POLICY_ENTRIES 100000
#define IAM_CACHE_CTX_BYTES      ((size_t)128 << 20)
#define IAM_CACHE_CTX_ENTRIES    100000

/* New state for db with one reference; NULL when out of memory. */
IamConn *iam_conn_new(struct sqlite3 *db);

/* The settings iam_config() reads and changes, by name: IAM_OK, IAM_EINVAL
** for an unknown name (err says which exist), IAM_ELIMIT for a value out of
** range (err says the range); value is read back after a change. */
int iam_conn_setting(IamConn *conn, const char *name, size_t n, const uint64_t *set,
                     uint64_t *value, IamError *err);

/* A work counter for one call on the connection: its work limit, and a stop
** callback that ends the call once the statement is interrupted
** (sqlite3_interrupt), checked every IAM_WORK_CHECK_EVERY units. */
void iam_conn_work(IamConn *conn, IamWork *w);
void iam_conn_ref(IamConn *c);
void iam_conn_unref(void *c); /* the xDestroy of every registration */

/* The compiled policy (parsed with flags) or context for text s, from the
** connection's cache or a fresh parse placed in a new entry; hash is
** iam_cache_hash(conn->policies or conn->contexts, s, n). On IAM_OK *e holds one reference the
*caller releases with
** iam_cache_entry_unref, and iam_cache_entry_obj(*e) is the IamPolicy or
** IamCtx; otherwise err is filled (except for IAM_ENOMEM). */
int iam_conn_policy(IamConn *conn, const char *s, size_t n, uint64_t hash, int flags,
                    IamCacheEntry **e, IamError *err);
int iam_conn_ctx(IamConn *conn, const char *s, size_t n, uint64_t hash, IamCacheEntry **e,
                 IamError *err);

/* A whole request in parts (ext/core/iam_compose.h): the policy text and,
** when not NULL, the members text, each compiled once as a part through the
** cache, and the caller principal (NULL when a part gives it). */
typedef struct IamConnRequest {
  IamCacheEntry *part[2]; /* references on the compiled policy and members */
  struct IamComposed *req;
} IamConnRequest;

/* Compose the request: IAM_OK (release r with iam_conn_request_release, and
** read the request with iam_conn_request_policy), or an error with err
** filled (but for IAM_ENOMEM); r then holds nothing. */
int iam_conn_request(IamConn *conn, const char *ps, size_t pn, const char *ms, size_t mn,
                     const char *principal, size_t principal_len, IamConnRequest *r, IamError *err);
const struct IamPolicy *iam_conn_request_policy(const IamConnRequest *r);
void iam_conn_request_release(IamConnRequest *r);

#endif /* IAM_CONN_H */
