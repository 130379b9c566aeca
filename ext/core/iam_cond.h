/* Condition operators: the table of the 27 base operators, the value parsers
** of each family (numbers, dates, IP ranges, base64), and the evaluation of
** one (operator, key, values) entry against a request context (spec §4). */
#ifndef IAM_COND_H
#define IAM_COND_H

#include <stddef.h>
#include <stdint.h>

#include "iam_match.h"

typedef enum IamFamily {
  IAM_FAM_STRING = 0,
  IAM_FAM_NUMERIC,
  IAM_FAM_DATE,
  IAM_FAM_BOOL,
  IAM_FAM_BINARY,
  IAM_FAM_IP,
  IAM_FAM_ARN,
  IAM_FAM_NULL
} IamFamily;

/* How a family compares one request value with one policy value. */
typedef enum IamCmp {
  IAM_CMP_EQ = 0, /* equality (String, Numeric, Date, Bool, Binary) */
  IAM_CMP_LT,
  IAM_CMP_LE,
  IAM_CMP_GT,
  IAM_CMP_GE,
  IAM_CMP_LIKE,    /* StringLike, ArnLike/ArnEquals */
  IAM_CMP_ICASE,   /* StringEqualsIgnoreCase */
  IAM_CMP_INRANGE, /* IpAddress */
  IAM_CMP_NULL
} IamCmp;

typedef struct IamOpInfo {
  const char *name; /* base name as written in policies, e.g. "StringNotLike" */
  uint8_t family;   /* IamFamily */
  uint8_t cmp;      /* IamCmp */
  uint8_t negated;  /* one of the eight negated operators (values are NORed) */
  uint8_t vars;     /* policy variables are substituted in its values */
} IamOpInfo;

typedef enum IamQualifier { IAM_QUAL_NONE = 0, IAM_QUAL_FORALL, IAM_QUAL_FORANY } IamQualifier;

#define IAM_N_OPS 27
extern const IamOpInfo iam_ops[IAM_N_OPS];

/* Split an operator name as written into qualifier, base and IfExists.
** Returns the base (index into iam_ops) or -1 if the name is not an operator
** (including "…IfExists" on Null). */
int iam_op_parse(const char *name, size_t n, uint8_t *qual, uint8_t *if_exists);

/* Family value parsers: return 1 on success, 0 if the text is not valid ("fail"). */
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

#endif /* IAM_COND_H */
