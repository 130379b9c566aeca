/* SPDX-License-Identifier: MIT */
/* Templates: a pattern or condition value as written, compiled once. Without
** policy variables a template is a ready glob; with them it is a list of
** parts (globs and variables) expanded per request from the context.
** Rules: ext/core/SEMANTICS.md, "Policy variables". */
#ifndef IAM_TEMPLATE_H
#define IAM_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "iam_ctx.h"
#include "iam_match.h"
#include "iam_mem.h"

/* How '*' and '?' in the literal text of a template are read. */
typedef enum IamTemplateMode {
  IAM_TEMPLATE_LITERAL = 0, /* literal (StringEquals, Bool) */
  IAM_TEMPLATE_LIKE,        /* wildcards (StringLike, Arn*) */
  IAM_TEMPLATE_RESOURCE     /* Resource field rules (SEMANTICS.md, "Resource") */
} IamTemplateMode;

/* A part of a template with variables: glob codes, or one variable. */
typedef struct IamTemplatePart {
  const IamGlobCode *codes; /* !is_var: n codes */
  uint32_t n;
  const char *name; /* is_var: lower-cased variable name, NUL-terminated */
  uint32_t name_len;
  const char *def; /* default value (has_def) */
  uint32_t def_len;
  uint8_t is_var;
  uint8_t has_def;
} IamTemplatePart;

/* Borrowed pieces: they live in the block (or draft arena) of the object
** that holds the template, and go with it. */
typedef struct IamTemplate {
  const char *text; /* as written (normalised to text), NUL-terminated */
  uint32_t len;
  uint8_t has_vars;
  uint8_t mode;           /* IamTemplateMode */
  IamGlob glob;           /* !has_vars: the whole pattern */
  IamTemplatePart *parts; /* has_vars */
  uint32_t nparts;
} IamTemplate;

/* Compile s[0..n) into t, with variables when vars is set (Version
** 2012-10-17 and an operator that substitutes). Everything t points to is
** allocated in a; scratch is reused between calls. IAM_OK or IAM_ENOMEM. */
int iam_template_compile(IamTemplate *t, const char *s, size_t n, IamTemplateMode mode, int vars,
                         IamArena *a, IamGlobScratch *scratch);

/* The codes of t for this request: its glob's, or its parts with each
** variable replaced by its value from c (literal text). *codes points to
** buf when the result fits in cap codes (or to t's own codes); otherwise to
** a new iam_malloc'd array: release it with iam_template_codes_release.
** Expanding counts its work in w. 1 (done), 0 (an unresolved variable: the
** value is null; or codes that cannot match a text of max_len bytes: pass
** SIZE_MAX where a longer pattern must still be compared), IAM_ENOMEM, or
** w's IAM_EWORK / IAM_EINTERRUPT. */
#define IAM_TEMPLATE_STACK 256 /* codes callers keep on the stack */
int iam_template_codes(const IamTemplate *t, const IamCtx *c, size_t max_len, IamGlobCode *buf,
                       size_t cap, IamGlobCode **codes, uint32_t *n, IamWork *w);
void iam_template_codes_release(const IamTemplate *t, IamGlobCode *codes, const IamGlobCode *buf);

/* Match text[0..m) against t with the variables of c, counting the work in
** w: 1, 0 (also when a variable is unresolved), IAM_ENOMEM, or w's
** IAM_EWORK / IAM_EINTERRUPT. */
int iam_template_match(const IamTemplate *t, const char *text, size_t m, const IamCtx *c,
                       IamWork *w);

/* A template compiled on its own (iam_resource_matches()): *out is one
** iam_malloc'd block that owns nothing else; the caller frees it with
** iam_free. IAM_OK or IAM_ENOMEM. */
int iam_template_new(const char *text, size_t len, IamTemplateMode mode, int vars,
                     IamTemplate **out);

#endif /* IAM_TEMPLATE_H */
