/* SPDX-License-Identifier: MIT */
/* The linter (iam_lint() in SQL): every problem of a policy text as a list of
** findings, each with a code, a severity, a place and one sentence. Grammar
** problems are errors, exactly when the parser (iam_policy.h) rejects the
** text; everything else is advice. The codes are in ext/LINT.md. */
#ifndef IAM_LINT_H
#define IAM_LINT_H

#include <stddef.h>
#include <stdint.h>

#include "iam.h"
#include "iam_catalog.h"
#include "iam_policy.h"

/* Access Analyzer's four kinds, most severe first. */
typedef enum IamLintSeverity {
  IAM_LINT_ERROR = 0,
  IAM_LINT_SECURITY_WARNING,
  IAM_LINT_WARNING,
  IAM_LINT_SUGGESTION
} IamLintSeverity;

/* "error", "security_warning", "warning", "suggestion". */
const char *iam_lint_severity_name(IamLintSeverity s);

typedef struct IamLintFinding {
  const char *code;  /* "UNKNOWN_ACTION", static */
  uint8_t severity;  /* IamLintSeverity */
  int32_t doc;       /* the document's index (as IamStatement.doc), -1: the whole text */
  int32_t stmt;      /* the statement's index in its document, -1: none */
  const char *path;  /* JSON path of the place, "" for the whole text */
  const char *sid;   /* the statement's Sid, or NULL */
  const char *msg;   /* one sentence */
  const char *value; /* the offending text (cut), or NULL */
} IamLintFinding;

/* The editable lists of the data-driven checks (the lint_* tables of
** sql/lint/tables.sql), as the caller read them. A NULL array with
** has_... = 0 means the list is not there: its checks are skipped and said
** so. Strings are borrowed for the duration of the call. */
typedef struct IamLintRule {
  const char *name;
  const char *const *actions; /* "service:Action" each */
  uint32_t nactions;
} IamLintRule;

typedef struct IamLintLists {
  uint8_t has_global_keys, has_escalation, has_credentials, has_sensitive, has_resource_policy,
      has_paired;
  const IamCatKey *global_keys; /* condition keys valid with every action */
  uint32_t nglobal_keys;
  const IamLintRule *escalation; /* PRIVILEGE_ESCALATION: sets of actions */
  uint32_t nescalation;
  const char *const *credentials; /* CREDENTIALS_EXPOSURE: actions */
  uint32_t ncredentials;
  const char *const *sensitive_action; /* SENSITIVE_ACCESS: action and resource patterns */
  const char *const *sensitive_resource;
  uint32_t nsensitive;
  const char *const *resource_policy; /* RESOURCE_POLICY_PRIVILEGE_ESCALATION: actions */
  uint32_t nresource_policy;
  const char *const *paired_key; /* MISSING_PAIRED_CONDITION_KEYS: key and one of its partners */
  const char *const *paired_with;
  uint32_t npaired;
} IamLintLists;

typedef struct IamLintOptions {
  IamPolicyType type;         /* how the text is read (iam_policy_type_parse) */
  const IamCatalog *catalog;  /* NULL: the data-driven checks are skipped */
  const IamLintLists *lists;  /* NULL: no lists */
  const char *missing_tables; /* when catalog is NULL: what is missing, for the message */
} IamLintOptions;

/* The findings of one call: one block of memory with everything in it. */
typedef struct IamLintReport IamLintReport;

/* Lint text[0..len) (NUL-terminated at text[len]). Never fails on a bad
** document: every problem is a finding. IAM_OK (*out set; free it with
** iam_lint_free) or IAM_ENOMEM. Work is bounded: past the parser's limits,
** or past a budget for the costlier checks, a finding says what was not
** checked. */
int iam_lint(const char *text, size_t len, const IamLintOptions *opt, IamLintReport **out);
uint32_t iam_lint_count(const IamLintReport *r);
/* Finding i (< iam_lint_count), in document order; borrowed from r. */
const IamLintFinding *iam_lint_finding(const IamLintReport *r, uint32_t i);
void iam_lint_free(IamLintReport *r);

/* Findings in one report, at most; past it one TOO_MANY_FINDINGS. */
#define IAM_LINT_MAX_FINDINGS 10000

#endif /* IAM_LINT_H */
