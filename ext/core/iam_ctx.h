/* SPDX-License-Identifier: MIT */
/* The request context: a JSON object of condition keys, looked up ignoring
** ASCII case (ext/core/SEMANTICS.md, "The request"). */
#ifndef IAM_CTX_H
#define IAM_CTX_H

#include <stddef.h>
#include <stdint.h>

#include "iam.h"

typedef struct IamCtxEntry {
  const char *key; /* lower-cased, NUL-terminated */
  uint32_t key_len;
  uint8_t multi;   /* the JSON value was an array */
  uint8_t is_null; /* given as JSON null: absent, but it hides the key in `under` */
  uint32_t n;      /* number of values */
  const char **val;
  uint32_t *len;
} IamCtxEntry;

/* A parsed context. Like a compiled policy (iam_policy.h) it owns nothing
** and has no destructor: every IamCtx the core hands out is one contiguous
** block, and whoever provided the block frees it (iam_ctx_place: the owner
** of dst, e.g. a cache entry; iam_ctx_parse in tests: the caller, with
** iam_free). */
typedef struct IamCtx {
  uint32_t n;
  IamCtxEntry *e; /* sorted by key */
  /* Looked up for keys this context does not have (not even as null): the
  ** keys a whole request derives from its caller (iam_authz.h). Borrowed;
  ** NULL in every context the parser makes. */
  const struct IamCtx *under;
} IamCtx;

/* The parser's output before it is placed in a block: private to the core's
** parser, only measured, placed and freed. */
typedef struct IamCtxDraft IamCtxDraft;

/* Parse a context object. text must be NUL-terminated at text[len]. Keys
** whose value is null are absent (kept as is_null entries, which iam_ctx_get
** never returns). On IAM_OK the caller frees *out with
** iam_ctx_draft_free; otherwise IAM_ENOMEM, or IAM_EPARSE/IAM_EINVAL/
** IAM_ELIMIT with err filled. */
int iam_ctx_draft(const char *text, size_t len, IamCtxDraft **out, IamError *err);
/* Bytes iam_ctx_place needs at dst. */
size_t iam_ctx_draft_size(const IamCtxDraft *d);
/* Write the context into dst (iam_ctx_draft_size(d) bytes, aligned as malloc
** aligns) and return it; it stays valid while dst does, whatever becomes of d. */
const IamCtx *iam_ctx_place(const IamCtxDraft *d, void *dst);
void iam_ctx_draft_free(IamCtxDraft *d);

#ifdef IAM_TESTING
/* For tests and fuzzers: draft and place in one iam_malloc'd block; the
** caller frees *out with iam_free. Return codes as iam_ctx_draft. */
int iam_ctx_parse(const char *text, size_t len, IamCtx **out, IamError *err);
#endif

/* The shared empty context (static, never freed). */
const IamCtx *iam_ctx_empty(void);

/* Look up a lower-cased key, in c and then in c->under; NULL when absent.
** Borrowed from c. */
const IamCtxEntry *iam_ctx_get(const IamCtx *c, const char *lkey, size_t n);

#endif /* IAM_CTX_H */
