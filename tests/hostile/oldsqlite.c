/* SPDX-License-Identifier: MIT */
/* An older SQLite library: the extension refuses to load with a clear error.
**
** Loads the extension's entry point itself (dlopen + dlsym), and calls it
** with this library's routine table copied, sqlite3_libversion_number and
** sqlite3_libversion answering an older version. Checks that:
**   - below the minimum (3.30.1, 3.0.0): SQLITE_ERROR, the message
**     "iam: needs SQLite 3.31.0 or later, this is 3.30.1", and no function
**     or module registered;
**   - at the minimum and with the real table: SQLITE_OK, and iam_version() works.
**
** Usage: oldsqlite EXTENSION.so    Prints "N passed, N failed". */
#define SQLITE_CORE 1 /* the routine table's type, without the API macros */
#include <dlfcn.h>
#include <sqlite3.h>
#include <sqlite3ext.h>
#include <stdio.h>
#include <string.h>

typedef int (*EntryPoint)(sqlite3 *, char **, const sqlite3_api_routines *);

static const sqlite3_api_routines *real_api;
static int fake_number;
static const char *fake_text;

static int grab_api(sqlite3 *db, const char **err, const sqlite3_api_routines *api) {
  (void)db, (void)err;
  real_api = api;
  return SQLITE_OK;
}

static int fake_libversion_number(void) { return fake_number; }
static const char *fake_libversion(void) { return fake_text; }

static int passed, failed;

static void check(int ok, const char *what, const char *detail) {
  printf("%s %s%s%s\n", ok ? "ok  " : "FAIL", what, detail ? ": " : "", detail ? detail : "");
  if (ok)
    passed++;
  else
    failed++;
}

/* Names of the extension's functions and modules registered on db. */
static int count_registered(sqlite3 *db) {
  sqlite3_stmt *st;
  int n = -1;
  const char *q =
      "SELECT (SELECT count(*) FROM pragma_function_list WHERE name LIKE 'iam%')"
      " + (SELECT count(*) FROM pragma_module_list WHERE name LIKE 'iam%')";
  if (sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return n;
}

static void load_as(EntryPoint init, int number, const char *text, int want_ok) {
  sqlite3_api_routines fake = *real_api;
  sqlite3 *db;
  char *err = NULL, what[96], detail[256];
  fake_number = number;
  fake_text = text;
  fake.libversion_number = fake_libversion_number;
  fake.libversion = fake_libversion;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    check(0, "sqlite3_open", sqlite3_errmsg(db));
    return;
  }
  int rc = init(db, &err, &fake);
  int n = count_registered(db);
  snprintf(what, sizeof what, "SQLite %s (%d)", text, number);
  if (want_ok) {
    snprintf(detail, sizeof detail, "rc=%d, %d functions and modules", rc, n);
    check(rc == SQLITE_OK && err == NULL && n > 0, what, detail);
  } else {
    char want[128];
    snprintf(want, sizeof want, "iam: needs SQLite 3.31.0 or later, this is %s", text);
    snprintf(detail, sizeof detail, "rc=%d, \"%s\", %d functions and modules", rc,
             err ? err : "(no message)", n);
    check(rc == SQLITE_ERROR && err != NULL && strcmp(err, want) == 0 && n == 0, what, detail);
  }
  sqlite3_free(err);
  sqlite3_close(db);
}

int main(int argc, char **argv) {
  if (argc != 2 || strcmp(argv[1], "--help") == 0) {
    fprintf(stderr, "usage: oldsqlite EXTENSION.so\n");
    return 2;
  }
  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    fprintf(stderr, "oldsqlite: %s\n", dlerror());
    return 1;
  }
  EntryPoint init;
  *(void **)&init = dlsym(lib, "sqlite3_iam_init");
  if (init == NULL) {
    fprintf(stderr, "oldsqlite: no sqlite3_iam_init in %s\n", argv[1]);
    return 1;
  }
  /* an auto extension receives the routine table of this library */
  sqlite3 *db;
  sqlite3_auto_extension((void (*)(void))grab_api);
  sqlite3_open(":memory:", &db);
  sqlite3_close(db);
  sqlite3_cancel_auto_extension((void (*)(void))grab_api);
  if (real_api == NULL) {
    fprintf(stderr, "oldsqlite: no routine table\n");
    return 1;
  }
  load_as(init, 3030001, "3.30.1", 0);
  load_as(init, 3000000, "3.0.0", 0);
  load_as(init, 3031000, "3.31.0", 1);
  load_as(init, real_api->libversion_number(), real_api->libversion(), 1);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
