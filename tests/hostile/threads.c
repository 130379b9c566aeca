/* SPDX-License-Identifier: MIT */
/* Threads: several connections in one process evaluate at once.
**
** Reads the conformance corpus (JSON lines) from standard input and computes
** the reference results on one connection, single-threaded: for every case
** iam_decision(...) and iam_allows(...) (or the error message), and for every
** 16th case the decision column of iam_explain(...). Then:
**   - 8 threads, each with its own connection (sqlite3_open_v2 with
**     SQLITE_OPEN_FULLMUTEX, extension enabled and loaded in the thread),
**     each evaluating the whole corpus twice (the second pass hits the
**     per-connection cache) in its own shuffled order;
**   - 4 threads sharing one FULLMUTEX connection (SQLite serialises them; the
**     connection's cache is shared), each over a shuffled quarter.
** Every result must equal the reference. Run under ThreadSanitizer by
** `make tsan`.
**
** Usage: threads [--ext PATH] [--threads N] < cases.jsonl
** Prints "N passed, N failed" (one per thread) and exits non-zero on failure.
*/
#include <cjson/cJSON.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Case {
  char *id, *policy, *action, *resource, *ctx;
  char *ref; /* "decision|allows|explain" or "E:message" parts */
} Case;

static Case *cases;
static size_t ncases;
static const char *ext = "./dist/iam";

static sqlite3 *open_conn(void) {
  sqlite3 *db = NULL;
  char *err = NULL;
  int rc = sqlite3_open_v2(":memory:", &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK) {
    fprintf(stderr, "threads: cannot open a connection\n");
    exit(2);
  }
  sqlite3_enable_load_extension(db, 1);
  if (sqlite3_load_extension(db, ext, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "threads: cannot load %s: %s\n", ext, err ? err : "?");
    exit(2);
  }
  return db;
}

typedef struct Stmts {
  sqlite3_stmt *decide, *allows, *explain;
} Stmts;

static void prepare(sqlite3 *db, Stmts *s) {
  if (sqlite3_prepare_v2(db, "SELECT iam_decision(?1, ?2, ?3, ?4)", -1, &s->decide, NULL) ||
      sqlite3_prepare_v2(db, "SELECT iam_allows(?1, ?2, ?3, ?4)", -1, &s->allows, NULL) ||
      sqlite3_prepare_v2(db, "SELECT group_concat(decision || applies, ',') FROM iam_explain(?1, ?2, ?3, ?4)",
                         -1, &s->explain, NULL)) {
    fprintf(stderr, "threads: prepare: %s\n", sqlite3_errmsg(db));
    exit(2);
  }
}

static void finalize(Stmts *s) {
  sqlite3_finalize(s->decide);
  sqlite3_finalize(s->allows);
  sqlite3_finalize(s->explain);
}

/* One query's result as text appended to out: the value, or E:message. */
static void one(sqlite3_stmt *st, const Case *c, char *out, size_t cap) {
  size_t n = strlen(out);
  sqlite3_bind_text(st, 1, c->policy, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, c->action, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, c->resource, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, c->ctx, -1, SQLITE_STATIC);
  /* Threads may share a connection: hold its mutex from step to errmsg, or
  ** another thread's step can replace the error message in between. */
  sqlite3_mutex *m = sqlite3_db_mutex(sqlite3_db_handle(st));
  sqlite3_mutex_enter(m);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(out + n, cap - n, "%s|", t ? (const char *)t : "NULL");
  } else {
    snprintf(out + n, cap - n, "E:%s|", sqlite3_errmsg(sqlite3_db_handle(st)));
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  sqlite3_mutex_leave(m);
}

static void evaluate(Stmts *s, size_t i, char *out, size_t cap) {
  out[0] = 0;
  one(s->decide, &cases[i], out, cap);
  one(s->allows, &cases[i], out, cap);
  if (i % 16 == 0) one(s->explain, &cases[i], out, cap);
}

static void shuffle(size_t *order, size_t n, uint64_t seed) {
  for (size_t i = 0; i < n; i++) order[i] = i;
  for (size_t i = n; i > 1; i--) {
    seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
    size_t j = (size_t)(seed % i), t = order[i - 1];
    order[i - 1] = order[j];
    order[j] = t;
  }
}

typedef struct Worker {
  pthread_t tid;
  int index;
  sqlite3 *shared; /* NULL: open an own connection */
  size_t from, to; /* the slice of a shuffled order to evaluate */
  int passes;
  long mismatches, evaluated;
} Worker;

static void *work(void *arg) {
  Worker *w = arg;
  sqlite3 *db = w->shared ? w->shared : open_conn();
  Stmts s;
  char buf[2048];
  size_t *order = malloc(ncases * sizeof *order);
  if (order == NULL) abort();
  prepare(db, &s);
  shuffle(order, ncases, 0x2545F4914F6CDD1Dull * (uint64_t)(w->index + 1));
  for (int pass = 0; pass < w->passes; pass++) {
    for (size_t k = w->from; k < w->to; k++) {
      size_t i = order[pass ? w->to - 1 - (k - w->from) : k];
      evaluate(&s, i, buf, sizeof buf);
      w->evaluated++;
      if (strcmp(buf, cases[i].ref) != 0) {
        if (w->mismatches++ < 5)
          fprintf(stderr, "FAIL thread %d, case %s: %s, not %s\n", w->index, cases[i].id, buf,
                  cases[i].ref);
      }
    }
  }
  finalize(&s);
  free(order);
  if (!w->shared) sqlite3_close(db);
  return NULL;
}

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d == NULL) abort();
  return memcpy(d, s, n);
}

int main(int argc, char **argv) {
  int nthreads = 8;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--ext") && i + 1 < argc) ext = argv[++i];
    else if (!strcmp(argv[i], "--threads") && i + 1 < argc) nthreads = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: threads [--ext PATH] [--threads N] < cases.jsonl\n");
      return 2;
    }
  }
  if (nthreads < 1) nthreads = 1;
  if (!sqlite3_threadsafe()) {
    fprintf(stderr, "threads: SQLite is built without thread support\n");
    return 2;
  }
  /* the corpus */
  size_t cap = 0;
  char *line = NULL;
  size_t lcap = 0;
  ssize_t len;
  while ((len = getline(&line, &lcap, stdin)) > 0) {
    cJSON *c = cJSON_ParseWithLength(line, (size_t)len);
    if (c == NULL) continue;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "action");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(c, "resource");
    char *p = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(c, "policies"));
    char *x = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(c, "context"));
    if (cJSON_IsString(id) && cJSON_IsString(a) && cJSON_IsString(r) && p && x) {
      if (ncases == cap) {
        cap = cap ? 2 * cap : 1024;
        cases = realloc(cases, cap * sizeof *cases);
        if (cases == NULL) abort();
      }
      Case *k = &cases[ncases++];
      k->id = dup_str(id->valuestring);
      k->policy = dup_str(p);
      k->action = dup_str(a->valuestring);
      k->resource = dup_str(r->valuestring);
      k->ctx = dup_str(x);
      k->ref = NULL;
    }
    cJSON_free(p);
    cJSON_free(x);
    cJSON_Delete(c);
  }
  free(line);
  if (ncases == 0) {
    fprintf(stderr, "threads: no cases on standard input\n");
    printf("0 passed, 1 failed\n");
    return 1;
  }

  /* the single-threaded reference */
  {
    sqlite3 *db = open_conn();
    Stmts s;
    char buf[2048];
    prepare(db, &s);
    for (size_t i = 0; i < ncases; i++) {
      evaluate(&s, i, buf, sizeof buf);
      cases[i].ref = dup_str(buf);
    }
    finalize(&s);
    sqlite3_close(db);
  }
  printf("threads: %zu cases, reference computed on one connection\n", ncases);

  int passed = 0, failed = 0;
  /* own connections */
  Worker *w = calloc((size_t)nthreads + 4, sizeof *w);
  if (w == NULL) abort();
  for (int i = 0; i < nthreads; i++) {
    w[i].index = i;
    w[i].from = 0;
    w[i].to = ncases;
    w[i].passes = 2;
    if (pthread_create(&w[i].tid, NULL, work, &w[i]) != 0) {
      fprintf(stderr, "threads: pthread_create failed\n");
      return 2;
    }
  }
  for (int i = 0; i < nthreads; i++) {
    pthread_join(w[i].tid, NULL);
    printf("%s thread %d (own connection): %ld evaluations, %ld differ from the reference\n",
           w[i].mismatches ? "FAIL" : "ok  ", i, w[i].evaluated, w[i].mismatches);
    if (w[i].mismatches || w[i].evaluated != 2 * (long)ncases) failed++;
    else passed++;
  }
  /* one shared connection */
  sqlite3 *shared = open_conn();
  for (int i = 0; i < 4; i++) {
    Worker *x = &w[nthreads + i];
    x->index = nthreads + i;
    x->shared = shared;
    x->from = ncases * (size_t)i / 4;
    x->to = ncases * (size_t)(i + 1) / 4;
    x->passes = 2;
    if (pthread_create(&x->tid, NULL, work, x) != 0) return 2;
  }
  for (int i = 0; i < 4; i++) {
    Worker *x = &w[nthreads + i];
    pthread_join(x->tid, NULL);
    printf("%s thread %d (shared connection): %ld evaluations, %ld differ from the reference\n",
           x->mismatches ? "FAIL" : "ok  ", x->index, x->evaluated, x->mismatches);
    if (x->mismatches) failed++;
    else passed++;
  }
  sqlite3_close(shared);
  for (size_t i = 0; i < ncases; i++) {
    free(cases[i].id);
    free(cases[i].policy);
    free(cases[i].action);
    free(cases[i].resource);
    free(cases[i].ctx);
    free(cases[i].ref);
  }
  free(cases);
  free(w);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
