/* SPDX-License-Identifier: MIT */
/* What a new version of a policy allows that the old one does not
** (iam_new_access() in SQL), at the level of (action, resource pattern,
** conditions), against a caller-supplied action catalog (iam_catalog.h).
**
** The claim is one-sided and exact: an action without a row is allowed by
** the new policy only where the old one allows it too, for every resource,
** context and caller, by the rules of ext/core/SEMANTICS.md. A row may be a
** false alarm: the old policy may cover the pattern only by the union of
** several patterns, by conditions written differently, or through Deny
** statements; `conditional` marks rows whose verdict involved conditions,
** principals or Deny statements. ext/README.md, "Linting", says exactly
** what is compared. */
#ifndef IAM_ACCESS_H
#define IAM_ACCESS_H

#include <stdint.h>

#include "iam.h"
#include "iam_catalog.h"
#include "iam_policy.h"

typedef enum IamNewKind {
  IAM_NEW_ACTION = 0, /* the old policy allows the action nowhere */
  IAM_NEW_RESOURCE,   /* it allows it, but not on this resource pattern */
  IAM_NEW_PATTERN     /* an action pattern no catalog action matches (or no catalog) */
} IamNewKind;

/* "action", "resource", "pattern". */
const char *iam_new_kind_name(IamNewKind k);

/* One row. Pointers are borrowed from the new policy, the catalog or the
** result's own memory; valid while all three are. */
typedef struct IamNewAccess {
  const IamCatService *svc; /* the action's service, NULL for IAM_NEW_PATTERN */
  const IamCatAction *action;
  const char
      *pattern;  /* the Action pattern of the new statement that matches, NULL for NotAction */
  uint32_t stmt; /* index into new->stmt */
  const char *resource; /* the resource pattern as written; NULL: the statement has no Resource */
  uint8_t not_resource; /* resource is the statement's NotResource list, as JSON */
  uint8_t kind;         /* IamNewKind */
  uint8_t conditional;  /* conditions, principals or Deny statements took part */
} IamNewAccess;

typedef struct IamNewAccessList IamNewAccessList;

/* Comparing patterns (containment and overlap of every pair that an action
** asks about) counts its work in units like the evaluator's (iam_work.h):
** past the limit the comparison stops with IAM_EWORK, never a partial list.
** At most about a second on this project's VM. */
#define IAM_NEW_ACCESS_WORK_LIMIT ((uint64_t)2000 * 1000 * 1000)

/* Compare two compiled policies of the same type (set: IamSet; an RCP's
** statements are read against its implicit Allow of everything). cat may be
** NULL: then every row is IAM_NEW_PATTERN. IAM_OK (*out set; free with
** iam_new_access_free), IAM_ENOMEM, or IAM_EWORK past the work limit. */
int iam_new_access(const IamPolicy *old_p, const IamPolicy *new_p, int set, const IamCatalog *cat,
                   IamNewAccessList **out);
/* iam_new_access with a work limit of its own (0: IAM_NEW_ACCESS_WORK_LIMIT). */
int iam_new_access_limited(const IamPolicy *old_p, const IamPolicy *new_p, int set,
                           const IamCatalog *cat, uint64_t work_limit, IamNewAccessList **out);
uint32_t iam_new_access_count(const IamNewAccessList *l);
const IamNewAccess *iam_new_access_row(const IamNewAccessList *l, uint32_t i);
void iam_new_access_free(IamNewAccessList *l);

#endif /* IAM_ACCESS_H */
