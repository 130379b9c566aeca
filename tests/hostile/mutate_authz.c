/* SPDX-License-Identifier: MIT */
/* Fail closed, for whole requests: a property test that mutates valid
** whole-request cases and checks every answer of iam_authorize() through the
** SQL surface (dist/iam.so).
**
** Cases: the authorization corpus (JSON Lines on standard input) whose
** expected answer is not Error. Each case's own decision D comes first and
** must not be an error. Then:
**  (i) invalidating mutations give an SQL error, never a decision: a
**      Principal in an identity, boundary, session or SCP statement; a
**      resource-policy statement without Principal; an RCP Principal other
**      than "*"; an unknown request member; a caller that is no caller; a
**      bad resource_account; an SCP level that is not an array; a boundary
**      on a caller that cannot have one, a session policy on a user, identity
**      policies on an anonymous or service caller; a statement without Effect
**      in any document;
** (ii) meaning-preserving mutations give exactly D: request members in
**      reverse order, statements and documents (and SCP/RCP documents within
**      a level) in reverse order, bare strings wrapped in one-element arrays,
**      pretty-printed text;
** (iii) monotonicity: one Allow made Deny (in any policy type) never turns a
**      non-Allow into Allow nor an ExplicitDeny into anything else; one Deny
**      made Allow never turns an Allow into a deny; an identity Deny of
**      everything added never leaves an Allow (but for sts:GetCallerIdentity);
**      an empty SCP level added never turns a non-Allow into Allow.
** (iv) on every text above, the request's policy object (the request without
**      action, resource and context) is valid to iam_policy_error and has no
**      'error' row in iam_lint exactly when iam_authorize decides or fails
**      only on the action, resource or context; and the linter's own walk
**      found the error (not its fallback that reports the parser's message).
**
** Usage: mutate_authz [--ext PATH] [--every N] < cases.jsonl
** Prints "N passed, N failed" (one per check) and exits non-zero on failure.
*/
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;
static sqlite3_stmt *q, *q_agree;
static long passed, failed, agreed, disagreed;

/* The request's own members: errors about them are not the policy object's. */
static int request_error(const char *err) {
  static const char *const starts[] = {
      "iam_authorize(): action", "iam_authorize(): resource ", "iam_authorize(): resource:",
      "iam_authorize(): context", "iam_authorize(): request: missing \"action\"",
      "iam_authorize(): request: missing \"resource\"", "iam_authorize(): request must be"};
  for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
    if (strncmp(err, starts[i], strlen(starts[i])) == 0) return 1;
  return 0;
}

/* (iv): iam_policy_error and iam_lint on the policy object agree with
** iam_authorize (err NULL: it decided). */
static void check_agreement(const char *text, const char *err) {
  if (err && request_error(err)) return;
  sqlite3_reset(q_agree);
  sqlite3_bind_text(q_agree, 1, text, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(q_agree);
  if (rc == SQLITE_ROW && sqlite3_column_type(q_agree, 0) == SQLITE_NULL) {
    sqlite3_reset(q_agree);
    return; /* not a JSON object: not a policy object either */
  }
  int ok = rc == SQLITE_ROW && (sqlite3_column_type(q_agree, 1) != SQLITE_NULL) == (err != NULL) &&
           (sqlite3_column_int(q_agree, 2) > 0) == (err != NULL) &&
           sqlite3_column_int(q_agree, 3) == 0; /* the walk found it, not the parser's fallback */
  if (ok) {
    agreed++;
  } else {
    disagreed++;
    if (disagreed <= 20)
      fprintf(stderr,
              "FAIL agreement: iam_authorize %s%s; iam_policy_error: %s; iam_lint: %d error "
              "rows\n  request: %.600s\n",
              err ? "raised " : "decided", err ? err : "",
              rc == SQLITE_ROW && sqlite3_column_text(q_agree, 1)
                  ? (const char *)sqlite3_column_text(q_agree, 1)
                  : (rc == SQLITE_ROW ? "NULL" : sqlite3_errmsg(db)),
              rc == SQLITE_ROW ? sqlite3_column_int(q_agree, 2) : -1, text);
  }
  sqlite3_reset(q_agree);
}

/* iam_authorize(text): the decision (static buffer) or NULL for an error. */
static const char *decide(const char *text, char *err, size_t cap) {
  static char out[32];
  sqlite3_reset(q);
  sqlite3_bind_text(q, 1, text, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q) == SQLITE_ROW) {
    snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_reset(q);
    check_agreement(text, NULL);
    return out;
  }
  snprintf(err, cap, "%s", sqlite3_errmsg(db));
  sqlite3_reset(q);
  check_agreement(text, err);
  return NULL;
}

static void report(int ok, const char *id, const char *mutation, const char *text,
                   const char *what) {
  if (ok) {
    passed++;
    return;
  }
  failed++;
  if (failed <= 30)
    fprintf(stderr, "FAIL %s, %s: %s\n  request: %.800s%s\n", id, mutation, what, text,
            strlen(text) > 800 ? "..." : "");
}

/* Decide a mutated tree. */
static const char *decide_tree(const cJSON *t, int pretty, char **text, char *err, size_t cap) {
  *text = pretty ? cJSON_Print(t) : cJSON_PrintUnformatted(t);
  if (*text == NULL) abort();
  return decide(*text, err, cap);
}

/* ---- walking the documents of a request --------------------------------------- */

static const char *const doc_members[] = {"identity", "boundary", "session", "resource_policy",
                                          "scps",     "rcps",     "endpoint"};
#define NMEMBERS (sizeof doc_members / sizeof doc_members[0])

/* Call fn on every document of member m (levels flattened). */
typedef void (*DocFn)(cJSON *doc, const char *member, void *arg);
static void each_doc(cJSON *req, DocFn fn, void *arg) {
  for (size_t i = 0; i < NMEMBERS; i++) {
    cJSON *m = cJSON_GetObjectItemCaseSensitive(req, doc_members[i]), *d, *l;
    if (m == NULL || cJSON_IsNull(m)) continue;
    if (!strcmp(doc_members[i], "scps") || !strcmp(doc_members[i], "rcps")) {
      cJSON_ArrayForEach(l, m) cJSON_ArrayForEach(d, l) fn(d, doc_members[i], arg);
    } else if (cJSON_IsArray(m)) {
      cJSON_ArrayForEach(d, m) fn(d, doc_members[i], arg);
    } else {
      fn(m, doc_members[i], arg);
    }
  }
}

/* Statements of a document as an array (a single object is wrapped). */
static cJSON *statements(cJSON *doc) {
  cJSON *s = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
  if (cJSON_IsObject(s)) {
    cJSON *arr = cJSON_CreateArray();
    cJSON_AddItemToArray(arr, cJSON_Duplicate(s, 1));
    cJSON_ReplaceItemInObjectCaseSensitive(doc, "Statement", arr);
    s = arr;
  }
  return s;
}

/* Count, or mutate the k-th, statement matching a predicate across the request. */
typedef struct Pick {
  const char *member;  /* NULL: any member */
  const char *effect;  /* NULL: any effect */
  long k, seen;        /* mutate the k-th match (k < 0: count only) */
  void (*mutate)(cJSON *stmt);
  int done;
} Pick;

static void pick_fn(cJSON *doc, const char *member, void *arg) {
  Pick *p = arg;
  cJSON *s, *list = statements(doc);
  if (p->member && strcmp(p->member, member)) return;
  cJSON_ArrayForEach(s, list) {
    cJSON *e = cJSON_GetObjectItemCaseSensitive(s, "Effect");
    if (p->effect && (!cJSON_IsString(e) || strcmp(e->valuestring, p->effect))) continue;
    if (p->seen++ == p->k && !p->done) {
      p->mutate(s);
      p->done = 1;
    }
  }
}

static long count_statements(cJSON *req, const char *member, const char *effect) {
  Pick p = {member, effect, -1, 0, NULL, 0};
  each_doc(req, pick_fn, &p);
  return p.seen;
}

/* A copy of req with the k-th matching statement mutated (NULL if none). */
static cJSON *with_statement(const cJSON *req, const char *member, const char *effect, long k,
                             void (*mutate)(cJSON *)) {
  cJSON *c = cJSON_Duplicate(req, 1);
  Pick p = {member, effect, k, 0, mutate, 0};
  each_doc(c, pick_fn, &p);
  if (!p.done) {
    cJSON_Delete(c);
    return NULL;
  }
  return c;
}

static void add_principal(cJSON *s) {
  cJSON_DeleteItemFromObjectCaseSensitive(s, "Principal");
  cJSON_AddStringToObject(s, "Principal", "*");
}
static void drop_principal(cJSON *s) {
  cJSON_DeleteItemFromObjectCaseSensitive(s, "Principal");
  cJSON_DeleteItemFromObjectCaseSensitive(s, "NotPrincipal");
}
static void aws_star_principal(cJSON *s) {
  cJSON *p = cJSON_CreateObject();
  cJSON_AddStringToObject(p, "AWS", "*");
  cJSON_ReplaceItemInObjectCaseSensitive(s, "Principal", p);
}
static void drop_effect(cJSON *s) { cJSON_DeleteItemFromObjectCaseSensitive(s, "Effect"); }
static void to_deny(cJSON *s) {
  cJSON_ReplaceItemInObjectCaseSensitive(s, "Effect", cJSON_CreateString("Deny"));
}
static void to_allow(cJSON *s) {
  cJSON_ReplaceItemInObjectCaseSensitive(s, "Effect", cJSON_CreateString("Allow"));
}

/* ---- meaning-preserving rewrites ------------------------------------------------ */

static void reverse_array(cJSON *a) {
  cJSON *items[4096];
  int n = 0;
  while (a->child && n < 4096) items[n++] = cJSON_DetachItemViaPointer(a, a->child);
  while (n > 0) cJSON_AddItemToArray(a, items[--n]);
}

/* Reverse statements, documents, levels' documents; wrap bare strings. */
static void rewrite_doc(cJSON *doc, const char *member, void *arg) {
  (void)member, (void)arg;
  cJSON *list = statements(doc), *s;
  if (list == NULL) return;
  reverse_array(list);
  cJSON_ArrayForEach(s, list) {
    static const char *const keys[] = {"Action", "NotAction", "Resource", "NotResource"};
    for (size_t i = 0; i < 4; i++) {
      cJSON *v = cJSON_GetObjectItemCaseSensitive(s, keys[i]);
      if (cJSON_IsString(v)) {
        cJSON *arr = cJSON_CreateArray();
        cJSON_AddItemToArray(arr, cJSON_CreateString(v->valuestring));
        cJSON_ReplaceItemInObjectCaseSensitive(s, keys[i], arr);
      }
    }
  }
}

static cJSON *rewritten(const cJSON *req) {
  cJSON *c = cJSON_Duplicate(req, 1), *m, *l;
  each_doc(c, rewrite_doc, NULL);
  for (size_t i = 0; i < NMEMBERS; i++) {
    m = cJSON_GetObjectItemCaseSensitive(c, doc_members[i]);
    if (!cJSON_IsArray(m)) continue;
    if (!strcmp(doc_members[i], "scps") || !strcmp(doc_members[i], "rcps")) {
      cJSON_ArrayForEach(l, m) reverse_array(l);
    } else {
      reverse_array(m);
    }
  }
  /* members in reverse order */
  cJSON *r = cJSON_CreateObject(), *items[64];
  int n = 0;
  while (c->child && n < 64) items[n++] = cJSON_DetachItemViaPointer(c, c->child);
  while (n > 0) {
    cJSON *it = items[--n];
    cJSON_AddItemToObject(r, it->string, it);
  }
  cJSON_Delete(c);
  return r;
}

/* ---- the checks ------------------------------------------------------------------- */

static void expect_error(const char *id, const char *name, cJSON *m) {
  char *text, err[512];
  if (m == NULL) return;
  const char *d = decide_tree(m, 0, &text, err, sizeof err);
  char what[128];
  snprintf(what, sizeof what, "gave %s, expected an SQL error", d ? d : "");
  report(d == NULL, id, name, text, what);
  cJSON_free(text);
  cJSON_Delete(m);
}

static void expect_same(const char *id, const char *name, cJSON *m, const char *want, int pretty) {
  char *text, err[512];
  if (m == NULL) return;
  const char *d = decide_tree(m, pretty, &text, err, sizeof err);
  char what[700];
  snprintf(what, sizeof what, "gave %s, expected %s", d ? d : err, want);
  report(d != NULL && strcmp(d, want) == 0, id, name, text, what);
  cJSON_free(text);
  cJSON_Delete(m);
}

/* The answer may only move the given way: `never` is a decision the mutation
** must not reach from `from` (NULL: any). */
static void expect_not(const char *id, const char *name, cJSON *m, const char *from,
                       const char *d0, const char *never_a, const char *never_b) {
  char *text, err[512];
  if (m == NULL) return;
  const char *d = decide_tree(m, 0, &text, err, sizeof err);
  char what[700];
  int ok = d != NULL;
  if (ok && (from == NULL || strcmp(d0, from) == 0))
    ok = !(never_a && !strcmp(d, never_a)) && !(never_b && !strcmp(d, never_b));
  snprintf(what, sizeof what, "%s became %s", d0, d ? d : err);
  report(ok, id, name, text, what);
  cJSON_free(text);
  cJSON_Delete(m);
}

static cJSON *with_member(const cJSON *req, const char *name, cJSON *value) {
  cJSON *c = cJSON_Duplicate(req, 1);
  cJSON_DeleteItemFromObjectCaseSensitive(c, name);
  cJSON_AddItemToObject(c, name, value);
  return c;
}

static void check_case(cJSON *req, const char *id) {
  char *text, err[512];
  const char *d0p = decide_tree(req, 0, &text, err, sizeof err);
  report(d0p != NULL, id, "the case itself", text, err);
  cJSON_free(text);
  if (d0p == NULL) return;
  char d0[32];
  snprintf(d0, sizeof d0, "%s", d0p);
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(req, "principal");
  const char *who = cJSON_IsString(pr) ? pr->valuestring : "";
  int anon = !strcmp(who, "anonymous"), service = strstr(who, ".amazonaws.com") && !strchr(who, ':');
  int fed = strstr(who, ":federated-user/") != NULL, root = strstr(who, ":root") != NULL;
  int user = strstr(who, ":user/") != NULL;

  /* (i) invalidating */
  static const char *const principal_free[] = {"identity", "boundary", "session", "scps"};
  for (size_t i = 0; i < 4; i++)
    expect_error(id, "Principal added", with_statement(req, principal_free[i], NULL, 0, add_principal));
  expect_error(id, "resource-policy Principal dropped",
               with_statement(req, "resource_policy", NULL, 0, drop_principal));
  expect_error(id, "RCP Principal {\"AWS\":\"*\"}",
               with_statement(req, "rcps", NULL, 0, aws_star_principal));
  for (size_t i = 0; i < NMEMBERS; i++)
    expect_error(id, "Effect dropped", with_statement(req, doc_members[i], NULL, 0, drop_effect));
  expect_error(id, "unknown member", with_member(req, "Identity", cJSON_CreateArray()));
  expect_error(id, "principal a group",
               with_member(req, "principal", cJSON_CreateString("arn:aws:iam::111122223333:group/g")));
  expect_error(id, "resource_account 11 digits",
               with_member(req, "resource_account", cJSON_CreateString("11112222333")));
  cJSON *scps = cJSON_GetObjectItemCaseSensitive(req, "scps");
  if (cJSON_IsArray(scps) && cJSON_GetArraySize(scps) > 0 &&
      cJSON_GetArraySize(cJSON_GetArrayItem(scps, 0)) > 0) {
    cJSON *lv = cJSON_CreateArray();
    cJSON_AddItemToArray(lv, cJSON_Duplicate(cJSON_GetArrayItem(cJSON_GetArrayItem(scps, 0), 0), 1));
    expect_error(id, "an SCP level that is a document", with_member(req, "scps", lv));
  }
  cJSON *empty_doc = cJSON_Parse("{\"Version\":\"2012-10-17\",\"Statement\":[]}");
  if (fed || anon || service || root)
    expect_error(id, "boundary on a caller without one",
                 with_member(req, "boundary", cJSON_Duplicate(empty_doc, 1)));
  if (user || root || anon || service)
    expect_error(id, "session policy on a caller without one",
                 with_member(req, "session", cJSON_Duplicate(empty_doc, 1)));
  if (anon || service) {
    cJSON *arr = cJSON_CreateArray();
    cJSON_AddItemToArray(arr, cJSON_Duplicate(empty_doc, 1));
    expect_error(id, "identity policies on an anonymous or service caller",
                 with_member(req, "identity", arr));
  }

  /* (ii) meaning-preserving */
  expect_same(id, "reordered and wrapped", rewritten(req), d0, 0);
  expect_same(id, "pretty-printed", cJSON_Duplicate(req, 1), d0, 1);

  /* (iii) monotonic */
  long nallow = count_statements(req, NULL, "Allow"), ndeny = count_statements(req, NULL, "Deny");
  for (long k = 0; k < nallow; k++)
    expect_not(id, "one Allow made Deny", with_statement(req, NULL, "Allow", k, to_deny), NULL, d0,
               strcmp(d0, "Allow") ? "Allow" : NULL,
               strcmp(d0, "ExplicitDeny") ? NULL : "ImplicitDeny");
  for (long k = 0; k < ndeny; k++)
    expect_not(id, "one Deny made Allow", with_statement(req, NULL, "Deny", k, to_allow), "Allow",
               d0, "ImplicitDeny", "ExplicitDeny");
  const cJSON *action = cJSON_GetObjectItemCaseSensitive(req, "action");
  int gci = cJSON_IsString(action) && !strcasecmp(action->valuestring, "sts:GetCallerIdentity");
  if (!anon && !service && !gci) {
    cJSON *c = cJSON_Duplicate(req, 1), *id_m = cJSON_GetObjectItemCaseSensitive(c, "identity");
    cJSON *deny = cJSON_Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                              "\"Action\":\"*\",\"Resource\":\"*\"}]}");
    if (id_m == NULL || cJSON_IsNull(id_m)) {
      cJSON *arr = cJSON_CreateArray();
      cJSON_AddItemToArray(arr, deny);
      cJSON_DeleteItemFromObjectCaseSensitive(c, "identity");
      cJSON_AddItemToObject(c, "identity", arr);
    } else if (cJSON_IsArray(id_m)) {
      cJSON_AddItemToArray(id_m, deny);
    } else {
      cJSON *arr = cJSON_CreateArray();
      cJSON_AddItemToArray(arr, cJSON_Duplicate(id_m, 1));
      cJSON_AddItemToArray(arr, deny);
      cJSON_ReplaceItemInObjectCaseSensitive(c, "identity", arr);
    }
    expect_same(id, "identity Deny of everything added", c, "ExplicitDeny", 0);
  }
  if (cJSON_IsArray(scps)) {
    cJSON *c = cJSON_Duplicate(req, 1);
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(c, "scps"), cJSON_CreateArray());
    expect_not(id, "an empty SCP level added", c, NULL, d0, strcmp(d0, "Allow") ? "Allow" : NULL,
               NULL);
  }
  cJSON_Delete(empty_doc);
}

int main(int argc, char **argv) {
  const char *ext = getenv("IAM_EXT") ? getenv("IAM_EXT") : "./dist/iam";
  long every = 1, n = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--ext") && i + 1 < argc)
      ext = argv[++i];
    else if (!strcmp(argv[i], "--every") && i + 1 < argc)
      every = atol(argv[++i]);
    else {
      fprintf(stderr, "usage: mutate_authz [--ext PATH] [--every N] < cases.jsonl\n");
      return 2;
    }
  }
  if (every < 1) every = 1;
  char *err = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
      sqlite3_enable_load_extension(db, 1) != SQLITE_OK ||
      sqlite3_load_extension(db, ext, NULL, &err) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT iam_authorize(?1)", -1, &q, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "WITH r(o) AS (SELECT CASE WHEN json_valid(?1) AND json_type(?1) = "
                         "'object' THEN json_remove(?1, '$.action', '$.resource', '$.context') "
                         "END) SELECT o, iam_policy_error(o), (SELECT count(*) FROM iam_lint(o) "
                         "WHERE severity = 'error'), (SELECT count(*) FROM iam_lint(o) WHERE "
                         "message = iam_policy_error(o) || '.') FROM r",
                         -1, &q_agree, NULL) != SQLITE_OK) {
    fprintf(stderr, "mutate_authz: %s\n", err ? err : sqlite3_errmsg(db));
    return 2;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, stdin)) > 0) {
    cJSON *c = cJSON_ParseWithLength(line, (size_t)len);
    if (c == NULL) continue;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(c, "expected");
    int handwritten = cJSON_IsString(id) && strchr(id->valuestring, '-') == NULL;
    if (cJSON_IsString(exp) && strcmp(exp->valuestring, "Error") && (handwritten || n % every == 0)) {
      char idbuf[64];
      snprintf(idbuf, sizeof idbuf, "%s", cJSON_IsString(id) ? id->valuestring : "?");
      cJSON_DeleteItemFromObjectCaseSensitive(c, "id");
      cJSON_DeleteItemFromObjectCaseSensitive(c, "expected");
      check_case(c, idbuf);
    }
    n++;
    cJSON_Delete(c);
  }
  free(line);
  sqlite3_finalize(q);
  sqlite3_finalize(q_agree);
  sqlite3_close(db);
  printf("mutate_authz: iam_policy_error and iam_lint agree with iam_authorize on %ld policy "
         "objects, disagree on %ld\n",
         agreed, disagreed);
  if (disagreed || agreed == 0) failed++;
  printf("%ld passed, %ld failed\n", passed, failed);
  return failed ? 1 : 0;
}
