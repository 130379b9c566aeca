/* SPDX-License-Identifier: MIT */
/* Callers and Principal elements (ext/core/SEMANTICS.md, "Whole requests":
** callers, their chain, Principal and NotPrincipal): who is calling, and whether a
** Principal or NotPrincipal block of a policy names them, and how strongly. */
#ifndef IAM_PRINCIPAL_H
#define IAM_PRINCIPAL_H

#include <stddef.h>
#include <stdint.h>

#include "iam.h"
#include "iam_mem.h"

typedef enum IamCallerKind {
  IAM_CALLER_USER = 0,     /* arn:P:iam::A:user/PATH/NAME */
  IAM_CALLER_ROLE,         /* arn:P:iam::A:role/PATH/NAME (the role itself) */
  IAM_CALLER_ROLE_SESSION, /* arn:P:sts::A:assumed-role/NAME/SESSION */
  IAM_CALLER_FEDERATED,    /* arn:P:sts::A:federated-user/NAME */
  IAM_CALLER_ROOT,         /* arn:P:iam::A:root */
  IAM_CALLER_ANONYMOUS,    /* "anonymous" */
  IAM_CALLER_SERVICE       /* "ecs-tasks.amazonaws.com" */
} IamCallerKind;

#define IAM_ACCOUNT_LEN   12
#define IAM_PARTITION_MAX 10 /* "aws-us-gov" */

/* A caller, parsed once. Strings are NUL-terminated and borrowed from the
** arena given to iam_caller_parse (they live as long as it). */
typedef struct IamCaller {
  const char *arn;           /* the principal string as given */
  const char *principal_arn; /* aws:PrincipalArn; NULL for anonymous and services */
  const char *name;          /* user, role or federated-user name; NULL for others */
  uint32_t arn_len, principal_arn_len, name_len;
  char account[IAM_ACCOUNT_LEN + 1];     /* "" for anonymous and services */
  char partition[IAM_PARTITION_MAX + 1]; /* "" for anonymous and services */
  uint8_t kind;                          /* IamCallerKind */
  uint8_t service_linked;                /* a service-linked role, or a session of one */
} IamCaller;

/* Parse a caller (the request's "principal"). Returns IAM_OK, IAM_ENOMEM, or
** IAM_EINVAL with err filled ("principal 'x' is not ..."). */
int iam_caller_parse(const char *s, size_t n, IamArena *a, IamCaller *out, IamError *err);

/* Whether a caller is a session (role session or federated user). */
int iam_caller_is_session(const IamCaller *c);

/* What one value of a Principal block names. */
typedef enum IamPrincipalValueKind {
  IAM_PV_NOBODY = 0, /* Federated, CanonicalUser, or a string that names no caller */
  IAM_PV_EVERYONE,   /* "*" */
  IAM_PV_ACCOUNT,    /* AWS: 12 digits, or arn:P:iam::A:root */
  IAM_PV_USER,       /* AWS: a user ARN, matched exactly */
  IAM_PV_ROLE,       /* AWS: a role ARN: the role, and its sessions by account and name */
  IAM_PV_SESSION,    /* AWS: a role-session or federated-user ARN, matched exactly */
  IAM_PV_SERVICE     /* Service: a service principal, ASCII case ignored */
} IamPrincipalValueKind;

typedef struct IamPrincipalValue {
  const char *text; /* as written, NUL-terminated */
  uint32_t len;
  uint32_t name_off, name_len; /* IAM_PV_ROLE: the role name within text */
  char account[IAM_ACCOUNT_LEN + 1];
  char partition[IAM_PARTITION_MAX + 1]; /* "" for a bare account number */
  uint8_t kind;                          /* IamPrincipalValueKind */
} IamPrincipalValue;

/* A compiled Principal or NotPrincipal block. */
typedef struct IamPrincipalBlock {
  IamPrincipalValue *vals;
  uint32_t nvals;
  uint8_t negated; /* NotPrincipal */
} IamPrincipalBlock;

/* How a Principal block names a caller, weakest first. */
typedef enum IamMatchKind {
  IAM_MATCH_NONE = 0,
  IAM_MATCH_ACCOUNT, /* through the caller's account: delegates to the account */
  IAM_MATCH_ROLE,    /* through the caller's role */
  IAM_MATCH_DIRECT   /* the caller itself, or everyone */
} IamMatchKind;

/* Classify one value. type is the block member ("AWS", "Service", "Federated",
** "CanonicalUser"), or NULL for a bare "*". text must stay alive (it is kept). */
void iam_principal_value_init(IamPrincipalValue *v, const char *type, const char *text, size_t len);

/* The strongest kind with which a Principal block (negated = 0) names the
** caller: IAM_MATCH_NONE if no value does. */
IamMatchKind iam_principal_match(const IamPrincipalBlock *b, const IamCaller *c);

/* Whether a statement with this block applies to the caller, as far as the
** Principal element goes: for Principal, a match of any kind; for
** NotPrincipal, with effect Allow: no element of the caller's chain is
** listed; with effect Deny: some element is not listed, or the caller has a
** permissions boundary. *kind is the match kind (NotPrincipal: direct). */
int iam_principal_applies(const IamPrincipalBlock *b, const IamCaller *c, int deny,
                          int has_boundary, IamMatchKind *kind);

const char *iam_match_kind_name(IamMatchKind k); /* "direct", ...; NULL for none */
const char *iam_caller_kind_name(IamCallerKind k);

#endif /* IAM_PRINCIPAL_H */
