/* SPDX-License-Identifier: MIT */
/* Conditions: the table of the 27 base operators, the value parsers of each
** family (numbers, dates, IP ranges, base64), compiled condition entries, and
** the evaluation of one (operator, key, values) entry against a request
** context (ext/core/SEMANTICS.md, "Conditions"). */
#ifndef IAM_COND_H
#define IAM_COND_H

#include <stddef.h>
#include <stdint.h>

#include "iam_ctx.h"
#include "iam_mem.h"
#include "iam_template.h"

typedef enum IamCondFamily {
  IAM_FAM_STRING = 0,
  IAM_FAM_NUMERIC,
  IAM_FAM_DATE,
  IAM_FAM_BOOL,
  IAM_FAM_BINARY,
  IAM_FAM_IP,
  IAM_FAM_ARN,
  IAM_FAM_NULL
} IamCondFamily;

/* How a family compares one request value with one policy value. */
typedef enum IamCondCmp {
  IAM_CMP_EQ = 0, /* equality (String, Numeric, Date, Bool, Binary) */
  IAM_CMP_LT,
  IAM_CMP_LE,
  IAM_CMP_GT,
  IAM_CMP_GE,
  IAM_CMP_LIKE,    /* StringLike, ArnLike/ArnEquals */
  IAM_CMP_ICASE,   /* StringEqualsIgnoreCase */
  IAM_CMP_INRANGE, /* IpAddress */
  IAM_CMP_NULL
} IamCondCmp;

typedef struct IamCondOperator {
  const char *name; /* base name as written in policies, e.g. "StringNotLike" */
  uint8_t family;   /* IamCondFamily */
  uint8_t cmp;      /* IamCondCmp */
  uint8_t negated;  /* one of the eight negated operators (values are NORed) */
  uint8_t vars;     /* policy variables are substituted in its values */
} IamCondOperator;

typedef enum IamQualifier { IAM_QUAL_NONE = 0, IAM_QUAL_FORALL, IAM_QUAL_FORANY } IamQualifier;

#define IAM_COND_N_OPERATORS 27
extern const IamCondOperator iam_cond_operators[IAM_COND_N_OPERATORS];

/* Split an operator name as written into qualifier, base and IfExists.
** Returns the base (index into iam_cond_operators) or -1 if the name is not
** an operator (including "…IfExists" on Null). */
int iam_cond_operator_parse(const char *name, size_t n, uint8_t *qual, uint8_t *if_exists);

/* Family value parsers: return 1 on success, 0 if the text is not valid
** ("fail", SEMANTICS.md "Operator families"). */
/* An exact decimal: digits point into the parsed text (which must outlive it). */
typedef struct IamNum {
  int8_t sign; /* -1, 0 (zero), 1 */
  uint32_t int_n, frac_n;
  const char *int_p;  /* integer digits without leading zeros */
  const char *frac_p; /* fraction digits without trailing zeros */
} IamNum;
int iam_parse_number(const char *s, size_t n, IamNum *out);
int iam_num_cmp(const IamNum *a, const IamNum *b); /* <0, 0, >0 */
int iam_parse_date(const char *s, size_t n, int64_t *ms_out);
typedef struct IamIp {
  uint8_t family; /* 4 or 6 */
  uint8_t prefix; /* 32/128 for a bare address */
  uint8_t addr[16];
} IamIp;
int iam_parse_ip(const char *s, size_t n, int allow_prefix, IamIp *out);
/* Decode standard base64 (padding optional, no whitespace) into out (capacity
** at least n*3/4+3). Returns the decoded length or -1. */
long iam_b64_decode(const char *s, size_t n, unsigned char *out);
int iam_parse_bool(const char *s, size_t n, int *out);

/* One policy value of a condition entry, compiled. */
typedef struct IamCondValue {
  IamTemplate t; /* always set: the value as text */
  uint8_t ok;    /* family parse succeeded (Numeric, Date, Ip, Binary, Bool) */
  union {
    IamNum num; /* digits point into t.text */
    int64_t ms;
    IamIp ip;
    int b;
    struct {
      unsigned char *bytes;
      size_t n;
    } bin;
  } u;
} IamCondValue;

/* One (operator, key, values) entry of a statement's Condition. */
typedef struct IamCond {
  const char *operator_text; /* operator as written */
  const char *key;           /* key as written */
  const char *key_lower;
  uint32_t key_len;
  uint32_t block; /* index of the operator block within Condition */
  int16_t base;   /* index into iam_cond_operators */
  uint8_t qual;   /* IamQualifier */
  uint8_t if_exists;
  uint32_t nvals;
  IamCondValue *vals;
} IamCond;

/* Compile s[0..n) as a value of operator base into v, with policy variables
** when vars is set (Version 2012-10-17). Allocates in a. IAM_OK or IAM_ENOMEM. */
int iam_cond_value_compile(IamCondValue *v, int base, const char *s, size_t n, int vars,
                           IamArena *a, IamGlobScratch *scratch);

/* One condition entry against a context (SEMANTICS.md, "One condition
** entry"), counting its work in w (iam_work.h): 1 holds, 0 does not,
** IAM_ENOMEM, or w's IAM_EWORK / IAM_EINTERRUPT. */
int iam_cond_eval(const IamCond *c, const IamCtx *ctx, IamWork *w);

#endif /* IAM_COND_H */
