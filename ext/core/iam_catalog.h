/* SPDX-License-Identifier: MIT */
/* What the core knows of AWS's actions when a caller supplies it: services,
** their actions with access levels, resource types and condition keys. The
** core never reads a database: the SQL glue fills these structures from the
** action catalog tables (ext/sqlite/iam_catalog_glue.c) and owns them; the
** linter (iam_lint.h) and iam_new_access (iam_access.h) read them through
** the callbacks of IamCatalog. Actions are matched with the Action rules of
** SEMANTICS.md, "Action". */
#ifndef IAM_CATALOG_H
#define IAM_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "iam_match.h"

/* Access levels, lowest first, as the catalog's action.access_rank. */
typedef enum IamAccessLevel {
  IAM_ACCESS_UNKNOWN = 0,
  IAM_ACCESS_LIST = 1,
  IAM_ACCESS_READ,
  IAM_ACCESS_WRITE,
  IAM_ACCESS_TAGGING,
  IAM_ACCESS_PERMISSIONS /* "Permissions management" */
} IamAccessLevel;

/* "List", "Read", "Write", "Tagging", "Permissions management", or NULL. */
const char *iam_access_level_name(IamAccessLevel a);
/* The level for the catalog's text, IAM_ACCESS_UNKNOWN for anything else. */
IamAccessLevel iam_access_level_parse(const char *s, size_t n);

/* The type of a condition key (the catalog's condition_key.type). */
typedef enum IamKeyType {
  IAM_KEY_UNKNOWN = 0,
  IAM_KEY_STRING,
  IAM_KEY_ARN,
  IAM_KEY_BOOL,
  IAM_KEY_NUMERIC,
  IAM_KEY_DATE,
  IAM_KEY_IP,
  IAM_KEY_BINARY
} IamKeyType;

/* Parse "String", "ArrayOfARN", "IPAddress", ... into a type and whether the
** key is multivalued (ArrayOf...). Returns the type (UNKNOWN when not known). */
IamKeyType iam_key_type_parse(const char *s, size_t n, int *multi);

/* One condition key: its name as the catalog writes it, which may be a
** template ("aws:RequestTag/${TagKey}": each ${...} stands for one or more
** characters), with its type. */
typedef struct IamCatKey {
  const char *name;
  uint8_t type;  /* IamKeyType */
  uint8_t multi; /* multivalued (ArrayOf...) */
} IamCatKey;

/* Whether a condition key as written in a policy is the catalog key k
** (ASCII case ignored; a placeholder of k, written ${Name} or <name> or as a
** final "/tag-key", matches one or more characters). */
int iam_cat_key_matches(const IamCatKey *k, const char *key, size_t n);

/* One action of a service. */
typedef struct IamCatAction {
  const char *name;  /* as AWS spells it: "RunTask" */
  const char *lower; /* lower-case: "runtask" */
  uint32_t lower_len;
  uint8_t access;         /* IamAccessLevel */
  const uint32_t *rtypes; /* indexes into the service's arn[] */
  uint32_t nrtypes;
  const uint32_t *keys; /* indexes into the service's keys[] */
  uint32_t nkeys;
} IamCatAction;

/* One service, complete. */
typedef struct IamCatService {
  const char *prefix;          /* lower-case: "ecs" */
  const IamCatAction *actions; /* sorted by lower (bytewise) */
  uint32_t nactions;
  const char *const *arn; /* the resource types' ARN templates
                          ** ("arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}") */
  uint32_t narn;
  const IamCatKey *keys; /* the condition keys of its actions */
  uint32_t nkeys;
} IamCatService;

/* The catalog as its owner offers it. Both callbacks may be called many
** times; what they return stays valid until the owner frees it (after the
** core call that received the catalog has returned). */
typedef struct IamCatalog {
  void *arg;
  /* The service with this lower-case prefix: 1 (*out set), 0 (no such
  ** service) or IAM_ENOMEM. */
  int (*service)(void *arg, const char *prefix, size_t n, const IamCatService **out);
  /* Every service prefix, lower-case: IAM_OK or IAM_ENOMEM. */
  int (*services)(void *arg, const char *const **prefixes, uint32_t *n);
} IamCatalog;

/* The actions of svc that the action pattern codes[0..n) (iam_glob_codes_action,
** the whole pattern "service:name") matches, by calling each(arg, action) in
** the service's order until it returns non-zero; uses the literal start of
** the name to skip. Returns the number visited, or the first non-zero return
** of each when it is negative. */
long iam_cat_actions_matching(const IamCatService *svc, const IamGlobCode *codes, uint32_t n,
                              int (*each)(void *arg, const IamCatAction *a), void *arg);

/* The action named lower (a lower-case "name" without the service), or NULL. */
const IamCatAction *iam_cat_action_find(const IamCatService *svc, const char *lower, size_t n);

#endif /* IAM_CATALOG_H */
