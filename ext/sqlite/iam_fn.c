/* SPDX-License-Identifier: MIT */
/* Scalar SQL functions: iam_decision, iam_allows, iam_authorize,
** iam_authz_message, iam_action_matches, iam_resource_matches, iam_version,
** iam_debug
** (ext/README.md).
**
** A policy text goes: iam_fn_decide (here) -> iam_conn_policy (iam_conn.c:
** the connection's cache, or a parse by ext/core/iam_policy.c placed in a
** new entry) -> iam_eval (ext/core/iam_eval.c), or iam_authorize
** (ext/core/iam_authz.c) for a whole-request object. A policy read from a column
** is parsed once however many rows carry it; constant arguments also keep a
** reference in auxdata. */
#include <cjson/cJSON.h>
#include <string.h>

#include "iam_authz.h"
#include "iam_authzmsg.h"
#include "iam_cache.h"
#include "iam_conn.h"
#include "iam_ctx.h"
#include "iam_eval.h"
#include "iam_json.h"
#include "iam_match.h"
#include "iam_mem.h"
#include "iam_policy.h"
#include "iam_sqlite.h"
#include "iam_template.h"
#include "iam_text.h"
#include "iam_vt.h"

/* Argument positions, which are also the auxdata slots that keep the
** compiled form of a constant argument (SQLite ties slot N to argument N). */
enum {
  DECIDE_ARG_POLICY = 0,
  DECIDE_ARG_ACTION,
  DECIDE_ARG_RESOURCE,
  DECIDE_ARG_CTX,
  DECIDE_ARG_PRINCIPAL,
  DECIDE_ARG_MEMBERS
};
enum { MATCH_ARG_PATTERN = 0, MATCH_ARG_TEXT, MATCH_ARG_CTX };

#define ACTION_STACK 256 /* action patterns and lower-cased actions kept on the stack */

#ifndef IAM_VERSION
#define IAM_VERSION "0.0.0"
#endif
#ifndef IAM_COMMIT
#define IAM_COMMIT "unknown"
#endif

static void entry_unref_v(void *e) { iam_cache_entry_unref(e); }

/* A compiled policy or context for text s (hash h), from the connection's
** cache or a fresh parse; errors are reported on ctx. On success *e holds one
** reference. */
static int get_cached(sqlite3_context *ctx, IamConn *conn, const char *fn, int is_ctx,
                      const char *s, size_t n, uint64_t h, IamCacheEntry **e) {
  IamError err;
  int rc =
      is_ctx ? iam_conn_ctx(conn, s, n, h, e, &err) : iam_conn_policy(conn, s, n, h, 0, e, &err);
  if (rc != IAM_OK) iam_result_core_error(ctx, fn, rc, &err);
  return rc;
}

/* The decision for a compiled policy: the whole-request procedure when it
** has a caller, else the identity-policy decision. IAM_OK, or what ended the
** call without a decision (iam_result_call_error). */
static int decide_policy(const IamPolicy *p, const IamRequest *req, IamDecision *d) {
  if (p->authz == NULL) return iam_eval(p, req, d, NULL);
  IamAuthzResult res;
  int rc = iam_authorize(p, req, 0, &res);
  *d = res.decision;
  return rc;
}

/* Decide the checked request (action, resource, the context in ce or none) on
** p and set the result: the decision, 1/0 with as_bool, or the error that
** ended the call. */
static void decide_result(sqlite3_context *ctx, IamConn *conn, const char *fn, int as_bool,
                          const IamPolicy *p, const char *as, size_t an, const char *rs, size_t rn,
                          IamCacheEntry *ce) {
  IamWork w;
  iam_conn_work(conn, &w);
  IamRequest req = {as, an, rs, rn, ce ? iam_cache_entry_obj(ce) : iam_ctx_empty(), &w};
  IamDecision d;
  int rc = decide_policy(p, &req, &d);
  if (rc != IAM_OK)
    iam_result_call_error(ctx, fn, rc, &w);
  else if (as_bool)
    sqlite3_result_int(ctx, d == IAM_ALLOW);
  else
    sqlite3_result_text(ctx, iam_decision_name(d), -1, SQLITE_STATIC);
}

void iam_fn_decide(sqlite3_context *ctx, const char *fn, int as_bool, int use_aux, const char *ps,
                   size_t pn, const char *as, size_t an, const char *rs, size_t rn, const char *cs,
                   size_t cn) {
  IamConn *conn = sqlite3_user_data(ctx);
  IamCacheEntry *pe = NULL, *ce = NULL;
  int p_aux = 0, c_aux = 0, want_ctx = cs != NULL && !iam_json_is_empty_object(cs, cn);
  uint64_t hp = 0, hc = 0;
  IamError err;
  /* Constant arguments keep their compiled object in auxdata. */
  if (use_aux && (pe = sqlite3_get_auxdata(ctx, DECIDE_ARG_POLICY)) != NULL)
    iam_cache_entry_ref(pe), p_aux = 1;
  if (want_ctx && use_aux && (ce = sqlite3_get_auxdata(ctx, DECIDE_ARG_CTX)) != NULL)
    iam_cache_entry_ref(ce), c_aux = 1;
  /* Otherwise both lookups wait for memory at the same time: hash each text and
  ** start fetching its slot, then the entries those slots name. */
  int look_c = want_ctx && !c_aux, look_p = !p_aux;
  if (look_c) {
    hc = iam_cache_hash(conn->contexts, cs, cn);
    iam_cache_prefetch(conn->contexts, hc);
  }
  if (look_p) {
    hp = iam_cache_hash(conn->policies, ps, pn);
    iam_cache_prefetch(conn->policies, hp);
  }
  if (look_c) iam_cache_prefetch_entry(conn->contexts, hc, cn);
  if (look_p) iam_cache_prefetch_entry(conn->policies, hp, pn);
  if (look_p && get_cached(ctx, conn, fn, 0, ps, pn, hp, &pe) != IAM_OK) goto done;
  int rc = iam_request_check(as, an, rs, rn, &err);
  if (rc != IAM_OK) {
    iam_result_core_error(ctx, fn, rc, &err);
    goto done;
  }
  if (look_c && get_cached(ctx, conn, fn, 1, cs, cn, hc, &ce) != IAM_OK) goto done;
  decide_result(ctx, conn, fn, as_bool, iam_cache_entry_obj(pe), as, an, rs, rn, ce);
done:
  /* Hand our references to auxdata (kept for constant arguments); last calls. */
  if (ce) {
    if (c_aux || !use_aux)
      iam_cache_entry_unref(ce);
    else
      sqlite3_set_auxdata(ctx, DECIDE_ARG_CTX, ce, entry_unref_v);
  }
  if (pe == NULL) return;
  if (p_aux || !use_aux)
    iam_cache_entry_unref(pe);
  else
    sqlite3_set_auxdata(ctx, DECIDE_ARG_POLICY, pe, entry_unref_v);
}

/* The request in parts: policy and members compiled once each, the caller
** given apart (ext/core/iam_compose.h). */
static void decide_parts(sqlite3_context *ctx, const char *fn, int as_bool, const char *ps,
                         size_t pn, const char *as, size_t an, const char *rs, size_t rn,
                         const char *cs, size_t cn, const char *prs, size_t prn, const char *ms,
                         size_t mn) {
  IamConn *conn = sqlite3_user_data(ctx);
  IamConnRequest r;
  IamCacheEntry *ce = NULL;
  IamError err;
  int rc = iam_conn_request(conn, ps, pn, ms, mn, prs, prn, &r, &err);
  if (rc != IAM_OK) {
    iam_result_core_error(ctx, fn, rc, &err);
    return;
  }
  if ((rc = iam_request_check(as, an, rs, rn, &err)) != IAM_OK) {
    iam_result_core_error(ctx, fn, rc, &err);
    goto done;
  }
  if (cs != NULL && !iam_json_is_empty_object(cs, cn) &&
      get_cached(ctx, conn, fn, 1, cs, cn, iam_cache_hash(conn->contexts, cs, cn), &ce) != IAM_OK)
    goto done;
  decide_result(ctx, conn, fn, as_bool, iam_conn_request_policy(&r), as, an, rs, rn, ce);
done:
  if (ce) iam_cache_entry_unref(ce);
  iam_conn_request_release(&r);
}

/* iam_decision(policy, action, resource [, ctx [, principal [, members]]])
** and iam_allows(...). */
static void decide(sqlite3_context *ctx, int argc, sqlite3_value **argv, const char *fn,
                   int as_bool) {
  const char *ps, *as, *rs, *cs = NULL, *prs = NULL, *ms = NULL;
  size_t pn, an, rn, cn = 0, prn = 0, mn = 0;
  if (iam_arg_text(ctx, fn, argv[DECIDE_ARG_POLICY], "policy", &ps, &pn) <= 0) return;
  if (iam_arg_text(ctx, fn, argv[DECIDE_ARG_ACTION], "action", &as, &an) <= 0) return;
  if (iam_arg_text(ctx, fn, argv[DECIDE_ARG_RESOURCE], "resource", &rs, &rn) <= 0) return;
  if (argc > DECIDE_ARG_CTX && iam_arg_text(ctx, fn, argv[DECIDE_ARG_CTX], "context", &cs, &cn) < 0)
    return;
  if (argc > DECIDE_ARG_PRINCIPAL &&
      iam_arg_text(ctx, fn, argv[DECIDE_ARG_PRINCIPAL], "principal", &prs, &prn) < 0)
    return;
  if (argc > DECIDE_ARG_MEMBERS &&
      iam_arg_text(ctx, fn, argv[DECIDE_ARG_MEMBERS], "members", &ms, &mn) < 0)
    return;
  if (prs != NULL || ms != NULL)
    decide_parts(ctx, fn, as_bool, ps, pn, as, an, rs, rn, cs, cn, prs, prn, ms, mn);
  else
    iam_fn_decide(ctx, fn, as_bool, 1, ps, pn, as, an, rs, rn, cs, cn);
}

void iam_fn_decision(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  decide(ctx, argc, argv, "iam_decision", 0);
}

void iam_fn_allows(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  decide(ctx, argc, argv, "iam_allows", 1);
}

/* iam_authorize(request): the whole-request object, action, resource and
** context included; 'Allow', 'ExplicitDeny' or 'ImplicitDeny'. The request
** is compiled once per text (the connection's cache, auxdata when constant). */
void iam_fn_authorize(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  IamConn *conn = sqlite3_user_data(ctx);
  const char *s, *fn = "iam_authorize";
  size_t n;
  IamCacheEntry *pe = NULL, *ce = NULL;
  IamError err;
  int rc, p_aux = 0;
  (void)argc;
  if (iam_arg_text(ctx, fn, argv[0], "request", &s, &n) <= 0) return;
  if ((pe = sqlite3_get_auxdata(ctx, 0)) != NULL) {
    iam_cache_entry_ref(pe);
    p_aux = 1;
  } else if ((rc = iam_conn_policy(conn, s, n, iam_cache_hash(conn->policies, s, n),
                                   IAM_PARSE_REQUEST, &pe, &err)) != IAM_OK) {
    iam_result_core_error(ctx, fn, rc, &err);
    return;
  }
  const IamPolicy *p = iam_cache_entry_obj(pe);
  const IamAuthz *az = p->authz;
  rc = iam_request_check(az->action, az->action_len, az->resource, az->resource_len, &err);
  if (rc != IAM_OK) {
    iam_result_core_error(ctx, fn, rc, &err);
    goto done;
  }
  if (az->context != NULL && !iam_json_is_empty_object(az->context, az->context_len) &&
      (rc = iam_conn_ctx(conn, az->context, az->context_len,
                         iam_cache_hash(conn->contexts, az->context, az->context_len), &ce,
                         &err)) != IAM_OK) {
    iam_result_core_error(ctx, fn, rc, &err);
    goto done;
  }
  IamWork w;
  iam_conn_work(conn, &w);
  IamRequest req = {az->action,
                    az->action_len,
                    az->resource,
                    az->resource_len,
                    ce ? iam_cache_entry_obj(ce) : iam_ctx_empty(),
                    &w};
  IamAuthzResult res;
  if ((rc = iam_authorize(p, &req, 0, &res)) != IAM_OK)
    iam_result_call_error(ctx, fn, rc, &w);
  else
    sqlite3_result_text(ctx, iam_decision_name(res.decision), -1, SQLITE_STATIC);
done:
  if (ce) iam_cache_entry_unref(ce);
  if (p_aux)
    iam_cache_entry_unref(pe);
  else
    sqlite3_set_auxdata(ctx, 0, pe, entry_unref_v); /* last call */
}

/* iam_authz_message(decoded): the request of an authorization-failure message
** (aws sts decode-authorization-message) as the object iam_authorize takes
** (ext/core/iam_authzmsg.h). */
void iam_fn_authz_message(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *s, *fn = "iam_authz_message";
  size_t n;
  IamError err;
  (void)argc;
  if (iam_arg_text(ctx, fn, argv[0], "decoded", &s, &n) <= 0) return;
  sqlite3_str *str = iam_vt_str(ctx);
  IamSink out = iam_vt_sink(str);
  int rc = iam_authz_message(s, n, &out, &err);
  if (rc != IAM_OK) {
    sqlite3_free(sqlite3_str_finish(str));
    iam_result_core_error(ctx, fn, rc, &err);
    return;
  }
  iam_vt_str_result(str, ctx);
}

/* iam_action_matches(pattern, action): 1/0 with the evaluator's rules. */
void iam_fn_action_matches(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  IamConn *conn = sqlite3_user_data(ctx);
  IamWork w;
  const char *ps, *as, *fn = "iam_action_matches";
  size_t pn, an;
  IamError err;
  IamGlobCode stack_codes[ACTION_STACK], *codes = stack_codes;
  char stack_lower[ACTION_STACK], *lower = stack_lower;
  (void)argc;
  if (iam_arg_text(ctx, fn, argv[MATCH_ARG_PATTERN], "pattern", &ps, &pn) <= 0) return;
  if (iam_arg_text(ctx, fn, argv[MATCH_ARG_TEXT], "action", &as, &an) <= 0) return;
  int rc = iam_request_check(as, an, NULL, 0, &err);
  if (rc != IAM_OK) {
    iam_result_core_error(ctx, fn, rc, &err);
    return;
  }
  if (pn > ACTION_STACK) codes = sqlite3_malloc64(pn * sizeof *codes);
  if (an > ACTION_STACK) lower = sqlite3_malloc64(an);
  if (codes == NULL || lower == NULL) {
    sqlite3_result_error_nomem(ctx);
  } else {
    iam_glob_codes_action(codes, ps, pn);
    iam_ascii_lower(lower, as, an);
    iam_conn_work(conn, &w);
    rc = iam_glob_match_codes(codes, (uint32_t)pn, lower, an, &w);
    if (rc < 0)
      iam_result_call_error(ctx, fn, rc, &w);
    else
      sqlite3_result_int(ctx, rc == 1);
  }
  if (codes != stack_codes) sqlite3_free(codes);
  if (lower != stack_lower) sqlite3_free(lower);
}

/* iam_url_decode(text): the text percent-decoded (RFC 3986), as the IAM API
** returns policy documents; NULL for NULL. iam_url_decode_error(text): NULL
** when the text decodes, else the message iam_url_decode raises after its
** "iam_url_decode(): " (so that a query can list every bad row). */
static void url_decode(sqlite3_context *ctx, sqlite3_value *arg, const char *fn, int error_form) {
  const char *s;
  size_t n, on;
  IamError err;
  if (iam_arg_text(ctx, fn, arg, "the argument", &s, &n) <= 0) return;
  char *out = sqlite3_malloc64(n ? n : 1);
  if (out == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  int rc = iam_url_decode(s, n, out, &on, &err);
  if (rc != IAM_OK) {
    sqlite3_free(out);
    if (error_form)
      sqlite3_result_text(ctx, err.msg, -1, SQLITE_TRANSIENT);
    else
      iam_result_core_error(ctx, fn, rc, &err);
  } else if (error_form) {
    sqlite3_free(out); /* NULL */
  } else {
    sqlite3_result_text64(ctx, out, on, sqlite3_free, SQLITE_UTF8);
  }
}

void iam_fn_url_decode(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  url_decode(ctx, argv[0], "iam_url_decode", 0);
}

void iam_fn_url_decode_error(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  url_decode(ctx, argv[0], "iam_url_decode_error", 1);
}

static void template_free_v(void *t) { iam_free(t); }

/* iam_resource_matches(pattern, arn [, ctx]): Resource matching, with policy
** variables (Version 2012-10-17 rules) taken from ctx when given. */
void iam_fn_resource_matches(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  IamConn *conn = sqlite3_user_data(ctx);
  const char *ps, *rs, *cs = NULL, *fn = "iam_resource_matches";
  size_t pn, rn, cn = 0;
  IamCacheEntry *ce = NULL;
  int c_aux = 0, pat_new = 0;
  if (iam_arg_text(ctx, fn, argv[MATCH_ARG_PATTERN], "pattern", &ps, &pn) <= 0) return;
  if (iam_arg_text(ctx, fn, argv[MATCH_ARG_TEXT], "arn", &rs, &rn) <= 0) return;
  if (argc > MATCH_ARG_CTX && iam_arg_text(ctx, fn, argv[MATCH_ARG_CTX], "context", &cs, &cn) < 0)
    return;
  IamError err;
  int rc = iam_request_check(NULL, 0, rs, rn, &err);
  if (rc != IAM_OK) {
    iam_result_core_error(ctx, fn, rc, &err);
    return;
  }
  IamTemplate *pat = sqlite3_get_auxdata(ctx, MATCH_ARG_PATTERN);
  if (pat == NULL) {
    if (iam_template_new(ps, pn, IAM_TEMPLATE_RESOURCE, 1, &pat) != IAM_OK) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    pat_new = 1;
  }
  if (cs != NULL && !iam_json_is_empty_object(cs, cn)) {
    if ((ce = sqlite3_get_auxdata(ctx, MATCH_ARG_CTX)) != NULL)
      iam_cache_entry_ref(ce), c_aux = 1;
    else if (get_cached(ctx, conn, fn, 1, cs, cn, iam_cache_hash(conn->contexts, cs, cn), &ce) !=
             IAM_OK)
      goto done;
  }
  IamWork w;
  iam_conn_work(conn, &w);
  int r = iam_template_match(pat, rs, rn, ce ? iam_cache_entry_obj(ce) : iam_ctx_empty(), &w);
  if (r < 0)
    iam_result_call_error(ctx, fn, r, &w);
  else
    sqlite3_result_int(ctx, r);
done:
  if (ce) {
    if (c_aux)
      iam_cache_entry_unref(ce);
    else
      sqlite3_set_auxdata(ctx, MATCH_ARG_CTX, ce, entry_unref_v);
  }
  if (pat_new) sqlite3_set_auxdata(ctx, MATCH_ARG_PATTERN, pat, template_free_v);
}

void iam_fn_version(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  sqlite3_result_text(ctx, IAM_VERSION, -1, SQLITE_STATIC);
}

/* iam_config(name [, value]): a setting of this connection, after setting it
** to value when given. */
void iam_fn_config(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  IamConn *conn = sqlite3_user_data(ctx);
  const char *name, *fn = "iam_config";
  size_t n;
  uint64_t set, value;
  IamError err;
  if (iam_arg_text(ctx, fn, argv[0], "name", &name, &n) <= 0) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
      iam_result_error(ctx, fn, "name must be text, not NULL");
    return;
  }
  if (argc > 1) { /* anything but a positive integer is out of range (0) */
    sqlite3_int64 v = sqlite3_value_int64(argv[1]);
    set = sqlite3_value_type(argv[1]) == SQLITE_INTEGER && v > 0 ? (uint64_t)v : 0;
  }
  int rc = iam_conn_setting(conn, name, n, argc > 1 ? &set : NULL, &value, &err);
  if (rc != IAM_OK)
    iam_result_core_error(ctx, fn, rc, &err);
  else
    sqlite3_result_int64(ctx, (sqlite3_int64)value);
}

void iam_fn_debug(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  IamConn *conn = sqlite3_user_data(ctx);
  IamCacheStats ps, cs;
  (void)argc, (void)argv;
  iam_cache_stats(conn->policies, &ps);
  iam_cache_stats(conn->contexts, &cs);
  char *s = sqlite3_mprintf(
      "version=%s\ncommit=%s\nsqlite=%s\ncjson=%s\n"
      "policy_cache=%u entries, %llu bytes, %llu hits, %llu misses, %llu evictions; "
      "at most %u entries, %llu bytes\n"
      "context_cache=%u entries, %llu bytes, %llu hits, %llu misses, %llu evictions; "
      "at most %u entries, %llu bytes\n"
      "work_limit=%llu\n"
      "sqlite_heap=%lld bytes used; soft limit %lld, hard limit %lld",
      IAM_VERSION, IAM_COMMIT, sqlite3_libversion(), cJSON_Version(), ps.entries,
      (unsigned long long)ps.bytes, (unsigned long long)ps.hits, (unsigned long long)ps.misses,
      (unsigned long long)ps.evictions, ps.max_entries, (unsigned long long)ps.max_bytes,
      cs.entries, (unsigned long long)cs.bytes, (unsigned long long)cs.hits,
      (unsigned long long)cs.misses, (unsigned long long)cs.evictions, cs.max_entries,
      (unsigned long long)cs.max_bytes, (unsigned long long)conn->work_limit,
      (long long)sqlite3_memory_used(), (long long)sqlite3_soft_heap_limit64(-1),
      (long long)sqlite3_hard_heap_limit64(-1));
  if (s == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, s, -1, sqlite3_free);
}

#ifdef IAM_TESTING
/* iam_test_fail_alloc(n): test builds only (-DIAM_TESTING, build/test/iam.so).
** Makes the core's n-th and later allocations fail from now on (n < 0: none)
** and returns how many core allocations were attempted since the previous
** call, so a test can tell whether the failure point was reached. */
void iam_fn_test_fail_alloc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  long before = iam_mem_count();
  iam_mem_fail_at((long)sqlite3_value_int64(argv[0]));
  sqlite3_result_int64(ctx, before);
}
#endif
