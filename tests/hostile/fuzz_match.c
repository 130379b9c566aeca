/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the wildcard matchers against a plain reference.
**
** Input: PATTERN RS TEXT (RS = 0x1e). The pattern is compiled as an Action,
** a Like value and a Resource pattern (iam_match.h); each is matched by
** iam_glob_match_codes (the greedy glob, or the position-set matcher when some
** wildcard may not cross ':') and by a memoised recursive reference written
** from the spec (§2.2): '*' takes any run of whole characters (none of them
** ':' when restricted), '?' exactly one character (not ':' when restricted).
** Patterns and texts that are not valid UTF-8 are skipped: there
** "character" is not defined by the spec (policies are checked to be valid
** UTF-8 before they are compiled).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "iam_match.h"
#include "iam_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXN 96

static const IamGlobCode *R_op;
static const unsigned char *R_t;
static size_t R_n, R_m;
static signed char memo[MAXN + 1][MAXN + 1];

static int is_boundary(size_t i) { return i == R_m || (R_t[i] & 0xC0) != 0x80; }

static int ref(size_t p, size_t i) {
  if (memo[p][i] >= 0) return memo[p][i];
  int r = 0;
  if (p == R_n) {
    r = i == R_m;
  } else {
    IamGlobCode o = R_op[p];
    int nocolon = (o & IAM_GLOB_NOCOLON) != 0;
    if (o & IAM_GLOB_STAR) {
      for (size_t j = i; j <= R_m && !r; j++) {
        if (j > i && nocolon && R_t[j - 1] == ':') break;
        if (is_boundary(j)) r = ref(p + 1, j);
      }
    } else if (o & IAM_GLOB_QMARK) {
      if (i < R_m && !(nocolon && R_t[i] == ':')) r = ref(p + 1, i + iam_utf8_len(R_t, i, R_m));
    } else {
      r = i < R_m && R_t[i] == o && ref(p + 1, i + 1);
    }
  }
  memo[p][i] = (signed char)r;
  return r;
}

static int reference(const IamGlobCode *op, size_t n, const char *t, size_t m) {
  R_op = op, R_n = n, R_t = (const unsigned char *)t, R_m = m;
  memset(memo, -1, sizeof memo);
  return ref(0, 0);
}

static int valid_utf8(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    size_t k = iam_utf8_len(s, i, n);
    if (k == 1 || (k == 2 && s[i] < 0xC2)) return 0;
    i += k;
  }
  return 1;
}

/* The matcher agrees with the reference, and the work it counts stays within
** what an O(pattern x text) matcher may do. */
static void check(const char *kind, const IamGlobCode *codes, size_t n, const char *t, size_t m) {
  IamWork w;
  iam_work_init(&w, FUZZ_WORK_LIMIT, NULL, NULL);
  int got = iam_glob_match_codes(codes, (uint32_t)n, t, m, &w);
  int want = reference(codes, n, t, m);
  if (got != want) {
    fprintf(stderr, "fuzz_match: %s pattern of %zu codes: got %d, want %d\n", kind, n, got, want);
    abort();
  }
  if (w.used > (uint64_t)(n + 1) * (m + 1)) {
    fprintf(stderr, "fuzz_match: %s pattern of %zu codes, text of %zu bytes: %llu units\n", kind,
            n, m, (unsigned long long)w.used);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzField f[2];
  IamGlobCode codes[MAXN];
  fuzz_split(data, size, f, 2);
  if (f[1].present && f[0].n <= MAXN && f[1].n <= MAXN &&
      valid_utf8((const unsigned char *)f[0].s, f[0].n) &&
      valid_utf8((const unsigned char *)f[1].s, f[1].n)) {
    const char *p = f[0].s, *t = f[1].s;
    size_t n = f[0].n, m = f[1].n;
    iam_glob_codes_like(codes, p, n);
    check("Like", codes, n, t, m);
    iam_glob_codes_resource(codes, p, n, 0);
    check("Resource", codes, n, t, m);
    iam_glob_codes_action(codes, p, n);
    char lower[MAXN + 1];
    iam_ascii_lower(lower, t, m);
    check("Action", codes, n, lower, m);
  }
  fuzz_free(f, 2);
  return 0;
}
