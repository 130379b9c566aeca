/* SPDX-License-Identifier: MIT */
/* Suite constructors of the core unit tests, one per module. */
#ifndef CHECK_IAM_H
#define CHECK_IAM_H

#include <check.h>

Suite *match_suite(void);
Suite *cond_suite(void);
Suite *policy_suite(void);
Suite *ctx_suite(void);
Suite *eval_suite(void);
Suite *cache_suite(void);
Suite *compact_suite(void);
Suite *json_suite(void);
Suite *template_suite(void);
Suite *explain_suite(void);
Suite *text_suite(void);
Suite *authz_suite(void);
Suite *cover_suite(void);
Suite *lint_suite(void);
Suite *access_suite(void);
Suite *authzmsg_suite(void);
Suite *bounds_suite(void);
Suite *compose_suite(void);

/* JSON written with ' for " in the tests: a copy of s with every ' turned into ", in one of a
** few rotating buffers (check_main.c). */
const char *J(const char *s);

#endif /* CHECK_IAM_H */
