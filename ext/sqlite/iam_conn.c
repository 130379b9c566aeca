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
#include "iam_text.h"

IamConn *iam_conn_new(sqlite3 *db) {
  IamConn *c = sqlite3_malloc64(sizeof *c);
  if (c == NULL) return NULL;
  memset(c, 0, sizeof *c);
  c->db = db;
  c->work_limit = IAM_WORK_LIMIT_DEFAULT;
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

/* Whether the statement that runs the call is interrupted. SQLite 3.40 has
** no sqlite3_is_interrupted() (3.41); preparing a blank statement reads the
** same flag: the tokenizer returns SQLITE_INTERRUPT on a blank once
** sqlite3_interrupt() was called, and while a statement is running (as ours
** is) nothing clears the flag. A blank prepares to no statement, touches no
** schema, and costs about a microsecond, once per IAM_WORK_CHECK_EVERY units. */
static int conn_interrupted(void *arg) {
  IamConn *conn = arg;
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(conn->db, " ", -1, &st, NULL);
  sqlite3_finalize(st);
  return rc == SQLITE_INTERRUPT;
}

void iam_conn_work(IamConn *conn, IamWork *w) {
  iam_work_init(w, conn->work_limit, conn_interrupted, conn);
}

/* The settings, in the order iam_debug() shows them. */
enum { SET_WORK_LIMIT, NSETTINGS };
static const char *const setting_names[NSETTINGS] = {"work_limit"};

int iam_conn_setting(IamConn *conn, const char *name, size_t n, const uint64_t *set,
                     uint64_t *value, IamError *err) {
  char q[IAM_QUOTE_MAX];
  int i = 0;
  while (i < NSETTINGS &&
         !(strlen(setting_names[i]) == n && memcmp(setting_names[i], name, n) == 0))
    i++;
  if (i == NSETTINGS) {
    iam_error_set(err, -1, "unknown setting %s (work_limit)", iam_quote(q, sizeof q, name, n));
    return IAM_EINVAL;
  }
  if (set) {
    if (*set < 1) {
      iam_error_set(err, -1, "%s must be a positive integer", setting_names[i]);
      return IAM_ELIMIT;
    }
    conn->work_limit = *set;
  }
  *value = conn->work_limit;
  return IAM_OK;
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
