/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the linter (ext/core/README.md, "Hostile input").
**
** Input: POLICY [RS ...] (RS = 0x1e, see fuzz_common.h; the policy seeds'
** other fields are ignored). The text is linted as the policy type chosen by
** the input's length (identity, boundary, session, resource, trust, scp, rcp,
** endpoint), with the in-memory catalog of tests/unit/fake_catalog.h and
** without it. Checked besides memory safety and bounded time:
**   - iam_lint never fails but for memory, and gives at most
**     IAM_LINT_MAX_FINDINGS findings, each with a code, a severity, a path
**     and a message;
**   - it has an error finding exactly when the parser rejects the text for
**     that type, and the linter's own walk found it (not only its fallback
**     that repeats the parser's message);
**   - with and without the catalog the error findings are the same;
**   - a valid text compared with itself by iam_new_access gives no row, with
**     and without the catalog.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/fake_catalog.h"
#include "fuzz_common.h"
#include "iam_access.h"
#include "iam_lint.h"
#include "iam_mem.h"
#include "iam_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                \
  do {                                                                          \
    if (!(c)) {                                                                 \
      fprintf(stderr, "fuzz_lint: check failed: %s (line %d)\n", #c, __LINE__); \
      abort();                                                                  \
    }                                                                           \
  } while (0)

static const char *const types[] = {"identity", "boundary", "session", "resource",
                                    "trust",    "scp",      "rcp",     "endpoint"};

/* Lint text; the number of error findings, or -1 when out of memory. */
static int lint(const FuzzField *f, const IamPolicyType *t, int catalog, const char *parser_msg) {
  IamLintOptions o;
  IamLintReport *r = NULL;
  memset(&o, 0, sizeof o);
  o.type = *t;
  if (catalog) {
    o.catalog = &fake_catalog;
    o.lists = &fake_lists;
  }
  int rc = iam_lint(f->s, f->n, &o, &r);
  if (rc != IAM_OK) {
    CHECK(rc == IAM_ENOMEM && r == NULL);
    return -1;
  }
  int errors = 0;
  char fallback[IAM_ERROR_MAX + 2];
  snprintf(fallback, sizeof fallback, "%s.", parser_msg ? parser_msg : "");
  CHECK(iam_lint_count(r) <= IAM_LINT_MAX_FINDINGS);
  for (uint32_t i = 0; i < iam_lint_count(r); i++) {
    const IamLintFinding *x = iam_lint_finding(r, i);
    CHECK(x->code != NULL && x->code[0] && x->msg != NULL && x->msg[0] && x->path != NULL);
    CHECK(x->severity <= IAM_LINT_SUGGESTION);
    if (x->severity == IAM_LINT_ERROR) {
      errors++;
      CHECK(parser_msg == NULL || strcmp(x->msg, fallback) != 0);
    }
  }
  iam_lint_free(r);
  return errors;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzField f[4];
  IamPolicyType t;
  IamPolicy *p = NULL;
  IamError err;
  fuzz_split(data, size, f, 4);
  const char *name = types[size % 8];
  CHECK(iam_policy_type_parse(name, strlen(name), &t));
  memset(&err, 0, sizeof err);
  int rc = iam_policy_parse(f[0].s, f[0].n, iam_policy_type_flags(&t), &p, &err);
  if (rc == IAM_OK) {
    if (p->authz == NULL && !p->has_boundary) { /* documents: compare with itself */
      for (int c = 0; c < 2; c++) {
        IamNewAccessList *l = NULL;
        if (iam_new_access_limited(p, p, t.set, c ? &fake_catalog : NULL, FUZZ_WORK_LIMIT, &l) !=
            IAM_OK)
          continue;
        CHECK(iam_new_access_count(l) == 0);
        iam_new_access_free(l);
      }
    }
    iam_free(p);
  }
  if (rc != IAM_ENOMEM) {
    int with = lint(&f[0], &t, 1, rc == IAM_OK ? NULL : err.msg);
    int without = lint(&f[0], &t, 0, rc == IAM_OK ? NULL : err.msg);
    if (with >= 0) CHECK((with > 0) == (rc != IAM_OK));
    if (with >= 0 && without >= 0) CHECK(with == without);
  }
  fuzz_free(f, 4);
  return 0;
}
