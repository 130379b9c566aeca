/* Scalar SQL functions: iam_decision, iam_allows, iam_action_matches,
** iam_resource_matches, iam_version, iam_debug.
**
** Compiled policies and contexts are kept in a bounded per-connection cache
** keyed by their text, so a policy read from a column is parsed once however
** many rows carry it; constant arguments also keep a reference in auxdata. */
#include <cjson/cJSON.h>
#include <string.h>

#include "iam_ctx.h"
#include "iam_eval.h"
#include "iam_match.h"
#include "iam_policy.h"
#include "iam_sqlite.h"

#ifndef IAM_VERSION
#define IAM_VERSION "0.0.0"
#endif
#ifndef IAM_COMMIT
#define IAM_COMMIT "unknown"
#endif

static void entry_unref_v(void *e) { iam_cache_entry_unref(e); }

/* Report a core error: "fn(): message". */
static void report(sqlite3_context *ctx, const char *fn, int rc, const IamError *err) {
  if (rc == IAM_ENOMEM) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  char *msg = sqlite3_mprintf("%s(): %s", fn, err->msg);
  if (msg == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_error(ctx, msg, -1);
  sqlite3_free(msg);
}

static void report_msg(sqlite3_context *ctx, const char *fn, const char *what) {
  char *msg = sqlite3_mprintf("%s(): %s", fn, what);
  if (msg == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_error(ctx, msg, -1);
  sqlite3_free(msg);
}

/* The text of a TEXT argument. Returns 1, 0 for NULL, -1 after raising an
** error for any other type. */
static int arg_text(sqlite3_context *ctx, const char *fn, sqlite3_value *v, const char *what,
                    const char **s, size_t *n) {
  int t = sqlite3_value_type(v);
  if (t == SQLITE_NULL) return 0;
  if (t != SQLITE_TEXT) {
    char *msg = sqlite3_mprintf("%s must be text, not %s", what,
                                t == SQLITE_BLOB      ? "a blob (use CAST(x AS TEXT))"
                                : t == SQLITE_INTEGER ? "an integer"
                                                      : "a real");
    if (msg == NULL) {
      sqlite3_result_error_nomem(ctx);
    } else {
      report_msg(ctx, fn, msg);
      sqlite3_free(msg);
    }
    return -1;
  }
  *s = (const char *)sqlite3_value_text(v);
  *n = (size_t)sqlite3_value_bytes(v);
  if (*s == NULL) {
    sqlite3_result_error_nomem(ctx);
    return -1;
  }
  return 1;
}

/* A compiled policy or context for text s (hash h), from the connection's
** cache or a fresh parse; errors are reported on ctx. On success *e holds one
** reference. */
static int get_cached(sqlite3_context *ctx, IamConn *conn, const char *fn, int is_ctx,
                      const char *s, size_t n, uint64_t h, IamCacheEntry **e) {
  IamError err;
  int rc =
      is_ctx ? iam_conn_ctx(conn, s, n, h, e, &err) : iam_conn_policy(conn, s, n, h, 0, e, &err);
  if (rc != IAM_OK) report(ctx, fn, rc, &err);
  return rc;
}

static int is_empty_object(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
  if (i >= n || s[i++] != '{') return 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
  if (i >= n || s[i++] != '}') return 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
  return i == n;
}

/* Decide and set the result. With use_aux, compiled objects are handed to
** auxdata slots 0 (policy) and 3 (context) for constant arguments. */
static void decide_text(sqlite3_context *ctx, const char *fn, int as_bool, int use_aux,
                        const char *ps, size_t pn, const char *as, size_t an, const char *rs,
                        size_t rn, const char *cs, size_t cn) {
  IamConn *conn = sqlite3_user_data(ctx);
  IamCacheEntry *pe = NULL, *ce = NULL;
  int p_aux = 0, c_aux = 0, want_ctx = cs != NULL && !is_empty_object(cs, cn);
  uint64_t hp = 0, hc = 0;
  IamError err;
  /* Constant arguments keep their compiled object in auxdata. */
  if (use_aux && (pe = sqlite3_get_auxdata(ctx, 0)) != NULL) iam_cache_entry_ref(pe), p_aux = 1;
  if (want_ctx && use_aux && (ce = sqlite3_get_auxdata(ctx, 3)) != NULL)
    iam_cache_entry_ref(ce), c_aux = 1;
  /* Otherwise both lookups wait for memory at the same time: hash each text and
  ** start fetching its slot, then the entries those slots name. */
  int look_c = want_ctx && !c_aux, look_p = !p_aux;
  if (look_c) {
    hc = iam_hash(cs, cn);
    iam_cache_prefetch(conn->contexts, hc);
  }
  if (look_p) {
    hp = iam_hash(ps, pn);
    iam_cache_prefetch(conn->policies, hp);
  }
  if (look_c) iam_cache_prefetch_entry(conn->contexts, hc, cn);
  if (look_p) iam_cache_prefetch_entry(conn->policies, hp, pn);
  if (look_p && get_cached(ctx, conn, fn, 0, ps, pn, hp, &pe) != IAM_OK) goto done;
  int rc = iam_request_check(as, an, rs, rn, &err);
  if (rc != IAM_OK) {
    report(ctx, fn, rc, &err);
    goto done;
  }
  if (look_c && get_cached(ctx, conn, fn, 1, cs, cn, hc, &ce) != IAM_OK) goto done;
  IamRequest req = {as, an, rs, rn, ce ? iam_cache_entry_obj(ce) : iam_ctx_empty()};
  IamDecision d;
  if (iam_eval(iam_cache_entry_obj(pe), &req, &d, NULL) != IAM_OK) {
    sqlite3_result_error_nomem(ctx);
    goto done;
  }
  if (as_bool)
    sqlite3_result_int(ctx, d == IAM_ALLOW);
  else
    sqlite3_result_text(ctx, iam_decision_name(d), -1, SQLITE_STATIC);
done:
  /* Hand our references to auxdata (kept for constant arguments); last calls. */
  if (ce) {
    if (c_aux || !use_aux)
      iam_cache_entry_unref(ce);
    else
      sqlite3_set_auxdata(ctx, 3, ce, entry_unref_v);
  }
  if (pe == NULL) return;
  if (p_aux || !use_aux)
    iam_cache_entry_unref(pe);
  else
    sqlite3_set_auxdata(ctx, 0, pe, entry_unref_v);
}

/* iam_decision(policy, action, resource [, ctx]) and iam_allows(...). */
static void decide(sqlite3_context *ctx, int argc, sqlite3_value **argv, const char *fn,
                   int as_bool) {
  const char *ps, *as, *rs, *cs = NULL;
  size_t pn, an, rn, cn = 0;
  if (arg_text(ctx, fn, argv[0], "policy", &ps, &pn) <= 0) return;
  if (arg_text(ctx, fn, argv[1], "action", &as, &an) <= 0) return;
  if (arg_text(ctx, fn, argv[2], "resource", &rs, &rn) <= 0) return;
  if (argc == 4 && arg_text(ctx, fn, argv[3], "context", &cs, &cn) < 0) return;
  decide_text(ctx, fn, as_bool, 1, ps, pn, as, an, rs, rn, cs, cn);
}

/* ---- aggregates: iam_decision_agg / iam_allows_agg ----------------------------
** iam_decision_agg(document, action, resource [, ctx [, kind]]) collects the
** documents of a group (kind 'identity', the default, or 'boundary') and
** decides once at the end, as iam_decision on
** {"identity": [...], "boundary": [...]} would. NULL documents are skipped;
** action, resource and ctx must be the same on every row of a group.
**
** Each row is parsed on its own first, and must be one complete policy
** document or one array of them (not the {"identity", "boundary"} object).
** Only then is its text spliced into the group's policy: a complete JSON value
** cannot close or open anything around it, so rows cannot combine into a
** document that none of them is, nor add a member to the policy object. */
enum { AGG_ACTION, AGG_RESOURCE, AGG_CONTEXT, AGG_NARG };

typedef struct AggState {
  sqlite3_str *docs[2]; /* identity, boundary: comma-separated documents */
  int ndocs[2], have_bd, rows, failed;
  char *arg[AGG_NARG]; /* action, resource, context of the first row (NULL: SQL NULL) */
  size_t arg_len[AGG_NARG];
} AggState;

static const char *const agg_arg_name[AGG_NARG] = {"action", "resource", "context"};

/* JSON whitespace as cJSON skips it (any byte up to ' '). */
static int json_space(char c) { return (unsigned char)c <= ' '; }

/* Check one row's document alone (through the connection cache). Returns 0,
** or -1 after reporting the error with the row number. */
static int agg_check_row(sqlite3_context *ctx, const char *fn, int row, const char *s, size_t n) {
  IamConn *conn = sqlite3_user_data(ctx);
  IamCacheEntry *e = NULL;
  IamError err;
  int rc = iam_conn_policy(conn, s, n, iam_hash(s, n), IAM_PARSE_DOCS, &e, &err);
  if (rc == IAM_OK) {
    iam_cache_entry_unref(e);
    return 0;
  }
  if (rc == IAM_ENOMEM) {
    sqlite3_result_error_nomem(ctx);
  } else {
    char *msg = sqlite3_mprintf("%s(): row %d: %s", fn, row, err.msg);
    if (msg == NULL) {
      sqlite3_result_error_nomem(ctx);
    } else {
      sqlite3_result_error(ctx, msg, -1);
      sqlite3_free(msg);
    }
  }
  return -1;
}

static void agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv, const char *fn) {
  AggState *st = sqlite3_aggregate_context(ctx, sizeof *st);
  const char *ds, *a[AGG_NARG] = {NULL, NULL, NULL};
  size_t dn, an[AGG_NARG] = {0, 0, 0};
  int boundary = 0;
  if (st == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (st->failed) return;
  st->failed = 1; /* until this row is taken */
  st->rows++;
  /* The same argument checks as the scalars, with lengths: never cut at a NUL. */
  for (int i = 0; i < AGG_NARG && i + 1 < argc; i++)
    if (arg_text(ctx, fn, argv[i + 1], agg_arg_name[i], &a[i], &an[i]) < 0) return;
  if (st->rows == 1) {
    for (int i = 0; i < AGG_NARG; i++) {
      if (a[i] == NULL) continue;
      if ((st->arg[i] = sqlite3_malloc64(an[i] + 1)) == NULL) {
        sqlite3_result_error_nomem(ctx);
        return;
      }
      memcpy(st->arg[i], a[i], an[i]);
      st->arg[i][an[i]] = 0;
      st->arg_len[i] = an[i];
    }
    st->docs[0] = sqlite3_str_new(NULL);
    st->docs[1] = sqlite3_str_new(NULL);
  } else {
    for (int i = 0; i < AGG_NARG; i++) {
      if ((a[i] == NULL) != (st->arg[i] == NULL) ||
          (a[i] != NULL && (an[i] != st->arg_len[i] || memcmp(a[i], st->arg[i], an[i]) != 0))) {
        report_msg(ctx, fn,
                   "action, resource and context must be the same on every row of a group");
        return;
      }
    }
  }
  if (argc == 5) {
    const char *k;
    size_t kn;
    int r = arg_text(ctx, fn, argv[4], "kind", &k, &kn);
    if (r < 0) return;
    if (r > 0 && kn == 8 && memcmp(k, "boundary", 8) == 0) {
      boundary = 1;
    } else if (r > 0 && !(kn == 8 && memcmp(k, "identity", 8) == 0)) {
      report_msg(ctx, fn, "kind must be 'identity' or 'boundary'");
      return;
    }
  }
  int r = arg_text(ctx, fn, argv[0], "document", &ds, &dn);
  if (r < 0) return;
  if (boundary) st->have_bd = 1;
  if (r > 0) {
    if (agg_check_row(ctx, fn, st->rows, ds, dn) < 0) return;
    /* Valid alone: one document, or an array of them whose elements are spliced in. */
    while (dn && json_space(ds[0])) ds++, dn--;
    while (dn && json_space(ds[dn - 1])) dn--;
    if (ds[0] == '[') {
      ds++, dn -= 2;
      size_t k = 0;
      while (k < dn && json_space(ds[k])) k++;
      if (k == dn) dn = 0; /* an empty array adds nothing */
    }
    if (dn > 0) {
      sqlite3_str *out = st->docs[boundary];
      if (st->ndocs[boundary]++) sqlite3_str_appendchar(out, 1, ',');
      sqlite3_str_append(out, ds, (int)dn);
      if (sqlite3_str_errcode(out) != SQLITE_OK) {
        sqlite3_result_error_nomem(ctx);
        return;
      }
    }
  }
  st->failed = 0;
}

static void agg_final(sqlite3_context *ctx, const char *fn, int as_bool) {
  AggState *st = sqlite3_aggregate_context(ctx, 0);
  if (st == NULL || st->rows == 0) return; /* no rows: NULL */
  char *id = sqlite3_str_finish(st->docs[0]), *bd = sqlite3_str_finish(st->docs[1]);
  if (!st->failed && st->arg[AGG_ACTION] && st->arg[AGG_RESOURCE]) {
    char *policy = sqlite3_mprintf(
        st->have_bd ? "{\"identity\":[%s],\"boundary\":[%s]}" : "{\"identity\":[%s]}", id ? id : "",
        bd ? bd : "");
    if (policy == NULL || (st->ndocs[0] && id == NULL) || (st->ndocs[1] && bd == NULL)) {
      sqlite3_result_error_nomem(ctx);
    } else {
      decide_text(ctx, fn, as_bool, 0, policy, strlen(policy), st->arg[AGG_ACTION],
                  st->arg_len[AGG_ACTION], st->arg[AGG_RESOURCE], st->arg_len[AGG_RESOURCE],
                  st->arg[AGG_CONTEXT], st->arg_len[AGG_CONTEXT]);
    }
    sqlite3_free(policy);
  }
  sqlite3_free(id);
  sqlite3_free(bd);
  for (int i = 0; i < AGG_NARG; i++) sqlite3_free(st->arg[i]);
}

static void fn_decision_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  agg_step(ctx, argc, argv, "iam_decision_agg");
}
static void fn_decision_final(sqlite3_context *ctx) { agg_final(ctx, "iam_decision_agg", 0); }
static void fn_allows_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  agg_step(ctx, argc, argv, "iam_allows_agg");
}
static void fn_allows_final(sqlite3_context *ctx) { agg_final(ctx, "iam_allows_agg", 1); }

static void fn_decision(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  decide(ctx, argc, argv, "iam_decision", 0);
}

static void fn_allows(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  decide(ctx, argc, argv, "iam_allows", 1);
}

/* iam_action_matches(pattern, action): 1/0 with the evaluator's rules. */
static void fn_action_matches(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *ps, *as, *fn = "iam_action_matches";
  size_t pn, an;
  IamError err;
  IamOp stack_ops[256], *ops = stack_ops;
  char stack_lower[256], *lower = stack_lower;
  (void)argc;
  if (arg_text(ctx, fn, argv[0], "pattern", &ps, &pn) <= 0) return;
  if (arg_text(ctx, fn, argv[1], "action", &as, &an) <= 0) return;
  int rc = iam_request_check(as, an, NULL, 0, &err);
  if (rc != IAM_OK) {
    report(ctx, fn, rc, &err);
    return;
  }
  if (pn > 256) ops = sqlite3_malloc64(pn * sizeof *ops);
  if (an > 256) lower = sqlite3_malloc64(an);
  if (ops == NULL || lower == NULL) {
    sqlite3_result_error_nomem(ctx);
  } else {
    iam_ops_action(ops, ps, pn);
    iam_ascii_lower(lower, as, an);
    sqlite3_result_int(ctx, iam_ops_match(ops, (uint32_t)pn, lower, an) == 1);
  }
  if (ops != stack_ops) sqlite3_free(ops);
  if (lower != stack_lower) sqlite3_free(lower);
}

static void pattern_free_v(void *p) { iam_pattern_free(p); }

/* iam_resource_matches(pattern, arn [, ctx]): Resource matching, with policy
** variables (Version 2012-10-17 rules) taken from ctx when given. */
static void fn_resource_matches(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  IamConn *conn = sqlite3_user_data(ctx);
  const char *ps, *rs, *cs = NULL, *fn = "iam_resource_matches";
  size_t pn, rn, cn = 0;
  IamCacheEntry *ce = NULL;
  int c_aux = 0, pat_new = 0;
  if (arg_text(ctx, fn, argv[0], "pattern", &ps, &pn) <= 0) return;
  if (arg_text(ctx, fn, argv[1], "arn", &rs, &rn) <= 0) return;
  if (argc == 3 && arg_text(ctx, fn, argv[2], "context", &cs, &cn) < 0) return;
  IamError err;
  int rc = iam_request_check(NULL, 0, rs, rn, &err);
  if (rc != IAM_OK) {
    report(ctx, fn, rc, &err);
    return;
  }
  IamPattern *pat = sqlite3_get_auxdata(ctx, 0);
  if (pat == NULL) {
    if (iam_pattern_new(ps, pn, IAM_TPL_RESOURCE, 1, &pat) != IAM_OK) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    pat_new = 1;
  }
  if (cs != NULL && !is_empty_object(cs, cn)) {
    if ((ce = sqlite3_get_auxdata(ctx, 2)) != NULL)
      iam_cache_entry_ref(ce), c_aux = 1;
    else if (get_cached(ctx, conn, fn, 1, cs, cn, iam_hash(cs, cn), &ce) != IAM_OK)
      goto done;
  }
  int r = iam_resource_match(&pat->t, rs, rn, ce ? iam_cache_entry_obj(ce) : iam_ctx_empty());
  if (r < 0)
    sqlite3_result_error_nomem(ctx);
  else
    sqlite3_result_int(ctx, r);
done:
  if (ce) {
    if (c_aux)
      iam_cache_entry_unref(ce);
    else
      sqlite3_set_auxdata(ctx, 2, ce, entry_unref_v);
  }
  if (pat_new) sqlite3_set_auxdata(ctx, 0, pat, pattern_free_v);
}

static void fn_version(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  sqlite3_result_text(ctx, IAM_VERSION, -1, SQLITE_STATIC);
}

static void fn_debug(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  IamConn *conn = sqlite3_user_data(ctx);
  IamCacheStats ps, cs;
  (void)argc, (void)argv;
  iam_cache_stats(conn->policies, &ps);
  iam_cache_stats(conn->contexts, &cs);
  char *s = sqlite3_mprintf(
      "version=%s\ncommit=%s\nsqlite=%s\ncjson=%s\n"
      "policy_cache=%u entries, %llu bytes, %llu hits, %llu misses, %llu evictions\n"
      "context_cache=%u entries, %llu bytes, %llu hits, %llu misses, %llu evictions",
      IAM_VERSION, IAM_COMMIT, sqlite3_libversion(), cJSON_Version(), ps.entries,
      (unsigned long long)ps.bytes, (unsigned long long)ps.hits, (unsigned long long)ps.misses,
      (unsigned long long)ps.evictions, cs.entries, (unsigned long long)cs.bytes,
      (unsigned long long)cs.hits, (unsigned long long)cs.misses, (unsigned long long)cs.evictions);
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
static void fn_test_fail_alloc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  long before = iam_mem_count();
  iam_mem_fail_at((long)sqlite3_value_int64(argv[0]));
  sqlite3_result_int64(ctx, before);
}
#endif

static const struct {
  const char *name;
  int nArg;
  int flags;
  void (*fn)(sqlite3_context *, int, sqlite3_value **);
  void (*step)(sqlite3_context *, int, sqlite3_value **);
  void (*final)(sqlite3_context *);
} aFunc[] = {
    {"iam_decision", 3, IAM_FN_FLAGS, fn_decision, NULL, NULL},
    {"iam_decision", 4, IAM_FN_FLAGS, fn_decision, NULL, NULL},
    {"iam_allows", 3, IAM_FN_FLAGS, fn_allows, NULL, NULL},
    {"iam_allows", 4, IAM_FN_FLAGS, fn_allows, NULL, NULL},
    {"iam_action_matches", 2, IAM_FN_FLAGS, fn_action_matches, NULL, NULL},
    {"iam_resource_matches", 2, IAM_FN_FLAGS, fn_resource_matches, NULL, NULL},
    {"iam_resource_matches", 3, IAM_FN_FLAGS, fn_resource_matches, NULL, NULL},
    {"iam_version", 0, IAM_FN_FLAGS, fn_version, NULL, NULL},
    /* iam_debug reports cache counters, which change: not deterministic */
    {"iam_debug", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, fn_debug, NULL, NULL},
    {"iam_decision_agg", 3, IAM_FN_FLAGS, NULL, fn_decision_step, fn_decision_final},
    {"iam_decision_agg", 4, IAM_FN_FLAGS, NULL, fn_decision_step, fn_decision_final},
    {"iam_decision_agg", 5, IAM_FN_FLAGS, NULL, fn_decision_step, fn_decision_final},
    {"iam_allows_agg", 3, IAM_FN_FLAGS, NULL, fn_allows_step, fn_allows_final},
    {"iam_allows_agg", 4, IAM_FN_FLAGS, NULL, fn_allows_step, fn_allows_final},
    {"iam_allows_agg", 5, IAM_FN_FLAGS, NULL, fn_allows_step, fn_allows_final},
#ifdef IAM_TESTING
    {"iam_test_fail_alloc", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, fn_test_fail_alloc, NULL, NULL},
#endif
};

int iam_register_functions(sqlite3 *db, IamConn *conn, char **pzErrMsg) {
  for (size_t i = 0; i < sizeof aFunc / sizeof aFunc[0]; i++) {
    conn->refs++; /* released by SQLite through iam_conn_unref, also on failure */
    int rc = sqlite3_create_function_v2(db, aFunc[i].name, aFunc[i].nArg, aFunc[i].flags, conn,
                                        aFunc[i].fn, aFunc[i].step, aFunc[i].final, iam_conn_unref);
    if (rc != SQLITE_OK) {
      if (pzErrMsg)
        *pzErrMsg =
            sqlite3_mprintf("iam: cannot register %s: %s", aFunc[i].name, sqlite3_errmsg(db));
      return rc;
    }
  }
  return SQLITE_OK;
}
