/* SPDX-License-Identifier: MIT */
/* Fail closed, checked: a property test that mutates valid
** policies and checks every result through the SQL surface (dist/iam.so).
**
** Policies: the conformance cases whose expected answer is not Error (read
** from standard input as JSON lines), and every version of the catalog files
** named as arguments (each document checked with the first literal action it
** names, resource "*" and an empty context). Each policy's own decision D comes first; it
** must not be an error. Then:
**  (i) invalidating mutations must give an SQL error, never a decision:
**      drop Effect, Effect in lower case, retype Action/NotAction (a number),
**      retype a condition value (an object), misspell or lower-case an
**      operator, add an unknown statement or policy element, duplicate a
**      member, add Principal, add NotAction next to Action, drop Resource,
**      a bad Version, Statement a number, truncate the text;
** (ii) meaning-preserving mutations must give exactly D: reorder
**      statements, documents and members (statements, documents, Condition
**      blocks and keys), wrap bare strings in one-element arrays, change the
**      case of condition key names, pretty-print (whitespace), wrap as
**      {"identity": ..., "boundary": null} (policies given as
**      {"identity", "boundary"} are mutated document by document);
** (iii) Effect flips: every Allow made Deny never gives Allow; one Allow made
**      Deny never turns a non-Allow into Allow nor an ExplicitDeny into
**      anything else; one Deny made Allow never turns an Allow into a deny.
** (iv) The aggregate path: every policy checked above (mutated or not) is
**      also split into rows, one document per row (kind 'identity' or
**      'boundary' as in {"identity", "boundary"}; now and then two documents
**      in one row as an array), and iam_decision_agg over the rows must give
**      exactly what iam_decision gave on the policy (the same decision, or an
**      error where it gave one), and with one of those rows cut into parts it
**      must be an error; the text of every policy, valid or not, cut
**      into rows (at random bytes, or at the commas between members and
**      elements, dropping them, so that the rows joined with commas are the
**      policy), must be an error, never a decision; so must a row holding
**      several documents (an array's inside), and a {"identity", "boundary"}
**      object, or its inside, given as one row.
**
** (iv) on every text above, valid or not, the linter and iam_policy_error agree
**      with iam_decision: iam_policy_error(text) is NULL exactly when
**      iam_decision decides, and otherwise 'iam_decision(): ' || it is the
**      error iam_decision raises; iam_lint(text) has an 'error' row exactly
**      when iam_decision raises, found by its own walk (never only by the
**      fallback that reports the parser's message).
**
** Usage: mutate [--ext PATH] [--every N] [--seed N] [catalog.json ...] < cases.jsonl
**   --every N   check every N-th generated case (hand-written ones always); default 1
** Prints "N passed, N failed" (one per check) and exits non-zero on failure.
*/
#include <cjson/cJSON.h>
#include <ctype.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;
static sqlite3_stmt *q_decide, *q_policy_error, *q_lint_errors;
static long agreed, disagreed;
static long passed, failed;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(uint32_t n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return n ? (uint32_t)(rng % n) : 0;
}

typedef struct Req {
  const char *id, *action, *resource, *ctx;
} Req;

/* (iv): iam_policy_error and iam_lint agree with iam_decision on policy;
** err is iam_decision's error, or NULL when it decided. */
static void check_agreement(const char *policy, const char *err) {
  char want[600], pe[600] = "", lint[32] = "";
  int ok = 1;
  sqlite3_reset(q_policy_error);
  sqlite3_bind_text(q_policy_error, 1, policy, -1, SQLITE_TRANSIENT);
  if (sqlite3_step(q_policy_error) != SQLITE_ROW) {
    snprintf(pe, sizeof pe, "iam_policy_error raised %s", sqlite3_errmsg(db));
    ok = 0;
  } else if (sqlite3_column_type(q_policy_error, 0) != SQLITE_NULL) {
    snprintf(pe, sizeof pe, "iam_decision(): %s", (const char *)sqlite3_column_text(q_policy_error, 0));
  }
  sqlite3_reset(q_policy_error);
  sqlite3_reset(q_lint_errors);
  sqlite3_bind_text(q_lint_errors, 1, policy, -1, SQLITE_TRANSIENT);
  int lint_errors = -1, fallback = 0;
  if (sqlite3_step(q_lint_errors) == SQLITE_ROW) {
    lint_errors = sqlite3_column_int(q_lint_errors, 0);
    fallback = sqlite3_column_int(q_lint_errors, 1);
    if (fallback) snprintf(lint, sizeof lint, "(fallback) ");
  } else {
    snprintf(lint, sizeof lint, "raised");
  }
  sqlite3_reset(q_lint_errors);
  snprintf(want, sizeof want, "%s", err ? err : "");
  if (ok && strcmp(pe, want) != 0) ok = 0;
  if (lint_errors < 0 || (lint_errors > 0) != (err != NULL) || fallback) ok = 0;
  if (ok) {
    agreed++;
    return;
  }
  disagreed++;
  if (disagreed <= 20)
    fprintf(stderr,
            "FAIL agreement: iam_decision %s%s; iam_policy_error gives '%s'; iam_lint %s%d "
            "error rows\n  policy: %.600s\n",
            err ? "raised " : "decided", err ? err : "", pe, lint, lint_errors, policy);
}

/* Decide: returns the decision text (static) or NULL for an SQL error. */
static const char *decide(const char *policy, const Req *r, char *errbuf, size_t cap) {
  static char out[32];
  sqlite3_reset(q_decide);
  sqlite3_bind_text(q_decide, 1, policy, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q_decide, 2, r->action, -1, SQLITE_STATIC);
  sqlite3_bind_text(q_decide, 3, r->resource, -1, SQLITE_STATIC);
  sqlite3_bind_text(q_decide, 4, r->ctx, -1, SQLITE_STATIC);
  int rc = sqlite3_step(q_decide);
  if (rc == SQLITE_ROW) {
    snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(q_decide, 0));
    sqlite3_reset(q_decide);
    check_agreement(policy, NULL);
    return out;
  }
  snprintf(errbuf, cap, "%s", sqlite3_errmsg(db));
  sqlite3_reset(q_decide);
  /* an error of the request (the action), not of the policy, is not compared */
  if (strncmp(errbuf, "iam_decision(): action ", 23) != 0) check_agreement(policy, errbuf);
  return NULL;
}

/* ---- the aggregate path ------------------------------------------------------ */

static int is_wrapper(const cJSON *root);

static sqlite3_stmt *q_agg, *q_agg_put, *q_agg_clear;
static char agg_out[32];

/* Rows of an aggregate group: document text (NULL: an SQL NULL) and kind. */
#define MAX_ROWS 4200
typedef struct Rows {
  char *doc[MAX_ROWS];
  const char *kind[MAX_ROWS];
  int n;
} Rows;

static int add_cut(Rows *g, const char *text, const char *kind);

static void rows_free(Rows *g) {
  for (int i = 0; i < g->n; i++) free(g->doc[i]);
  g->n = 0;
}

static void rows_add(Rows *g, const char *doc, const char *kind) {
  if (g->n >= MAX_ROWS) return;
  g->doc[g->n] = doc ? strdup(doc) : NULL;
  g->kind[g->n++] = kind;
}

static void rows_add_tree(Rows *g, const cJSON *j, const char *kind) {
  char *t = cJSON_PrintUnformatted(j);
  rows_add(g, t, kind);
  cJSON_free(t);
}

/* The documents of j (one, or an array of them) as rows: one per row, or now
** and then two together as an array. An empty array is a row of its own. */
static void rows_add_docs(Rows *g, const cJSON *j, const char *kind) {
  if (!cJSON_IsArray(j) || j->child == NULL) {
    rows_add_tree(g, j, kind);
    return;
  }
  for (const cJSON *d = j->child; d; d = d->next) {
    if (d->next && rnd(4) == 0) {
      cJSON *pair = cJSON_CreateArray();
      cJSON_AddItemToArray(pair, cJSON_Duplicate(d, 1));
      cJSON_AddItemToArray(pair, cJSON_Duplicate(d->next, 1));
      rows_add_tree(g, pair, kind);
      cJSON_Delete(pair);
      d = d->next;
    } else {
      rows_add_tree(g, d, kind);
    }
  }
}

/* A policy as the rows of one group: {"identity", "boundary"} by kind. */
static void rows_from_tree(const cJSON *t, Rows *g) {
  g->n = 0;
  if (is_wrapper(t)) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "identity");
    const cJSON *bd = cJSON_GetObjectItemCaseSensitive(t, "boundary");
    for (const cJSON *c = t->child; c; c = c->next) /* any other member: a row that says so */
      if (strcmp(c->string, "identity") && strcmp(c->string, "boundary")) rows_add_tree(g, t, "identity");
    if (id) rows_add_docs(g, id, "identity");
    if (bd && !cJSON_IsNull(bd)) rows_add_docs(g, bd, "boundary");
  } else {
    rows_add_docs(g, t, "identity");
  }
  if (g->n == 0) rows_add(g, NULL, "identity"); /* a group of only NULL documents */
}

/* iam_decision_agg over the rows, in order: the decision (static), or NULL for an error. */
static const char *decide_rows(const Rows *g, const Req *r, char *errbuf, size_t cap) {
  int rc = SQLITE_OK;
  sqlite3_reset(q_agg_clear);
  if (sqlite3_step(q_agg_clear) != SQLITE_DONE) rc = SQLITE_ERROR;
  for (int i = 0; i < g->n && rc == SQLITE_OK; i++) {
    sqlite3_reset(q_agg_put);
    sqlite3_bind_int(q_agg_put, 1, i);
    if (g->doc[i])
      sqlite3_bind_text(q_agg_put, 2, g->doc[i], -1, SQLITE_STATIC);
    else
      sqlite3_bind_null(q_agg_put, 2);
    sqlite3_bind_text(q_agg_put, 3, g->kind[i], -1, SQLITE_STATIC);
    if (sqlite3_step(q_agg_put) != SQLITE_DONE) rc = SQLITE_ERROR;
  }
  if (rc != SQLITE_OK) {
    snprintf(errbuf, cap, "cannot fill the rows: %s", sqlite3_errmsg(db));
    return NULL;
  }
  sqlite3_reset(q_agg);
  sqlite3_bind_text(q_agg, 1, r->action, -1, SQLITE_STATIC);
  sqlite3_bind_text(q_agg, 2, r->resource, -1, SQLITE_STATIC);
  sqlite3_bind_text(q_agg, 3, r->ctx, -1, SQLITE_STATIC);
  rc = sqlite3_step(q_agg);
  const unsigned char *v = rc == SQLITE_ROW ? sqlite3_column_text(q_agg, 0) : NULL;
  if (v) {
    snprintf(agg_out, sizeof agg_out, "%s", (const char *)v);
    sqlite3_reset(q_agg);
    return agg_out;
  }
  snprintf(errbuf, cap, "%s", rc == SQLITE_ROW ? "NULL" : sqlite3_errmsg(db));
  sqlite3_reset(q_agg);
  return NULL;
}

static void report(int ok, const Req *r, const char *mutation, const char *text, const char *what);

/* (iv) the rows of tree decide as the scalar did on it (d: its decision, NULL for an error). */
static void check_rows(const Req *r, const char *mutation, const cJSON *tree, const char *d) {
  static Rows g;
  char err[512], what[1200], name[256], *text = cJSON_PrintUnformatted(tree);
  rows_from_tree(tree, &g);
  const char *a = decide_rows(&g, r, err, sizeof err);
  snprintf(name, sizeof name, "%s, as %d aggregate rows", mutation, g.n);
  snprintf(what, sizeof what, "iam_decision_agg gave %s where iam_decision gave %s", a ? a : err,
           d ? d : "an error");
  report(d ? a && strcmp(a, d) == 0 : a == NULL, r, name, text, what);
  /* the same rows with one of them cut into parts: an error, never a decision */
  static Rows cut;
  int pick = (int)rnd((uint32_t)g.n), how = -1;
  cut.n = 0;
  for (int i = 0; i < g.n; i++) {
    if (i == pick && g.doc[i])
      how = add_cut(&cut, g.doc[i], g.kind[i]);
    else
      rows_add(&cut, g.doc[i], g.kind[i]);
  }
  if (how >= 0) {
    a = decide_rows(&cut, r, err, sizeof err);
    snprintf(name, sizeof name, "%s, row %d of %d cut %s", mutation, pick + 1, g.n,
             how ? "at commas" : "anywhere");
    snprintf(what, sizeof what, "rows that are parts of documents gave %s, not an SQL error",
             a ? a : "");
    report(a == NULL, r, name, text, what);
  }
  rows_free(&cut);
  rows_free(&g);
  cJSON_free(text);
}

/* Byte offsets of the commas of text outside strings (at most max). */
static int separator_commas(const char *text, size_t *at, int max) {
  int n = 0, in_str = 0;
  for (size_t i = 0; text[i] && n < max; i++) {
    if (in_str) {
      if (text[i] == '\\' && text[i + 1])
        i++;
      else if (text[i] == '"')
        in_str = 0;
    } else if (text[i] == '"') {
      in_str = 1;
    } else if (text[i] == ',') {
      at[n++] = i;
    }
  }
  return n;
}

/* Append text to g cut into 2 or 3 rows (kind): at random bytes, or at commas
** between members or elements with the commas dropped, so that the rows
** joined again with commas would be the text itself. Returns 1 if it cut at
** commas, 0 at bytes, -1 if the text is too short to cut (appended whole). */
static int add_cut(Rows *g, const char *text, const char *kind) {
  static size_t commas[4096];
  size_t len = strlen(text), cuts[4] = {0, 0, 0, len}, skip = 0;
  int nc;
  if (len < 3) {
    rows_add(g, text, kind);
    return -1;
  }
  if (rnd(2) && (nc = separator_commas(text, commas, 4096)) > 0) {
    cuts[1] = commas[rnd((uint32_t)nc)];
    cuts[2] = rnd(2) ? commas[rnd((uint32_t)nc)] : cuts[1];
    skip = 1; /* drop the comma that starts each later row */
  } else {
    cuts[1] = 1 + rnd((uint32_t)(len - 1));
    cuts[2] = rnd(2) ? 1 + rnd((uint32_t)(len - 1)) : cuts[1];
  }
  if (cuts[2] < cuts[1]) {
    size_t t = cuts[1];
    cuts[1] = cuts[2], cuts[2] = t;
  }
  int before = g->n;
  for (int k = 0; k < 3; k++) {
    size_t from = cuts[k] + (k > 0 ? skip : 0);
    if (cuts[k + 1] <= from) continue;
    char *part = strndup(text + from, cuts[k + 1] - from);
    rows_add(g, part, kind);
    free(part);
  }
  if (g->n - before < 2) { /* nothing left after a dropped comma: keep it whole */
    while (g->n > before) free(g->doc[--g->n]);
    rows_add(g, text, kind);
    return -1;
  }
  return skip ? 1 : 0;
}

/* (iv) text (a whole policy) cut into 2 or 3 rows: an error, never a decision. */
static void check_cut_rows(const Req *r, const char *mutation, const char *text) {
  static Rows g;
  char err[512], what[700], name[256];
  g.n = 0;
  int how = add_cut(&g, text, "identity");
  if (how >= 0) {
    const char *a = decide_rows(&g, r, err, sizeof err);
    snprintf(name, sizeof name, "%s, cut %s into %d aggregate rows", mutation,
             how ? "at commas" : "anywhere", g.n);
    snprintf(what, sizeof what, "rows that are parts of one policy gave %s, not an SQL error",
             a ? a : "");
    report(a == NULL, r, name, text, what);
  }
  rows_free(&g);
}

/* (iv) a row with the inside of an array of two or more documents (several
** documents, not an array), or the inside of a {"identity", "boundary"}
** object: an error, never a decision. */
static void check_inner_row(const Req *r, const cJSON *tree, const char *text) {
  static Rows g;
  size_t len = strlen(text);
  char err[512];
  if (len < 2 || !((cJSON_IsArray(tree) && cJSON_GetArraySize(tree) >= 2) || is_wrapper(tree)))
    return;
  char *inner = strndup(text + 1, len - 2);
  g.n = 0;
  rows_add(&g, inner, "identity");
  free(inner);
  const char *a = decide_rows(&g, r, err, sizeof err);
  report(a == NULL, r, cJSON_IsArray(tree) ? "several documents in one aggregate row"
                                           : "the inside of the policy object as one aggregate row",
         text, "the row gave a decision, not an SQL error");
  rows_free(&g);
}

static void report(int ok, const Req *r, const char *mutation, const char *text, const char *what) {
  if (ok) {
    passed++;
    return;
  }
  failed++;
  if (failed <= 30)
    fprintf(stderr, "FAIL %s, %s: %s\n  policy: %.600s%s\n", r->id, mutation, what, text,
            strlen(text) > 600 ? "..." : "");
}

/* ---- the policy tree -------------------------------------------------------- */

#define MAXS 4096
typedef struct Stmts {
  cJSON *s[MAXS]; /* statement objects */
  int n;
  cJSON *docs[MAXS];
  int ndocs;
} Stmts;

static void collect_doc(cJSON *doc, Stmts *S) {
  if (!cJSON_IsObject(doc) || S->ndocs >= MAXS) return;
  S->docs[S->ndocs++] = doc;
  cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
  if (cJSON_IsObject(st)) {
    if (S->n < MAXS) S->s[S->n++] = st;
  } else if (cJSON_IsArray(st)) {
    cJSON *c;
    cJSON_ArrayForEach(c, st) if (cJSON_IsObject(c) && S->n < MAXS) S->s[S->n++] = c;
  }
}

/* {"identity": documents, "boundary": documents or null} (spec §3.2) */
static int is_wrapper(const cJSON *root) {
  return cJSON_IsObject(root) && !cJSON_HasObjectItem(root, "Statement") &&
         (cJSON_HasObjectItem(root, "identity") || cJSON_HasObjectItem(root, "boundary"));
}

static void collect_docs(cJSON *docs, Stmts *S) {
  if (cJSON_IsArray(docs)) {
    cJSON *d;
    cJSON_ArrayForEach(d, docs) collect_doc(d, S);
  } else {
    collect_doc(docs, S);
  }
}

static void collect(cJSON *root, Stmts *S) {
  S->n = S->ndocs = 0;
  if (is_wrapper(root)) {
    collect_docs(cJSON_GetObjectItemCaseSensitive(root, "identity"), S);
    collect_docs(cJSON_GetObjectItemCaseSensitive(root, "boundary"), S);
  } else {
    collect_docs(root, S);
  }
}

/* Condition blocks / keys of a statement. */
static cJSON *random_cond_key(cJSON *st, cJSON **block) {
  cJSON *cond = cJSON_GetObjectItemCaseSensitive(st, "Condition"), *b, *k, *pick = NULL;
  int seen = 0;
  if (!cJSON_IsObject(cond)) return NULL;
  cJSON_ArrayForEach(b, cond) {
    cJSON_ArrayForEach(k, b) {
      if (rnd((uint32_t)++seen) == 0) pick = k, *block = b;
    }
  }
  return pick;
}

static int has_condition(const cJSON *st) {
  const cJSON *cond = cJSON_GetObjectItemCaseSensitive(st, "Condition");
  return cJSON_IsObject(cond) && cond->child != NULL;
}

/* Reverse the children of an object or array. */
static void reverse_children(cJSON *j) {
  cJSON *c = j->child, *prev = NULL, *tail = j->child;
  if (c == NULL) return;
  while (c) {
    cJSON *next = c->next;
    c->next = prev;
    c->prev = next; /* fixed below */
    prev = c;
    c = next;
  }
  j->child = prev;
  /* cJSON: child->prev is the last element; others' prev is the previous one */
  cJSON *p = NULL;
  for (c = j->child; c; c = c->next) {
    c->prev = p;
    p = c;
  }
  j->child->prev = tail;
}

static void reverse_all(cJSON *j, int depth) {
  if (depth > 8) return;
  if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
    cJSON *c;
    cJSON_ArrayForEach(c, j) reverse_all(c, depth + 1);
    /* value arrays of Action/Resource/condition values keep their order: reordering
    ** them is meaning-preserving as well, but objects are what we mean here */
    if (cJSON_IsObject(j)) reverse_children(j);
  }
}

static void wrap_strings(cJSON *st) {
  static const char *const members[] = {"Action", "NotAction", "Resource", "NotResource"};
  for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
    cJSON *m = cJSON_GetObjectItemCaseSensitive(st, members[i]);
    if (cJSON_IsString(m)) {
      cJSON *arr = cJSON_CreateArray();
      cJSON_AddItemToArray(arr, cJSON_CreateString(m->valuestring));
      cJSON_ReplaceItemInObjectCaseSensitive(st, members[i], arr);
    }
  }
  cJSON *cond = cJSON_GetObjectItemCaseSensitive(st, "Condition"), *b, *k;
  if (!cJSON_IsObject(cond)) return;
  cJSON_ArrayForEach(b, cond) {
    if (!cJSON_IsObject(b)) continue;
    for (k = b->child; k; k = k->next) {
      if (cJSON_IsArray(k)) continue;
      cJSON *arr = cJSON_CreateArray(), *v = cJSON_Duplicate(k, 1);
      free(v->string);
      v->string = NULL;
      cJSON_AddItemToArray(arr, v);
      arr->string = malloc(strlen(k->string) + 1);
      strcpy(arr->string, k->string);
      cJSON_ReplaceItemViaPointer(b, k, arr); /* deletes k */
      k = arr;
    }
  }
}

static void case_keys(cJSON *st, int upper) {
  cJSON *cond = cJSON_GetObjectItemCaseSensitive(st, "Condition"), *b, *k;
  if (!cJSON_IsObject(cond)) return;
  cJSON_ArrayForEach(b, cond) {
    if (!cJSON_IsObject(b)) continue;
    cJSON_ArrayForEach(k, b) {
      for (char *p = k->string; *p; p++)
        *p = (char)(upper ? toupper((unsigned char)*p) : tolower((unsigned char)*p));
    }
  }
}

static int set_effects(Stmts *S, const char *from, const char *to, int only) {
  int n = 0, k = 0;
  for (int i = 0; i < S->n; i++) {
    cJSON *e = cJSON_GetObjectItemCaseSensitive(S->s[i], "Effect");
    if (!cJSON_IsString(e) || strcmp(e->valuestring, from) != 0) continue;
    if (only >= 0 && k++ != only) continue;
    cJSON_SetValuestring(e, to);
    n++;
  }
  return n;
}

static int count_effect(Stmts *S, const char *eff) {
  int n = 0;
  for (int i = 0; i < S->n; i++) {
    cJSON *e = cJSON_GetObjectItemCaseSensitive(S->s[i], "Effect");
    n += cJSON_IsString(e) && strcmp(e->valuestring, eff) == 0;
  }
  return n;
}

/* ---- checks ------------------------------------------------------------------- */

static void expect_error(const Req *r, const char *mutation, cJSON *tree) {
  char err[512], *text = cJSON_PrintUnformatted(tree);
  const char *d = decide(text, r, err, sizeof err);
  char what[700];
  snprintf(what, sizeof what, "an invalid policy gave %s, not an SQL error", d ? d : "");
  report(d == NULL, r, mutation, text, what);
  check_rows(r, mutation, tree, NULL);
  check_cut_rows(r, mutation, text);
  cJSON_free(text);
}

static void expect_text_error(const Req *r, const char *mutation, const char *text) {
  char err[512];
  const char *d = decide(text, r, err, sizeof err);
  char what[700];
  snprintf(what, sizeof what, "an invalid policy gave %s, not an SQL error", d ? d : "");
  report(d == NULL, r, mutation, text, what);
  check_cut_rows(r, mutation, text);
}

static void expect_same(const Req *r, const char *mutation, const char *text, const char *d0) {
  char err[512], what[1200];
  const char *d = decide(text, r, err, sizeof err);
  snprintf(what, sizeof what, "gave %s, not %s", d ? d : err, d0);
  report(d && strcmp(d, d0) == 0, r, mutation, text, what);
  check_cut_rows(r, mutation, text);
}

static void expect_same_tree(const Req *r, const char *mutation, cJSON *tree, const char *d0,
                             int pretty) {
  char *text = pretty ? cJSON_Print(tree) : cJSON_PrintUnformatted(tree);
  expect_same(r, mutation, text, d0);
  check_rows(r, mutation, tree, d0);
  cJSON_free(text);
}

/* Mutations of one valid policy (root: its parsed tree; d0 its decision). */
static void mutate(const Req *r, const cJSON *orig, const char *text0, const char *d0) {
  Stmts S;
  cJSON *t;
  int ns;
  char what[1024];

  /* ---- (i) invalidating ---- */
#define FRESH() (t = cJSON_Duplicate(orig, 1), collect(t, &S), ns = S.n)
#define DONE() cJSON_Delete(t)
  FRESH();
  if (ns) {
    cJSON_DeleteItemFromObjectCaseSensitive(S.s[rnd((uint32_t)ns)], "Effect");
    expect_error(r, "drop Effect", t);
  }
  DONE();
  FRESH();
  if (ns) {
    cJSON *e = cJSON_GetObjectItemCaseSensitive(S.s[rnd((uint32_t)ns)], "Effect");
    if (cJSON_IsString(e)) {
      e->valuestring[0] = (char)tolower((unsigned char)e->valuestring[0]);
      expect_error(r, "Effect in lower case", t);
    }
  }
  DONE();
  FRESH();
  if (ns) {
    cJSON *st = S.s[rnd((uint32_t)ns)];
    const char *m = cJSON_HasObjectItem(st, "Action") ? "Action" : "NotAction";
    cJSON_ReplaceItemInObjectCaseSensitive(st, m, cJSON_CreateNumber(42));
    expect_error(r, "Action a number", t);
  }
  DONE();
  FRESH();
  if (ns) {
    cJSON *st = S.s[rnd((uint32_t)ns)];
    const char *m = cJSON_HasObjectItem(st, "Resource") ? "Resource" : "NotResource";
    cJSON_ReplaceItemInObjectCaseSensitive(st, m, cJSON_CreateObject());
    expect_error(r, "Resource an object", t);
  }
  DONE();
  FRESH();
  {
    int with[MAXS], nw = 0;
    for (int i = 0; i < ns; i++)
      if (has_condition(S.s[i])) with[nw++] = i;
    if (nw) {
      cJSON *st = S.s[with[rnd((uint32_t)nw)]], *block = NULL;
      cJSON *k = random_cond_key(st, &block);
      if (k) {
        cJSON *obj = cJSON_CreateObject();
        cJSON_AddStringToObject(obj, "a", "b");
        if (cJSON_IsArray(k) && k->child) {
          cJSON_ReplaceItemInArray(k, 0, obj);
        } else {
          cJSON_ReplaceItemInObjectCaseSensitive(block, k->string, obj);
        }
        expect_error(r, "condition value an object", t);
      }
    }
    DONE();
    static const char *const op_mutations[] = {"misspell operator", "operator in lower case",
                                               "operator with a space", "IfExists twice"};
    for (int m = 0; nw && m < 4; m++) {
      FRESH();
      cJSON *st = S.s[with[rnd((uint32_t)nw)]];
      cJSON *cond = cJSON_GetObjectItemCaseSensitive(st, "Condition");
      cJSON *b = cond->child;
      for (uint32_t skip = rnd((uint32_t)cJSON_GetArraySize(cond)); skip > 0 && b->next; skip--)
        b = b->next;
      size_t len = strlen(b->string);
      char *name = malloc(len + 20);
      if (m == 0) {
        memcpy(name, b->string, len + 1);
        size_t at = len > 4 ? len - 3 : 0;
        name[at] = name[at] == 'z' ? 'y' : 'z';
      } else if (m == 1) {
        memcpy(name, b->string, len + 1);
        char *base = strchr(name, ':') ? strchr(name, ':') + 1 : name;
        *base = (char)tolower((unsigned char)*base);
      } else if (m == 2) {
        snprintf(name, len + 20, "%s ", b->string);
      } else {
        snprintf(name, len + 20, "%sIfExists", b->string);
        if (len <= 8 || strcmp(b->string + len - 8, "IfExists") != 0) {
          free(name);
          DONE();
          continue;
        }
      }
      cJSON_free(b->string);
      b->string = name; /* cJSON frees it with free() by default */
      expect_error(r, op_mutations[m], t);
      DONE();
    }
  }
  FRESH();
  if (ns) {
    cJSON_AddNumberToObject(S.s[rnd((uint32_t)ns)], "Foo", 1);
    expect_error(r, "unknown statement element", t);
  }
  DONE();
  FRESH();
  if (S.ndocs) {
    cJSON_AddItemToObject(S.docs[rnd((uint32_t)S.ndocs)], "Statements", cJSON_CreateArray());
    expect_error(r, "unknown policy element", t);
  }
  DONE();
  FRESH();
  if (ns) {
    cJSON *st = S.s[rnd((uint32_t)ns)];
    cJSON *m = st->child;
    for (uint32_t skip = rnd((uint32_t)cJSON_GetArraySize(st)); skip > 0 && m->next; skip--)
      m = m->next;
    cJSON_AddItemToObject(st, m->string, cJSON_Duplicate(m, 1));
    snprintf(what, sizeof what, "duplicate member %s", m->string);
    expect_error(r, what, t);
  }
  DONE();
  FRESH();
  if (S.ndocs) {
    cJSON *doc = S.docs[rnd((uint32_t)S.ndocs)];
    cJSON_AddItemToObject(doc, "Statement",
                          cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(doc, "Statement"), 1));
    expect_error(r, "duplicate Statement", t);
  }
  DONE();
  FRESH();
  if (ns) {
    cJSON_AddStringToObject(S.s[rnd((uint32_t)ns)], "Principal", "*");
    expect_error(r, "Principal added", t);
  }
  DONE();
  FRESH();
  if (ns) {
    cJSON *st = S.s[rnd((uint32_t)ns)];
    cJSON_AddStringToObject(st, cJSON_HasObjectItem(st, "Action") ? "NotAction" : "Action", "x:y");
    expect_error(r, "Action and NotAction", t);
  }
  DONE();
  FRESH();
  if (ns) {
    cJSON *st = S.s[rnd((uint32_t)ns)];
    cJSON_DeleteItemFromObjectCaseSensitive(st, "Resource");
    cJSON_DeleteItemFromObjectCaseSensitive(st, "NotResource");
    expect_error(r, "no Resource", t);
  }
  DONE();
  FRESH();
  if (S.ndocs) {
    cJSON *doc = S.docs[rnd((uint32_t)S.ndocs)];
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "Version");
    cJSON_AddStringToObject(doc, "Version", "2012-10-18");
    expect_error(r, "bad Version", t);
  }
  DONE();
  FRESH();
  if (S.ndocs) {
    cJSON *doc = S.docs[rnd((uint32_t)S.ndocs)];
    cJSON_ReplaceItemInObjectCaseSensitive(doc, "Statement", cJSON_CreateNumber(1));
    expect_error(r, "Statement a number", t);
  }
  DONE();
  {
    size_t len = strlen(text0);
    char *cut = malloc(len + 1);
    for (int k = 0; k < 3 && len > 1; k++) {
      size_t at = 1 + rnd((uint32_t)(len - 1)); /* a proper, non-empty prefix */
      memcpy(cut, text0, at);
      cut[at] = 0;
      expect_text_error(r, "truncated", cut);
    }
    free(cut);
  }

  /* ---- (ii) meaning-preserving ---- */
  FRESH();
  for (int i = 0; i < S.ndocs; i++) {
    cJSON *st = cJSON_GetObjectItemCaseSensitive(S.docs[i], "Statement");
    if (cJSON_IsArray(st)) reverse_children(st);
  }
  if (cJSON_IsArray(t)) reverse_children(t);
  if (is_wrapper(t)) {
    cJSON *c;
    cJSON_ArrayForEach(c, t) if (cJSON_IsArray(c)) reverse_children(c);
  }
  expect_same_tree(r, "statements and documents reversed", t, d0, 0);
  DONE();
  FRESH();
  reverse_all(t, 0);
  expect_same_tree(r, "members reversed", t, d0, 0);
  DONE();
  FRESH();
  for (int i = 0; i < ns; i++) wrap_strings(S.s[i]);
  expect_same_tree(r, "bare strings wrapped in arrays", t, d0, 0);
  DONE();
  FRESH();
  for (int i = 0; i < ns; i++) case_keys(S.s[i], 1);
  expect_same_tree(r, "condition keys in upper case", t, d0, 0);
  DONE();
  FRESH();
  for (int i = 0; i < ns; i++) case_keys(S.s[i], 0);
  expect_same_tree(r, "condition keys in lower case", t, d0, 1);
  DONE();
  {
    size_t len = strlen(text0);
    char *ws = malloc(3 * len + 8);
    size_t o = 0;
    int in_str = 0;
    ws[o++] = '\n';
    for (size_t i = 0; i < len; i++) {
      char c = text0[i];
      ws[o++] = c;
      if (in_str) {
        if (c == '\\') ws[o++] = text0[++i];
        else if (c == '"') in_str = 0;
      } else if (c == '"') {
        in_str = 1;
      } else if (c == ',' || c == ':' || c == '[' || c == '{') {
        ws[o++] = ' ';
        ws[o++] = "\t\r\n "[rnd(4)];
      }
    }
    ws[o++] = ' ';
    ws[o] = 0;
    expect_same(r, "whitespace added", ws, d0);
    free(ws);
  }
  if (!is_wrapper(orig)) {
    size_t len = strlen(text0);
    char *w = malloc(len + 64);
    snprintf(w, len + 64, "{\"boundary\":null,\"identity\":%s}", text0);
    expect_same(r, "wrapped as identity", w, d0);
    free(w);
  }

  /* ---- (iii) Effect flips ---- */
  FRESH();
  int nallow = count_effect(&S, "Allow"), ndeny = count_effect(&S, "Deny");
  set_effects(&S, "Allow", "Deny", -1);
  {
    char err[512], *text = cJSON_PrintUnformatted(t);
    const char *d = decide(text, r, err, sizeof err);
    snprintf(what, sizeof what, "every Allow made Deny gave %s", d ? d : err);
    report(d && strcmp(d, "Allow") != 0, r, "every Allow made Deny", text, what);
    check_rows(r, "every Allow made Deny", t, d);
    cJSON_free(text);
  }
  DONE();
  if (nallow) {
    FRESH();
    set_effects(&S, "Allow", "Deny", (int)rnd((uint32_t)nallow));
    char err[512], *text = cJSON_PrintUnformatted(t);
    const char *d = decide(text, r, err, sizeof err);
    int ok = d != NULL;
    if (ok && strcmp(d0, "Allow") != 0) ok = strcmp(d, "Allow") != 0;
    if (ok && strcmp(d0, "ExplicitDeny") == 0) ok = strcmp(d, "ExplicitDeny") == 0;
    snprintf(what, sizeof what, "one Allow made Deny gave %s (was %s)", d ? d : err, d0);
    report(ok, r, "one Allow made Deny", text, what);
    check_rows(r, "one Allow made Deny", t, d);
    cJSON_free(text);
    DONE();
  }
  if (ndeny) {
    FRESH();
    set_effects(&S, "Deny", "Allow", (int)rnd((uint32_t)ndeny));
    char err[512], *text = cJSON_PrintUnformatted(t);
    const char *d = decide(text, r, err, sizeof err);
    int ok = d != NULL && (strcmp(d0, "Allow") != 0 || strcmp(d, "Allow") == 0);
    snprintf(what, sizeof what, "one Deny made Allow gave %s (was %s)", d ? d : err, d0);
    report(ok, r, "one Deny made Allow", text, what);
    check_rows(r, "one Deny made Allow", t, d);
    cJSON_free(text);
    DONE();
  }
#undef FRESH
#undef DONE
}

static void check_policy(const Req *r, const cJSON *tree) {
  char err[512], *text = cJSON_PrintUnformatted(tree);
  const char *d = decide(text, r, err, sizeof err);
  char d0[32], what[700];
  snprintf(what, sizeof what, "the valid policy gave an error: %s", err);
  report(d != NULL, r, "unmutated", text, what);
  if (d) {
    snprintf(d0, sizeof d0, "%s", d);
    check_rows(r, "unmutated", tree, d0);
    check_cut_rows(r, "unmutated", text);
    check_inner_row(r, tree, text);
    if (is_wrapper(tree)) { /* the policy object is never a row */
      static Rows g;
      char err2[512];
      g.n = 0;
      rows_add(&g, text, "identity");
      const char *a = decide_rows(&g, r, err2, sizeof err2);
      report(a == NULL, r, "the {\"identity\", \"boundary\"} object as one aggregate row", text,
             "the policy object as a row gave a decision, not an SQL error");
      rows_free(&g);
    }
    mutate(r, tree, text, d0);
  }
  cJSON_free(text);
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, f);
    if (n < cap - 1) break;
    cap *= 2;
    char *b = realloc(buf, cap);
    if (b == NULL) free(buf);
    buf = b;
  }
  fclose(f);
  if (buf) buf[n] = 0;
  return buf;
}

/* The first literal action named in a document (for the catalog). */
static const char *first_action(const cJSON *root) {
  Stmts *S = malloc(sizeof *S);
  const char *a = NULL;
  collect((cJSON *)(uintptr_t)root, S);
  for (int i = 0; i < S->n && !a; i++) {
    const cJSON *act = cJSON_GetObjectItemCaseSensitive(S->s[i], "Action"), *c;
    if (cJSON_IsString(act) && !strpbrk(act->valuestring, "*?")) a = act->valuestring;
    if (cJSON_IsArray(act))
      cJSON_ArrayForEach(c, act) if (!a && cJSON_IsString(c) && !strpbrk(c->valuestring, "*?"))
          a = c->valuestring;
  }
  free(S);
  return a ? a : "ecs:RunTask";
}

int main(int argc, char **argv) {
  const char *ext = getenv("IAM_EXT") ? getenv("IAM_EXT") : "./dist/iam";
  long every = 1, line_no = 0, cases = 0;
  int argi = 1;
  for (; argi < argc && strncmp(argv[argi], "--", 2) == 0; argi++) {
    if (!strcmp(argv[argi], "--ext") && argi + 1 < argc) ext = argv[++argi];
    else if (!strcmp(argv[argi], "--every") && argi + 1 < argc) every = atol(argv[++argi]);
    else if (!strcmp(argv[argi], "--seed") && argi + 1 < argc) rng ^= strtoull(argv[++argi], NULL, 10);
    else {
      fprintf(stderr, "usage: mutate [--ext PATH] [--every N] [--seed N] [catalog.json ...] < cases.jsonl\n");
      return 2;
    }
  }
  if (every < 1) every = 1;
  char *err = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 2;
  sqlite3_enable_load_extension(db, 1);
  if (sqlite3_load_extension(db, ext, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "mutate: cannot load %s: %s\n", ext, err ? err : "?");
    return 2;
  }
  if (sqlite3_prepare_v2(db, "SELECT iam_decision(?1, ?2, ?3, ?4)", -1, &q_decide, NULL) != SQLITE_OK)
    return 2;
  if (sqlite3_prepare_v2(db, "SELECT iam_policy_error(?1)", -1, &q_policy_error, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "SELECT count(*), sum(message = iam_policy_error(?1) || '.') FROM "
                         "iam_lint(?1) WHERE severity = 'error'",
                         -1, &q_lint_errors, NULL) != SQLITE_OK)
    return 2;
  if (sqlite3_exec(db, "CREATE TEMP TABLE agg_rows(i INTEGER PRIMARY KEY, d TEXT, k TEXT)", NULL,
                   NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "INSERT INTO agg_rows VALUES (?1, ?2, ?3)", -1, &q_agg_put, NULL) ||
      sqlite3_prepare_v2(db, "DELETE FROM agg_rows", -1, &q_agg_clear, NULL) ||
      sqlite3_prepare_v2(db,
                         "SELECT iam_decision_agg(d, ?1, ?2, ?3, k) FROM "
                         "(SELECT d, k FROM agg_rows ORDER BY i)",
                         -1, &q_agg, NULL) != SQLITE_OK) {
    fprintf(stderr, "mutate: %s\n", sqlite3_errmsg(db));
    return 2;
  }
  printf("mutate: SELECT iam_decision(mutated policy, action, resource, context), and "
         "iam_decision_agg over its documents as rows, with %s\n", ext);

  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, stdin)) > 0) {
    line_no++;
    cJSON *c = cJSON_ParseWithLength(line, (size_t)len);
    if (c == NULL) continue;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(c, "expected");
    int handwritten = cJSON_IsString(id) && strchr(id->valuestring, '-') == NULL;
    if (cJSON_IsString(exp) && strcmp(exp->valuestring, "Error") != 0 &&
        (handwritten || line_no % every == 0)) {
      char *ctx = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(c, "context"));
      const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "action");
      const cJSON *res = cJSON_GetObjectItemCaseSensitive(c, "resource");
      const cJSON *pol = cJSON_GetObjectItemCaseSensitive(c, "policies");
      if (ctx && cJSON_IsString(a) && cJSON_IsString(res) && pol) {
        Req r = {cJSON_IsString(id) ? id->valuestring : "?", a->valuestring, res->valuestring, ctx};
        check_policy(&r, pol);
        cases++;
      }
      cJSON_free(ctx);
    }
    cJSON_Delete(c);
  }
  free(line);
  for (; argi < argc; argi++) {
    char *doc = read_file(argv[argi]);
    cJSON *root = doc ? cJSON_Parse(doc) : NULL;
    if (root == NULL) {
      fprintf(stderr, "mutate: cannot read %s\n", argv[argi]);
      failed++;
    } else {
      /* a catalog file: {"name", ..., "versions":[{"document":{...}}, ...]}, or a bare document */
      const cJSON *versions = cJSON_GetObjectItemCaseSensitive(root, "versions"), *v;
      if (cJSON_IsArray(versions)) {
        cJSON_ArrayForEach(v, versions) {
          const cJSON *d = cJSON_GetObjectItemCaseSensitive(v, "document");
          if (!cJSON_IsObject(d)) continue;
          Req r = {argv[argi], first_action(d), "*", "{}"};
          check_policy(&r, d);
          cases++;
        }
      } else {
        Req r = {argv[argi], first_action(root), "*", "{}"};
        check_policy(&r, root);
        cases++;
      }
    }
    cJSON_Delete(root);
    free(doc);
  }
  sqlite3_finalize(q_decide);
  sqlite3_finalize(q_policy_error);
  sqlite3_finalize(q_lint_errors);
  sqlite3_finalize(q_agg);
  sqlite3_finalize(q_agg_put);
  sqlite3_finalize(q_agg_clear);
  sqlite3_close(db);
  printf("mutate: %ld policies\n", cases);
  printf("mutate: iam_policy_error and iam_lint agree with iam_decision on %ld texts, disagree "
         "on %ld\n",
         agreed, disagreed);
  if (disagreed) failed++;
  if (agreed == 0) {
    fprintf(stderr, "mutate: no text compared with iam_policy_error and iam_lint\n");
    failed++;
  }
  if (cases == 0) {
    fprintf(stderr, "mutate: no policy to mutate\n");
    failed++;
  }
  printf("%ld passed, %ld failed\n", passed, failed);
  return failed ? 1 : 0;
}
