/* SPDX-License-Identifier: MIT */
/* Core types shared by every module of the sqlite-iam core: return codes,
** the caller-owned error buffer, the decision, limits. The core never
** includes SQLite (make check-layout); the glue in ext/sqlite/ reports what
** the core returns. */
#ifndef IAM_H
#define IAM_H

#include <stddef.h>
#include <stdint.h>

/* Return codes. One convention everywhere in the core:
**   - a function that does something returns an IamRc: IAM_OK or a negative code;
**   - a function that answers a question returns 1 (yes) or 0 (no), or a
**     negative IamRc when it could not answer (IAM_ENOMEM).
** Out of memory is always IAM_ENOMEM, and never comes with a message. */
typedef enum IamRc {
  IAM_OK = 0,
  IAM_ENOMEM = -1,    /* an allocation failed; IamError.msg is not set */
  IAM_EPARSE = -2,    /* malformed JSON */
  IAM_EINVAL = -3,    /* well-formed JSON that is not a valid policy/context/request */
  IAM_ELIMIT = -4,    /* input exceeds one of the IAM_MAX_* limits */
  IAM_EWORK = -5,     /* the call's work limit was reached (iam_work.h): no decision */
  IAM_EINTERRUPT = -6 /* the host stopped the call (iam_work.h): no decision */
} IamRc;

/* Filled by the core on IAM_EPARSE/IAM_EINVAL/IAM_ELIMIT; never allocates.
** msg has no function prefix: the SQL glue adds "iam_xxx(): ". */
#define IAM_ERROR_MAX 256
typedef struct IamError {
  char msg[IAM_ERROR_MAX];
  long pos; /* byte offset into the input, or -1 */
} IamError;

typedef enum IamDecision {
  IAM_IMPLICIT_DENY = 0,
  IAM_ALLOW = 1,
  IAM_EXPLICIT_DENY = 2
} IamDecision;

/* Limits (ext/core/README.md, "Limits"). */
#define IAM_MAX_INPUT_BYTES     (8 * 1024 * 1024) /* policy or context JSON text */
#define IAM_MAX_DOCUMENTS       1024              /* documents in one policy array */
#define IAM_MAX_STATEMENTS      16384             /* statements over all documents */
#define IAM_MAX_VALUES          65536             /* patterns/values in one policy */
#define IAM_MAX_CTX_KEYS        4096              /* keys in one request context */
#define IAM_MAX_CTX_VALUES      1024              /* values of one context key */
#define IAM_MAX_CTX_VALUE_BYTES 4096              /* one context value, as text */
#define IAM_MAX_NESTING         64                /* JSON nesting depth */
#define IAM_MAX_ACTION_BYTES    1024              /* the request's action */
#define IAM_MAX_RESOURCE_BYTES  4096              /* the request's resource */

/* A hint to start fetching the cache line at p; no effect on results, and
** never faults, whatever p is. */
#if defined(__GNUC__) || defined(__clang__)
#define IAM_PREFETCH(p) __builtin_prefetch(p)
#else
#define IAM_PREFETCH(p) ((void)(p))
#endif

#endif /* IAM_H */
