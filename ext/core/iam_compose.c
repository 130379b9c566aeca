/* SPDX-License-Identifier: MIT */
/* A whole request from compiled parts: see iam_compose.h. */
#include "iam_compose.h"

#include <string.h>

#include "iam_mem.h"
#include "iam_text.h"

struct IamComposed {
  IamPolicy p;
  IamAuthz az;
  IamArena a; /* the statements, their service bits, and a caller given as text */
};

#define NO_PART (-1)

int iam_compose(const IamPolicy *const *parts, const char *const *names, int n,
                const char *principal, size_t principal_len, IamComposed **out, IamError *err) {
  int from[IAM_NPART_MEMBERS];
  uint64_t nstmt = 0, ndocs = 0, nvalues = 0;
  *out = NULL;
  for (int m = 0; m < IAM_NPART_MEMBERS; m++) from[m] = NO_PART;
  /* who gives each member */
  for (int i = 0; i < n; i++) {
    if (parts[i] == NULL) continue;
    const IamAuthz *az = parts[i]->authz;
    if (az == NULL) { /* compiled without IAM_PARSE_PART: a caller's mistake */
      iam_error_set(err, -1, "%s: not compiled as a part of a request", names[i]);
      return IAM_EINVAL;
    }
    for (int m = 0; m < IAM_NPART_MEMBERS; m++) {
      if (!(az->given & IAM_MEMBER_BIT(m))) continue;
      if (from[m] != NO_PART) {
        iam_error_set(err, -1, "%s: given by both %s and %s", iam_member_name(m), names[from[m]],
                      names[i]);
        return IAM_EINVAL;
      }
      from[m] = i;
    }
    for (int s = 0; s < IAM_NSETS; s++) {
      if (from[s] != i) continue;
      nstmt += az->count[s];
      ndocs += az->ndocs[s];
    }
    nvalues += az->nvalues;
  }
  if (principal != NULL && from[IAM_MEMBER_PRINCIPAL] != NO_PART) {
    iam_error_set(err, -1, "principal: given by both %s and the principal argument",
                  names[from[IAM_MEMBER_PRINCIPAL]]);
    return IAM_EINVAL;
  }
  if (principal == NULL && from[IAM_MEMBER_PRINCIPAL] == NO_PART) {
    iam_error_set(err, -1, "missing \"principal\" (the caller)");
    return IAM_EINVAL;
  }
  /* the limits of one text (the values of each part were counted as it was parsed) */
  if (ndocs > IAM_MAX_DOCUMENTS) {
    iam_error_set(err, -1, "more than %d policy documents", IAM_MAX_DOCUMENTS);
    return IAM_ELIMIT;
  }
  if (nstmt > IAM_MAX_STATEMENTS) {
    iam_error_set(err, -1, "more than %d statements", IAM_MAX_STATEMENTS);
    return IAM_ELIMIT;
  }
  if (nvalues > IAM_MAX_VALUES) {
    iam_error_set(err, -1, "more than %d patterns and values", IAM_MAX_VALUES);
    return IAM_ELIMIT;
  }

  IamComposed *c = iam_malloc(sizeof *c);
  if (c == NULL) return IAM_ENOMEM;
  memset(c, 0, sizeof *c);
  iam_arena_init(&c->a, (size_t)(nstmt + 1) * (sizeof(IamStatement) + sizeof(uint64_t)) + 512);
  IamPolicy *p = &c->p;
  IamAuthz *az = &c->az;
  p->stmt = iam_arena_alloc(&c->a, (size_t)(nstmt + 1) * sizeof *p->stmt);
  p->svc = iam_arena_alloc(&c->a, (size_t)(nstmt + 1) * sizeof *p->svc);
  /* the identity-policy lists: empty in a whole request, as the parser leaves them */
  p->deny = iam_arena_alloc(&c->a, sizeof *p->deny);
  p->allow = iam_arena_alloc(&c->a, sizeof *p->allow);
  p->ballow = iam_arena_alloc(&c->a, sizeof *p->ballow);
  if (p->stmt == NULL || p->svc == NULL || p->deny == NULL || p->allow == NULL ||
      p->ballow == NULL) {
    iam_composed_free(c);
    return IAM_ENOMEM;
  }
  /* the statements, in IamSet order as the parser lays out one text's; a
  ** statement's document index counts the documents of the members before it */
  uint32_t ns = 0, doc0 = 0;
  for (int s = 0; s < IAM_NSETS; s++) {
    if (from[s] == NO_PART) continue;
    const IamPolicy *src = parts[from[s]];
    const IamAuthz *sa = src->authz;
    uint32_t src_doc0 = 0;
    for (int t = 0; t < s; t++) src_doc0 += sa->ndocs[t];
    az->present[s] = 1;
    az->first[s] = ns;
    az->count[s] = sa->count[s];
    az->ndocs[s] = sa->ndocs[s];
    az->nlevels[s] = sa->nlevels[s];
    for (uint32_t k = 0; k < sa->count[s]; k++, ns++) {
      p->stmt[ns] = src->stmt[sa->first[s] + k];
      p->stmt[ns].doc = p->stmt[ns].doc - src_doc0 + doc0;
      p->svc[ns] = src->svc[sa->first[s] + k];
    }
    doc0 += sa->ndocs[s];
    az->given |= IAM_MEMBER_BIT(s);
  }
  /* the caller and the resource's account */
  int rc;
  if (principal != NULL) {
    if ((rc = iam_caller_parse(principal, principal_len, &c->a, &az->caller, err)) != IAM_OK) {
      iam_composed_free(c);
      return rc;
    }
  } else {
    az->caller = parts[from[IAM_MEMBER_PRINCIPAL]]->authz->caller;
  }
  az->has_caller = 1;
  az->given |= IAM_MEMBER_BIT(IAM_MEMBER_PRINCIPAL);
  if (from[IAM_MEMBER_RESOURCE_ACCOUNT] != NO_PART) {
    memcpy(az->resource_account, parts[from[IAM_MEMBER_RESOURCE_ACCOUNT]]->authz->resource_account,
           sizeof az->resource_account);
    az->given |= IAM_MEMBER_BIT(IAM_MEMBER_RESOURCE_ACCOUNT);
  }
  az->nvalues = (uint32_t)nvalues;
  if ((rc = iam_authz_check_caller(az, err)) != IAM_OK) {
    iam_composed_free(c);
    return rc;
  }
  p->ndocs = doc0;
  p->is_array = 1;
  p->nstmt = ns;
  p->authz = az;
  *out = c;
  return IAM_OK;
}

const IamPolicy *iam_composed_policy(const IamComposed *c) { return &c->p; }

void iam_composed_free(IamComposed *c) {
  if (c == NULL) return;
  iam_arena_free(&c->a);
  iam_free(c);
}
