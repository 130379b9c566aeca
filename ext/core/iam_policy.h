/* The compiled policy model and its parser. A policy set (one document or a
** JSON array of them) is validated against the grammar of the semantics spec
** §1 and compiled once: patterns into ops, condition values pre-parsed. */
#ifndef IAM_POLICY_H
#define IAM_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "iam.h"
#include "iam_cond.h"
#include "iam_match.h"
#include "iam_mem.h"

/* A piece of a template: wildcard ops, or a policy variable. */
typedef struct IamSeg {
  const IamOp *ops; /* kind OPS */
  uint32_t n;
  const char *name; /* kind VAR: lower-cased variable name, NUL-terminated */
  uint32_t name_len;
  const char *def; /* default value (has_def) */
  uint32_t def_len;
  uint8_t is_var;
  uint8_t has_def;
} IamSeg;

/* A pattern or condition value as written, compiled. Without variables, glob
** is ready to use; with them, segs are expanded per request (iam_ctx.h). */
typedef struct IamTemplate {
  const char *text; /* as written (normalised to text), NUL-terminated */
  uint32_t len;
  uint8_t has_vars;
  uint8_t mode; /* IamTplMode: how '*' and '?' in literal text are read */
  IamGlob glob; /* all ops (no variables) */
  IamSeg *segs;
  uint32_t nseg;
} IamTemplate;

typedef enum IamTplMode {
  IAM_TPL_LITERAL = 0, /* '*', '?' literal (StringEquals, Bool) */
  IAM_TPL_LIKE,        /* '*', '?' wildcards (StringLike, Arn*) */
  IAM_TPL_RESOURCE     /* Resource field rules (spec §2.2) */
} IamTplMode;

typedef struct IamCondValue {
  IamTemplate t; /* always set: the value as text */
  uint8_t ok;    /* family parse succeeded (Numeric, Date, Ip, Binary, Bool) */
  union {
    IamNum num;
    int64_t ms;
    IamIp ip;
    int b;
    struct {
      unsigned char *bytes;
      size_t n;
    } bin;
  } u;
} IamCondValue;

typedef struct IamCond {
  const char *op_text; /* operator as written */
  const char *key;     /* key as written */
  const char *key_lower;
  uint32_t key_len;
  uint32_t block; /* index of the operator block within Condition */
  int16_t base;   /* index into iam_ops */
  uint8_t qual;   /* IamQualifier */
  uint8_t if_exists;
  uint32_t nvals;
  IamCondValue *vals;
} IamCond;

enum { IAM_EFFECT_ALLOW = 0, IAM_EFFECT_DENY = 1 };
enum { IAM_SET_IDENTITY = 0, IAM_SET_BOUNDARY = 1 };

typedef struct IamStatement {
  /* What every request reads comes first, so deciding that a statement's
  ** Action does not match touches one cache line of it. */
  /* Bloom filter of the service prefixes of the Action patterns: bit
  ** iam_service_bit(prefix) is set for each; all bits when a pattern has a
  ** wildcard in its prefix (or no prefix). A request whose service bit is
  ** clear cannot match any pattern. */
  uint64_t svc_mask;
  IamGlob *act; /* action patterns, lower-cased */
  /* Statements with many action patterns also get an index: the literal
  ** patterns in an open-addressing table (act_tab, act_tab_mask+1 slots of
  ** indexes into act, UINT32_MAX = empty) and the wildcard ones in act_wild. */
  uint32_t *act_tab;
  uint32_t *act_wild;
  uint32_t nact;
  uint32_t act_tab_mask;
  uint32_t nwild;
  uint8_t effect;
  uint8_t not_action;
  uint8_t not_resource;
  uint8_t set; /* IAM_SET_IDENTITY or IAM_SET_BOUNDARY */
  uint32_t nres;
  uint32_t ncond;
  IamTemplate *res;
  IamCond *cond;
  /* For the table-valued functions. */
  uint32_t doc;               /* index of the document in the policy array (0 for one doc) */
  uint32_t idx;               /* index of the statement within its document */
  const char *sid;            /* NULL if absent */
  const char **act_text;      /* as written */
  const char *principal_json; /* normalised Principal/NotPrincipal JSON or NULL */
  uint8_t has_principal;      /* Principal or NotPrincipal present (TVFs only) */
  uint8_t not_principal;      /* ... and it is NotPrincipal */
  uint8_t version2012;        /* the document's Version is 2012-10-17 */
} IamStatement;

typedef struct IamPolicy {
  IamArena arena; /* owns everything below */
  uint32_t ndocs;
  uint8_t is_array; /* input was a JSON array of documents */
  uint32_t nstmt;
  IamStatement *stmt;
  uint8_t has_boundary; /* {"identity":...,"boundary":...} with a boundary */
  /* Per statement, the service bits a request must have for it to apply:
  ** its svc_mask, or every bit for NotAction. Evaluation skips statements
  ** with this alone, without reading them. */
  uint64_t *svc;
  uint32_t ndeny, nallow, nballow;
  uint32_t *deny;   /* statement indexes, in order: Deny statements of either set */
  uint32_t *allow;  /* Allow statements of the identity policies */
  uint32_t *ballow; /* Allow statements of the permissions boundary */
  int refcount;     /* for the caller's use (the SQL cache); starts at 1 */
} IamPolicy;

/* Bloom bit of a lower-cased service prefix (the text before the first ':'). */
uint64_t iam_service_bit(const char *action_lower, size_t n);

/* Hash of a lower-cased action, as used by the statement action index. */
uint32_t iam_action_hash(const char *s, size_t n);
#define IAM_ACTION_INDEX_MIN 8 /* patterns in a statement before it gets an index */

/* Parse flags. */
#define IAM_PARSE_PRINCIPAL 1 /* accept Principal/NotPrincipal (expansion TVFs) */
#define IAM_PARSE_DOCS                             \
  2 /* one document or an array of them, never the \
    ** {"identity", "boundary"} object (aggregate rows) */

/* Parse and compile policy JSON: one document, an array of documents, or
** {"identity": documents, "boundary": documents or null} (spec §3.2). text must be NUL-terminated
*at text[len].
** On success *out is a new policy the caller frees with iam_policy_free.
** Errors: IAM_ENOMEM, or IAM_EPARSE/IAM_EINVAL/IAM_ELIMIT with err filled. */
int iam_policy_parse(const char *text, size_t len, int flags, IamPolicy **out, IamError *err);
void iam_policy_free(IamPolicy *p);
/* Bytes of memory held by the compiled policy. */
size_t iam_policy_size(const IamPolicy *p);

/* A standalone compiled pattern (iam_resource_matches()): the template and the
** arena that owns it. Caller frees with iam_pattern_free. */
typedef struct IamPattern {
  IamArena arena;
  IamTemplate t;
} IamPattern;
int iam_pattern_new(const char *text, size_t len, int mode, int vars, IamPattern **out);
void iam_pattern_free(IamPattern *p);

/* Checks shared by the JSON parsers: size, NUL bytes, \u0000 escapes, UTF-8
** and nesting depth. what names the input ("policy", "context"). */
int iam_json_precheck(const char *text, size_t len, const char *what, IamError *err);
/* JSON number as text: the shortest decimal that reads back as the same
** double, written without an exponent (1e21 -> "1000000000000000000000",
** 1e-5 -> "0.00001"). Returns 0 if not finite or longer than cap. */
#define IAM_NUMBER_TEXT_MAX 400
int iam_number_text(double v, char *buf, size_t cap);

#endif /* IAM_POLICY_H */
