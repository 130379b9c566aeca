/* SPDX-License-Identifier: MIT */
/* Stopping a long call: sqlite3_interrupt() and the progress handler end a
** statement of hostile evaluations within 100 ms (ext/core/README.md, "The
** work limit").
**
** The hostile policy: Resource patterns "arn:aws:s3:::*aaa...ab" (1,000
** letters) against an ARN of 4,000 'a', whose greedy matching restarts about
** 3,000 times per pattern, each restart going back over 1,000 codes: about 3
** million units of work per pattern (iam_work.h). 1,000 patterns make one
** call of seconds; 6 make a row just under the default work limit. The
** policy argument of the many-rows statement depends on the row, so SQLite
** calls the function on every row rather than once.
**
**   1. one call that would run for seconds (work_limit set to 10^12):
**      sqlite3_interrupt() from another thread after 200 ms ends it with
**      SQLITE_INTERRUPT within 100 ms (the call asks every 2^20 units);
**   2. a statement of many rows each just under the default work limit:
**      sqlite3_interrupt() ends it within 100 ms;
**   3. the same statement with a progress handler (on every opcode, so the
**      latency measured is that of one call) that asks to stop once 200 ms
**      have passed: it ends within 100 ms, because no single call runs longer
**      than the work limit allows (with a handler every N opcodes, SQLite
**      asks it every N / (opcodes per row) calls).
** Each scenario runs up to three times and its best latency counts (the VM
** is shared; a slow schedule only adds). Without an interrupt, scenario 1's
** call must still be running at 200 ms (else the test proves nothing).
**
** Usage: interrupt [--ext PATH]
** Prints the latencies, then "N passed, N failed"; exits non-zero on failure.
*/
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LATENCY_MAX_MS 100.0
#define STOP_AFTER_MS  200.0
#define ATTEMPTS       3

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static sqlite3 *db;
static double stop_at; /* when the interrupt was sent / the handler said stop */

static void *interrupter(void *arg) {
  double start = *(const double *)arg;
  while (now_ms() < start + STOP_AFTER_MS) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  stop_at = now_ms();
  sqlite3_interrupt(db);
  return NULL;
}

/* The progress handler asks to stop from STOP_AFTER_MS on: the stop counts
** from that deadline, not from the handler's first call after it. */
static double progress_start;
static int progress(void *arg) {
  (void)arg;
  if (stop_at == 0 && now_ms() >= progress_start + STOP_AFTER_MS)
    stop_at = progress_start + STOP_AFTER_MS;
  return stop_at != 0;
}

/* The hostile policy: npat patterns as described above. */
static char *hostile_policy(int npat) {
  size_t cap = (size_t)npat * 1100 + 200, o = 0;
  char *s = malloc(cap);
  if (s == NULL) exit(2);
  o += (size_t)snprintf(s + o, cap - o,
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":[");
  for (int i = 0; i < npat; i++) {
    o += (size_t)snprintf(s + o, cap - o, "%s\"arn:aws:s3:::*", i ? "," : "");
    memset(s + o, 'a', 1000);
    o += 1000;
    o += (size_t)snprintf(s + o, cap - o, "b%d\"", i);
  }
  snprintf(s + o, cap - o, "]}}");
  return s;
}

static char *hostile_arn(void) {
  char *s = malloc(4100);
  if (s == NULL) exit(2);
  strcpy(s, "arn:aws:s3:::");
  memset(s + 13, 'a', 4000);
  s[4013] = 0;
  return s;
}

/* A setting; a build without iam_config() runs on (and fails the checks). */
static void config(const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
    fprintf(stderr, "interrupt: %s: %s\n", sql, err ? err : "?");
  sqlite3_free(err);
}

/* Run sql to its end; returns the step's final code and sets *latency (ms
** from stop_at to the return, or -1 if it ended before any stop). */
static int run(const char *sql, const char *policy, const char *arn, int use_thread,
               double *latency, int *rows) {
  sqlite3_stmt *q;
  pthread_t t;
  double start;
  int rc;
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
    fprintf(stderr, "interrupt: %s\n", sqlite3_errmsg(db));
    exit(2);
  }
  sqlite3_bind_text(q, 1, policy, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, arn, -1, SQLITE_STATIC);
  stop_at = 0;
  start = progress_start = now_ms();
  if (use_thread) pthread_create(&t, NULL, interrupter, &start);
  *rows = 0;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) (*rows)++;
  double end = now_ms();
  if (use_thread) pthread_join(t, NULL);
  *latency = stop_at != 0 && stop_at <= end ? end - stop_at : -1;
  sqlite3_finalize(q);
  return rc;
}

static int passed, failed;

static void scenario(const char *name, const char *sql, const char *policy, const char *arn,
                     int use_thread) {
  double best = -1;
  int rc = SQLITE_OK, rows = 0;
  for (int k = 0; k < ATTEMPTS && (best < 0 || best > LATENCY_MAX_MS); k++) {
    double lat;
    rc = run(sql, policy, arn, use_thread, &lat, &rows);
    if (rc != SQLITE_INTERRUPT || lat < 0) break;
    if (best < 0 || lat < best) best = lat;
  }
  int ok = rc == SQLITE_INTERRUPT && best >= 0 && best <= LATENCY_MAX_MS;
  printf("%s %s: %s after %d rows, %.1f ms after the stop (at most %.0f)\n", ok ? "ok  " : "FAIL",
         name, rc == SQLITE_INTERRUPT ? "interrupted" : sqlite3_errstr(rc), rows, best,
         LATENCY_MAX_MS);
  if (ok)
    passed++;
  else
    failed++;
}

int main(int argc, char **argv) {
  const char *ext = "./dist/iam";
  char *err = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--ext") && i + 1 < argc) {
      ext = argv[++i];
    } else {
      fprintf(stderr, "usage: interrupt [--ext PATH]\n");
      return 2;
    }
  }
  if (sqlite3_open_v2(":memory:", &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      NULL) != SQLITE_OK)
    return 2;
  sqlite3_enable_load_extension(db, 1);
  if (sqlite3_load_extension(db, ext, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "interrupt: cannot load %s: %s\n", ext, err ? err : "?");
    return 2;
  }
  char *arn = hostile_arn(), *big = hostile_policy(1000), *row = hostile_policy(6);

  /* 1. one long call, work limit out of the way */
  config("SELECT iam_config('work_limit', 1000000000000)");
  scenario("one call of seconds, sqlite3_interrupt", "SELECT iam_decision(?1, 's3:GetObject', ?2)",
           big, arn, 1);

  /* 2 and 3. many rows, each just under the default limit */
  config("SELECT iam_config('work_limit', 20000000)");
  const char *many =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
      " SELECT iam_decision(CASE WHEN i > 0 THEN ?1 END, 's3:GetObject', ?2) FROM n";
  double lat;
  int rows;
  if (run("SELECT iam_decision(?1, 's3:GetObject', ?2)", row, arn, 0, &lat, &rows) != SQLITE_DONE ||
      rows != 1) {
    fprintf(stderr, "interrupt: one row of the many-rows statement fails: %s\n",
            sqlite3_errmsg(db));
    failed++;
  }
  scenario("rows under the work limit, sqlite3_interrupt", many, row, arn, 1);
  sqlite3_progress_handler(db, 1, progress, NULL);
  scenario("rows under the work limit, progress handler", many, row, arn, 0);
  sqlite3_progress_handler(db, 0, NULL, NULL);

  free(arn);
  free(big);
  free(row);
  sqlite3_close(db);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
