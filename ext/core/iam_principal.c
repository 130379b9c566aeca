/* SPDX-License-Identifier: MIT */
/* Callers and Principal elements (ext/core/SEMANTICS.md, "Whole requests"). */
#include "iam_principal.h"

#include <string.h>

#include "iam_text.h"

#define SERVICE_SUFFIX     ".amazonaws.com"
#define SERVICE_SUFFIX_LEN (sizeof SERVICE_SUFFIX - 1)
#define SLR_PATH           "role/aws-service-role/"
#define SLR_NAME_PREFIX    "AWSServiceRoleFor"

static const char *const partitions[] = {"aws", "aws-cn", "aws-us-gov"};

static int is_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return n > 0;
}

/* Characters of IAM user, role and session names: [A-Za-z0-9+=,.@_-]. */
static int name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         strchr("+=,.@_-", c) != NULL;
}

static int is_name(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!name_char(s[i])) return 0;
  return n > 0;
}

/* Path segments may hold any printable ASCII but '/' (and no wildcard: a
** caller is one identity, never a pattern). */
static int is_segment(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] <= ' ' || s[i] > '~' || s[i] == '/' || s[i] == '*' || s[i] == '?') return 0;
  return n > 0;
}

/* "PATH/NAME" (PATH: zero or more "segment/"); sets the name. */
static int path_and_name(const char *s, size_t n, const char **name, size_t *name_len) {
  const char *last = s;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '/') continue;
    if (!is_segment(last, (size_t)(s + i - last))) return 0;
    last = s + i + 1;
  }
  *name = last;
  *name_len = (size_t)(s + n - last);
  return is_name(last, *name_len);
}

/* Split "arn:P:SVC::A:REST" of an IAM or STS ARN. Returns 1 and the pieces,
** 0 if s is not shaped so. */
typedef struct ArnParts {
  const char *partition, *service, *account, *rest;
  size_t partition_len, service_len, rest_len;
} ArnParts;

static int split_arn(const char *s, size_t n, ArnParts *a) {
  const char *f[6];
  size_t k = 1;
  if (n < 4 || memcmp(s, "arn:", 4) != 0) return 0;
  f[0] = s;
  for (size_t i = 0; i < n && k < 6; i++)
    if (s[i] == ':') f[k++] = s + i + 1;
  if (k < 6) return 0;
  a->partition = f[1];
  a->partition_len = (size_t)(f[2] - f[1] - 1);
  a->service = f[2];
  a->service_len = (size_t)(f[3] - f[2] - 1);
  if (f[4] - f[3] - 1 != 0) return 0; /* IAM and STS ARNs have no region */
  a->account = f[4];
  if (f[5] - f[4] - 1 != IAM_ACCOUNT_LEN || !is_digits(a->account, IAM_ACCOUNT_LEN)) return 0;
  a->rest = f[5];
  a->rest_len = (size_t)(s + n - f[5]);
  for (size_t i = 0; i < sizeof partitions / sizeof partitions[0]; i++)
    if (strlen(partitions[i]) == a->partition_len &&
        memcmp(partitions[i], a->partition, a->partition_len) == 0)
      return 1;
  return 0;
}

static int has_prefix(const char *s, size_t n, const char *p) {
  size_t k = strlen(p);
  return n >= k && memcmp(s, p, k) == 0;
}

static int is_service_name(const char *s, size_t n) {
  if (n <= SERVICE_SUFFIX_LEN ||
      memcmp(s + n - SERVICE_SUFFIX_LEN, SERVICE_SUFFIX, SERVICE_SUFFIX_LEN) != 0)
    return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '-'))
      return 0;
  }
  return 1;
}

static int bad_caller(const char *s, size_t n, IamError *err) {
  char q[IAM_QUOTE_MAX];
  iam_error_set(err, -1,
                "principal %s is not a user, role, role-session, federated-user or root ARN, "
                "'anonymous' or a service principal",
                iam_quote(q, sizeof q, s, n));
  return IAM_EINVAL;
}

int iam_caller_parse(const char *s, size_t n, IamArena *a, IamCaller *out, IamError *err) {
  ArnParts p;
  const char *name = NULL;
  size_t name_len = 0;
  memset(out, 0, sizeof *out);
  if (n == 9 && memcmp(s, "anonymous", 9) == 0) {
    out->kind = IAM_CALLER_ANONYMOUS;
  } else if (memchr(s, ':', n) == NULL) {
    if (!is_service_name(s, n)) return bad_caller(s, n, err);
    out->kind = IAM_CALLER_SERVICE;
  } else {
    if (!split_arn(s, n, &p)) return bad_caller(s, n, err);
    int iam = p.service_len == 3 && memcmp(p.service, "iam", 3) == 0;
    int sts = p.service_len == 3 && memcmp(p.service, "sts", 3) == 0;
    if (iam && p.rest_len == 4 && memcmp(p.rest, "root", 4) == 0) {
      out->kind = IAM_CALLER_ROOT;
    } else if (iam && has_prefix(p.rest, p.rest_len, "user/")) {
      if (!path_and_name(p.rest + 5, p.rest_len - 5, &name, &name_len))
        return bad_caller(s, n, err);
      out->kind = IAM_CALLER_USER;
    } else if (iam && has_prefix(p.rest, p.rest_len, "role/")) {
      if (!path_and_name(p.rest + 5, p.rest_len - 5, &name, &name_len))
        return bad_caller(s, n, err);
      out->kind = IAM_CALLER_ROLE;
      out->service_linked = has_prefix(p.rest, p.rest_len, SLR_PATH);
    } else if (sts && has_prefix(p.rest, p.rest_len, "assumed-role/")) {
      const char *r = p.rest + 13, *slash = memchr(r, '/', p.rest_len - 13);
      if (slash == NULL || !is_name(r, (size_t)(slash - r)) ||
          !is_name(slash + 1, (size_t)(p.rest + p.rest_len - slash - 1)))
        return bad_caller(s, n, err);
      name = r;
      name_len = (size_t)(slash - r);
      out->kind = IAM_CALLER_ROLE_SESSION;
      out->service_linked = has_prefix(name, name_len, SLR_NAME_PREFIX);
    } else if (sts && has_prefix(p.rest, p.rest_len, "federated-user/")) {
      name = p.rest + 15;
      name_len = p.rest_len - 15;
      if (!is_name(name, name_len)) return bad_caller(s, n, err);
      out->kind = IAM_CALLER_FEDERATED;
    } else {
      return bad_caller(s, n, err);
    }
    memcpy(out->account, p.account, IAM_ACCOUNT_LEN);
    memcpy(out->partition, p.partition, p.partition_len);
  }
  if ((out->arn = iam_arena_strndup(a, s, n)) == NULL) return IAM_ENOMEM;
  out->arn_len = (uint32_t)n;
  if (name != NULL) {
    /* re-point into the copy */
    out->name = out->arn + (name - s);
    out->name_len = (uint32_t)name_len;
  }
  if (out->kind == IAM_CALLER_ROLE_SESSION) {
    /* the role's ARN, without its path (the session ARN does not carry it) */
    size_t m = 4 + strlen(out->partition) + 6 + IAM_ACCOUNT_LEN + 6 + name_len;
    char *r = iam_arena_alloc(a, m + 1);
    if (r == NULL) return IAM_ENOMEM;
    memcpy(r, "arn:", 4);
    size_t k = 4, pl = strlen(out->partition);
    memcpy(r + k, out->partition, pl), k += pl;
    memcpy(r + k, ":iam::", 6), k += 6;
    memcpy(r + k, out->account, IAM_ACCOUNT_LEN), k += IAM_ACCOUNT_LEN;
    memcpy(r + k, ":role/", 6), k += 6;
    memcpy(r + k, name, name_len), k += name_len;
    r[k] = 0;
    out->principal_arn = r;
    out->principal_arn_len = (uint32_t)k;
  } else if (out->kind != IAM_CALLER_ANONYMOUS && out->kind != IAM_CALLER_SERVICE) {
    out->principal_arn = out->arn;
    out->principal_arn_len = out->arn_len;
  }
  return IAM_OK;
}

int iam_caller_is_session(const IamCaller *c) {
  return c->kind == IAM_CALLER_ROLE_SESSION || c->kind == IAM_CALLER_FEDERATED;
}

void iam_principal_value_init(IamPrincipalValue *v, const char *type, const char *text,
                              size_t len) {
  ArnParts p;
  memset(v, 0, sizeof *v);
  v->text = text;
  v->len = (uint32_t)len;
  v->kind = IAM_PV_NOBODY;
  if (type == NULL || strcmp(type, "AWS") == 0) {
    if (len == 1 && text[0] == '*') {
      v->kind = IAM_PV_EVERYONE;
    } else if (len == IAM_ACCOUNT_LEN && is_digits(text, len)) {
      v->kind = IAM_PV_ACCOUNT;
      memcpy(v->account, text, IAM_ACCOUNT_LEN);
    } else if (split_arn(text, len, &p)) {
      int iam = p.service_len == 3 && memcmp(p.service, "iam", 3) == 0;
      int sts = p.service_len == 3 && memcmp(p.service, "sts", 3) == 0;
      if (iam && p.rest_len == 4 && memcmp(p.rest, "root", 4) == 0)
        v->kind = IAM_PV_ACCOUNT;
      else if (iam && has_prefix(p.rest, p.rest_len, "user/"))
        v->kind = IAM_PV_USER;
      else if (iam && has_prefix(p.rest, p.rest_len, "role/")) {
        const char *name = p.rest + 5;
        for (const char *q = name; q < p.rest + p.rest_len; q++)
          if (*q == '/') name = q + 1;
        v->kind = IAM_PV_ROLE;
        v->name_off = (uint32_t)(name - text);
        v->name_len = (uint32_t)(text + len - name);
      } else if (sts && (has_prefix(p.rest, p.rest_len, "assumed-role/") ||
                         has_prefix(p.rest, p.rest_len, "federated-user/")))
        v->kind = IAM_PV_SESSION;
      if (v->kind != IAM_PV_NOBODY) {
        memcpy(v->account, p.account, IAM_ACCOUNT_LEN);
        memcpy(v->partition, p.partition, p.partition_len);
      }
    }
  } else if (strcmp(type, "Service") == 0) {
    v->kind = IAM_PV_SERVICE;
  }
}

static int same_text(const char *a, size_t an, const char *b, size_t bn) {
  return an == bn && memcmp(a, b, an) == 0;
}

static int same_icase(const char *a, size_t an, const char *b, size_t bn) {
  if (an != bn) return 0;
  for (size_t i = 0; i < an; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
    if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
    if (x != y) return 0;
  }
  return 1;
}

/* Account (and, for ARN forms, partition) of a value against the caller's. */
static int same_account(const IamPrincipalValue *v, const IamCaller *c) {
  return c->account[0] && memcmp(v->account, c->account, IAM_ACCOUNT_LEN) == 0 &&
         (v->partition[0] == 0 || strcmp(v->partition, c->partition) == 0);
}

/* Elements of a caller's chain. */
enum { EL_ARN, EL_ROLE, EL_ACCOUNT, EL_ANONYMOUS, EL_SERVICE };

static int value_lists(const IamPrincipalValue *v, const IamCaller *c, int el) {
  switch ((IamPrincipalValueKind)v->kind) {
    case IAM_PV_EVERYONE: return 1;
    case IAM_PV_ACCOUNT: return el == EL_ACCOUNT && same_account(v, c);
    case IAM_PV_USER:
      return el == EL_ARN && c->kind == IAM_CALLER_USER &&
             same_text(v->text, v->len, c->arn, c->arn_len);
    case IAM_PV_ROLE:
      if (el == EL_ARN && c->kind == IAM_CALLER_ROLE)
        return same_text(v->text, v->len, c->arn, c->arn_len);
      return el == EL_ROLE && c->kind == IAM_CALLER_ROLE_SESSION && same_account(v, c) &&
             same_text(v->text + v->name_off, v->name_len, c->name, c->name_len);
    case IAM_PV_SESSION:
      return el == EL_ARN && iam_caller_is_session(c) &&
             same_text(v->text, v->len, c->arn, c->arn_len);
    case IAM_PV_SERVICE:
      return el == EL_SERVICE && c->kind == IAM_CALLER_SERVICE &&
             same_icase(v->text, v->len, c->arn, c->arn_len);
    case IAM_PV_NOBODY: break;
  }
  return 0;
}

static IamMatchKind value_match(const IamPrincipalValue *v, const IamCaller *c) {
  switch ((IamPrincipalValueKind)v->kind) {
    case IAM_PV_EVERYONE: return IAM_MATCH_DIRECT;
    case IAM_PV_ACCOUNT: return same_account(v, c) ? IAM_MATCH_ACCOUNT : IAM_MATCH_NONE;
    case IAM_PV_USER:
    case IAM_PV_SESSION:
    case IAM_PV_SERVICE:
      return value_lists(v, c, EL_ARN) || value_lists(v, c, EL_SERVICE) ? IAM_MATCH_DIRECT
                                                                        : IAM_MATCH_NONE;
    case IAM_PV_ROLE:
      return value_lists(v, c, EL_ARN) || value_lists(v, c, EL_ROLE) ? IAM_MATCH_ROLE
                                                                     : IAM_MATCH_NONE;
    case IAM_PV_NOBODY: break;
  }
  return IAM_MATCH_NONE;
}

IamMatchKind iam_principal_match(const IamPrincipalBlock *b, const IamCaller *c) {
  IamMatchKind best = IAM_MATCH_NONE;
  for (uint32_t i = 0; i < b->nvals && best != IAM_MATCH_DIRECT; i++) {
    IamMatchKind k = value_match(&b->vals[i], c);
    if (k > best) best = k;
  }
  return best;
}

/* The caller's chain (SEMANTICS.md): its elements, at most three. */
static int chain(const IamCaller *c, int el[3]) {
  switch ((IamCallerKind)c->kind) {
    case IAM_CALLER_USER:
    case IAM_CALLER_ROLE:
    case IAM_CALLER_FEDERATED: el[0] = EL_ARN, el[1] = EL_ACCOUNT; return 2;
    case IAM_CALLER_ROLE_SESSION: el[0] = EL_ARN, el[1] = EL_ROLE, el[2] = EL_ACCOUNT; return 3;
    case IAM_CALLER_ROOT: el[0] = EL_ACCOUNT; return 1;
    case IAM_CALLER_ANONYMOUS: el[0] = EL_ANONYMOUS; return 1;
    case IAM_CALLER_SERVICE: el[0] = EL_SERVICE; return 1;
  }
  return 0;
}

int iam_principal_applies(const IamPrincipalBlock *b, const IamCaller *c, int deny,
                          int has_boundary, IamMatchKind *kind) {
  if (!b->negated) {
    *kind = iam_principal_match(b, c);
    return *kind != IAM_MATCH_NONE;
  }
  int el[3], n = chain(c, el), listed = 0;
  for (int i = 0; i < n; i++) {
    for (uint32_t k = 0; k < b->nvals; k++) {
      if (value_lists(&b->vals[k], c, el[i])) {
        listed++;
        break;
      }
    }
  }
  int applies = deny ? (listed < n || has_boundary) : listed == 0;
  *kind = applies ? IAM_MATCH_DIRECT : IAM_MATCH_NONE;
  return applies;
}

const char *iam_match_kind_name(IamMatchKind k) {
  switch (k) {
    case IAM_MATCH_DIRECT: return "direct";
    case IAM_MATCH_ROLE: return "role";
    case IAM_MATCH_ACCOUNT: return "account";
    case IAM_MATCH_NONE: break;
  }
  return NULL;
}

const char *iam_caller_kind_name(IamCallerKind k) {
  switch (k) {
    case IAM_CALLER_USER: return "user";
    case IAM_CALLER_ROLE: return "role";
    case IAM_CALLER_ROLE_SESSION: return "role session";
    case IAM_CALLER_FEDERATED: return "federated user";
    case IAM_CALLER_ROOT: return "root";
    case IAM_CALLER_ANONYMOUS: return "anonymous";
    case IAM_CALLER_SERVICE: return "service";
  }
  return "?";
}
