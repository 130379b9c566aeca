/* SPDX-License-Identifier: MIT */
/* Per-connection state: the policy and context caches. A text is looked up
** by (hash, text, flags); on a miss it is parsed into a draft, placed inside
** a new cache entry next to its key (iam_policy_place, iam_ctx_place), and
** the draft is freed: cached objects are one block each. */
#include "iam_conn.h"

#include <string.h>

#include "iam_compose.h"
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
  /* each cache's hash keyed with a secret of its own (iam_cache.h) */
  IamHashKey kp, kc;
  sqlite3_randomness(sizeof kp, &kp);
  sqlite3_randomness(sizeof kc, &kc);
  c->policies = iam_cache_new(IAM_CACHE_POLICY_BYTES, IAM_CACHE_POLICY_ENTRIES, &kp);
  c->contexts = iam_cache_new(IAM_CACHE_CTX_BYTES, IAM_CACHE_CTX_ENTRIES, &kc);
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

/* ---- settings (iam_config) ------------------------------------------------ */

enum {
  SET_WORK_LIMIT,
  SET_POLICY_BYTES,
  SET_POLICY_ENTRIES,
  SET_CTX_BYTES,
  SET_CTX_ENTRIES,
  NSETTINGS
};
static const char *const setting_names[NSETTINGS] = {"work_limit", "policy_cache_bytes",
                                                     "policy_cache_entries", "context_cache_bytes",
                                                     "context_cache_entries"};
#define SETTING_LIST                                                            \
  "work_limit, policy_cache_bytes, policy_cache_entries, context_cache_bytes, " \
  "context_cache_entries"

int iam_conn_setting(IamConn *conn, const char *name, size_t n, const uint64_t *set,
                     uint64_t *value, IamError *err) {
  char q[IAM_QUOTE_MAX];
  IamCacheStats st;
  int i = 0;
  while (i < NSETTINGS &&
         !(strlen(setting_names[i]) == n && memcmp(setting_names[i], name, n) == 0))
    i++;
  if (i == NSETTINGS) {
    iam_error_set(err, -1, "unknown setting %s (one of " SETTING_LIST ")",
                  iam_quote(q, sizeof q, name, n));
    return IAM_EINVAL;
  }
  IamCache *c = i == SET_POLICY_BYTES || i == SET_POLICY_ENTRIES ? conn->policies : conn->contexts;
  iam_cache_stats(c, &st);
  if (set) {
    uint64_t max = i == SET_POLICY_ENTRIES || i == SET_CTX_ENTRIES ? UINT32_MAX
                   : i == SET_WORK_LIMIT                           ? UINT64_MAX
                                                                   : SIZE_MAX;
    if (*set < 1 || *set > max) {
      if (max == UINT32_MAX)
        iam_error_set(err, -1, "%s must be a positive integer of at most %llu", setting_names[i],
                      (unsigned long long)max);
      else
        iam_error_set(err, -1, "%s must be a positive integer", setting_names[i]);
      return IAM_ELIMIT;
    }
    switch (i) {
      case SET_WORK_LIMIT: conn->work_limit = *set; break;
      case SET_POLICY_BYTES:
      case SET_CTX_BYTES: iam_cache_set_limits(c, (size_t)*set, st.max_entries); break;
      default: iam_cache_set_limits(c, st.max_bytes, (uint32_t)*set); break;
    }
    iam_cache_stats(c, &st);
  }
  switch (i) {
    case SET_WORK_LIMIT: *value = conn->work_limit; break;
    case SET_POLICY_BYTES:
    case SET_CTX_BYTES: *value = st.max_bytes; break;
    default: *value = st.max_entries; break;
  }
  return IAM_OK;
}

/* ---- the caches under SQLite's heap limits ----------------------------------
** The caches obey their own bounds (the settings above) and SQLite's heap
** limits: before a parse and before an entry goes in, they evict (the larger
** cache first) until SQLite's heap has room under its soft heap limit, or its
** hard one when only that is set. An allocation that fails all the same
** (SQLite's own memory filled the heap) empties both caches and tries once
** more. Compiled objects held elsewhere (auxdata, a statement's cursor) live
** on until released. */

/* Room a parse of an n-byte text may need: its draft, cJSON's tree (the
** reservation of iam_json.h), the entry. A guess; failures retry. */
#define PARSE_ROOM(n) (16 * (sqlite3_int64)(n) + 4096)

static sqlite3_int64 heap_limit(void) {
  sqlite3_int64 soft = sqlite3_soft_heap_limit64(-1);
  return soft > 0 ? soft : sqlite3_hard_heap_limit64(-1);
}

static void make_room(IamConn *conn, sqlite3_int64 n) {
  sqlite3_int64 limit = heap_limit();
  if (limit <= 0) return;
  while (sqlite3_memory_used() + n > limit) {
    IamCacheStats ps, cs;
    iam_cache_stats(conn->policies, &ps);
    iam_cache_stats(conn->contexts, &cs);
    IamCache *first = ps.bytes >= cs.bytes ? conn->policies : conn->contexts;
    IamCache *second = first == conn->policies ? conn->contexts : conn->policies;
    if (!iam_cache_evict(first) && !iam_cache_evict(second)) return;
  }
}

/* Empty both caches: 1 if anything was evicted. */
static int flush(IamConn *conn) {
  int any = 0;
  while (iam_cache_evict(conn->policies)) any = 1;
  while (iam_cache_evict(conn->contexts)) any = 1;
  return any;
}

static const void *place_policy(void *dst, const void *draft) {
  return iam_policy_place(draft, dst);
}

static const void *place_ctx(void *dst, const void *draft) { return iam_ctx_place(draft, dst); }

int iam_conn_policy(IamConn *conn, const char *s, size_t n, uint64_t hash, int flags,
                    IamCacheEntry **e, IamError *err) {
  IamPolicyDraft *d;
  if ((*e = iam_cache_get(conn->policies, s, n, hash, (uint32_t)flags)) != NULL) return IAM_OK;
  for (int again = 0;; again = 1) {
    make_room(conn, PARSE_ROOM(n));
    int rc = iam_policy_draft(s, n, flags, &d, err);
    if (rc == IAM_OK) {
      size_t size = iam_policy_draft_size(d);
      make_room(conn, (sqlite3_int64)(size + n));
      *e = iam_cache_put(conn->policies, s, n, hash, (uint32_t)flags, size, place_policy, d);
      iam_policy_draft_free(d);
      if (*e) return IAM_OK;
      rc = IAM_ENOMEM;
    }
    if (rc != IAM_ENOMEM || again || !flush(conn)) return rc;
  }
}

int iam_conn_ctx(IamConn *conn, const char *s, size_t n, uint64_t hash, IamCacheEntry **e,
                 IamError *err) {
  IamCtxDraft *d;
  if ((*e = iam_cache_get(conn->contexts, s, n, hash, 0)) != NULL) return IAM_OK;
  for (int again = 0;; again = 1) {
    make_room(conn, PARSE_ROOM(n));
    int rc = iam_ctx_draft(s, n, &d, err);
    if (rc == IAM_OK) {
      size_t size = iam_ctx_draft_size(d);
      make_room(conn, (sqlite3_int64)(size + n));
      *e = iam_cache_put(conn->contexts, s, n, hash, 0, size, place_ctx, d);
      iam_ctx_draft_free(d);
      if (*e) return IAM_OK;
      rc = IAM_ENOMEM;
    }
    if (rc != IAM_ENOMEM || again || !flush(conn)) return rc;
  }
}

int iam_conn_request(IamConn *conn, const char *ps, size_t pn, const char *ms, size_t mn,
                     const char *principal, size_t principal_len, IamConnRequest *r,
                     IamError *err) {
  static const char *const names[2] = {"policy", "members"};
  int rc = IAM_OK;
  memset(r, 0, sizeof *r);
  rc = iam_conn_policy(conn, ps, pn, iam_cache_hash(conn->policies, ps, pn), IAM_PARSE_PART,
                       &r->part[0], err);
  if (rc == IAM_OK && ms != NULL)
    rc = iam_conn_policy(conn, ms, mn, iam_cache_hash(conn->policies, ms, mn),
                         IAM_PARSE_PART | IAM_PARSE_MEMBERS, &r->part[1], err);
  if (rc == IAM_OK) {
    const IamPolicy *parts[2] = {iam_cache_entry_obj(r->part[0]),
                                 r->part[1] ? iam_cache_entry_obj(r->part[1]) : NULL};
    rc = iam_compose(parts, names, 2, principal, principal_len, &r->req, err);
  }
  if (rc != IAM_OK) iam_conn_request_release(r);
  return rc;
}

const IamPolicy *iam_conn_request_policy(const IamConnRequest *r) {
  return iam_composed_policy(r->req);
}

void iam_conn_request_release(IamConnRequest *r) {
  for (int i = 0; i < 2; i++)
    if (r->part[i]) iam_cache_entry_unref(r->part[i]);
  iam_composed_free(r->req);
  memset(r, 0, sizeof *r);
}
