/* SPDX-License-Identifier: MIT */
/* The compiled policy and its parser. A policy set (one document, an array
** of them, or {"identity", "boundary"}) is checked against the grammar of
** ext/core/SEMANTICS.md, "Policy documents", and compiled once: patterns into
** globs and templates, condition values pre-parsed. */
#ifndef IAM_POLICY_H
#define IAM_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "iam.h"
#include "iam_cond.h"
#include "iam_match.h"
#include "iam_principal.h"
#include "iam_template.h"

enum { IAM_EFFECT_ALLOW = 0, IAM_EFFECT_DENY = 1 };

/* The policy type a statement belongs to (SEMANTICS.md, "Policy types"). */
typedef enum IamSet {
  IAM_SET_IDENTITY = 0,
  IAM_SET_BOUNDARY,
  IAM_SET_SESSION,
  IAM_SET_RESOURCE,
  IAM_SET_SCP,
  IAM_SET_RCP,
  IAM_SET_ENDPOINT,
  IAM_NSETS
} IamSet;

/* "identity", "boundary", "session", "resource", "scp", "rcp", "endpoint". */
const char *iam_set_name(IamSet s);

typedef struct IamStatement {
  /* What every request reads comes first, so deciding that a statement's
  ** Action does not match touches one cache line of it. */
  /* Bloom filter of the service prefixes of the Action patterns (iam_index.h). */
  uint64_t svc_mask;
  IamGlob *act; /* action patterns, lower-cased */
  /* With many action patterns, an index (iam_index.h): the literal patterns
  ** in an open-addressing table (act_tab, act_tab_mask+1 slots of indexes
  ** into act, UINT32_MAX = empty) and the wildcard ones in act_wild. */
  uint32_t *act_tab;
  uint32_t *act_wild;
  uint32_t nact;
  uint32_t act_tab_mask;
  uint32_t nwild;
  uint8_t effect; /* IAM_EFFECT_* */
  uint8_t not_action;
  uint8_t not_resource;
  uint8_t set;          /* IamSet */
  uint8_t any_resource; /* a resource policy statement without Resource/NotResource */
  uint32_t nres;
  uint32_t ncond;
  IamTemplate *res;
  IamCond *cond;
  /* For explanations and the table-valued functions. */
  uint32_t doc;        /* index of the document in the policy array (0 for one doc) */
  uint32_t idx;        /* index of the statement within its document */
  uint32_t level;      /* SCP/RCP: the level (0 = the organization root) */
  uint32_t member_doc; /* index of the document within its member (and level) */
  /* Principal/NotPrincipal, compiled (NULL when absent). */
  const IamPrincipalBlock *principal;
  const char *sid;            /* NULL if absent */
  const char **act_text;      /* as written */
  const char *principal_json; /* normalised Principal/NotPrincipal JSON or NULL */
  uint8_t has_principal;      /* Principal or NotPrincipal present (TVFs only) */
  uint8_t not_principal;      /* ... and it is NotPrincipal */
  uint8_t version2012;        /* the document's Version is 2012-10-17 */
} IamStatement;

/* The caller and the policy types of a whole request: the policy object
** with "principal" (SEMANTICS.md, "Whole requests"). Statements of each
** type are contiguous in IamPolicy.stmt, in the order of IamSet, SCP and RCP
** statements in level order. */
typedef struct IamAuthz {
  IamCaller caller;
  char resource_account[IAM_ACCOUNT_LEN + 1];  /* "" when not given */
  uint8_t present[IAM_NSETS];                  /* the member is there and not null */
  uint32_t first[IAM_NSETS], count[IAM_NSETS]; /* statements of each type */
  uint32_t nlevels[IAM_NSETS];                 /* SCP and RCP levels */
  /* The request members iam_authorize() reads (IAM_PARSE_REQUEST), as text. */
  const char *action, *resource, *context; /* context: JSON text, NULL if absent/null */
  uint32_t action_len, resource_len, context_len;
  /* For composing a request from parts (IAM_PARSE_PART, iam_compose.h). */
  uint32_t ndocs[IAM_NSETS]; /* documents of each type */
  uint32_t nvalues;          /* patterns and values, as IAM_MAX_VALUES counts them */
  uint16_t given;            /* IAM_MEMBER_BIT of each member written, null or not */
  uint8_t has_caller;        /* "principal" was given (always, but in a part) */
} IamAuthz;

/* The members of a whole-request object that a part may give: the policy
** types (IamSet), then these two. */
#define IAM_MEMBER_PRINCIPAL        IAM_NSETS
#define IAM_MEMBER_RESOURCE_ACCOUNT (IAM_NSETS + 1)
#define IAM_NPART_MEMBERS           (IAM_NSETS + 2)
#define IAM_MEMBER_BIT(m)           ((uint16_t)(1u << (m)))
/* The member's name in the request object ("identity", "scps", ...). */
const char *iam_member_name(int member);
/* Which caller may carry which policy types (SEMANTICS.md, "Kinds of
** caller"): IAM_OK, or IAM_EINVAL with err filled. */
int iam_authz_check_caller(const IamAuthz *az, IamError *err);

/* A compiled policy.
**
** Ownership: an IamPolicy owns nothing and has no destructor. Every IamPolicy
** the core hands out is one contiguous block (iam_compact.h) that holds all
** of it, laid out in the order evaluation reads it, with no pointer leaving
** the block; whoever provided the block frees it, the way they allocated it:
**   - iam_policy_parse:  one iam_malloc'd block, the caller calls iam_free
**                        (tests and fuzzers, -DIAM_TESTING);
**   - iam_policy_place:  written into the caller's dst (the connection cache
**                        places policies inside its entries, and frees them
**                        with the entry).
** The parser's arena form is a different type, IamPolicyDraft, which can only
** be measured, placed and freed: no evaluation ever reads a draft. */
typedef struct IamPolicy {
  uint32_t ndocs;
  uint8_t is_array; /* input was a JSON array of documents (or identity/boundary) */
  uint32_t nstmt;
  IamStatement *stmt;
  uint8_t has_boundary; /* {"identity":...,"boundary":...} with a boundary */
  /* The whole-request form ("principal"), decided by iam_authorize
  ** (iam_authz.h), else NULL. Its statements are in no list below, so
  ** iam_eval never allows it. */
  const IamAuthz *authz;
  /* Per statement, the service bits a request must have for it to apply:
  ** its svc_mask, or every bit for NotAction. Evaluation skips statements
  ** with this alone, without reading them (iam_index.h). */
  uint64_t *svc;
  uint32_t ndeny, nallow, nballow;
  uint32_t *deny;   /* statement indexes, in order: Deny statements of either set */
  uint32_t *allow;  /* Allow statements of the identity policies */
  uint32_t *ballow; /* Allow statements of the permissions boundary */
} IamPolicy;

/* Parse flags.
** IAM_PARSE_PRINCIPAL: accept Principal/NotPrincipal in any document outside
**   a whole-request object (the expansion table-valued functions).
** IAM_PARSE_DOCS: one document or an array of them, never a policy object
**   (aggregate rows).
** IAM_PARSE_REQUEST: the whole-request object with "action", "resource" and
**   "context" too (iam_authorize).
** IAM_PARSE_TYPE(set): one document or an array of documents of one policy
**   type (IamSet), checked by that type's rules (SEMANTICS.md, "Policy
**   types") as in a whole-request object; never a policy object
**   (iam_policy_error() and iam_lint() with a policy type). */
#define IAM_PARSE_PRINCIPAL      1
#define IAM_PARSE_DOCS           2
#define IAM_PARSE_REQUEST        4
#define IAM_PARSE_TYPED          8
#define IAM_PARSE_TYPE(set)      (IAM_PARSE_TYPED | ((int)(set) << 4))
#define IAM_PARSE_TYPE_OF(flags) ((IamSet)(((flags) >> 4) & 15))
/* IAM_PARSE_PART: one part of a whole request (iam_compose.h): an object of
**   the request's members without "action", "resource" and "context", where
**   "principal" may be missing, or documents (an object that is not such a
**   part, or an array), which are the "identity" member. Parsed in the
**   whole-request form (p->authz), by the rules of each type; the checks of
**   the caller against the policies wait for the composition. */
#define IAM_PARSE_PART 256
/* With IAM_PARSE_PART: the text is the "members" argument of the SQL
** functions, and its messages call it that instead of "policy". */
#define IAM_PARSE_MEMBERS 512

/* A policy type as the linter and iam_policy_error() name it: "identity"
** (the text as iam_decision reads it: a document, an array, or a policy
** object), "boundary", "session", "resource", "trust" (a role's trust
** policy: a resource policy), "scp", "rcp" or "endpoint" (documents of that
** type, IAM_PARSE_TYPE). */
typedef struct IamPolicyType {
  uint8_t set;   /* IamSet */
  uint8_t typed; /* 0 for "identity": the default reading */
  uint8_t trust; /* "trust" */
} IamPolicyType;

/* Parse a type name: 1 (*t set), or 0 when s[0..n) names no type. */
int iam_policy_type_parse(const char *s, size_t n, IamPolicyType *t);
/* The parse flags that read a text as type t. */
int iam_policy_type_flags(const IamPolicyType *t);
/* The names iam_policy_type_parse takes, for messages. */
#define IAM_POLICY_TYPE_NAMES "identity, boundary, session, resource, trust, scp, rcp, endpoint"

/* The parser's output before it is placed in a block: private to the
** parser, only measured, placed and freed. */
typedef struct IamPolicyDraft IamPolicyDraft;

/* Parse and compile policy JSON: one document, an array of documents,
** {"identity": documents, "boundary": documents or null} (SEMANTICS.md,
** "Permissions boundaries"), or a whole-request object with "principal" and
** every policy type (SEMANTICS.md, "Whole requests"). text must be NUL-terminated at text[len]. On
** IAM_OK the caller frees *out with iam_policy_draft_free; otherwise
** IAM_ENOMEM, or IAM_EPARSE/IAM_EINVAL/IAM_ELIMIT with err filled. */
int iam_policy_draft(const char *text, size_t len, int flags, IamPolicyDraft **out, IamError *err);
/* Bytes iam_policy_place needs at dst. */
size_t iam_policy_draft_size(const IamPolicyDraft *d);
/* Write the policy into dst (iam_policy_draft_size(d) bytes, aligned as
** malloc aligns) and return it; it stays valid while dst does, whatever
** becomes of d. */
const IamPolicy *iam_policy_place(const IamPolicyDraft *d, void *dst);
void iam_policy_draft_free(IamPolicyDraft *d);

#ifdef IAM_TESTING
/* For tests and fuzzers (the extension places drafts in its cache entries):
** draft and place in one iam_malloc'd block; the caller frees *out with
** iam_free. Return codes as iam_policy_draft. */
int iam_policy_parse(const char *text, size_t len, int flags, IamPolicy **out, IamError *err);
#endif

#endif /* IAM_POLICY_H */
