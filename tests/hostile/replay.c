/* SPDX-License-Identifier: MIT */
/* Replay fuzz inputs through a fuzz target without libFuzzer, so `make test`
** needs no clang. Linked with one of fuzz_policy.c / fuzz_ctx.c.
**
** Usage: replay FILE|DIR ...
** Runs LLVMFuzzerTestOneInput on every regular file (directories are read one
** level deep, in name order). A crash or a failed check aborts the process;
** otherwise prints "N passed, 0 failed". Fails when there is nothing to replay.
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "replay: cannot open %s\n", path);
    return -1;
  }
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  for (;;) {
    if (buf == NULL) abort();
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    cap *= 2;
    buf = realloc(buf, cap);
  }
  fclose(f);
  /* an exact-size copy, so reads past the end are caught by ASan/valgrind */
  uint8_t *data = malloc(n ? n : 1);
  if (data == NULL) abort();
  memcpy(data, buf, n);
  free(buf);
  fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
  LLVMFuzzerTestOneInput(data, n);
  free(data);
  return 0;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  long passed = 0, failed = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: no such file: %s\n", argv[i]);
      failed++;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      if (run_file(argv[i]) == 0) passed++; else failed++;
      continue;
    }
    DIR *d = opendir(argv[i]);
    struct dirent *e;
    char **names = NULL;
    size_t nn = 0;
    while (d && (e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue;
      names = realloc(names, (nn + 1) * sizeof *names);
      if (names == NULL) abort();
      size_t len = strlen(argv[i]) + strlen(e->d_name) + 2;
      names[nn] = malloc(len);
      if (names[nn] == NULL) abort();
      snprintf(names[nn], len, "%s/%s", argv[i], e->d_name);
      nn++;
    }
    if (d) closedir(d);
    if (nn) qsort(names, nn, sizeof *names, cmp_names);
    for (size_t k = 0; k < nn; k++) {
      struct stat fs;
      if (stat(names[k], &fs) == 0 && S_ISREG(fs.st_mode)) {
        if (run_file(names[k]) == 0) passed++; else failed++;
      }
      free(names[k]);
    }
    free(names);
  }
  if (passed + failed == 0) {
    fprintf(stderr, "replay: nothing to replay\n");
    failed = 1;
  }
  printf("%ld passed, %ld failed\n", passed, failed);
  return failed ? 1 : 0;
}
