/* SPDX-License-Identifier: MIT */
/* The linter's checks that need no catalog: on each document and statement
** of the model the grammar walk built (only statements without errors). Each
** code and why it is what it is: ext/LINT.md. */
#include <stdlib.h>
#include <string.h>

#include "iam_cond.h"
#include "iam_cover.h"
#include "iam_lint_int.h"
#include "iam_principal.h"
#include "iam_template.h"

#define SEC  IAM_LINT_SECURITY_WARNING
#define WARN IAM_LINT_WARNING
#define SUGG IAM_LINT_SUGGESTION

/* Condition keys that tie a service principal to the caller's resources
** (AWS's confused-deputy advice for trust policies). */
static const char *const source_keys[] = {"aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID",
                                          "aws:SourceOrgPaths"};

/* Partitions an ARN may name. */
static const char *const partitions[] = {"aws",       "aws-cn",    "aws-us-gov", "aws-iso",
                                         "aws-iso-b", "aws-iso-e", "aws-iso-f",  "aws-eusc"};

/* Federation sources AWS names directly (other than provider ARNs). */
static const char *const federation_sources[] = {"cognito-identity.amazonaws.com", "www.amazon.com",
                                                 "graph.facebook.com", "accounts.google.com"};

static int has_wild(const char *s) { return strpbrk(s, "*?") != NULL; }

/* Whether the statement has a condition on key (any operator). */
static int has_key(const LintStmt *st, const char *key) {
  for (uint32_t i = 0; i < st->ncond; i++)
    if (lint_ieq(st->cond[i].key, key)) return 1;
  return 0;
}

/* ---- documents ------------------------------------------------------------------ */

typedef struct SidRef {
  const char *sid;
  uint32_t k; /* index into L->stmt */
} SidRef;

static int cmp_sid(const void *a, const void *b) {
  const SidRef *x = a, *y = b;
  int c = strcmp(x->sid, y->sid);
  return c ? c : (x->k < y->k ? -1 : x->k > y->k);
}

static int check_sids(Lint *L, const LintDoc *d) {
  SidRef *v = iam_malloc(((size_t)d->nstmt + 1) * sizeof *v);
  uint32_t n = 0;
  if (v == NULL) return IAM_ENOMEM;
  for (uint32_t k = d->first; k < d->first + d->nstmt; k++)
    if (L->stmt[k].sid && L->stmt[k].sid[0]) v[n].sid = L->stmt[k].sid, v[n++].k = k;
  qsort(v, n, sizeof *v, cmp_sid);
  for (uint32_t i = 1; i < n; i++) {
    if (strcmp(v[i].sid, v[i - 1].sid) != 0) continue;
    const LintStmt *st = &L->stmt[v[i].k];
    lint_add(L, "DUPLICATE_SID", WARN, st, 0, 0, lint_path_member(L, st->path, "Sid"), st->sid,
             "Another statement of this document has the same Sid; IAM requires unique Sids.");
  }
  iam_free(v);
  return IAM_OK;
}

static void check_document(Lint *L, const LintDoc *d, int32_t di) {
  if (d->version == NULL)
    lint_add(L, "NO_VERSION", WARN, NULL, di, -1, d->prefix, NULL,
             "The document has no Version, so it is read as \"2008-10-17\": add \"Version\": "
             "\"2012-10-17\".");
  else if (d->version_ok && strcmp(d->version, "2008-10-17") == 0)
    lint_add(L, "OLD_VERSION", WARN, NULL, di, -1, lint_path_member(L, d->prefix, "Version"),
             d->version, "Version \"2008-10-17\" has no policy variables: use \"2012-10-17\".");
}

/* ---- statements ------------------------------------------------------------------ */

static void check_sid_chars(Lint *L, const LintStmt *st) {
  if (st->sid == NULL) return;
  const char *p = lint_path_member(L, st->path, "Sid");
  if (st->sid[0] == 0) {
    lint_add(L, "INVALID_SID", WARN, st, 0, 0, p, st->sid,
             "The Sid is empty: remove it or give it a name.");
    return;
  }
  int strict = st->trust || (st->set != IAM_SET_RESOURCE && st->set != IAM_SET_ENDPOINT);
  for (const unsigned char *s = (const unsigned char *)st->sid; *s; s++) {
    int alnum = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9');
    if (strict ? !alnum : *s < 0x20) {
      lint_add(L, "INVALID_SID", WARN, st, 0, 0, p, st->sid,
               strict ? "IAM takes only letters and digits in a Sid of this policy type."
                      : "The Sid has a control character.");
      return;
    }
  }
}

/* ${...} in a document without Version 2012-10-17: plain text there. */
static void check_old_variables(Lint *L, const LintStmt *st) {
  if (st->version2012) return;
  for (uint32_t i = 0; i < st->nres; i++)
    if (strstr(st->res[i], "${"))
      lint_add(
          L, "VARIABLE_IN_OLD_VERSION", WARN, st, 0, 0,
          lint_element_path(L, st, st->not_resource ? "NotResource" : "Resource", i, st->res_array),
          st->res[i],
          "Without \"Version\": \"2012-10-17\" a ${...} is plain text, not a policy "
          "variable.");
  for (uint32_t c = 0; c < st->ncond; c++) {
    const LintCond *k = &st->cond[c];
    if (!iam_cond_operators[k->base].vars) continue;
    for (uint32_t v = 0; v < k->nvals; v++)
      if (strstr(k->vals[v], "${"))
        lint_add(L, "VARIABLE_IN_OLD_VERSION", WARN, st, 0, 0,
                 k->array ? lint_path_index(L, k->path, v) : k->path, k->vals[v],
                 "Without \"Version\": \"2012-10-17\" a ${...} is plain text, not a policy "
                 "variable.");
  }
}

static int check_not_resource_variables(Lint *L, const LintStmt *st) {
  if (!lint_grants(st) || !st->not_resource || !st->version2012) return IAM_OK;
  IamArena a;
  IamGlobScratch scratch = {NULL, 0};
  iam_arena_init(&a, 0);
  int rc = IAM_OK;
  for (uint32_t i = 0; i < st->nres && rc == IAM_OK; i++) {
    IamTemplate t;
    rc = iam_template_compile(&t, st->res[i], strlen(st->res[i]), IAM_TEMPLATE_RESOURCE, 1, &a,
                              &scratch);
    if (rc != IAM_OK || !t.has_vars) continue;
    for (uint32_t p = 0; p < t.nparts; p++) {
      if (t.parts[p].is_var && !t.parts[p].has_def) {
        lint_add(L, "UNRESOLVABLE_VARIABLE_IN_NOTRESOURCE", SEC, st, 0, 0,
                 lint_element_path(L, st, "NotResource", i, st->res_array), st->res[i],
                 "When the request lacks the variable this NotResource pattern matches nothing, "
                 "so the Allow covers every resource: give the variable a default or use "
                 "Resource.");
        break;
      }
    }
  }
  iam_arena_free(&a);
  iam_glob_scratch_free(&scratch);
  return rc;
}

/* A Resource pattern that matches every ARN of its service: "arn:aws:s3:::*",
** "arn:*:ec2:*:*:*", "arn:*". */
static int effectively_star(const char *s) {
  if (strncmp(s, "arn:", 4) != 0) return 0;
  const char *f[6];
  size_t len[6];
  int n = 0;
  const char *p = s;
  while (n < 6) {
    const char *c = n < 5 ? strchr(p, ':') : NULL;
    f[n] = p;
    len[n] = c ? (size_t)(c - p) : strlen(p);
    n++;
    if (c == NULL) break;
    p = c + 1;
  }
  const char *last = f[n - 1];
  if (n < 6) return strcmp(last, "*") == 0; /* a field-final '*' runs to the end */
  for (int i = 3; i <= 4; i++)
    if (!(len[i] == 0 || (len[i] == 1 && f[i][0] == '*'))) return 0;
  return strcmp(f[5], "*") == 0;
}

static void check_arn(Lint *L, const LintStmt *st, uint32_t i) {
  const char *s = st->res[i], *el = st->not_resource ? "NotResource" : "Resource";
  if (strcmp(s, "*") == 0) return;
  const char *path = lint_element_path(L, st, el, i, st->res_array);
  if (strncmp(s, "arn:", 4) != 0) {
    if (strspn(s, "*") == strlen(s)) return; /* "**": the same as "*" */
    lint_add(L, "INVALID_ARN", WARN, st, 0, 0, path, s,
             "The pattern is neither \"*\" nor an ARN (arn:partition:service:region:account:"
             "resource), so it matches no real resource.");
    return;
  }
  int colons = 0;
  for (const char *p = s; *p; p++) colons += *p == ':';
  if (colons < 5 && !strchr(s, '*')) {
    lint_add(L, "INVALID_ARN", WARN, st, 0, 0, path, s,
             "The ARN has fewer than six fields (arn:partition:service:region:account:resource) "
             "and no '*', so it matches only itself.");
    return;
  }
  const char *pe = strchr(s + 4, ':');
  size_t plen = pe ? (size_t)(pe - (s + 4)) : strlen(s + 4);
  if (plen == 0 || memchr(s + 4, '*', plen) || memchr(s + 4, '?', plen) || memchr(s + 4, '$', plen))
    return;
  for (size_t k = 0; k < sizeof partitions / sizeof partitions[0]; k++)
    if (strlen(partitions[k]) == plen && memcmp(partitions[k], s + 4, plen) == 0) return;
  lint_add(L, "INVALID_ARN", WARN, st, 0, 0, path, s,
           "The ARN's partition is none of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, "
           "aws-iso-e, aws-iso-f, aws-eusc.");
}

static void check_resources(Lint *L, const LintStmt *st) {
  int star = 0;
  for (uint32_t i = 0; i < st->nres; i++) {
    check_arn(L, st, i);
    if (!st->not_resource && strcmp(st->res[i], "*") == 0) star = 1;
    if (lint_grants(st) && !st->not_resource && strcmp(st->res[i], "*") != 0 &&
        effectively_star(st->res[i]))
      lint_add(L, "RESOURCE_EFFECTIVELY_STAR", WARN, st, 0, 0,
               lint_element_path(L, st, "Resource", i, st->res_array), st->res[i],
               "The pattern matches every resource of its service, as \"*\" would: name the "
               "resources.");
  }
  if (lint_grants(st) && star && lint_admits(L, st, "iam:passrole") &&
      !has_key(st, "iam:PassedToService")) {
    lint_add(L, "PASS_ROLE_WITH_STAR_IN_RESOURCE", SEC, st, 0, 0,
             lint_path_member(L, st->path, "Resource"), "*",
             "The statement allows iam:PassRole on every role: name the roles, or add an "
             "iam:PassedToService condition.");
  }
}

static void check_principals(Lint *L, const LintStmt *st) {
  for (uint32_t i = 0; i < st->npr; i++) {
    const LintPrincipal *p = &st->pr[i];
    size_t n = strlen(p->value);
    if (p->type == NULL) continue; /* "*" */
    if (!strcmp(p->type, "AWS")) {
      IamPrincipalValue v;
      if (!strcmp(p->value, "*")) continue;
      iam_principal_value_init(&v, "AWS", p->value, n);
      if (has_wild(p->value))
        lint_add(L, "UNKNOWN_PRINCIPAL", WARN, st, 0, 0, p->path, p->value,
                 "Wildcards work in a principal only as a lone \"*\": this value names nobody.");
      else if (v.kind == IAM_PV_NOBODY)
        lint_add(L, "UNKNOWN_PRINCIPAL", WARN, st, 0, 0, p->path, p->value,
                 "The value is not an account ID nor the ARN of a root user, user, role, role "
                 "session or federated user, so it names nobody.");
    } else if (!strcmp(p->type, "Service")) {
      size_t a = strlen(".amazonaws.com"), b = strlen(".amazonaws.com.cn");
      int ok = (n > a && strcmp(p->value + n - a, ".amazonaws.com") == 0) ||
               (n > b && strcmp(p->value + n - b, ".amazonaws.com.cn") == 0);
      if (!ok || has_wild(p->value))
        lint_add(L, "UNKNOWN_PRINCIPAL", WARN, st, 0, 0, p->path, p->value,
                 "A service principal is a name such as \"ecs-tasks.amazonaws.com\".");
    } else if (!strcmp(p->type, "CanonicalUser")) {
      if (n != 64 || strspn(p->value, "0123456789abcdef") != 64)
        lint_add(L, "UNKNOWN_PRINCIPAL", WARN, st, 0, 0, p->path, p->value,
                 "A canonical user ID is 64 hexadecimal digits.");
    } else if (!strcmp(p->type, "Federated")) {
      int ok = 0;
      for (size_t k = 0; k < sizeof federation_sources / sizeof federation_sources[0]; k++)
        if (!strcmp(p->value, federation_sources[k])) ok = 1;
      if (!ok && strncmp(p->value, "arn:", 4) == 0) {
        const char *c = p->value + 4;
        int field = 1;
        while (field < 5 && (c = strchr(c, ':')) != NULL) c++, field++;
        ok = c != NULL && strstr(p->value, ":iam::") != NULL &&
             (strncmp(c, "saml-provider/", 14) == 0 || strncmp(c, "oidc-provider/", 14) == 0) &&
             !has_wild(p->value);
      }
      if (!ok)
        lint_add(L, "UNKNOWN_FEDERATION_SOURCE", WARN, st, 0, 0, p->path, p->value,
                 "A federation source is cognito-identity.amazonaws.com, www.amazon.com, "
                 "graph.facebook.com, accounts.google.com, or a saml-provider or oidc-provider "
                 "ARN.");
    }
  }
  if (st->trust && !st->deny && !st->not_principal) {
    int service = 0;
    for (uint32_t i = 0; i < st->npr; i++)
      if (st->pr[i].type && !strcmp(st->pr[i].type, "Service")) service = 1;
    int source = 0;
    for (size_t k = 0; k < sizeof source_keys / sizeof source_keys[0]; k++)
      source |= has_key(st, source_keys[k]);
    if (service && !source)
      lint_add(L, "TRUST_POLICY_SERVICE_PRINCIPAL_WITHOUT_SOURCE_CONDITION", WARN, st, 0, 0,
               lint_path_member(L, st->path, "Principal"), NULL,
               "A service may assume this role on behalf of any account: add an aws:SourceArn "
               "or aws:SourceAccount condition where the service sets it.");
  }
}

static int is_bool_text(const char *s, int want) {
  int b;
  return iam_parse_bool(s, strlen(s), &b) && b == want;
}

static int check_conditions(Lint *L, const LintStmt *st) {
  for (uint32_t c = 0; c < st->ncond; c++) {
    const LintCond *k = &st->cond[c];
    const IamCondOperator *op = &iam_cond_operators[k->base];
    if (k->nvals == 0)
      lint_add(L, "EMPTY_ARRAY_CONDITION", SUGG, st, 0, 0, k->path, k->key,
               "The key has no values: %s %s with [] %s.", k->op, k->key,
               op->negated || k->qual == IAM_QUAL_FORALL ? "almost always holds" : "never holds");
    for (uint32_t v = 0; v < k->nvals; v++) {
      const char *s = k->vals[v], *vp = k->array ? lint_path_index(L, k->path, v) : k->path;
      size_t n = strlen(s);
      int ok = 1;
      const char *kind = NULL;
      switch ((IamCondFamily)op->family) {
        case IAM_FAM_NUMERIC: {
          IamNum num;
          ok = iam_parse_number(s, n, &num), kind = "a number";
          break;
        }
        case IAM_FAM_DATE: {
          int64_t ms;
          ok = iam_parse_date(s, n, &ms), kind = "a date";
          break;
        }
        case IAM_FAM_IP: {
          IamIp ip;
          ok = iam_parse_ip(s, n, 1, &ip), kind = "an IP address or range";
          break;
        }
        case IAM_FAM_BINARY: {
          unsigned char *buf = iam_malloc(n * 3 / 4 + 4);
          if (buf == NULL) return IAM_ENOMEM;
          ok = iam_b64_decode(s, n, buf) >= 0, kind = "base64";
          iam_free(buf);
          break;
        }
        case IAM_FAM_BOOL: {
          int b;
          ok = (st->version2012 && strstr(s, "${")) || iam_parse_bool(s, n, &b);
          kind = "true or false";
          break;
        }
        case IAM_FAM_NULL:
          if (!is_bool_text(s, 0) && !is_bool_text(s, 1))
            lint_add(L, "MISMATCHED_TYPE_OPERATION_TO_NULL", WARN, st, 0, 0, vp, s,
                     "Null takes true (the key is absent) or false (it is present); this value "
                     "never matches.");
          break;
        case IAM_FAM_STRING:
          if ((op->cmp == IAM_CMP_EQ || op->cmp == IAM_CMP_ICASE) && has_wild(s)) {
            int wild = 0; /* outside ${...} */
            for (size_t i = 0; i < n; i++) {
              if (st->version2012 && s[i] == '$' && s[i + 1] == '{') {
                const char *e = strchr(s + i, '}');
                if (e) {
                  i = (size_t)(e - s);
                  continue;
                }
              }
              if (s[i] == '*' || s[i] == '?') wild = 1;
            }
            if (wild)
              lint_add(L, "WILDCARD_WITHOUT_LIKE_OPERATOR", WARN, st, 0, 0, vp, s,
                       "%s compares '*' and '?' as plain characters: use StringLike (or "
                       "StringNotLike) for a pattern.",
                       op->name);
          }
          break;
        case IAM_FAM_ARN: break;
      }
      if (!ok)
        lint_add(L, "MISMATCHED_TYPE", WARN, st, 0, 0, vp, s,
                 "%s compares %s, and this value is not one, so it never matches.", op->name, kind);
    }
    if (lint_ieq(k->key, "aws:MultiFactorAuthPresent")) {
      int has_false = 0;
      for (uint32_t v = 0; v < k->nvals; v++) has_false |= is_bool_text(k->vals[v], 0);
      if (has_false && op->family == IAM_FAM_BOOL && !k->ifx && k->qual == IAM_QUAL_NONE)
        lint_add(L, "BAD_PATTERN_FOR_MFA", SEC, st, 0, 0, k->path, k->key,
                 "aws:MultiFactorAuthPresent is absent from requests made with long-term keys, "
                 "so Bool false does not hold for them: use BoolIfExists false in a Deny, or "
                 "Bool true in an Allow.");
      else if (has_false && op->family == IAM_FAM_NULL && !st->deny)
        lint_add(L, "BAD_PATTERN_FOR_MFA", SEC, st, 0, 0, k->path, k->key,
                 "Null false only checks that aws:MultiFactorAuthPresent is in the request, not "
                 "that MFA was used: use Bool true.");
    }
  }
  return IAM_OK;
}

/* ---- redundancy ------------------------------------------------------------------ */

/* Compiled codes of a statement's patterns, for the pairwise checks. */
typedef struct Pat {
  IamGlobCode *codes;
  uint32_t n;
  uint8_t wild;
} Pat;

static int compile_pats(const char *const *v, uint32_t n, int resource, Pat **out) {
  Pat *p = iam_malloc(((size_t)n + 1) * sizeof *p);
  if (p == NULL) return IAM_ENOMEM;
  memset(p, 0, ((size_t)n + 1) * sizeof *p);
  for (uint32_t i = 0; i < n; i++) {
    size_t len = strlen(v[i]);
    if ((p[i].codes = iam_malloc((len + 1) * sizeof *p[i].codes)) == NULL) {
      for (uint32_t k = 0; k < i; k++) iam_free(p[k].codes);
      iam_free(p);
      return IAM_ENOMEM;
    }
    if (resource) {
      iam_glob_codes_resource(p[i].codes, v[i], len, 0);
    } else {
      iam_glob_codes_action(p[i].codes, v[i], len);
    }
    p[i].n = (uint32_t)len;
    for (size_t k = 0; k < len; k++)
      if (IAM_GLOB_IS_WILD(p[i].codes[k])) p[i].wild = 1;
  }
  *out = p;
  return IAM_OK;
}

static void free_pats(Pat *p, uint32_t n) {
  if (p == NULL) return;
  for (uint32_t i = 0; i < n; i++) iam_free(p[i].codes);
  iam_free(p);
}

/* 1 when pattern b covers pattern a (exactly decided; unknown is no). */
static int pat_covers(Lint *L, const Pat *b, const Pat *a) {
  uint64_t work = 0;
  if (L->budget_hit) return 0;
  int r = iam_glob_covers(b->codes, b->n, a->codes, a->n, &work);
  lint_spend(L, work);
  return r == IAM_ENOMEM ? IAM_ENOMEM : r == 1;
}

/* Patterns of one list that another pattern of the list already covers.
** The patterns are sorted by their codes, so that the patterns a pattern j
** may cover (those that start with j's literal prefix) are one range, and
** equal patterns are neighbours. */
typedef struct PatRef {
  const Pat *p;
  uint32_t idx;
} PatRef;

static int cmp_pat_ref(const void *x, const void *y) {
  const PatRef *r = x, *q = y;
  const Pat *a = r->p, *b = q->p;
  uint32_t n = a->n < b->n ? a->n : b->n;
  for (uint32_t i = 0; i < n; i++)
    if (a->codes[i] != b->codes[i]) return a->codes[i] < b->codes[i] ? -1 : 1;
  if (a->n != b->n) return a->n < b->n ? -1 : 1;
  return r->idx < q->idx ? -1 : 1;
}

static uint32_t lit_prefix(const Pat *p) {
  uint32_t i = 0;
  while (i < p->n && !IAM_GLOB_IS_WILD(p->codes[i])) i++;
  return i;
}

static int check_redundant_actions(Lint *L, const LintStmt *st) {
  Pat *p;
  uint32_t n = st->nact;
  if (n < 2 || L->budget_hit) return IAM_OK;
  if (compile_pats(st->act, n, 0, &p) != IAM_OK) return IAM_ENOMEM;
  PatRef *refs = iam_malloc((size_t)n * sizeof *refs);
  uint32_t *ord = iam_malloc((size_t)n * sizeof *ord), *by = iam_malloc((size_t)n * sizeof *by);
  int rc = IAM_OK;
  if (refs == NULL || ord == NULL || by == NULL) {
    rc = IAM_ENOMEM;
    goto done;
  }
  for (uint32_t i = 0; i < n; i++) refs[i].p = &p[i], refs[i].idx = i, by[i] = UINT32_MAX;
  qsort(refs, n, sizeof *refs, cmp_pat_ref);
  for (uint32_t i = 0; i < n; i++) ord[i] = refs[i].idx;
  /* equal patterns: the later one is redundant */
  for (uint32_t k = 1; k < n; k++) {
    const Pat *a = &p[ord[k - 1]], *b = &p[ord[k]];
    if (a->n == b->n && memcmp(a->codes, b->codes, a->n * sizeof *a->codes) == 0)
      by[ord[k]] = ord[k - 1] < by[ord[k - 1]] ? ord[k - 1] : by[ord[k - 1]];
  }
  /* a wildcard pattern j covers patterns that start with its literal prefix */
  for (uint32_t kj = 0; kj < n && !L->budget_hit; kj++) {
    uint32_t j = ord[kj], pre = lit_prefix(&p[j]);
    if (!p[j].wild || by[j] != UINT32_MAX) continue;
    uint32_t lo = 0, hi = n; /* the first pattern whose codes are >= j's prefix */
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      const Pat *m = &p[ord[mid]];
      uint32_t c = 0, k = 0;
      while (k < pre && k < m->n && m->codes[k] == p[j].codes[k]) k++;
      if (k == pre)
        c = 0;
      else if (k == m->n)
        c = 1; /* m is a proper prefix of j's prefix: m < prefix */
      else
        c = m->codes[k] < p[j].codes[k];
      if (c)
        lo = mid + 1;
      else
        hi = mid;
    }
    for (uint32_t ki = lo; ki < n; ki++) {
      uint32_t i = ord[ki];
      if (p[i].n < pre || memcmp(p[i].codes, p[j].codes, pre * sizeof *p[j].codes) != 0) break;
      if (i == j || by[i] != UINT32_MAX) continue;
      int c = pat_covers(L, &p[j], &p[i]);
      if (c < 0) {
        rc = c;
        goto done;
      }
      if (!c) continue;
      if (p[i].wild && j > i && pat_covers(L, &p[i], &p[j]) == 1) continue; /* the same: keep i */
      by[i] = j;
    }
  }
  for (uint32_t i = 0; i < n; i++)
    if (by[i] != UINT32_MAX)
      lint_add(L, "REDUNDANT_ACTION", SUGG, st, 0, 0,
               lint_element_path(L, st, st->not_action ? "NotAction" : "Action", i, st->act_array),
               st->act[i], "The pattern %s already covers this one.", st->act[by[i]]);
done:
  iam_free(refs);
  iam_free(ord);
  iam_free(by);
  free_pats(p, n);
  return rc;
}

/* Whether statement a grants (or denies) everything statement b does, with
** the same conditions and principal: b adds nothing. */
static int stmt_covers(Lint *L, const LintStmt *a, const LintStmt *b, Pat *aa, Pat *ab, Pat *ra,
                       Pat *rb) {
  if (a->deny != b->deny || a->set != b->set || a->not_action || b->not_action ||
      a->not_resource != b->not_resource || a->has_principal != b->has_principal)
    return 0;
  if (a->has_principal &&
      (a->not_principal != b->not_principal || strcmp(a->principal_json, b->principal_json) != 0))
    return 0;
  if (a->ncond && strcmp(a->cond_text, b->cond_text) != 0) return 0;
  if (b->nact == 0) return 0; /* EMPTY_ARRAY_ACTION says it */
  for (uint32_t i = 0; i < b->nact; i++) {
    int ok = 0;
    for (uint32_t j = 0; j < a->nact && !ok; j++) {
      int c = pat_covers(L, &aa[j], &ab[i]);
      if (c < 0) return c;
      ok = c;
    }
    if (!ok) return 0;
  }
  if (a->any_resource) return !b->not_resource;
  if (b->any_resource) return 0;
  if (a->not_resource) { /* the same exclusions */
    if (a->nres != b->nres) return 0;
    for (uint32_t i = 0; i < b->nres; i++)
      if (strcmp(a->res[i], b->res[i]) != 0) return 0;
    return 1;
  }
  for (uint32_t i = 0; i < b->nres; i++) {
    int ok = 0;
    for (uint32_t j = 0; j < a->nres && !ok; j++) {
      if (strcmp(a->res[j], b->res[i]) == 0) {
        ok = 1;
      } else if (!(b->version2012 && strstr(b->res[i], "${")) &&
                 !(a->version2012 && strstr(a->res[j], "${"))) {
        int c = pat_covers(L, &ra[j], &rb[i]);
        if (c < 0) return c;
        ok = c;
      }
    }
    if (!ok) return 0;
  }
  return 1;
}

#define STMT_PAIRS_MAX 250000 /* statement pairs compared in one document */

static int check_redundant_statements(Lint *L, const LintDoc *d) {
  uint32_t n = d->nstmt;
  if (n < 2 || L->budget_hit) return IAM_OK;
  if ((uint64_t)n * n > STMT_PAIRS_MAX) {
    L->budget_hit = 1;
    return IAM_OK;
  }
  const LintStmt *s = &L->stmt[d->first];
  Pat **act = iam_malloc(n * sizeof *act), **res = iam_malloc(n * sizeof *res);
  int rc = IAM_OK;
  if (act == NULL || res == NULL) {
    iam_free(act);
    iam_free(res);
    return IAM_ENOMEM;
  }
  memset(act, 0, n * sizeof *act);
  memset(res, 0, n * sizeof *res);
  for (uint32_t i = 0; i < n && rc == IAM_OK; i++) {
    rc = compile_pats(s[i].act, s[i].nact, 0, &act[i]);
    if (rc == IAM_OK) rc = compile_pats(s[i].res, s[i].nres, 1, &res[i]);
  }
  for (uint32_t i = 0; i < n && rc == IAM_OK && !L->budget_hit; i++) {
    for (uint32_t j = 0; j < n; j++) {
      if (i == j) continue;
      int c = stmt_covers(L, &s[j], &s[i], act[j], act[i], res[j], res[i]);
      if (c < 0) {
        rc = c;
        break;
      }
      if (!c) continue;
      if (j > i) { /* mutual: the later one is redundant */
        int back = stmt_covers(L, &s[i], &s[j], act[i], act[j], res[i], res[j]);
        if (back < 0) {
          rc = back;
          break;
        }
        if (back) continue;
      }
      lint_add(L, "REDUNDANT_STATEMENT", SUGG, &s[i], 0, 0, s[i].path, s[i].sid,
               "Statement %d of this document already %s everything this one does.", s[j].idx,
               s[j].deny ? "denies" : "allows");
      break;
    }
  }
  for (uint32_t i = 0; i < n; i++) {
    free_pats(act[i], s[i].nact);
    free_pats(res[i], s[i].nres);
  }
  iam_free(act);
  iam_free(res);
  return rc;
}

/* ---- all of them ------------------------------------------------------------------ */

int lint_check(Lint *L) {
  for (uint32_t di = 0; di < L->ndocs; di++) {
    const LintDoc *d = &L->docs[di];
    check_document(L, d, d->index);
    if (check_sids(L, d) != IAM_OK) return IAM_ENOMEM;
  }
  for (uint32_t k = 0; k < L->nstmt; k++) {
    const LintStmt *st = &L->stmt[k];
    check_sid_chars(L, st);
    for (uint32_t i = 0; i < st->nact; i++)
      if (!strchr(st->act[i], ':') && strspn(st->act[i], "*") != strlen(st->act[i]))
        lint_add(
            L, "UNKNOWN_ACTION", WARN, st, 0, 0,
            lint_element_path(L, st, st->not_action ? "NotAction" : "Action", i, st->act_array),
            st->act[i], "An action is written service:Action, so this pattern matches none.");
    if (!st->not_action && st->nact == 0)
      lint_add(L, "EMPTY_ARRAY_ACTION", SUGG, st, 0, 0, lint_path_member(L, st->path, "Action"),
               NULL, "Action is empty, so the statement matches no action: remove it.");
    if (!st->not_resource && !st->any_resource && st->nres == 0)
      lint_add(L, "EMPTY_ARRAY_RESOURCE", SUGG, st, 0, 0, lint_path_member(L, st->path, "Resource"),
               NULL, "Resource is empty, so the statement matches no resource: remove it.");
    if (lint_grants(st) && st->not_action)
      lint_add(L, "ALLOW_WITH_NOT_ACTION", SEC, st, 0, 0,
               lint_path_member(L, st->path, "NotAction"), NULL,
               "Allow with NotAction grants every action not listed, in every service, "
               "including ones AWS adds later: list the actions to allow.");
    if (lint_grants(st) && st->not_resource)
      lint_add(L, "NOTRESOURCE_WITH_ALLOW", SEC, st, 0, 0,
               lint_path_member(L, st->path, "NotResource"), NULL,
               "Allow with NotResource grants the actions on every resource not listed: list "
               "the resources to allow.");
    if (!st->deny && st->not_principal)
      lint_add(L, "NOTPRINCIPAL_WITH_ALLOW", SEC, st, 0, 0,
               lint_path_member(L, st->path, "NotPrincipal"), NULL,
               "Allow with NotPrincipal grants every principal not listed, anonymous callers "
               "included: list the principals to allow.");
    check_old_variables(L, st);
    if (check_not_resource_variables(L, st) != IAM_OK) return IAM_ENOMEM;
    check_resources(L, st);
    check_principals(L, st);
    if (check_conditions(L, st) != IAM_OK) return IAM_ENOMEM;
    if (check_redundant_actions(L, st) != IAM_OK) return IAM_ENOMEM;
  }
  for (uint32_t di = 0; di < L->ndocs; di++)
    if (check_redundant_statements(L, &L->docs[di]) != IAM_OK) return IAM_ENOMEM;
  return L->oom ? IAM_ENOMEM : IAM_OK;
}
