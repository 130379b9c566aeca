/* SPDX-License-Identifier: MIT */
/* One runner for every core suite; exits non-zero on any failure. */
#include <stdlib.h>
#include <string.h>

#include "check_iam.h"

const char *J(const char *s) {
  static char buf[4][8192];
  static int k;
  char *b = buf[k++ % 4];
  size_t n = strlen(s);
  ck_assert_uint_lt(n, sizeof buf[0]);
  for (size_t i = 0; i <= n; i++) b[i] = s[i] == '\'' ? '"' : s[i];
  return b;
}

int main(void) {
  SRunner *sr = srunner_create(match_suite());
  srunner_add_suite(sr, cond_suite());
  srunner_add_suite(sr, policy_suite());
  srunner_add_suite(sr, ctx_suite());
  srunner_add_suite(sr, eval_suite());
  srunner_add_suite(sr, cache_suite());
  srunner_add_suite(sr, compact_suite());
  srunner_add_suite(sr, json_suite());
  srunner_add_suite(sr, template_suite());
  srunner_add_suite(sr, explain_suite());
  srunner_add_suite(sr, text_suite());
  srunner_add_suite(sr, authz_suite());
  srunner_add_suite(sr, cover_suite());
  srunner_add_suite(sr, lint_suite());
  srunner_add_suite(sr, access_suite());
  srunner_add_suite(sr, authzmsg_suite());
  srunner_add_suite(sr, bounds_suite());
  srunner_add_suite(sr, compose_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
