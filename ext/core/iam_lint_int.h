/* SPDX-License-Identifier: MIT */
/* Inside the linter: the model of a policy text that the grammar walk
** (iam_lint.c, the only lint file that sees cJSON) builds for the checks
** (iam_lint_check.c, iam_lint_data.c), and how a check adds a finding. Not
** for the glue. */
#ifndef IAM_LINT_INT_H
#define IAM_LINT_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "iam_lint.h"
#include "iam_mem.h"

/* One (operator, key, values) entry of a statement's Condition. */
typedef struct LintCond {
  const char *op; /* as written */
  int base;       /* index into iam_cond_operators */
  uint8_t qual;   /* IamQualifier */
  uint8_t ifx;
  const char *key;
  const char *const *vals; /* as text (numbers and booleans as their JSON text) */
  uint32_t nvals;
  uint8_t array;    /* the values were written as an array */
  const char *path; /* the key's path: Statement[0].Condition.StringEquals."aws:username" */
} LintCond;

/* One value of Principal/NotPrincipal: type NULL for a bare "*". */
typedef struct LintPrincipal {
  const char *type; /* "AWS", "Service", "Federated", "CanonicalUser" or NULL */
  const char *value;
  const char *path;
} LintPrincipal;

/* A statement that passed the grammar (the checks never see another). */
typedef struct LintStmt {
  int32_t doc, idx;
  const char *path; /* "Statement[2]", "policy[1].Statement[0]", "scps[0][1].Statement" */
  const char *sid;  /* NULL if absent */
  uint8_t set;      /* IamSet */
  uint8_t trust, version2012, deny, not_action, not_resource, any_resource, not_principal;
  uint8_t act_array, res_array; /* the patterns were written as an array */
  const char *const *act;       /* Action or NotAction patterns */
  uint32_t nact;
  const char *const *res; /* Resource or NotResource patterns (none: any_resource) */
  uint32_t nres;
  LintCond *cond;
  uint32_t ncond;
  LintPrincipal *pr; /* Principal or NotPrincipal values */
  uint32_t npr;
  uint8_t has_principal;
  const char *principal_json; /* compact text, for comparisons */
  const char *cond_text;      /* a canonical text of the conditions, for comparisons; "" for none */
} LintStmt;

/* A document. */
typedef struct LintDoc {
  int32_t index;       /* the document's index (as LintStmt.doc) */
  const char *prefix;  /* "" or "policy[1]" ... (no trailing dot) */
  const char *version; /* the Version text, or NULL */
  uint8_t set, trust, version_ok;
  uint32_t first, nstmt; /* its statements that passed, in lint->stmt */
} LintDoc;

typedef struct Lint {
  IamArena arena; /* everything below, findings included */
  const IamLintOptions *opt;
  IamLintFinding *f;
  uint32_t nf, capf;
  uint32_t *seq; /* emission order, for a stable sort */
  int oom, full;
  int errors; /* error findings so far */
  LintStmt *stmt;
  uint32_t nstmt, capstmt;
  LintDoc *docs;
  uint32_t ndocs, capdocs;
  IamGlob **globs; /* per statement: its Action/NotAction patterns compiled, made on first use */
  uint64_t work;   /* matching steps of the costlier checks */
  int budget_hit;
  const char *skipped[8]; /* checks skipped for want of data */
  int nskipped;
} Lint;

/* Matching steps one report may spend on the costlier checks (redundancy,
** the catalog checks); past it they stop and one CHECK_LIMIT says so. */
#define LINT_WORK_BUDGET 50000000ull

/* Add a finding. path and value are copied (value cut to LINT_VALUE_MAX
** bytes); st may be NULL (then doc/stmt from the arguments). */
#define LINT_VALUE_MAX 240
void lint_add(Lint *L, const char *code, IamLintSeverity sev, const LintStmt *st, int32_t doc,
              int32_t stmt, const char *path, const char *value, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 9, 10)))
#endif
    ;

/* Spend n steps of the budget: 1 while within it, 0 once it is spent. */
int lint_spend(Lint *L, uint64_t n);

/* "path.member" or path + "[k]" into the arena (member quoted when needed). */
const char *lint_path_member(Lint *L, const char *path, const char *member);
const char *lint_path_index(Lint *L, const char *path, uint32_t k);

/* The checks on the model (iam_lint_check.c) and with the catalog
** (iam_lint_data.c). Both return IAM_OK or IAM_ENOMEM. */
int lint_check(Lint *L);
int lint_check_data(Lint *L);

/* The path of the i-th pattern of a statement element: "...Action[2]", or
** "...Action" when it was written as one string. */
const char *lint_element_path(Lint *L, const LintStmt *st, const char *element, uint32_t i,
                              int array);

/* Whether the statement's Allow grants anything by itself: identity,
** session and resource policies. An SCP, RCP, permissions boundary or
** endpoint policy only limits, so the checks about what a policy grants
** (escalation, credentials, Resource "*", NotAction ...) skip it. */
int lint_grants(const LintStmt *st);

/* Whether the statement's Action (NotAction) element lets the action
** ("service:Name", any case) through: 1 or 0 (also for an action too long
** to be one); the patterns are compiled once per statement. */
int lint_admits(Lint *L, const LintStmt *st, const char *action);

/* ASCII case-insensitive equality of two NUL-terminated strings. */
int lint_ieq(const char *a, const char *b);

#endif /* IAM_LINT_INT_H */
