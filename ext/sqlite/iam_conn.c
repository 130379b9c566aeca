/* SPDX-License-Identifier: MIT */
/* Per-connection state: the policy and context caches. A text is looked up
** by (hash, text, flags); on a miss it is parsed into a draft, placed inside
** a new cache entry next to its key (iam_policy_place, iam_ctx_place), and
** the draft is freed: cached objects are one block each. */
#include "iam_conn.h"

#include <string.h>

#include "iam_ctx.h"
#include "iam_policy.h"
#include "iam_sqlite.h"

IamConn *iam_conn_new(void) {
  IamConn *c = sqlite3_malloc64(sizeof *c);
  if (c == NULL) return NULL;
  memset(c, 0, sizeof *c);
  c->policies = iam_cache_new(IAM_CACHE_POLICY_BYTES, IAM_CACHE_POLICY_ENTRIES);
  c->contexts = iam_cache_new(IAM_CACHE_CTX_BYTES, IAM_CACHE_CTX_ENTRIES);
  if (c->policies == NULL || c->contexts == NULL) {
    iam_cache_free(c->policies);
    iam_cache_free(c->contexts);
    sqlite3_free(c);
    return NULL;
  }
  c->refs = 1;
  return c;
}

void iam_conn_ref(IamConn *c) { c->refs++; }

void iam_conn_unref(void *p) {
  IamConn *c = p;
  if (c == NULL || --c->refs > 0) return;
  iam_cache_free(c->policies);
  iam_cache_free(c->contexts);
  sqlite3_free(c);
}

static const void *place_policy(void *dst, const void *draft) {
  return iam_policy_place(draft, dst);
}

static const void *place_ctx(void *dst, const void *draft) { return iam_ctx_place(draft, dst); }

int iam_conn_policy(IamConn *conn, const char *s, size_t n, uint64_t hash, int flags,
                    IamCacheEntry **e, IamError *err) {
  IamPolicyDraft *d;
  if ((*e = iam_cache_get(conn->policies, s, n, hash, (uint32_t)flags)) != NULL) return IAM_OK;
  int rc = iam_policy_draft(s, n, flags, &d, err);
  if (rc != IAM_OK) return rc;
  *e = iam_cache_put(conn->policies, s, n, hash, (uint32_t)flags, iam_policy_draft_size(d),
                     place_policy, d);
  iam_policy_draft_free(d);
  return *e ? IAM_OK : IAM_ENOMEM;
}

int iam_conn_ctx(IamConn *conn, const char *s, size_t n, uint64_t hash, IamCacheEntry **e,
                 IamError *err) {
  IamCtxDraft *d;
  if ((*e = iam_cache_get(conn->contexts, s, n, hash, 0)) != NULL) return IAM_OK;
  int rc = iam_ctx_draft(s, n, &d, err);
  if (rc != IAM_OK) return rc;
  *e = iam_cache_put(conn->contexts, s, n, hash, 0, iam_ctx_draft_size(d), place_ctx, d);
  iam_ctx_draft_free(d);
  return *e ? IAM_OK : IAM_ENOMEM;
}
