/* SPDX-License-Identifier: MIT */
/*
** bench: evaluation throughput and peak memory of the extension
** (ext/core/README.md, "Speed and the compiled-policy cache").
**
** Usage: bench [--ext PATH] [--rows N] [--seed N] [--policy FILE] < corpus.jsonl
**
** Reads conformance cases (JSON Lines, tests/conformance/README.md) from
** standard input into a table `src`, then builds, in an in-memory database:
**
**   t(policy, action, resource, ctx)   N rows: the cases replicated to N rows
**                                       in a shuffled order (Fisher-Yates,
**                                       fixed seed), so rows with equal
**                                       policies are not adjacent
**   r(action, resource, ctx)            the requests of t, without policies
**
** and times only these statements (clock_gettime around sqlite3_step):
**
**   scan   SELECT count(*) FROM t WHERE policy NOT NULL AND ... (no iam call)
**   floor  SELECT count(*) FROM t WHERE bench_touch(policy, action, resource, ctx)
**          bench_touch is a C function of this driver that only takes the
**          four texts (sqlite3_value_text) and returns 1: what SQLite costs to
**          hand a function its arguments, the bound for any extension
**   (a)    SELECT count(*) FROM t WHERE iam_allows(policy, action, resource, ctx)
**          run four times: the first run compiles every distinct policy set,
**          the next three find them in the per-connection cache (the median
**          of those is the "warm" figure)
**   (b)    SELECT count(*) FROM r WHERE iam_allows(?1, action, resource, ctx)
**          with one constant policy bound to ?1 (--policy FILE, else a small
**          built-in ECS document)
**
** With --authz FILE (whole-request cases, tests/conformance/authorization/
** README.md), it also builds, from the cases that do not expect an error:
**
**   ta(obj, action, resource, ctx)      the object form: the request without
**                                       action/resource/context, N rows shuffled
**   tq(request)                         the whole request, N rows shuffled
**
** and times, each with its own floor row (bench_touch on the same columns):
**
**   (c)    SELECT count(*) FROM ta WHERE iam_allows(obj, action, resource, ctx)
**          first run and warm (median of 3), against (a)'s warm per-row cost
**   (d)    SELECT count(*) FROM tq WHERE iam_authorize(request) = 'Allow'
**
** It prints a table, then a key=value block for machines. Memory: peak RSS of
** the process (getrusage ru_maxrss, which includes the tables), the RSS just
** before and after the timed SELECTs (/proc/self/statm), and SQLite's own heap
** (sqlite3_memory_used, i.e. the tables). (a) also checks its count against the
** number of rows whose case expects Allow.
*/
#define _POSIX_C_SOURCE 200809L

#include <sqlite3.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_EXT "./dist/iam"

static const char builtin_policy[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Effect\":\"Allow\",\"Action\":[\"ecs:*\",\"ec2:Describe*\",\"elasticloadbalancing:Describe*\","
    "\"logs:CreateLogStream\",\"logs:PutLogEvents\",\"ecr:GetAuthorizationToken\",\"ecr:BatchGetImage\"],"
    "\"Resource\":\"*\"},"
    "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\","
    "\"Condition\":{\"StringLike\":{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"iam:CreateServiceLinkedRole\",\"Resource\":\"*\","
    "\"Condition\":{\"StringLike\":{\"iam:AWSServiceName\":[\"ecs.amazonaws.com\","
    "\"autoscaling.amazonaws.com\"]}}}]}";

typedef struct Measure {
  const char *label;
  long long rows;
  long long count;
  double seconds;
} Measure;

static sqlite3 *db;

static void die(const char *what) {
  fprintf(stderr, "bench: %s: %s\n", what, db ? sqlite3_errmsg(db) : "no database");
  sqlite3_close(db);
  exit(1);
}

static void exec(const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "bench: %s: %s\n", sql, err ? err : "error");
    sqlite3_free(err);
    sqlite3_close(db);
    exit(1);
  }
}

static sqlite3_stmt *prepare(const char *sql) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) die(sql);
  return st;
}

static long long query_int(const char *sql) {
  sqlite3_stmt *st = prepare(sql);
  if (sqlite3_step(st) != SQLITE_ROW) die(sql);
  long long v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void) {
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return -1;
  if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = -1;
  fclose(f);
  return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static long max_rss_kb(void) {
  struct rusage ru;
  return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

/* bench_touch(a, b, c, d): take every argument's text, return 1. */
static void bench_touch(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  unsigned x = 0;
  for (int i = 0; i < argc; i++) {
    const unsigned char *t = sqlite3_value_text(argv[i]);
    int n = sqlite3_value_bytes(argv[i]);
    if (t && n > 0) x += t[0] + t[n - 1];
  }
  sqlite3_result_int(ctx, x != 0xFFFFFFFFu); /* always 1: the sum is at most 8 * 255 */
}

/* Time one count(*) statement; text (if any) is bound to ?1. */
static Measure run_count(const char *label, const char *sql, const char *text, long long rows) {
  sqlite3_stmt *st = prepare(sql);
  if (text) sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
  double t0 = now_seconds();
  int rc = sqlite3_step(st);
  double t1 = now_seconds();
  if (rc != SQLITE_ROW) die(sql);
  Measure m = {label, rows, sqlite3_column_int64(st, 0), t1 - t0};
  sqlite3_finalize(st);
  return m;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
    exit(1);
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += got;
    if (cap - n - 1 == 0) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) free(buf);
      buf = nb;
      cap *= 2;
    }
  }
  fclose(f);
  if (!buf) {
    fputs("bench: out of memory\n", stderr);
    exit(1);
  }
  buf[n] = '\0';
  return buf;
}

/* The median of three warm runs of sql. */
static Measure run_warm(const char *label, const char *sql, long long rows) {
  Measure w[3];
  for (int k = 0; k < 3; k++) w[k] = run_count(label, sql, NULL, rows);
  for (int x = 0; x < 3; x++)
    for (int y = x + 1; y < 3; y++)
      if (w[y].seconds < w[x].seconds) {
        Measure tmp = w[x];
        w[x] = w[y];
        w[y] = tmp;
      }
  return w[1];
}

static int usage(void) {
  fputs("usage: bench [--ext PATH] [--rows N] [--seed N] [--policy FILE] [--authz FILE] < corpus.jsonl\n"
        "  --ext PATH     extension (default $IAM_EXT, else " DEFAULT_EXT ")\n"
        "  --rows N       rows of the replicated tables (default 1000000)\n"
        "  --seed N       shuffle seed (default 1)\n"
        "  --policy FILE  the constant policy of (b) (default: a built-in ECS document)\n"
        "  --authz FILE   whole-request cases (JSON Lines) for rows (c) and (d)\n",
        stderr);
  return 2;
}

static void print_row(const Measure *m, const char *note) {
  printf("%-40s %9lld %9.3f %12.0f %9lld%s\n", m->label, m->rows, m->seconds,
         m->seconds > 0 ? (double)m->rows / m->seconds : 0.0, m->count, note);
}

int main(int argc, char **argv) {
  const char *ext = getenv("IAM_EXT");
  if (!ext || !*ext) ext = DEFAULT_EXT;
  long long nrows = 1000000;
  unsigned long long seed = 1;
  const char *policy_path = NULL, *authz_path = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    char *end = NULL;
    if (i + 1 >= argc) return usage();
    if (strcmp(a, "--ext") == 0) {
      ext = argv[++i];
    } else if (strcmp(a, "--rows") == 0) {
      nrows = strtoll(argv[++i], &end, 10);
      if (*end || nrows <= 0 || nrows > 100000000) return usage();
    } else if (strcmp(a, "--seed") == 0) {
      seed = strtoull(argv[++i], &end, 10);
      if (*end) return usage();
    } else if (strcmp(a, "--policy") == 0) {
      policy_path = argv[++i];
    } else if (strcmp(a, "--authz") == 0) {
      authz_path = argv[++i];
    } else {
      return usage();
    }
  }

  if (sqlite3_open(":memory:", &db) != SQLITE_OK) die("open");
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, (int *)NULL);
  char *err = NULL;
  if (sqlite3_load_extension(db, ext, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "bench: cannot load %s: %s\n", ext, err ? err : "error");
    sqlite3_free(err);
    sqlite3_close(db);
    return 1;
  }
  char *policy = policy_path ? read_file(policy_path) : NULL;
  const char *const_policy = policy ? policy : builtin_policy;

  /* 1. the source cases */
  double tb0 = now_seconds();
  exec("CREATE TABLE src(policy TEXT, action TEXT, resource TEXT, ctx TEXT, allow INTEGER);"
       "BEGIN");
  sqlite3_stmt *ins = prepare("INSERT INTO src VALUES(json_extract(?1,'$.policies'),"
                              " json_extract(?1,'$.action'), json_extract(?1,'$.resource'),"
                              " json_extract(?1,'$.context'), json_extract(?1,'$.expected') = 'Allow')");
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, stdin)) >= 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    if (n == 0) continue;
    sqlite3_bind_text(ins, 1, line, (int)n, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE) die("loading a case");
    sqlite3_reset(ins);
  }
  free(line);
  sqlite3_finalize(ins);
  exec("COMMIT");
  long long nsrc = query_int("SELECT count(*) FROM src");
  if (nsrc == 0) {
    fputs("bench: no cases on standard input\n", stderr);
    sqlite3_close(db);
    return 1;
  }
  if (query_int("SELECT max(rowid) FROM src") != nsrc) die("src rowids are not 1..N");
  long long ndistinct = query_int("SELECT count(DISTINCT policy) FROM src");

  unsigned char *allow = calloc((size_t)nsrc + 1, 1);
  uint32_t *perm = malloc((size_t)nrows * sizeof *perm);
  if (!allow || !perm) {
    fputs("bench: out of memory\n", stderr);
    return 1;
  }
  sqlite3_stmt *st = prepare("SELECT rowid FROM src WHERE allow");
  while (sqlite3_step(st) == SQLITE_ROW) allow[sqlite3_column_int64(st, 0)] = 1;
  sqlite3_finalize(st);

  /* 2. replicate to nrows in a shuffled order */
  for (long long i = 0; i < nrows; i++) perm[i] = (uint32_t)(i % nsrc + 1);
  uint64_t s = seed;
  for (long long i = nrows - 1; i > 0; i--) {
    long long j = (long long)(splitmix64(&s) % (uint64_t)(i + 1));
    uint32_t tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  exec("CREATE TABLE t(policy TEXT, action TEXT, resource TEXT, ctx TEXT);"
       "CREATE TABLE r(action TEXT, resource TEXT, ctx TEXT);"
       "BEGIN");
  sqlite3_stmt *ins_t = prepare("INSERT INTO t SELECT policy, action, resource, ctx FROM src WHERE rowid = ?1");
  sqlite3_stmt *ins_r = prepare("INSERT INTO r SELECT action, resource, ctx FROM src WHERE rowid = ?1");
  long long expected_allowed = 0;
  for (long long i = 0; i < nrows; i++) {
    expected_allowed += allow[perm[i]];
    sqlite3_bind_int64(ins_t, 1, perm[i]);
    sqlite3_bind_int64(ins_r, 1, perm[i]);
    if (sqlite3_step(ins_t) != SQLITE_DONE || sqlite3_step(ins_r) != SQLITE_DONE) die("building t and r");
    sqlite3_reset(ins_t);
    sqlite3_reset(ins_r);
  }
  sqlite3_finalize(ins_t);
  sqlite3_finalize(ins_r);
  exec("COMMIT");
  free(perm);
  free(allow);
  double build_s = now_seconds() - tb0;

  /* 3. the timed statements */
  long rss_before = rss_kb();
  long long heap_kb = sqlite3_memory_used() / 1024;
  printf("bench: %lld cases (%lld distinct policy sets) replicated to %lld rows, shuffled (seed %llu)\n",
         nsrc, ndistinct, nrows, seed);
  printf("bench: tables built in %.1f s (not timed below); RSS %.1f MB, SQLite heap %.1f MB\n", build_s,
         (double)rss_before / 1024, (double)heap_kb / 1024);
  printf("bench: constant policy for (b): %s (%zu bytes)\n", policy_path ? policy_path : "built-in",
         strlen(const_policy));
  fflush(stdout);

  Measure scan = run_count("scan only (no iam call)",
                           "SELECT count(*) FROM t WHERE policy NOT NULL AND action NOT NULL"
                           " AND resource NOT NULL AND ctx NOT NULL",
                           NULL, nrows);
  if (sqlite3_create_function(db, "bench_touch", -1, SQLITE_UTF8, NULL, bench_touch, NULL, NULL) !=
      SQLITE_OK)
    die("bench_touch");
  Measure floor = run_count("floor (no-op C function, 4 args)",
                            "SELECT count(*) FROM t WHERE bench_touch(policy, action, resource, ctx)",
                            NULL, nrows);
  Measure a1 = run_count("(a) policy column, 1st run",
                         "SELECT count(*) FROM t WHERE iam_allows(policy, action, resource, ctx)", NULL, nrows);
  long rss_after_a = rss_kb();
  /* warm: the median of three runs (the machine may be shared) */
  Measure w[3];
  for (int k = 0; k < 3; k++)
    w[k] = run_count("(a) policy column, warm (median of 3)",
                     "SELECT count(*) FROM t WHERE iam_allows(policy, action, resource, ctx)", NULL, nrows);
  for (int x = 0; x < 3; x++)
    for (int y = x + 1; y < 3; y++)
      if (w[y].seconds < w[x].seconds) {
        Measure tmp = w[x];
        w[x] = w[y];
        w[y] = tmp;
      }
  Measure a2 = w[1];
  Measure b = run_count("(b) constant policy (bound ?1)",
                        "SELECT count(*) FROM r WHERE iam_allows(?1, action, resource, ctx)", const_policy, nrows);
  long rss_after = rss_kb();

  /* whole requests: the object form and iam_authorize */
  Measure cfloor = {0}, c1 = {0}, c2 = {0}, dfloor = {0}, d1 = {0}, d2 = {0};
  long long nauthz = 0, authz_allowed = 0;
  if (authz_path) {
    FILE *f = fopen(authz_path, "r");
    if (!f) {
      fprintf(stderr, "bench: %s: %s\n", authz_path, strerror(errno));
      return 1;
    }
    exec("CREATE TABLE asrc(obj TEXT, action TEXT, resource TEXT, ctx TEXT, request TEXT, allow INTEGER);"
         "BEGIN");
    sqlite3_stmt *ia = prepare(
        "INSERT INTO asrc SELECT json_remove(?1,'$.id','$.expected','$.action','$.resource','$.context'),"
        " json_extract(?1,'$.action'), json_extract(?1,'$.resource'),"
        " coalesce(json_extract(?1,'$.context'), '{}'), json_remove(?1,'$.id','$.expected'),"
        " json_extract(?1,'$.expected') = 'Allow' WHERE json_extract(?1,'$.expected') <> 'Error'");
    char *aline = NULL;
    size_t acap = 0;
    ssize_t an;
    while ((an = getline(&aline, &acap, f)) >= 0) {
      while (an > 0 && (aline[an - 1] == '\n' || aline[an - 1] == '\r')) an--;
      if (an == 0) continue;
      sqlite3_bind_text(ia, 1, aline, (int)an, SQLITE_STATIC);
      if (sqlite3_step(ia) != SQLITE_DONE) die("loading a whole-request case");
      sqlite3_reset(ia);
    }
    free(aline);
    fclose(f);
    sqlite3_finalize(ia);
    exec("COMMIT");
    nauthz = query_int("SELECT count(*) FROM asrc");
    if (nauthz == 0 || query_int("SELECT max(rowid) FROM asrc") != nauthz) die("asrc rowids are not 1..N");
    uint32_t *ap = malloc((size_t)nrows * sizeof *ap);
    if (!ap) die("out of memory");
    for (long long i = 0; i < nrows; i++) ap[i] = (uint32_t)(i % nauthz + 1);
    uint64_t as = seed + 1;
    for (long long i = nrows - 1; i > 0; i--) {
      long long j = (long long)(splitmix64(&as) % (uint64_t)(i + 1));
      uint32_t tmp = ap[i];
      ap[i] = ap[j];
      ap[j] = tmp;
    }
    exec("CREATE TABLE ta(obj TEXT, action TEXT, resource TEXT, ctx TEXT);"
         "CREATE TABLE tq(request TEXT);"
         "BEGIN");
    sqlite3_stmt *ins_a = prepare("INSERT INTO ta SELECT obj, action, resource, ctx FROM asrc WHERE rowid = ?1");
    sqlite3_stmt *ins_q = prepare("INSERT INTO tq SELECT request FROM asrc WHERE rowid = ?1");
    sqlite3_stmt *al = prepare("SELECT allow FROM asrc WHERE rowid = ?1");
    for (long long i = 0; i < nrows; i++) {
      sqlite3_bind_int64(ins_a, 1, ap[i]);
      sqlite3_bind_int64(ins_q, 1, ap[i]);
      sqlite3_bind_int64(al, 1, ap[i]);
      if (sqlite3_step(ins_a) != SQLITE_DONE || sqlite3_step(ins_q) != SQLITE_DONE ||
          sqlite3_step(al) != SQLITE_ROW)
        die("building ta and tq");
      authz_allowed += sqlite3_column_int64(al, 0);
      sqlite3_reset(ins_a);
      sqlite3_reset(ins_q);
      sqlite3_reset(al);
    }
    sqlite3_finalize(ins_a);
    sqlite3_finalize(ins_q);
    sqlite3_finalize(al);
    exec("COMMIT");
    free(ap);
    cfloor = run_count("floor (no-op C function, 4 args, ta)",
                       "SELECT count(*) FROM ta WHERE bench_touch(obj, action, resource, ctx)", NULL, nrows);
    c1 = run_count("(c) object form, 1st run",
                   "SELECT count(*) FROM ta WHERE iam_allows(obj, action, resource, ctx)", NULL, nrows);
    c2 = run_warm("(c) object form, warm (median of 3)",
                  "SELECT count(*) FROM ta WHERE iam_allows(obj, action, resource, ctx)", nrows);
    dfloor = run_count("floor (no-op C function, 1 arg, tq)",
                       "SELECT count(*) FROM tq WHERE bench_touch(request)", NULL, nrows);
    d1 = run_count("(d) iam_authorize(request), 1st run",
                   "SELECT count(*) FROM tq WHERE iam_authorize(request) = 'Allow'", NULL, nrows);
    d2 = run_warm("(d) iam_authorize, warm (median of 3)",
                  "SELECT count(*) FROM tq WHERE iam_authorize(request) = 'Allow'", nrows);
  }
  long max_rss = max_rss_kb();

  char note[96];
  snprintf(note, sizeof note, " (expected %lld%s)", expected_allowed,
           a1.count == expected_allowed ? "" : ", MISMATCH");
  printf("\n%-40s %9s %9s %12s %9s\n", "statement", "rows", "seconds", "evals/s", "count");
  print_row(&scan, "");
  print_row(&floor, "");
  print_row(&a1, note);
  print_row(&a2, (w[0].count == a1.count && w[1].count == a1.count && w[2].count == a1.count)
                     ? ""
                     : " (differs from 1st run!)");
  print_row(&b, "");
  if (authz_path) {
    char cnote[96];
    snprintf(cnote, sizeof cnote, " (expected %lld%s)", authz_allowed,
             c1.count == authz_allowed && d1.count == authz_allowed ? "" : ", MISMATCH");
    printf("whole requests: %lld cases replicated to %lld rows, shuffled\n", nauthz, nrows);
    print_row(&cfloor, "");
    print_row(&c1, cnote);
    print_row(&c2, c2.count == c1.count ? "" : " (differs from 1st run!)");
    print_row(&dfloor, "");
    print_row(&d1, cnote);
    print_row(&d2, d2.count == d1.count ? "" : " (differs from 1st run!)");
    double per_a = a2.seconds / (double)nrows, per_c = c2.seconds / (double)nrows;
    printf("object form per row: %.3f us warm against %.3f us for (a) warm: %.2fx (target <= 1.5x);"
           " above each floor: %.3f us against %.3f us\n",
           per_c * 1e6, per_a * 1e6, per_c / per_a, (c2.seconds - cfloor.seconds) / (double)nrows * 1e6,
           (a2.seconds - floor.seconds) / (double)nrows * 1e6);
  }
  printf("\nmemory: peak RSS %.1f MB (includes the tables); RSS %.1f MB before the SELECTs,"
         " %.1f MB after (a) 1st run, %.1f MB at the end (%+.1f MB during the SELECTs)\n",
         (double)max_rss / 1024, (double)rss_before / 1024, (double)rss_after_a / 1024,
         (double)rss_after / 1024, (double)(rss_after - rss_before) / 1024);
  if (a1.count != expected_allowed || w[0].count != a1.count || w[1].count != a1.count ||
      w[2].count != a1.count)
    printf("WARNING: (a) counted %lld / %lld allowed rows, expected %lld\n", a1.count, a2.count,
           expected_allowed);

  printf("\nrows=%lld\nsource_cases=%lld\ndistinct_policies=%lld\nseed=%llu\n", nrows, nsrc, ndistinct, seed);
  printf("scan_seconds=%.6f\n", scan.seconds);
  printf("floor_seconds=%.6f\nfloor_rows_per_sec=%.0f\n", floor.seconds, (double)nrows / floor.seconds);
  printf("a_seconds=%.6f\na_evals_per_sec=%.0f\na_allowed=%lld\na_expected_allowed=%lld\n", a1.seconds,
         (double)nrows / a1.seconds, a1.count, expected_allowed);
  printf("a_warm_seconds=%.6f\na_warm_evals_per_sec=%.0f\n", a2.seconds, (double)nrows / a2.seconds);
  printf("a_warm_best_evals_per_sec=%.0f\n", (double)nrows / w[0].seconds);
  printf("b_seconds=%.6f\nb_evals_per_sec=%.0f\nb_allowed=%lld\n", b.seconds, (double)nrows / b.seconds,
         b.count);
  if (authz_path) {
    printf("authz_cases=%lld\nauthz_expected_allowed=%lld\n", nauthz, authz_allowed);
    printf("c_seconds=%.6f\nc_evals_per_sec=%.0f\nc_warm_seconds=%.6f\nc_warm_evals_per_sec=%.0f\n",
           c1.seconds, (double)nrows / c1.seconds, c2.seconds, (double)nrows / c2.seconds);
    printf("c_over_a_warm=%.3f\n", c2.seconds / a2.seconds);
    printf("d_seconds=%.6f\nd_evals_per_sec=%.0f\nd_warm_seconds=%.6f\nd_warm_evals_per_sec=%.0f\n",
           d1.seconds, (double)nrows / d1.seconds, d2.seconds, (double)nrows / d2.seconds);
    printf("c_floor_seconds=%.6f\nd_floor_seconds=%.6f\n", cfloor.seconds, dfloor.seconds);
  }
  printf("max_rss_kb=%ld\nrss_before_select_kb=%ld\nrss_after_a_kb=%ld\nrss_after_select_kb=%ld\n"
         "sqlite_heap_kb=%lld\n",
         max_rss, rss_before, rss_after_a, rss_after, heap_kb);

  free(policy);
  sqlite3_close(db);
  return 0;
}
