/* SPDX-License-Identifier: MIT */
/*
** run_conformance: run the conformance corpus through the built extension.
**
** Usage: run_conformance [--ext PATH] [--twice] [--max-failures N] FILE...
**
** Each FILE is JSON Lines in the format of tests/conformance/README.md; a name
** ending in ".gz" is read through `gzip -dc`, and "-" is standard input. For
** every case the runner calls, through prepared statements with bound
** parameters,
**
**     iam_decision(policies, action, resource, context)
**     iam_allows(policies, action, resource, context)
**
** A case passes iff iam_decision() returns the expected text exactly (or
** raises an SQL error when `expected` is "Error") and iam_allows() returns the
** integer 1 exactly for "Allow", 0 for the two denies, and an SQL error for
** "Error". `policies` and `context` are passed as the raw JSON text of the
** line, byte for byte as written.
**
** --twice runs every case a second time, after all first runs and in reverse
** order, so that the second pass hits the extension's compiled-policy cache;
** the second result must be identical to the first (same decision, same
** iam_allows value, same error message).
**
** The extension is --ext PATH, else $IAM_EXT, else ./dist/iam. Failures are
** printed up to --max-failures (default 50; 0 = all). The last line is
** exactly "N passed, N failed" (counts of cases). Exit status: 0 when every
** case passed, 1 when any failed, 2 on a usage or setup error.
*/
#define _POSIX_C_SOURCE 200809L

#include <sqlite3.h>

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_EXT "./dist/iam"
#define DEFAULT_MAX_FAILURES 50

typedef enum { EXP_ALLOW, EXP_EXPLICIT_DENY, EXP_IMPLICIT_DENY, EXP_ERROR, EXP_BAD } Expect;

static const char *const expect_names[] = {"Allow", "ExplicitDeny", "ImplicitDeny", "Error", "?"};

/* What one SQL call produced. */
typedef enum { OUT_TEXT, OUT_INT, OUT_NULL, OUT_OTHER, OUT_ERROR } OutKind;

typedef struct Outcome {
  OutKind kind;
  long long ival; /* OUT_INT */
  char *text;     /* OUT_TEXT: the value; OUT_ERROR: the message; OUT_OTHER: a description */
} Outcome;

typedef struct Case {
  char *id;
  char *rule;
  char *where; /* "file:line" */
  sqlite3_value *action;
  sqlite3_value *resource;
  char *policies; /* raw JSON text */
  size_t npolicies;
  char *context; /* raw JSON text, NULL when the field is JSON null */
  size_t ncontext;
  Expect expected;
  bool bad;     /* the line itself could not be used; `why` says why */
  char *why;    /* message for a bad line, or for the first failure found */
  Outcome d[2]; /* iam_decision per pass */
  Outcome a[2]; /* iam_allows per pass */
} Case;

typedef struct Runner {
  sqlite3 *db;
  sqlite3_stmt *parse;
  sqlite3_stmt *decision;
  sqlite3_stmt *allows;
  Case *cases;
  size_t ncases;
  size_t cap;
  long max_failures;
  long printed;
} Runner;

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fputs("run_conformance: out of memory\n", stderr);
    exit(2);
  }
  return p;
}

static char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *xprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  char *p = xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

/* ---- raw JSON spans ---------------------------------------------------------
** The line has already passed json_valid(), so these only need to find where a
** value starts and ends, not to validate it. */

static const char *skip_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

/* p points at the opening quote; returns the position after the closing one. */
static const char *skip_string(const char *p, const char *end) {
  for (p++; p < end; p++) {
    if (*p == '\\') {
      p++;
    } else if (*p == '"') {
      return p + 1;
    }
  }
  return NULL;
}

static const char *skip_value(const char *p, const char *end) {
  if (p >= end) return NULL;
  if (*p == '"') return skip_string(p, end);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    while (p < end) {
      if (*p == '"') {
        p = skip_string(p, end);
        if (!p) return NULL;
        continue;
      }
      if (*p == '{' || *p == '[') depth++;
      if (*p == '}' || *p == ']') {
        if (--depth == 0) return p + 1;
      }
      p++;
    }
    return NULL;
  }
  while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' &&
         *p != '\n' && *p != '\r')
    p++;
  return p;
}

/* Find the raw text of member `key` of the top-level object in [s, s+n). */
static bool find_member(const char *s, size_t n, const char *key, const char **val, size_t *nval) {
  const char *end = s + n;
  size_t klen = strlen(key);
  const char *p = skip_ws(s, end);
  if (p >= end || *p != '{') return false;
  p = skip_ws(p + 1, end);
  while (p < end && *p == '"') {
    const char *k = p;
    p = skip_string(p, end);
    if (!p) return false;
    bool match = (size_t)(p - k) == klen + 2 && memcmp(k + 1, key, klen) == 0;
    p = skip_ws(p, end);
    if (p >= end || *p != ':') return false;
    p = skip_ws(p + 1, end);
    const char *v = p;
    p = skip_value(p, end);
    if (!p) return false;
    if (match) {
      *val = v;
      *nval = (size_t)(p - v);
      return true;
    }
    p = skip_ws(p, end);
    if (p < end && *p == ',') p = skip_ws(p + 1, end);
  }
  return false;
}

/* ---- input files ----------------------------------------------------------- */

typedef struct Input {
  FILE *fp;
  pid_t pid; /* gzip child, or -1 */
} Input;

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool input_open(Input *in, const char *path) {
  in->pid = -1;
  in->fp = NULL;
  if (strcmp(path, "-") == 0) {
    in->fp = stdin;
    return true;
  }
  if (!ends_with(path, ".gz")) {
    in->fp = fopen(path, "r");
    if (!in->fp) fprintf(stderr, "run_conformance: %s: %s\n", path, strerror(errno));
    return in->fp != NULL;
  }
  if (access(path, R_OK) != 0) {
    fprintf(stderr, "run_conformance: %s: %s\n", path, strerror(errno));
    return false;
  }
  int fd[2];
  if (pipe(fd) != 0) {
    perror("run_conformance: pipe");
    return false;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    perror("run_conformance: fork");
    close(fd[0]);
    close(fd[1]);
    return false;
  }
  if (pid == 0) {
    dup2(fd[1], STDOUT_FILENO);
    close(fd[0]);
    close(fd[1]);
    execlp("gzip", "gzip", "-dc", "--", path, (char *)NULL);
    perror("run_conformance: exec gzip");
    _exit(127);
  }
  close(fd[1]);
  in->pid = pid;
  in->fp = fdopen(fd[0], "r");
  if (!in->fp) {
    perror("run_conformance: fdopen");
    close(fd[0]);
    waitpid(pid, NULL, 0);
    return false;
  }
  return true;
}

static bool input_close(Input *in, const char *path) {
  bool ok = true;
  if (in->fp && in->fp != stdin) {
    if (ferror(in->fp)) ok = false;
    fclose(in->fp);
  }
  if (in->pid > 0) {
    int status = 0;
    if (waitpid(in->pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fprintf(stderr, "run_conformance: %s: gzip -dc failed\n", path);
      ok = false;
    }
  }
  return ok;
}

/* ---- loading cases ---------------------------------------------------------- */

static Expect parse_expect(const char *s) {
  for (int i = EXP_ALLOW; i < EXP_BAD; i++) {
    if (strcmp(s, expect_names[i]) == 0) return (Expect)i;
  }
  return EXP_BAD;
}

static Case *new_case(Runner *r) {
  if (r->ncases == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 1024;
    Case *c = realloc(r->cases, cap * sizeof *c);
    if (!c) {
      fputs("run_conformance: out of memory\n", stderr);
      exit(2);
    }
    r->cases = c;
    r->cap = cap;
  }
  Case *c = &r->cases[r->ncases++];
  memset(c, 0, sizeof *c);
  return c;
}

static char *column_text_dup(sqlite3_stmt *st, int i) {
  const unsigned char *t = sqlite3_column_text(st, i);
  return t ? xstrndup((const char *)t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

static sqlite3_value *column_value_dup(sqlite3_stmt *st, int i) {
  sqlite3_value *v = sqlite3_value_dup(sqlite3_column_value(st, i));
  if (!v) {
    fputs("run_conformance: out of memory\n", stderr);
    exit(2);
  }
  return v;
}

/* Parse one line into a new case; a line that cannot be used becomes a failing case. */
static void load_line(Runner *r, const char *line, size_t n, const char *where) {
  Case *c = new_case(r);
  c->where = xstrdup(where);
  c->expected = EXP_BAD;
  sqlite3_stmt *st = r->parse;
  sqlite3_bind_text(st, 1, line, (int)n, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) {
    c->bad = true;
    c->why = xprintf("cannot parse line: %s", sqlite3_errmsg(r->db));
    c->id = xstrdup(where);
    sqlite3_reset(st);
    return;
  }
  if (!sqlite3_column_int(st, 0)) {
    c->bad = true;
    c->why = xstrdup("line is not valid JSON");
    c->id = xstrdup(where);
    sqlite3_reset(st);
    return;
  }
  c->id = column_text_dup(st, 1);
  if (!c->id) c->id = xstrdup(where);
  c->rule = column_text_dup(st, 2);
  c->action = column_value_dup(st, 3);
  c->resource = column_value_dup(st, 4);
  char *exp = column_text_dup(st, 5);
  c->expected = exp ? parse_expect(exp) : EXP_BAD;
  if (c->expected == EXP_BAD) {
    c->bad = true;
    c->why = xprintf("unknown expected value '%s'", exp ? exp : "(missing)");
  }
  free(exp);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);

  const char *v;
  size_t nv;
  if (!find_member(line, n, "policies", &v, &nv)) {
    c->bad = true;
    free(c->why);
    c->why = xstrdup("no \"policies\" member");
    return;
  }
  c->policies = xstrndup(v, nv);
  c->npolicies = nv;
  if (find_member(line, n, "context", &v, &nv) && !(nv == 4 && memcmp(v, "null", 4) == 0)) {
    c->context = xstrndup(v, nv);
    c->ncontext = nv;
  }
}

static bool load_file(Runner *r, const char *path) {
  Input in;
  if (!input_open(&in, path)) return false;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  long lineno = 0;
  size_t before = r->ncases;
  while ((n = getline(&line, &cap, in.fp)) >= 0) {
    lineno++;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (n == 0) continue;
    char where[512];
    snprintf(where, sizeof where, "%s:%ld", path, lineno);
    load_line(r, line, (size_t)n, where);
  }
  free(line);
  bool ok = input_close(&in, path);
  printf("run_conformance: %s: %zu cases\n", path, r->ncases - before);
  return ok;
}

/* ---- running ----------------------------------------------------------------- */

static void outcome_clear(Outcome *o) {
  free(o->text);
  memset(o, 0, sizeof *o);
}

static void run_stmt(Runner *r, sqlite3_stmt *st, const Case *c, Outcome *out) {
  outcome_clear(out);
  sqlite3_bind_text(st, 1, c->policies, (int)c->npolicies, SQLITE_STATIC);
  sqlite3_bind_value(st, 2, c->action);
  sqlite3_bind_value(st, 3, c->resource);
  if (c->context) {
    sqlite3_bind_text(st, 4, c->context, (int)c->ncontext, SQLITE_STATIC);
  } else {
    sqlite3_bind_null(st, 4);
  }
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    switch (sqlite3_column_type(st, 0)) {
    case SQLITE_TEXT:
      out->kind = OUT_TEXT;
      out->text = column_text_dup(st, 0);
      break;
    case SQLITE_INTEGER:
      out->kind = OUT_INT;
      out->ival = sqlite3_column_int64(st, 0);
      break;
    case SQLITE_NULL:
      out->kind = OUT_NULL;
      break;
    case SQLITE_FLOAT:
      out->kind = OUT_OTHER;
      out->text = xprintf("real %.17g", sqlite3_column_double(st, 0));
      break;
    case SQLITE_BLOB:
    default:
      out->kind = OUT_OTHER;
      out->text = xprintf("blob of %d bytes", sqlite3_column_bytes(st, 0));
      break;
    }
  } else if (rc == SQLITE_DONE) {
    out->kind = OUT_OTHER;
    out->text = xstrdup("no row");
  } else {
    out->kind = OUT_ERROR;
    out->text = xstrdup(sqlite3_errmsg(r->db));
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
}

static bool outcome_equal(const Outcome *x, const Outcome *y) {
  if (x->kind != y->kind) return false;
  switch (x->kind) {
  case OUT_INT:
    return x->ival == y->ival;
  case OUT_NULL:
    return true;
  case OUT_TEXT:
  case OUT_OTHER:
  case OUT_ERROR:
    return strcmp(x->text, y->text) == 0;
  }
  return false;
}

/* Short rendering of an outcome, into buf. */
static const char *outcome_str(const Outcome *o, char *buf, size_t n) {
  switch (o->kind) {
  case OUT_TEXT:
    snprintf(buf, n, "%s", o->text);
    break;
  case OUT_INT:
    snprintf(buf, n, "%lld", o->ival);
    break;
  case OUT_NULL:
    snprintf(buf, n, "NULL");
    break;
  case OUT_OTHER:
    snprintf(buf, n, "<%s>", o->text);
    break;
  case OUT_ERROR:
    snprintf(buf, n, "Error");
    break;
  }
  return buf;
}

static bool case_correct(const Case *c, int pass) {
  const Outcome *d = &c->d[pass], *a = &c->a[pass];
  if (c->expected == EXP_ERROR) return d->kind == OUT_ERROR && a->kind == OUT_ERROR;
  return d->kind == OUT_TEXT && strcmp(d->text, expect_names[c->expected]) == 0 &&
         a->kind == OUT_INT && a->ival == (c->expected == EXP_ALLOW ? 1 : 0);
}

static void print_failure(Runner *r, const Case *c, const char *what, int pass) {
  if (r->max_failures > 0 && r->printed >= r->max_failures) {
    r->printed++;
    return;
  }
  r->printed++;
  printf("FAIL %s", c->id);
  if (c->rule) printf(" [%s]", c->rule);
  printf(" (%s)\n", c->where);
  if (c->bad) {
    printf("     %s\n", c->why);
    return;
  }
  char b1[64], b2[64];
  printf("     %s: expected %s, got decision=%s allows=%s\n", what, expect_names[c->expected],
         outcome_str(&c->d[pass], b1, sizeof b1), outcome_str(&c->a[pass], b2, sizeof b2));
  if (c->d[pass].kind == OUT_ERROR) printf("     iam_decision error: %s\n", c->d[pass].text);
  if (c->a[pass].kind == OUT_ERROR) printf("     iam_allows error: %s\n", c->a[pass].text);
  if (pass == 1) {
    printf("     pass 1 gave decision=%s allows=%s\n", outcome_str(&c->d[0], b1, sizeof b1),
           outcome_str(&c->a[0], b2, sizeof b2));
    if (c->d[0].kind == OUT_ERROR) printf("     pass 1 iam_decision error: %s\n", c->d[0].text);
  }
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run_pass(Runner *r, int pass) {
  double t0 = now_seconds();
  size_t ran = 0;
  for (size_t k = 0; k < r->ncases; k++) {
    /* pass 2 goes backwards so that cache hits do not follow insertion order */
    Case *c = &r->cases[pass == 0 ? k : r->ncases - 1 - k];
    if (c->bad) continue;
    run_stmt(r, r->decision, c, &c->d[pass]);
    run_stmt(r, r->allows, c, &c->a[pass]);
    ran++;
  }
  double dt = now_seconds() - t0;
  printf("run_conformance: pass %d%s: %zu cases, %zu calls in %.3f s (%.0f calls/s)\n", pass + 1,
         pass ? " (cached, reverse order)" : "", ran, 2 * ran, dt, dt > 0 ? 2.0 * (double)ran / dt : 0.0);
}

/* ---- setup and main ---------------------------------------------------------- */

static int usage(void) {
  fputs("usage: run_conformance [--ext PATH] [--twice] [--max-failures N] FILE...\n"
        "  --ext PATH, -e PATH   extension to load (default $IAM_EXT, else " DEFAULT_EXT ")\n"
        "  --twice, -2           run every case a second time (cached) and require identical results\n"
        "  --once, -1            run every case once (the default)\n"
        "  --max-failures N, -m N  print at most N failures (default 50, 0 = all)\n"
        "FILE is JSON Lines; *.gz is read through gzip -dc; - is standard input.\n",
        stderr);
  return 2;
}

static bool prepare(Runner *r, const char *sql, sqlite3_stmt **st) {
  if (sqlite3_prepare_v2(r->db, sql, -1, st, NULL) != SQLITE_OK) {
    fprintf(stderr, "run_conformance: cannot prepare %s: %s\n", sql, sqlite3_errmsg(r->db));
    return false;
  }
  return true;
}

static bool setup(Runner *r, const char *ext) {
  if (sqlite3_open(":memory:", &r->db) != SQLITE_OK) {
    fprintf(stderr, "run_conformance: cannot open database: %s\n", sqlite3_errmsg(r->db));
    return false;
  }
  sqlite3_db_config(r->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, (int *)NULL);
  char *err = NULL;
  if (sqlite3_load_extension(r->db, ext, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "run_conformance: cannot load %s: %s\n", ext, err ? err : "unknown error");
    sqlite3_free(err);
    return false;
  }
  sqlite3_stmt *st = NULL;
  if (!prepare(r, "SELECT iam_version()", &st)) return false;
  if (sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char *v = sqlite3_column_text(st, 0);
    printf("run_conformance: loaded %s, iam_version() = %s\n", ext, v ? (const char *)v : "NULL");
  } else {
    printf("run_conformance: loaded %s, iam_version() failed: %s\n", ext, sqlite3_errmsg(r->db));
  }
  sqlite3_finalize(st);
  return prepare(r,
                 "SELECT json_valid(?1), json_extract(?1,'$.id'), json_extract(?1,'$.rule'),"
                 " json_extract(?1,'$.action'), json_extract(?1,'$.resource'),"
                 " json_extract(?1,'$.expected')",
                 &r->parse) &&
         prepare(r, "SELECT iam_decision(?1, ?2, ?3, ?4)", &r->decision) &&
         prepare(r, "SELECT iam_allows(?1, ?2, ?3, ?4)", &r->allows);
}

static void teardown(Runner *r) {
  for (size_t i = 0; i < r->ncases; i++) {
    Case *c = &r->cases[i];
    free(c->id);
    free(c->rule);
    free(c->where);
    free(c->why);
    free(c->policies);
    free(c->context);
    sqlite3_value_free(c->action);
    sqlite3_value_free(c->resource);
    for (int p = 0; p < 2; p++) {
      outcome_clear(&c->d[p]);
      outcome_clear(&c->a[p]);
    }
  }
  free(r->cases);
  sqlite3_finalize(r->parse);
  sqlite3_finalize(r->decision);
  sqlite3_finalize(r->allows);
  sqlite3_close(r->db);
}

int main(int argc, char **argv) {
  Runner r;
  memset(&r, 0, sizeof r);
  r.max_failures = DEFAULT_MAX_FAILURES;
  const char *ext = getenv("IAM_EXT");
  if (!ext || !*ext) ext = DEFAULT_EXT;
  bool twice = false;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    } else if (strcmp(a, "-e") == 0 || strcmp(a, "--ext") == 0) {
      if (++i >= argc) return usage();
      ext = argv[i];
    } else if (strcmp(a, "-2") == 0 || strcmp(a, "--twice") == 0) {
      twice = true;
    } else if (strcmp(a, "-1") == 0 || strcmp(a, "--once") == 0) {
      twice = false;
    } else if (strcmp(a, "-m") == 0 || strcmp(a, "--max-failures") == 0) {
      if (++i >= argc) return usage();
      char *end;
      r.max_failures = strtol(argv[i], &end, 10);
      if (*end || r.max_failures < 0) return usage();
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      return usage();
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "run_conformance: unknown option %s\n", a);
      return usage();
    } else {
      break;
    }
  }
  if (i >= argc) return usage();

  int status = 2;
  if (!setup(&r, ext)) goto done;
  for (; i < argc; i++) {
    if (!load_file(&r, argv[i])) goto done;
  }
  if (r.ncases == 0) {
    fputs("run_conformance: no cases found\n", stderr);
    goto done;
  }

  run_pass(&r, 0);
  if (twice) run_pass(&r, 1);

  size_t passed = 0, failed = 0;
  for (size_t k = 0; k < r.ncases; k++) {
    Case *c = &r.cases[k];
    if (c->bad) {
      print_failure(&r, c, "bad line", 0);
      failed++;
    } else if (!case_correct(c, 0)) {
      print_failure(&r, c, "pass 1", 0);
      failed++;
    } else if (twice && !(outcome_equal(&c->d[0], &c->d[1]) && outcome_equal(&c->a[0], &c->a[1]))) {
      print_failure(&r, c, "pass 2 differs from pass 1", 1);
      failed++;
    } else {
      passed++;
    }
  }
  if (r.max_failures > 0 && r.printed > r.max_failures)
    printf("... %ld more failures not shown (--max-failures %ld)\n", r.printed - r.max_failures,
           r.max_failures);

  if (failed) {
    /* expected -> got summary, to see which kind of mistake dominates */
    static const char *const got_names[] = {"Allow", "ExplicitDeny", "ImplicitDeny", "Error", "other"};
    size_t m[5][5];
    memset(m, 0, sizeof m);
    for (size_t k = 0; k < r.ncases; k++) {
      const Case *c = &r.cases[k];
      if (c->bad || case_correct(c, 0)) continue;
      int g = 4;
      if (c->d[0].kind == OUT_ERROR) {
        g = 3;
      } else if (c->d[0].kind == OUT_TEXT) {
        Expect e = parse_expect(c->d[0].text);
        if (e != EXP_BAD && e != EXP_ERROR) g = (int)e;
      }
      m[c->expected][g]++;
    }
    printf("pass 1 failures by expected -> got (decision):\n");
    for (int e = 0; e < 5; e++)
      for (int g = 0; g < 5; g++)
        if (m[e][g]) printf("  %-12s -> %-12s %zu\n", expect_names[e], got_names[g], m[e][g]);
  }
  printf("%zu passed, %zu failed\n", passed, failed);
  status = failed ? 1 : 0;

done:
  teardown(&r);
  return status;
}
