/* The request context: a JSON object of condition keys, looked up ignoring
** ASCII case; and the expansion of policy variables from it (spec §2, §5). */
#ifndef IAM_CTX_H
#define IAM_CTX_H

#include <stddef.h>
#include <stdint.h>

#include "iam.h"
#include "iam_mem.h"
#include "iam_policy.h"

typedef struct IamCtxEntry {
  const char *key; /* lower-cased, NUL-terminated */
  uint32_t key_len;
  uint8_t multi; /* the JSON value was an array */
  uint32_t n;    /* number of values */
  const char **val;
  uint32_t *len;
} IamCtxEntry;

typedef struct IamCtx {
  IamArena arena;
  uint32_t n;
  IamCtxEntry *e; /* sorted by key */
  int refcount;   /* for the caller's use; starts at 1 */
} IamCtx;

/* Parse a context object. text must be NUL-terminated at text[len]. Keys whose
** value is null are absent. Caller frees with iam_ctx_free. */
int iam_ctx_parse(const char *text, size_t len, IamCtx **out, IamError *err);
void iam_ctx_free(IamCtx *c);

/* The shared empty context (never freed). */
const IamCtx *iam_ctx_empty(void);

/* Look up a lower-cased key; NULL when absent. Borrowed. */
const IamCtxEntry *iam_ctx_get(const IamCtx *c, const char *lkey, size_t n);

/* Expand a template's variables from the context into ops. *ops points to buf
** when the result fits in cap entries, else to a new iam_malloc'd array the
** caller frees (when *ops != buf). Returns 1 (expanded), 0 (an unresolved
** variable: the value is null), or -1 (out of memory). */
int iam_template_expand(const IamTemplate *t, const IamCtx *c, IamOp *buf, size_t cap, IamOp **ops,
                        uint32_t *n);

#endif /* IAM_CTX_H */
