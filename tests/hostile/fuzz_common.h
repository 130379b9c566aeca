/* SPDX-License-Identifier: MIT */
/* Shared by the fuzz targets: split a fuzz input into fields and keep each as
** its own NUL-terminated heap copy (so ASan sees reads past its end). */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Field separator: ASCII RS. Inputs are "f0 RS f1 RS ... RS f(n-1)"; the
** first field takes every byte before the last n-1 separators, so it may
** itself contain RS. */
#define FUZZ_SEP '\x1e'

/* The work limit of each evaluation in the fuzz targets (iam_work.h): a few
** milliseconds, so no input runs long under the sanitizers, however many
** evaluations a target makes of it. */
#define FUZZ_WORK_LIMIT ((uint64_t)1 << 22)

typedef struct FuzzField {
  char *s; /* NUL-terminated copy */
  size_t n;
  int present;
} FuzzField;

static inline char *fuzz_dup(const uint8_t *p, size_t n) {
  char *s = malloc(n + 1);
  if (s == NULL) abort();
  if (n) memcpy(s, p, n);
  s[n] = 0;
  return s;
}

/* Split data into at most nf fields from the right. */
static inline void fuzz_split(const uint8_t *data, size_t size, FuzzField *f, int nf) {
  size_t cut[16];
  int ncut = 0;
  for (int i = 0; i < nf; i++) f[i].s = NULL, f[i].n = 0, f[i].present = 0;
  /* cut[0] is the rightmost separator */
  for (size_t i = size; i > 0 && ncut < nf - 1; i--)
    if (data[i - 1] == (uint8_t)FUZZ_SEP) cut[ncut++] = i - 1;
  size_t n0 = ncut ? cut[ncut - 1] : size;
  f[0].s = fuzz_dup(data, n0);
  f[0].n = n0;
  f[0].present = 1;
  for (int j = ncut - 1; j >= 0; j--) {
    size_t b = cut[j] + 1, e = j ? cut[j - 1] : size;
    int idx = ncut - j;
    f[idx].s = fuzz_dup(data + b, e - b);
    f[idx].n = e - b;
    f[idx].present = 1;
  }
}

static inline void fuzz_free(FuzzField *f, int nf) {
  for (int i = 0; i < nf; i++) free(f[i].s);
}

#endif /* FUZZ_COMMON_H */
