/* SPDX-License-Identifier: MIT */
/* The linter's data-driven checks: they read the action catalog (services,
** actions, resource types, condition keys; iam_catalog.h) and the editable
** lists (IamLintLists) that the caller supplies. A check whose data is not
** there is skipped, and one DATA_CHECKS_SKIPPED finding says which. */
#include <stdio.h>
#include <string.h>

#include "iam_cond.h"
#include "iam_cover.h"
#include "iam_lint_int.h"

#define SEC  IAM_LINT_SECURITY_WARNING
#define WARN IAM_LINT_WARNING
#define SUGG IAM_LINT_SUGGESTION

#define CODES_STACK 256
#define LIST_SHOWN  3 /* actions named in a message, at most */

/* One action a pattern matched, with its service. */
typedef struct Hit {
  const IamCatService *svc;
  const IamCatAction *a;
} Hit;

typedef struct Hits {
  Lint *L;
  Hit *v;
  uint32_t n, cap;
  int oom;
} Hits;

typedef struct HitCtx {
  Hits *h;
  const IamCatService *svc;
} HitCtx;

static int hit_each(void *arg, const IamCatAction *a) {
  HitCtx *c = arg;
  Hits *h = c->h;
  if (!lint_spend(h->L, 1)) return 1; /* stop: the budget is spent */
  if (h->n == h->cap) {
    uint32_t cap = h->cap ? 2 * h->cap : 32;
    Hit *v = iam_realloc(h->v, cap * sizeof *v);
    if (v == NULL) {
      h->oom = 1;
      return IAM_ENOMEM;
    }
    h->v = v;
    h->cap = cap;
  }
  h->v[h->n].svc = c->svc;
  h->v[h->n++].a = a;
  return 0;
}

static int add_hit(void *arg, const IamCatAction *a) { return hit_each(arg, a); }

/* What a pattern's service part says. */
enum { PAT_OK = 0, PAT_NO_COLON, PAT_UNKNOWN_SERVICE, PAT_NO_SERVICE_MATCHES };

/* The catalog actions pattern s matches, appended to h. */
static int expand(Lint *L, const char *s, Hits *h, int *status) {
  const IamCatalog *cat = L->opt->catalog;
  size_t n = strlen(s);
  IamGlobCode stack[CODES_STACK], *codes = n <= CODES_STACK ? stack : iam_malloc(n * sizeof *codes);
  if (codes == NULL) return IAM_ENOMEM;
  iam_glob_codes_action(codes, s, n);
  const char *colon = strchr(s, ':');
  int rc = IAM_OK;
  *status = PAT_OK;
  size_t sl = colon ? (size_t)(colon - s) : n;
  if (colon && sl > 0 && !memchr(s, '*', sl) && !memchr(s, '?', sl)) {
    char prefix[128];
    const IamCatService *svc;
    if (sl >= sizeof prefix) {
      *status = PAT_UNKNOWN_SERVICE;
    } else {
      for (size_t i = 0; i < sl; i++) prefix[i] = (char)codes[i];
      prefix[sl] = 0;
      int r = cat->service(cat->arg, prefix, sl, &svc);
      if (r < 0) {
        rc = IAM_ENOMEM;
      } else if (r == 0) {
        *status = PAT_UNKNOWN_SERVICE;
      } else {
        HitCtx c = {h, svc};
        if (iam_cat_actions_matching(svc, codes, (uint32_t)n, add_hit, &c) < 0) rc = IAM_ENOMEM;
      }
    }
  } else { /* a wildcard in the service part, or no ':': every service */
    const char *const *prefixes;
    uint32_t np;
    if (!colon && strspn(s, "*") != n) *status = PAT_NO_COLON;
    if (*status == PAT_OK && cat->services(cat->arg, &prefixes, &np) != IAM_OK) rc = IAM_ENOMEM;
    int any_service = 0;
    for (uint32_t i = 0; *status == PAT_OK && rc == IAM_OK && i < np && !L->budget_hit; i++) {
      const IamCatService *svc;
      /* the service part against the prefix, before loading the service */
      if (colon) {
        size_t pl = strlen(prefixes[i]);
        if (iam_glob_match_codes_short(codes, (uint32_t)sl, prefixes[i], pl) != 1) continue;
      }
      any_service = 1;
      int r = cat->service(cat->arg, prefixes[i], strlen(prefixes[i]), &svc);
      if (r < 0) rc = IAM_ENOMEM;
      if (r <= 0) continue;
      HitCtx c = {h, svc};
      if (iam_cat_actions_matching(svc, codes, (uint32_t)n, add_hit, &c) < 0) rc = IAM_ENOMEM;
    }
    if (*status == PAT_OK && rc == IAM_OK && !any_service && !L->budget_hit)
      *status = PAT_NO_SERVICE_MATCHES;
  }
  if (codes != stack) iam_free(codes);
  if (h->oom) rc = IAM_ENOMEM;
  return rc;
}

/* "ecs:RunTask, ecs:StartTask and 3 more" into buf. */
static const char *names(const Hit *v, uint32_t n, char *buf, size_t cap) {
  size_t k = 0;
  buf[0] = 0;
  for (uint32_t i = 0; i < n && i < LIST_SHOWN && k < cap; i++)
    k += (size_t)snprintf(buf + k, cap - k, "%s%s:%s", i ? ", " : "", v[i].svc->prefix,
                          v[i].a->name);
  if (n > LIST_SHOWN && k < cap) snprintf(buf + k, cap - k, " and %u more", n - LIST_SHOWN);
  return buf;
}

/* ---- condition keys ------------------------------------------------------------ */

/* The catalog's entry for key: from the statement's actions, else the global
** keys. NULL when neither lists it. */
static const IamCatKey *find_key(const Lint *L, const Hits *h, const char *key, int *global) {
  size_t n = strlen(key);
  *global = 0;
  for (uint32_t i = 0; i < h->n; i++) {
    const IamCatAction *a = h->v[i].a;
    for (uint32_t k = 0; k < a->nkeys; k++) {
      const IamCatKey *ck = &h->v[i].svc->keys[a->keys[k]];
      if (iam_cat_key_matches(ck, key, n) == 1) return ck;
    }
  }
  const IamLintLists *ls = L->opt->lists;
  if (ls && ls->has_global_keys) {
    for (uint32_t k = 0; k < ls->nglobal_keys; k++) {
      if (iam_cat_key_matches(&ls->global_keys[k], key, n) == 1) {
        *global = 1;
        return &ls->global_keys[k];
      }
    }
  }
  return NULL;
}

static const char *key_type_name(const IamCatKey *k) {
  static const char *const t[] = {"unknown", "String", "ARN",       "Bool",
                                  "Numeric", "Date",   "IPAddress", "Binary"};
  return k->type < sizeof t / sizeof t[0] ? t[k->type] : "unknown";
}

/* The operators made for a key's type, for messages. */
static const char *operators_for(const IamCatKey *k) {
  switch ((IamKeyType)k->type) {
    case IAM_KEY_STRING: return "a String operator";
    case IAM_KEY_ARN: return "ArnEquals or ArnLike";
    case IAM_KEY_BOOL: return "Bool";
    case IAM_KEY_NUMERIC: return "a Numeric operator";
    case IAM_KEY_DATE: return "a Date operator";
    case IAM_KEY_IP: return "IpAddress or NotIpAddress";
    case IAM_KEY_BINARY: return "BinaryEquals";
    case IAM_KEY_UNKNOWN: break;
  }
  return "an operator of its type";
}

/* How an operator family fits a key type: 0 fits, 1 usable, 2 mismatched. */
static int type_fit(int family, int type) {
  if (type == IAM_KEY_UNKNOWN || family == IAM_FAM_NULL) return 0;
  switch ((IamCondFamily)family) {
    case IAM_FAM_STRING: return type == IAM_KEY_STRING ? 0 : 1;
    case IAM_FAM_ARN: return type == IAM_KEY_ARN ? 0 : type == IAM_KEY_STRING ? 1 : 2;
    case IAM_FAM_NUMERIC: return type == IAM_KEY_NUMERIC ? 0 : type == IAM_KEY_DATE ? 1 : 2;
    case IAM_FAM_DATE: return type == IAM_KEY_DATE ? 0 : 2;
    case IAM_FAM_BOOL: return type == IAM_KEY_BOOL ? 0 : type == IAM_KEY_STRING ? 1 : 2;
    case IAM_FAM_IP: return type == IAM_KEY_IP ? 0 : 2;
    case IAM_FAM_BINARY: return type == IAM_KEY_BINARY ? 0 : 2;
    case IAM_FAM_NULL: break;
  }
  return 0;
}

/* A key whose prefix is a host or URL ("token.actions.githubusercontent.com:sub",
** an OIDC provider's): its keys are the provider's, not the catalog's. */
static int provider_key(const char *key) {
  const char *colon = strchr(key, ':');
  if (colon == NULL) return 0;
  for (const char *p = key; p < colon; p++)
    if (*p == '.' || *p == '/') return 1;
  return 0;
}

static void check_keys(Lint *L, const LintStmt *st, const Hits *h, int have_catalog) {
  const IamLintLists *ls = L->opt->lists;
  for (uint32_t c = 0; c < st->ncond; c++) {
    const LintCond *k = &st->cond[c];
    int global;
    const IamCatKey *ck = find_key(L, h, k->key, &global);
    if (ck == NULL) {
      int aws = strlen(k->key) >= 4 && (k->key[0] | 32) == 'a' && (k->key[1] | 32) == 'w' &&
                (k->key[2] | 32) == 's' && k->key[3] == ':';
      if (have_catalog && !st->not_action && h->n > 0 && !provider_key(k->key) &&
          (!aws || (ls && ls->has_global_keys))) {
        char buf[200];
        lint_add(L, "UNKNOWN_CONDITION_FOR_ACTION", WARN, st, 0, 0, k->path, k->key,
                 "None of the statement's actions (%s) documents the condition key %s, so the "
                 "request never has it.",
                 names(h->v, h->n, buf, sizeof buf), k->key);
      }
      continue;
    }
    const IamCondOperator *op = &iam_cond_operators[k->base];
    int fit = type_fit(op->family, ck->type);
    if (fit == 2)
      lint_add(L, "MISMATCHED_TYPE", WARN, st, 0, 0, k->path, k->key,
               "%s does not compare values of type %s%s, the type of %s: use %s.", op->name,
               ck->multi ? "ArrayOf" : "", key_type_name(ck), k->key, operators_for(ck));
    else if (fit == 1)
      lint_add(L, "MISMATCHED_TYPE_BUT_USABLE", SUGG, st, 0, 0, k->path, k->key,
               "%s is of type %s%s: %s works on its text, but %s says what is meant.", k->key,
               ck->multi ? "ArrayOf" : "", key_type_name(ck), op->name, operators_for(ck));
    if (!ck->multi && ck->type != IAM_KEY_UNKNOWN && k->qual == IAM_QUAL_FORALL)
      lint_add(L, "FORALLVALUES_WITH_SINGLE_VALUED_KEY", SEC, st, 0, 0, k->path, k->key,
               "%s holds a single value: ForAllValues also holds when the key is absent, so "
               "this condition lets requests without it through; drop ForAllValues.",
               k->key);
    else if (!ck->multi && ck->type != IAM_KEY_UNKNOWN && k->qual == IAM_QUAL_FORANY)
      lint_add(L, "SINGLE_VALUE_CONDITION_TOO_PERMISSIVE", WARN, st, 0, 0, k->path, k->key,
               "%s holds a single value: ForAnyValue is for multivalued keys, and with a "
               "negated operator it no longer holds when the key is absent; drop the qualifier.",
               k->key);
  }
}

/* ---- resources ------------------------------------------------------------------- */

/* Codes of an ARN template of the catalog: each ${...} any text (within its
** field in the first five). */
static uint32_t template_codes(const char *t, IamGlobCode *codes, size_t cap) {
  uint32_t m = 0;
  int field = 0;
  for (size_t i = 0; t[i] && m + 1 < cap; i++) {
    if (t[i] == '$' && t[i + 1] == '{') {
      const char *e = strchr(t + i, '}');
      if (e) {
        codes[m++] = field < 5 ? (IamGlobCode)(IAM_GLOB_STAR | IAM_GLOB_NOCOLON) : IAM_GLOB_STAR;
        i = (size_t)(e - t);
        continue;
      }
    }
    if (t[i] == ':' && field < 5) field++;
    codes[m++] = (unsigned char)t[i];
  }
  return m;
}

/* Codes of a Resource pattern, each policy variable as any text. */
static uint32_t resource_codes(const char *s, int vars, IamGlobCode *codes, size_t cap) {
  size_t n = strlen(s);
  if (n > cap) return UINT32_MAX;
  iam_glob_codes_resource(codes, s, n, 0);
  if (!vars || !strstr(s, "${")) return (uint32_t)n;
  uint32_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '$' && s[i + 1] == '{' && strchr(s + i, '}')) {
      codes[m++] = IAM_GLOB_STAR;
      i = (size_t)(strchr(s + i, '}') - s);
    } else {
      codes[m++] = codes[i];
    }
  }
  return m;
}

/* Whether action a can apply to one of the statement's Resource patterns. */
static int action_fits(Lint *L, const LintStmt *st, const Hit *hit, IamGlobCode *rc_codes,
                       const uint32_t *rc_n) {
  if (hit->a->nrtypes == 0) { /* only "*" */
    for (uint32_t r = 0; r < st->nres; r++)
      if (rc_n[r] != UINT32_MAX &&
          iam_glob_match_codes_short(rc_codes + (size_t)r * CODES_STACK, rc_n[r], "*", 1) == 1)
        return 1;
    return 0;
  }
  for (uint32_t t = 0; t < hit->a->nrtypes; t++) {
    IamGlobCode tc[CODES_STACK];
    uint32_t tn = template_codes(hit->svc->arn[hit->a->rtypes[t]], tc, CODES_STACK);
    for (uint32_t r = 0; r < st->nres; r++) {
      if (rc_n[r] == UINT32_MAX) return 1; /* too long to decide: assume it fits */
      uint64_t work = 0;
      if (L->budget_hit) return 1;
      int o = iam_glob_overlaps(tc, tn, rc_codes + (size_t)r * CODES_STACK, rc_n[r], &work);
      lint_spend(L, work);
      if (o != 0) return 1; /* overlaps, unknown or out of memory: no finding */
    }
  }
  return 0;
}

static int check_resource_mismatch(Lint *L, const LintStmt *st) {
  if (st->not_action || st->not_resource || st->any_resource || st->nres == 0) return IAM_OK;
  for (uint32_t r = 0; r < st->nres; r++)
    if (strcmp(st->res[r], "*") == 0) return IAM_OK;
  IamGlobCode *rc_codes = iam_malloc((size_t)st->nres * CODES_STACK * sizeof *rc_codes);
  uint32_t *rc_n = iam_malloc((size_t)st->nres * sizeof *rc_n);
  int rc = IAM_OK;
  if (rc_codes == NULL || rc_n == NULL) rc = IAM_ENOMEM;
  for (uint32_t r = 0; rc == IAM_OK && r < st->nres; r++)
    rc_n[r] = resource_codes(st->res[r], st->version2012, rc_codes + (size_t)r * CODES_STACK,
                             CODES_STACK);
  for (uint32_t i = 0; rc == IAM_OK && i < st->nact && !L->budget_hit; i++) {
    Hits h = {L, NULL, 0, 0, 0};
    int status;
    rc = expand(L, st->act[i], &h, &status);
    int fits = h.n == 0;
    for (uint32_t k = 0; rc == IAM_OK && k < h.n && !fits; k++)
      fits = action_fits(L, st, &h.v[k], rc_codes, rc_n);
    if (rc == IAM_OK && !fits && !L->budget_hit) {
      char buf[200];
      lint_add(L, "RESOURCE_MISMATCH", WARN, st, 0, 0,
               lint_element_path(L, st, "Action", i, st->act_array), st->act[i],
               "No resource of the statement is one %s can be used on (%s), so this pattern "
               "grants nothing here.",
               h.n == 1 ? "this action" : "these actions", names(h.v, h.n, buf, sizeof buf));
    }
    iam_free(h.v);
  }
  iam_free(rc_codes);
  iam_free(rc_n);
  return rc;
}

/* ---- per statement ---------------------------------------------------------------- */

static int check_statement(Lint *L, const LintStmt *st, int have_catalog) {
  Hits all = {L, NULL, 0, 0, 0};
  int rc = IAM_OK;
  if (have_catalog) {
    for (uint32_t i = 0; i < st->nact && rc == IAM_OK && !L->budget_hit; i++) {
      uint32_t before = all.n;
      int status;
      rc = expand(L, st->act[i], &all, &status);
      if (rc != IAM_OK || L->budget_hit) break;
      const char *p =
          lint_element_path(L, st, st->not_action ? "NotAction" : "Action", i, st->act_array);
      if (status == PAT_UNKNOWN_SERVICE || status == PAT_NO_SERVICE_MATCHES)
        lint_add(L, "UNKNOWN_PREFIX", WARN, st, 0, 0, p, st->act[i],
                 "No AWS service has the prefix of %s, so it matches no action%s.", st->act[i],
                 st->not_action ? " and excludes nothing" : "");
      else if (status == PAT_OK && all.n == before)
        lint_add(L, "UNKNOWN_ACTION", WARN, st, 0, 0, p, st->act[i],
                 "%s matches no action of its service, so it %s.", st->act[i],
                 st->not_action ? "excludes nothing" : "grants nothing");
    }
  }
  if (rc == IAM_OK && st->ncond && !L->budget_hit) check_keys(L, st, &all, have_catalog);
  if (rc == IAM_OK && have_catalog && lint_grants(st) && !st->not_action && !L->budget_hit) {
    uint32_t npm = 0, nlimit = 0;
    Hit *pm = iam_malloc(((size_t)all.n + 1) * sizeof *pm);
    Hit *lim = iam_malloc(((size_t)all.n + 1) * sizeof *lim);
    if (pm == NULL || lim == NULL) rc = IAM_ENOMEM;
    for (uint32_t k = 0; rc == IAM_OK && k < all.n; k++) {
      if (all.v[k].a->access == IAM_ACCESS_PERMISSIONS) pm[npm++] = all.v[k];
      if (all.v[k].a->nrtypes > 0) lim[nlimit++] = all.v[k];
    }
    char buf[200];
    if (rc == IAM_OK && npm)
      lint_add(L, "PERMISSIONS_MANAGEMENT_ACTIONS", WARN, st, 0, 0,
               lint_path_member(L, st->path, "Action"), NULL,
               "The statement allows %u permissions-management action%s (%s), which change who "
               "may do what.",
               npm, npm == 1 ? "" : "s", names(pm, npm, buf, sizeof buf));
    int star = 0;
    for (uint32_t r = 0; r < st->nres && !st->not_resource; r++) star |= !strcmp(st->res[r], "*");
    if (rc == IAM_OK && star && nlimit)
      lint_add(L, "RESOURCE_STAR", WARN, st, 0, 0, lint_path_member(L, st->path, "Resource"), "*",
               "Resource \"*\" where %u of the actions (%s) can be limited to named resources.",
               nlimit, names(lim, nlimit, buf, sizeof buf));
    iam_free(pm);
    iam_free(lim);
  }
  iam_free(all.v);
  if (rc == IAM_OK && have_catalog && !L->budget_hit) rc = check_resource_mismatch(L, st);
  return rc;
}

/* ---- the lists -------------------------------------------------------------------- */

/* The first Allow statement that lets action through and that no
** unconditional Deny on every resource takes back, or NULL. */
static const LintStmt *granted_by(Lint *L, const char *action) {
  for (uint32_t k = 0; k < L->nstmt; k++) {
    const LintStmt *d = &L->stmt[k];
    if (!d->deny || d->ncond || d->not_resource || d->has_principal) continue;
    int star = d->any_resource;
    for (uint32_t r = 0; r < d->nres; r++) star |= !strcmp(d->res[r], "*");
    if (star && lint_admits(L, d, action)) return NULL;
  }
  for (uint32_t k = 0; k < L->nstmt; k++)
    if (lint_grants(&L->stmt[k]) && lint_admits(L, &L->stmt[k], action)) return &L->stmt[k];
  return NULL;
}

/* Rules applied, grouped by the statement that grants the first action of
** each: one finding per such statement. */
static int check_escalation(Lint *L, const IamLintLists *ls) {
  const LintStmt **anchor = iam_malloc(((size_t)ls->nescalation + 1) * sizeof *anchor);
  if (anchor == NULL) return IAM_ENOMEM;
  for (uint32_t r = 0; r < ls->nescalation; r++) {
    const IamLintRule *rule = &ls->escalation[r];
    uint32_t i;
    anchor[r] = NULL;
    for (i = 0; i < rule->nactions; i++) {
      const LintStmt *g = granted_by(L, rule->actions[i]);
      if (g == NULL) break;
      if (i == 0) anchor[r] = g;
    }
    if (i < rule->nactions) anchor[r] = NULL;
  }
  for (uint32_t r = 0; r < ls->nescalation; r++) {
    const LintStmt *a = anchor[r];
    int first = 1;
    for (uint32_t q = 0; q < r && first; q++) first = anchor[q] != a;
    if (a == NULL || !first) continue;
    char buf[400];
    size_t k = 0;
    uint32_t count = 0;
    buf[0] = 0;
    for (uint32_t q = r; q < ls->nescalation; q++) {
      if (anchor[q] != a) continue;
      if (count++ < 4 && k < sizeof buf) {
        const IamLintRule *rule = &ls->escalation[q];
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s (", count > 1 ? ", " : "", rule->name);
        for (uint32_t i = 0; i < rule->nactions && k < sizeof buf; i++)
          k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", i ? " + " : "", rule->actions[i]);
        if (k < sizeof buf) k += (size_t)snprintf(buf + k, sizeof buf - k, ")");
      }
    }
    if (count > 4 && k < sizeof buf) snprintf(buf + k, sizeof buf - k, " and %u more", count - 4);
    lint_add(L, "PRIVILEGE_ESCALATION", SEC, a, 0, 0, lint_path_member(L, a->path, "Action"),
             ls->escalation[r].name,
             "The policy allows %u known way%s to gain more privileges: %s.", count,
             count == 1 ? "" : "s", buf);
  }
  iam_free(anchor);
  return IAM_OK;
}

static void check_credentials(Lint *L, const IamLintLists *ls) {
  for (uint32_t k = 0; k < L->nstmt; k++) {
    const LintStmt *st = &L->stmt[k];
    if (!lint_grants(st) || st->trust) continue; /* a trust policy is about sts:AssumeRole */
    char buf[300];
    size_t n = 0;
    uint32_t count = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < ls->ncredentials; i++) {
      if (!lint_admits(L, st, ls->credentials[i])) continue;
      if (count++ < LIST_SHOWN && n < sizeof buf)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", count > 1 ? ", " : "",
                              ls->credentials[i]);
    }
    if (count > LIST_SHOWN && n < sizeof buf)
      snprintf(buf + n, sizeof buf - n, " and %u more", count - LIST_SHOWN);
    if (count)
      lint_add(L, "CREDENTIALS_EXPOSURE", WARN, st, 0, 0, lint_path_member(L, st->path, "Action"),
               NULL, "The statement allows actions that return credentials or secrets: %s.", buf);
  }
}

static int overlaps_text(const char *a, size_t na, const char *b, int resource) {
  IamGlobCode ca[CODES_STACK], cb[CODES_STACK];
  size_t nb = strlen(b);
  if (na > CODES_STACK || nb > CODES_STACK) return 1;
  if (resource) {
    iam_glob_codes_resource(ca, a, na, 0);
    iam_glob_codes_resource(cb, b, nb, 0);
  } else {
    iam_glob_codes_action(ca, a, na);
    iam_glob_codes_action(cb, b, nb);
  }
  return iam_glob_overlaps(ca, (uint32_t)na, cb, (uint32_t)nb, NULL) != 0;
}

static void check_sensitive(Lint *L, const IamLintLists *ls) {
  for (uint32_t k = 0; k < L->nstmt; k++) {
    const LintStmt *st = &L->stmt[k];
    if (!lint_grants(st)) continue;
    char buf[300];
    size_t n = 0;
    uint32_t count = 0;
    const char *first = NULL;
    buf[0] = 0;
    for (uint32_t e = 0; e < ls->nsensitive; e++) {
      const char *act = ls->sensitive_action[e], *res = ls->sensitive_resource[e];
      int a = 0, r = st->any_resource || st->not_resource;
      if (st->not_action) {
        a = !strpbrk(act, "*?") ? lint_admits(L, st, act) : 1;
      } else {
        for (uint32_t i = 0; i < st->nact && !a; i++)
          a = overlaps_text(st->act[i], strlen(st->act[i]), act, 0);
      }
      for (uint32_t i = 0; i < st->nres && !r; i++)
        r = overlaps_text(st->res[i], strlen(st->res[i]), res, 1);
      if (!a || !r) continue;
      if (first == NULL) first = act;
      if (count++ < LIST_SHOWN && n < sizeof buf)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s on %s", count > 1 ? ", " : "", act,
                              res);
    }
    if (count > LIST_SHOWN && n < sizeof buf)
      snprintf(buf + n, sizeof buf - n, " and %u more", count - LIST_SHOWN);
    if (count)
      lint_add(L, "SENSITIVE_ACCESS", SEC, st, 0, 0, lint_path_member(L, st->path, "Action"), first,
               "The statement allows access that this database lists as sensitive: %s.", buf);
  }
}

static void check_paired(Lint *L, const IamLintLists *ls) {
  for (uint32_t k = 0; k < L->nstmt; k++) {
    const LintStmt *st = &L->stmt[k];
    if (!lint_grants(st)) continue;
    for (uint32_t c = 0; c < st->ncond; c++) {
      const LintCond *cond = &st->cond[c];
      int listed = 0, paired = 0;
      char buf[200];
      size_t n = 0;
      buf[0] = 0;
      for (uint32_t p = 0; p < ls->npaired; p++) {
        if (!lint_ieq(ls->paired_key[p], cond->key)) continue;
        listed = 1;
        for (uint32_t o = 0; o < st->ncond; o++)
          paired |= lint_ieq(st->cond[o].key, ls->paired_with[p]);
        if (n < sizeof buf)
          n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? " or " : "",
                                ls->paired_with[p]);
      }
      if (listed && !paired)
        lint_add(L, "MISSING_PAIRED_CONDITION_KEYS", SEC, st, 0, 0, cond->path, cond->key,
                 "%s alone can be too broad: use it together with %s.", cond->key, buf);
    }
  }
}

/* Actions that can rewrite a resource's own policy give everything its
** service offers on that resource: one finding per granting statement and
** service, naming the actions and one the policy leaves out. */
typedef struct PolicyEsc {
  const LintStmt *g;
  char prefix[64];
  const char *first; /* the first listed action granted */
  uint32_t count;
  const IamCatAction *missing;
} PolicyEsc;

static int check_resource_policy(Lint *L, const IamLintLists *ls) {
  const IamCatalog *cat = L->opt->catalog;
  PolicyEsc *v = iam_malloc(((size_t)ls->nresource_policy + 1) * sizeof *v);
  uint32_t nv = 0;
  int rc = IAM_OK;
  if (v == NULL) return IAM_ENOMEM;
  for (uint32_t e = 0; e < ls->nresource_policy && rc == IAM_OK && !L->budget_hit; e++) {
    const char *x = ls->resource_policy[e];
    const LintStmt *g = granted_by(L, x);
    const char *colon = strchr(x, ':');
    if (g == NULL || colon == NULL || colon - x >= 64) continue;
    char prefix[64], full[256];
    size_t pl = (size_t)(colon - x);
    for (size_t i = 0; i < pl; i++)
      prefix[i] = (x[i] >= 'A' && x[i] <= 'Z') ? (char)(x[i] + 32) : x[i];
    prefix[pl] = 0;
    uint32_t k = 0;
    while (k < nv && !(v[k].g == g && strcmp(v[k].prefix, prefix) == 0)) k++;
    if (k < nv) { /* the same statement and service: the answer is known */
      v[k].count += v[k].missing != NULL;
      continue;
    }
    const IamCatService *svc;
    int r = cat->service(cat->arg, prefix, pl, &svc);
    if (r < 0) rc = IAM_ENOMEM;
    if (r <= 0) continue;
    const IamCatAction *missing = NULL;
    if (!lint_spend(L, (uint64_t)svc->nactions * L->nstmt)) break;
    for (uint32_t i = 0; i < svc->nactions && missing == NULL; i++) {
      const IamCatAction *a = &svc->actions[i];
      if (pl + 1 + a->lower_len >= sizeof full) continue;
      snprintf(full, sizeof full, "%s:%s", prefix, a->lower);
      if (granted_by(L, full) == NULL) missing = a;
    }
    v[nv].g = g;
    memcpy(v[nv].prefix, prefix, pl + 1);
    v[nv].first = x;
    v[nv].count = missing != NULL;
    v[nv++].missing = missing;
  }
  for (uint32_t k = 0; k < nv && rc == IAM_OK; k++) {
    if (v[k].missing == NULL) continue;
    char others[40] = "";
    if (v[k].count > 1)
      snprintf(others, sizeof others, " and %u more such action%s", v[k].count - 1,
               v[k].count > 2 ? "s" : "");
    lint_add(L, "RESOURCE_POLICY_PRIVILEGE_ESCALATION", SEC, v[k].g, 0, 0,
             lint_path_member(L, v[k].g->path, "Action"), v[k].first,
             "The policy allows %s%s but not every %s action (%s:%s, for one): an action "
             "that rewrites a resource's own policy lets the holder grant itself the rest.",
             v[k].first, others, v[k].prefix, v[k].prefix, v[k].missing->name);
  }
  iam_free(v);
  return rc;
}

/* ---- all of them -------------------------------------------------------------------- */

int lint_check_data(Lint *L) {
  const IamLintOptions *o = L->opt;
  const IamLintLists *ls = o->lists;
  int have_catalog = o->catalog != NULL;
  char tables[300];
  size_t n = 0;
  tables[0] = 0;
  /* the lint tables whose checks cannot run */
  static const char *const list_tables[] = {
      "lint_global_condition_key", "lint_escalation_action",      "lint_credentials_action",
      "lint_sensitive_access",     "lint_resource_policy_action", "lint_paired_condition_key"};
  const uint8_t have[] = {ls && ls->has_global_keys,     ls && ls->has_escalation,
                          ls && ls->has_credentials,     ls && ls->has_sensitive,
                          ls && ls->has_resource_policy, ls && ls->has_paired};
  for (size_t i = 0; i < sizeof have && n < sizeof tables; i++)
    if (!have[i])
      n += (size_t)snprintf(tables + n, sizeof tables - n, "%s%s", n ? ", " : "", list_tables[i]);
  if (!have_catalog)
    lint_add(L, "DATA_CHECKS_SKIPPED", SUGG, NULL, -1, -1, "", o->missing_tables,
             "The action catalog is not in this database (no table %s), so the checks that "
             "need it did not run%s%s%s.",
             o->missing_tables ? o->missing_tables : "service", n ? ", nor those of " : "",
             n ? tables : "", n ? " (ext/LINT.md lists which)" : "");
  else if (n)
    lint_add(L, "DATA_CHECKS_SKIPPED", SUGG, NULL, -1, -1, "", tables,
             "The checks of the lint tables %s did not run: the tables are not in this database "
             "(sql/lint/tables.sql makes them).",
             tables);
  for (uint32_t k = 0; k < L->nstmt && !L->budget_hit; k++)
    if (check_statement(L, &L->stmt[k], have_catalog) != IAM_OK) return IAM_ENOMEM;
  if (ls && ls->has_escalation && check_escalation(L, ls) != IAM_OK) return IAM_ENOMEM;
  if (ls && ls->has_credentials) check_credentials(L, ls);
  if (ls && ls->has_sensitive) check_sensitive(L, ls);
  if (ls && ls->has_paired) check_paired(L, ls);
  if (ls && ls->has_resource_policy && have_catalog && !L->budget_hit &&
      check_resource_policy(L, ls) != IAM_OK)
    return IAM_ENOMEM;
  return L->oom ? IAM_ENOMEM : IAM_OK;
}
