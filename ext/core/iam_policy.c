/* SPDX-License-Identifier: MIT */
/* The policy grammar (ext/core/SEMANTICS.md, "Policy documents"): parsing a
** policy set and compiling it into a draft. The cJSON tree lives only inside
** iam_policy_draft; everything kept is copied into the draft's arena, then
** placed in one block (iam_compact.h). */
#include "iam_policy.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iam_compact.h"
#include "iam_index.h"
#include "iam_json.h"
#include "iam_text.h"

/* The draft: the policy built in an arena, until it is placed in a block. */
struct IamPolicyDraft {
  IamArena arena; /* owns everything p points to */
  IamPolicy p;
};

/* Compiled size of a policy per input byte (a first arena block that holds
** most policies whole). */
#define POLICY_ARENA_HINT(len) (6 * (len) + 512)

#define DOC_PREFIX_MAX      32  /* "", "policy[1023].", "scps[1][1023]." ... */
#define WHERE_MAX           200 /* "policy[3].Statement[12]" and the like */
#define DOCS_INLINE         8   /* documents tracked without allocating */
#define DUPS_INLINE         16  /* member names checked for duplicates without allocating */
#define PRINCIPAL_WHERE_MAX 64  /* "Principal.CanonicalUser" */

typedef struct Parser {
  IamPolicy *p;
  IamArena *a;
  IamError *err;
  int flags;
  int rc;                   /* first error */
  uint8_t set;              /* IamSet of the document being parsed */
  uint8_t typed;            /* a whole-request object: the per-type rules apply */
  IamAuthz *az;             /* its caller and members (P->p->authz), or NULL */
  char doc[DOC_PREFIX_MAX]; /* "" or "policy[3]." */
  char where[WHERE_MAX];    /* location of the element being parsed */
  uint32_t nvalues;         /* patterns and values so far */
  IamGlobScratch scratch;
} Parser;

/* ---- helpers -------------------------------------------------------------- */

static int fail(Parser *P, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail(Parser *P, int rc, const char *fmt, ...) {
  if (P->rc == IAM_OK) {
    va_list ap;
    char msg[sizeof P->err->msg];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (rc != IAM_ENOMEM) iam_error_set(P->err, -1, "%s", msg);
    P->rc = rc;
  }
  return rc;
}

static int oom(Parser *P) { return fail(P, IAM_ENOMEM, "out of memory"); }

static void *aalloc(Parser *P, size_t n) {
  void *v = iam_arena_alloc(P->a, n);
  if (v == NULL) oom(P);
  return v;
}

static char *adup(Parser *P, const char *s, size_t n) {
  char *v = iam_arena_strndup(P->a, s, n);
  if (v == NULL) oom(P);
  return v;
}

static const char *type_name(const cJSON *j) {
  if (cJSON_IsString(j)) return "a string";
  if (cJSON_IsNumber(j)) return "a number";
  if (cJSON_IsBool(j)) return "a boolean";
  if (cJSON_IsNull(j)) return "null";
  if (cJSON_IsArray(j)) return "an array";
  return "an object";
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every object in a policy must have unique member names (SEMANTICS.md,
** "Policy documents"). */
static int check_dups(Parser *P, const cJSON *obj, const char *where) {
  const char *small[DUPS_INLINE];
  const char **names = small;
  int n = 0, rc = IAM_OK;
  const cJSON *c;
  for (c = obj->child; c; c = c->next) n++;
  if (n < 2) return IAM_OK;
  if (n > DUPS_INLINE) {
    names = iam_malloc((size_t)n * sizeof *names);
    if (names == NULL) return oom(P);
  }
  n = 0;
  for (c = obj->child; c; c = c->next) names[n++] = c->string;
  qsort(names, (size_t)n, sizeof *names, cmp_str);
  for (int i = 1; i < n; i++) {
    if (strcmp(names[i - 1], names[i]) == 0) {
      char q[IAM_QUOTE_MAX];
      rc = fail(P, IAM_EINVAL, "%s: duplicate member %s", where,
                iam_quote(q, sizeof q, names[i], strlen(names[i])));
      break;
    }
  }
  if (names != small) iam_free(names);
  return rc;
}

/* ---- patterns and values --------------------------------------------------- */

/* One more pattern or value, within IAM_MAX_VALUES. */
static int count_value(Parser *P) {
  if (++P->nvalues > IAM_MAX_VALUES)
    return fail(P, IAM_ELIMIT, "%s: more than %d patterns and values", P->where, IAM_MAX_VALUES);
  return IAM_OK;
}

static int compile_template(Parser *P, IamTemplate *t, const char *s, size_t n,
                            IamTemplateMode mode, int vars) {
  if (count_value(P) != IAM_OK) return P->rc;
  if (iam_template_compile(t, s, n, mode, vars, P->a, &P->scratch) != IAM_OK) return oom(P);
  return IAM_OK;
}

/* ---- values ----------------------------------------------------------------- */

/* A string, or one of an array of strings. Returns the count, or -1 on error. */
static int string_list(Parser *P, const cJSON *j, const char *what) {
  if (cJSON_IsString(j)) return 1;
  if (!cJSON_IsArray(j)) {
    fail(P, IAM_EINVAL, "%s.%s: must be a string or an array of strings, not %s", P->where, what,
         type_name(j));
    return -1;
  }
  int n = 0, k = 0;
  const cJSON *c;
  for (c = j->child; c; c = c->next, k++) {
    if (!cJSON_IsString(c)) {
      fail(P, IAM_EINVAL, "%s.%s[%d]: must be a string, not %s", P->where, what, k, type_name(c));
      return -1;
    }
    n++;
  }
  return n;
}

static int parse_actions(Parser *P, IamStatement *st, const cJSON *j, const char *what) {
  int n = string_list(P, j, what);
  if (n < 0) return P->rc;
  st->nact = (uint32_t)n;
  st->act = aalloc(P, (size_t)n * sizeof *st->act + 1);
  st->act_text = aalloc(P, (size_t)n * sizeof *st->act_text + 1);
  if (st->act == NULL || st->act_text == NULL) return P->rc;
  const cJSON *c = cJSON_IsString(j) ? j : j->child;
  for (int i = 0; i < n; i++, c = c->next) {
    size_t len = strlen(c->valuestring);
    IamGlobCode *codes;
    if (count_value(P) != IAM_OK) return P->rc;
    if ((st->act_text[i] = adup(P, c->valuestring, len)) == NULL) return P->rc;
    if ((codes = iam_glob_scratch(&P->scratch, len)) == NULL) return oom(P);
    iam_glob_codes_action(codes, c->valuestring, len);
    if (iam_glob_init(&st->act[i], codes, (uint32_t)len, P->a) != IAM_OK) return oom(P);
    if (cJSON_IsString(j)) break;
  }
  return iam_index_actions(st, P->a) == IAM_OK ? IAM_OK : oom(P);
}

static int parse_resources(Parser *P, IamStatement *st, const cJSON *j, const char *what) {
  int n = string_list(P, j, what);
  if (n < 0) return P->rc;
  st->nres = (uint32_t)n;
  st->res = aalloc(P, (size_t)n * sizeof *st->res + 1);
  if (st->res == NULL) return P->rc;
  /* one walk along the list (linear in its length) */
  const cJSON *c = cJSON_IsString(j) ? j : j->child;
  for (int i = 0; i < n; i++, c = c->next) {
    if (compile_template(P, &st->res[i], c->valuestring, strlen(c->valuestring),
                         IAM_TEMPLATE_RESOURCE, st->version2012) != IAM_OK)
      return P->rc;
    if (cJSON_IsString(j)) break;
  }
  return IAM_OK;
}

/* Condition value as text: strings as is, numbers and booleans as JSON text. */
static int value_text(Parser *P, const cJSON *v, const char *where, const char **s, size_t *n,
                      char *buf, size_t cap) {
  if (cJSON_IsString(v)) {
    *s = v->valuestring;
    *n = strlen(v->valuestring);
  } else if (cJSON_IsBool(v)) {
    *s = cJSON_IsTrue(v) ? "true" : "false";
    *n = strlen(*s);
  } else if (cJSON_IsNumber(v)) {
    if (!iam_number_text(v->valuedouble, buf, cap))
      return fail(P, IAM_EINVAL, "%s: number out of range", where);
    *s = buf;
    *n = strlen(buf);
  } else {
    return fail(P, IAM_EINVAL, "%s: must be a string, number or boolean, not %s", where,
                type_name(v));
  }
  return IAM_OK;
}

/* A condition key of an operator block and its position in the block. */
typedef struct KeyRef {
  const char *s;
  uint32_t i;
} KeyRef;

/* Compare two keys as ASCII lower case. */
static int icase_cmp(const char *a, const char *b) {
  const unsigned char *s = (const unsigned char *)a, *t = (const unsigned char *)b;
  for (;; s++, t++) {
    int c = (*s >= 'A' && *s <= 'Z') ? *s + 32 : *s, d = (*t >= 'A' && *t <= 'Z') ? *t + 32 : *t;
    if (c != d || c == 0) return c - d;
  }
}

/* Keys in ASCII lower case, then by position. */
static int cmp_key_icase(const void *a, const void *b) {
  const KeyRef *x = a, *y = b;
  int c = icase_cmp(x->s, y->s);
  return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* Keys of one operator block that differ only in case: *at is the position
** of the first key that repeats an earlier one (UINT32_MAX if none), *of the
** position of the first key it repeats. Sorting makes this n log n in the
** keys of the block, however many there are. */
static int case_twins(Parser *P, const cJSON *block, uint32_t *at, uint32_t *of) {
  KeyRef small[DUPS_INLINE], *v = small;
  uint32_t n = 0;
  const cJSON *k;
  *at = UINT32_MAX, *of = 0;
  for (k = block->child; k; k = k->next) n++;
  if (n < 2) return IAM_OK;
  if (n > DUPS_INLINE && (v = iam_malloc(n * sizeof *v)) == NULL) return oom(P);
  n = 0;
  for (k = block->child; k; k = k->next, n++) v[n].s = k->string, v[n].i = n;
  qsort(v, n, sizeof *v, cmp_key_icase);
  for (uint32_t g = 0, e; g < n; g = e) { /* groups of equal keys, positions ascending */
    for (e = g + 1; e < n && icase_cmp(v[g].s, v[e].s) == 0; e++) continue;
    if (e - g >= 2 && v[g + 1].i < *at) *at = v[g + 1].i, *of = v[g].i;
  }
  if (v != small) iam_free(v);
  return IAM_OK;
}

static int parse_condition(Parser *P, IamStatement *st, const cJSON *j) {
  char where[sizeof P->where + 160], q[IAM_QUOTE_MAX];
  if (!cJSON_IsObject(j))
    return fail(P, IAM_EINVAL, "%s.Condition: must be an object, not %s", P->where, type_name(j));
  if (check_dups(P, j, P->where) != IAM_OK) return P->rc;
  uint32_t n = 0, block = 0;
  const cJSON *b, *k;
  for (b = j->child; b; b = b->next) {
    snprintf(where, sizeof where, "%s.Condition.%s", P->where, b->string);
    if (!cJSON_IsObject(b))
      return fail(P, IAM_EINVAL, "%s: must be an object of condition keys, not %s", where,
                  type_name(b));
    if (check_dups(P, b, where) != IAM_OK) return P->rc;
    for (k = b->child; k; k = k->next) n++;
  }
  st->ncond = n;
  st->cond = aalloc(P, n * sizeof *st->cond + 1);
  if (st->cond == NULL) return P->rc;
  n = 0;
  for (b = j->child; b; b = b->next, block++) {
    uint8_t qual, ifx;
    size_t oplen = strlen(b->string);
    int base = iam_cond_operator_parse(b->string, oplen, &qual, &ifx);
    if (base < 0) {
      if (oplen > 8 && strcmp(b->string + oplen - 8, "IfExists") == 0 &&
          iam_cond_operator_parse(b->string, oplen - 8, &qual, &ifx) == IAM_COND_N_OPERATORS - 1)
        return fail(P, IAM_EINVAL, "%s.Condition: %s is not allowed: Null takes no IfExists",
                    P->where, iam_quote(q, sizeof q, b->string, oplen));
      return fail(P, IAM_EINVAL, "%s.Condition: unknown operator %s", P->where,
                  iam_quote(q, sizeof q, b->string, oplen));
    }
    const char *optext = adup(P, b->string, oplen);
    if (optext == NULL) return P->rc;
    uint32_t first = n, twin, twin_of;
    if (case_twins(P, b, &twin, &twin_of) != IAM_OK) return P->rc;
    for (k = b->child; k; k = k->next, n++) {
      IamCond *c = &st->cond[n];
      size_t klen = strlen(k->string);
      char *lk;
      snprintf(where, sizeof where, "%s.Condition.%s.%s", P->where, b->string, k->string);
      c->operator_text = optext;
      c->base = (int16_t)base;
      c->qual = qual;
      c->if_exists = ifx;
      c->block = block;
      c->key_len = (uint32_t)klen;
      if ((c->key = adup(P, k->string, klen)) == NULL) return P->rc;
      if ((lk = adup(P, k->string, klen)) == NULL) return P->rc;
      iam_ascii_lower(lk, k->string, klen);
      c->key_lower = lk;
      if (n - first == twin) {
        const char *o = st->cond[first + twin_of].key;
        return fail(P, IAM_EINVAL, "%s.Condition.%s: keys %s and '%s' differ only in case",
                    P->where, b->string, iam_quote(q, sizeof q, o, strlen(o)), k->string);
      }
      /* values */
      const cJSON *v;
      uint32_t nv = 0;
      if (cJSON_IsArray(k)) {
        for (v = k->child; v; v = v->next) nv++;
      } else {
        nv = 1;
      }
      c->nvals = nv;
      c->vals = aalloc(P, nv * sizeof *c->vals + 1);
      if (c->vals == NULL) return P->rc;
      uint32_t i = 0;
      for (v = cJSON_IsArray(k) ? k->child : k; v && i < nv; v = v->next, i++) {
        char buf[IAM_NUMBER_TEXT_MAX], vwhere[sizeof where + 16];
        const char *s = NULL;
        size_t sl = 0;
        if (cJSON_IsArray(k))
          snprintf(vwhere, sizeof vwhere, "%s[%u]", where, i);
        else
          snprintf(vwhere, sizeof vwhere, "%s", where);
        if (value_text(P, v, vwhere, &s, &sl, buf, sizeof buf) != IAM_OK) return P->rc;
        if (count_value(P) != IAM_OK) return P->rc;
        if (iam_cond_value_compile(&c->vals[i], c->base, s, sl, st->version2012, P->a,
                                   &P->scratch) != IAM_OK)
          return oom(P);
        if (!cJSON_IsArray(k)) break;
      }
    }
  }
  return IAM_OK;
}

static int check_principal(Parser *P, const cJSON *j, const char *name) {
  char where[sizeof P->where + 32];
  snprintf(where, sizeof where, "%s.%s", P->where, name);
  if (cJSON_IsString(j)) {
    if (strcmp(j->valuestring, "*") != 0)
      return fail(P, IAM_EINVAL,
                  "%s: must be \"*\" or an object such as {\"AWS\": [...]}, not a bare string",
                  where);
    return IAM_OK;
  }
  if (!cJSON_IsObject(j))
    return fail(P, IAM_EINVAL, "%s: must be \"*\" or an object, not %s", where, type_name(j));
  if (check_dups(P, j, where) != IAM_OK) return P->rc;
  for (const cJSON *c = j->child; c; c = c->next) {
    if (strcmp(c->string, "AWS") && strcmp(c->string, "Federated") &&
        strcmp(c->string, "Service") && strcmp(c->string, "CanonicalUser")) {
      char q[IAM_QUOTE_MAX];
      return fail(P, IAM_EINVAL, "%s: unknown principal type %s", where,
                  iam_quote(q, sizeof q, c->string, strlen(c->string)));
    }
    char sub[PRINCIPAL_WHERE_MAX];
    snprintf(sub, sizeof sub, "%s.%s", name, c->string);
    if (string_list(P, c, sub) < 0) return P->rc;
  }
  return IAM_OK;
}

/* One value of a Principal block, classified (iam_principal.h). */
static int principal_value(Parser *P, IamPrincipalValue *v, const char *type, const char *s) {
  const char *t;
  if (count_value(P) != IAM_OK) return P->rc;
  if ((t = adup(P, s, strlen(s))) == NULL) return P->rc;
  iam_principal_value_init(v, type, t, strlen(t));
  return IAM_OK;
}

/* Compile a Principal/NotPrincipal block already checked by check_principal. */
static int compile_principal(Parser *P, IamStatement *st, const cJSON *j, int negated) {
  IamPrincipalBlock *b = aalloc(P, sizeof *b);
  uint32_t n = 0, k = 0;
  const cJSON *c, *v;
  if (b == NULL) return P->rc;
  if (cJSON_IsString(j)) {
    n = 1;
  } else {
    for (c = j->child; c; c = c->next) n += cJSON_IsString(c) ? 1 : (uint32_t)cJSON_GetArraySize(c);
  }
  if ((b->vals = aalloc(P, (n + 1) * sizeof *b->vals)) == NULL) return P->rc;
  if (cJSON_IsString(j)) {
    if (principal_value(P, &b->vals[k++], NULL, j->valuestring) != IAM_OK) return P->rc;
  } else {
    for (c = j->child; c; c = c->next) {
      for (v = cJSON_IsString(c) ? c : c->child; v; v = cJSON_IsString(c) ? NULL : v->next)
        if (principal_value(P, &b->vals[k++], c->string, v->valuestring) != IAM_OK) return P->rc;
    }
  }
  b->nvals = k;
  b->negated = (uint8_t)negated;
  st->principal = b;
  return IAM_OK;
}

static const char *set_phrase(int set) {
  switch ((IamSet)set) {
    case IAM_SET_IDENTITY: return "an identity policy";
    case IAM_SET_BOUNDARY: return "a permissions boundary";
    case IAM_SET_SESSION: return "a session policy";
    case IAM_SET_RESOURCE: return "a resource policy";
    case IAM_SET_SCP: return "an SCP";
    case IAM_SET_RCP: return "an RCP";
    case IAM_SET_ENDPOINT: return "an endpoint policy";
    case IAM_NSETS: break;
  }
  return "a policy";
}

const char *iam_set_name(IamSet s) {
  static const char *const names[IAM_NSETS] = {"identity", "boundary", "session", "resource",
                                               "scp",      "rcp",      "endpoint"};
  return (unsigned)s < IAM_NSETS ? names[s] : "?";
}

int iam_policy_type_parse(const char *s, size_t n, IamPolicyType *t) {
  static const struct {
    const char *name;
    uint8_t set, typed, trust;
  } types[] = {{"identity", IAM_SET_IDENTITY, 0, 0}, {"boundary", IAM_SET_BOUNDARY, 1, 0},
               {"session", IAM_SET_SESSION, 1, 0},   {"resource", IAM_SET_RESOURCE, 1, 0},
               {"trust", IAM_SET_RESOURCE, 1, 1},    {"scp", IAM_SET_SCP, 1, 0},
               {"rcp", IAM_SET_RCP, 1, 0},           {"endpoint", IAM_SET_ENDPOINT, 1, 0}};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    if (strlen(types[i].name) == n && memcmp(types[i].name, s, n) == 0) {
      t->set = types[i].set;
      t->typed = types[i].typed;
      t->trust = types[i].trust;
      return 1;
    }
  }
  return 0;
}

int iam_policy_type_flags(const IamPolicyType *t) { return t->typed ? IAM_PARSE_TYPE(t->set) : 0; }

/* Principal, NotPrincipal and Resource by policy type (SEMANTICS.md, "Policy
** types"). Documents outside a whole-request object are identity policies,
** except that IAM_PARSE_PRINCIPAL accepts a Principal anywhere. */
static int check_types(Parser *P, IamStatement *st, const cJSON *principal,
                       const cJSON *notprincipal, int has_resource) {
  const char *pname = principal ? "Principal" : "NotPrincipal";
  if (principal && notprincipal)
    return fail(P, IAM_EINVAL, "%s: has both Principal and NotPrincipal", P->where);
  switch ((IamSet)P->set) {
    case IAM_SET_RESOURCE:
      if (!principal && !notprincipal)
        return fail(P, IAM_EINVAL,
                    "%s: a resource policy statement needs Principal or NotPrincipal", P->where);
      if (!has_resource) st->any_resource = 1; /* about this resource */
      return IAM_OK;
    case IAM_SET_RCP:
      if (notprincipal)
        return fail(P, IAM_EINVAL, "%s: NotPrincipal is not allowed in an RCP", P->where);
      if (!principal || !cJSON_IsString(principal) || strcmp(principal->valuestring, "*") != 0)
        return fail(P, IAM_EINVAL, "%s: an RCP statement needs \"Principal\": \"*\"", P->where);
      break;
    case IAM_SET_ENDPOINT: break;
    case IAM_SET_IDENTITY:
    case IAM_SET_BOUNDARY:
    case IAM_SET_SESSION:
    case IAM_SET_SCP:
    case IAM_NSETS:
      if ((principal || notprincipal) && (P->typed || !(P->flags & IAM_PARSE_PRINCIPAL)))
        return fail(P, IAM_EINVAL, "%s: %s is not allowed in %s", P->where, pname,
                    set_phrase(P->set));
      break;
  }
  if (!has_resource) {
    /* The expansion functions read resource policies as they are written (a
    ** trust policy has no Resource): a statement with a Principal is about
    ** the resource the policy is attached to. */
    if (!P->typed && (P->flags & IAM_PARSE_PRINCIPAL) && (principal || notprincipal)) {
      st->any_resource = 1;
      return IAM_OK;
    }
    return fail(P, IAM_EINVAL, "%s: needs exactly one of Resource and NotResource", P->where);
  }
  return IAM_OK;
}

static int parse_statement(Parser *P, IamStatement *st, const cJSON *j) {
  const cJSON *effect = NULL, *action = NULL, *notaction = NULL, *resource = NULL,
              *notresource = NULL, *cond = NULL, *sid = NULL, *principal = NULL,
              *notprincipal = NULL;
  char q[IAM_QUOTE_MAX];
  if (!cJSON_IsObject(j))
    return fail(P, IAM_EINVAL, "%s: must be an object, not %s", P->where, type_name(j));
  if (check_dups(P, j, P->where) != IAM_OK) return P->rc;
  for (const cJSON *c = j->child; c; c = c->next) {
    const char *k = c->string;
    if (!strcmp(k, "Effect"))
      effect = c;
    else if (!strcmp(k, "Action"))
      action = c;
    else if (!strcmp(k, "NotAction"))
      notaction = c;
    else if (!strcmp(k, "Resource"))
      resource = c;
    else if (!strcmp(k, "NotResource"))
      notresource = c;
    else if (!strcmp(k, "Condition"))
      cond = c;
    else if (!strcmp(k, "Sid"))
      sid = c;
    else if (!strcmp(k, "Principal"))
      principal = c;
    else if (!strcmp(k, "NotPrincipal"))
      notprincipal = c;
    else
      return fail(P, IAM_EINVAL, "%s: unknown statement element %s", P->where,
                  iam_quote(q, sizeof q, k, strlen(k)));
  }
  if (sid) {
    if (!cJSON_IsString(sid))
      return fail(P, IAM_EINVAL, "%s.Sid: must be a string, not %s", P->where, type_name(sid));
    if ((st->sid = adup(P, sid->valuestring, strlen(sid->valuestring))) == NULL) return P->rc;
  }
  if (effect == NULL) return fail(P, IAM_EINVAL, "%s: missing Effect", P->where);
  if (!cJSON_IsString(effect) ||
      (strcmp(effect->valuestring, "Allow") && strcmp(effect->valuestring, "Deny")))
    return fail(P, IAM_EINVAL, "%s.Effect: must be \"Allow\" or \"Deny\"", P->where);
  st->effect = effect->valuestring[0] == 'D' ? IAM_EFFECT_DENY : IAM_EFFECT_ALLOW;
  if ((action == NULL) == (notaction == NULL))
    return fail(P, IAM_EINVAL, "%s: needs exactly one of Action and NotAction", P->where);
  if (resource && notresource)
    return fail(P, IAM_EINVAL, "%s: needs exactly one of Resource and NotResource", P->where);
  if (check_types(P, st, principal, notprincipal, resource || notresource) != IAM_OK) return P->rc;
  if (principal || notprincipal) {
    if (check_principal(P, principal ? principal : notprincipal,
                        principal ? "Principal" : "NotPrincipal") != IAM_OK)
      return P->rc;
    if (compile_principal(P, st, principal ? principal : notprincipal, notprincipal != NULL) !=
        IAM_OK)
      return P->rc;
    char *pj = cJSON_PrintUnformatted(principal ? principal : notprincipal);
    if (pj == NULL) return oom(P);
    st->principal_json = adup(P, pj, strlen(pj));
    cJSON_free(pj);
    if (st->principal_json == NULL) return P->rc;
    st->has_principal = 1;
    st->not_principal = notprincipal != NULL;
  }
  st->not_action = notaction != NULL;
  st->not_resource = notresource != NULL;
  if (parse_actions(P, st, action ? action : notaction, action ? "Action" : "NotAction") != IAM_OK)
    return P->rc;
  if ((resource || notresource) && parse_resources(P, st, resource ? resource : notresource,
                                                   resource ? "Resource" : "NotResource") != IAM_OK)
    return P->rc;
  if (cond && parse_condition(P, st, cond) != IAM_OK) return P->rc;
  return IAM_OK;
}

static int count_statements(Parser *P, const cJSON *doc, uint32_t *total) {
  char q[IAM_QUOTE_MAX];
  if (!cJSON_IsObject(doc))
    return fail(P, IAM_EINVAL, "%sdocument must be a JSON object, not %s",
                P->doc[0] ? P->doc : "policy ", type_name(doc));
  if (check_dups(P, doc, P->doc[0] ? P->doc : "policy") != IAM_OK) return P->rc;
  const cJSON *stmts = NULL;
  for (const cJSON *c = doc->child; c; c = c->next) {
    if (!strcmp(c->string, "Statement"))
      stmts = c;
    else if (strcmp(c->string, "Version") && strcmp(c->string, "Id"))
      return fail(P, IAM_EINVAL, "%sunknown policy element %s", P->doc,
                  iam_quote(q, sizeof q, c->string, strlen(c->string)));
  }
  if (stmts == NULL) return fail(P, IAM_EINVAL, "%sStatement: missing", P->doc);
  if (cJSON_IsObject(stmts)) {
    (*total)++;
  } else if (cJSON_IsArray(stmts)) {
    *total += (uint32_t)cJSON_GetArraySize(stmts);
  } else {
    return fail(P, IAM_EINVAL, "%sStatement: must be an object or an array, not %s", P->doc,
                type_name(stmts));
  }
  if (*total > IAM_MAX_STATEMENTS)
    return fail(P, IAM_ELIMIT, "more than %d statements", IAM_MAX_STATEMENTS);
  return IAM_OK;
}

static int parse_document(Parser *P, const cJSON *doc, uint32_t di, uint32_t *ns) {
  const cJSON *version = cJSON_GetObjectItemCaseSensitive(doc, "Version");
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(doc, "Id");
  const cJSON *stmts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
  int v2012 = 0;
  char q[IAM_QUOTE_MAX];
  if (version) {
    if (!cJSON_IsString(version))
      return fail(P, IAM_EINVAL, "%sVersion: must be a string, not %s", P->doc, type_name(version));
    if (!strcmp(version->valuestring, "2012-10-17"))
      v2012 = 1;
    else if (strcmp(version->valuestring, "2008-10-17"))
      return fail(P, IAM_EINVAL, "%sVersion: must be \"2012-10-17\" or \"2008-10-17\", not %s",
                  P->doc,
                  iam_quote(q, sizeof q, version->valuestring, strlen(version->valuestring)));
  }
  if (id && !cJSON_IsString(id))
    return fail(P, IAM_EINVAL, "%sId: must be a string, not %s", P->doc, type_name(id));
  int single = cJSON_IsObject(stmts);
  uint32_t k = 0;
  for (const cJSON *s = single ? stmts : stmts->child; s; s = s->next, k++) {
    IamStatement *st = &P->p->stmt[*ns];
    if (single)
      snprintf(P->where, sizeof P->where, "%sStatement", P->doc);
    else
      snprintf(P->where, sizeof P->where, "%sStatement[%u]", P->doc, k);
    st->doc = di;
    st->idx = k;
    st->version2012 = (uint8_t)v2012;
    if (parse_statement(P, st, s) != IAM_OK) return P->rc;
    (*ns)++;
    if (single) break;
  }
  return IAM_OK;
}

typedef struct DocRef {
  const cJSON *doc;
  uint8_t set;
  uint32_t level, member_doc;
  char prefix[DOC_PREFIX_MAX]; /* "", "policy[3].", "boundary.", "scps[1][0]." ... */
} DocRef;

typedef struct DocList {
  DocRef small[DOCS_INLINE], *v;
  uint32_t n, cap;
} DocList;

/* Append the documents of j (one document, or an array of them) to the list.
** name (NULL for the top-level document) and level (-1 for none) make the
** prefix that locates errors: "identity[2].", "boundary.", "scps[1][0].". */
static void add_docs(Parser *P, const cJSON *j, uint8_t set, const char *name, int level,
                     DocList *L) {
  const cJSON *d = cJSON_IsArray(j) ? j->child : j;
  uint32_t k = 0;
  if (name && !cJSON_IsArray(j) && !cJSON_IsObject(j)) {
    fail(P, IAM_EINVAL, "%s: must be a policy document or an array of documents, not %s", name,
         type_name(j));
    return;
  }
  for (; d; d = cJSON_IsArray(j) ? d->next : NULL, k++) {
    if (L->n >= IAM_MAX_DOCUMENTS) {
      fail(P, IAM_ELIMIT, "more than %d policy documents", IAM_MAX_DOCUMENTS);
      return;
    }
    if (L->n == L->cap) {
      DocRef *nd = iam_malloc(2 * L->cap * sizeof *nd);
      if (nd == NULL) {
        oom(P);
        return;
      }
      memcpy(nd, L->v, L->n * sizeof *nd);
      if (L->v != L->small) iam_free(L->v);
      L->v = nd;
      L->cap *= 2;
    }
    DocRef *r = &L->v[L->n++];
    r->doc = d;
    r->set = set;
    r->level = level < 0 ? 0 : (uint32_t)level;
    r->member_doc = k;
    if (name == NULL)
      r->prefix[0] = 0;
    else if (level >= 0)
      snprintf(r->prefix, sizeof r->prefix, "%s[%d][%u].", name, level, k);
    else if (cJSON_IsArray(j))
      snprintf(r->prefix, sizeof r->prefix, "%s[%u].", name, k);
    else
      snprintf(r->prefix, sizeof r->prefix, "%s.", name);
  }
}

/* The members of a whole-request object: first those that hold documents,
** in IamSet order (the order their statements are laid out in), then the
** others; the last three only in iam_authorize's request. */
enum {
  RM_PRINCIPAL = IAM_MEMBER_PRINCIPAL,
  RM_RESOURCE_ACCOUNT = IAM_MEMBER_RESOURCE_ACCOUNT,
  RM_ACTION,
  RM_RESOURCE,
  RM_CONTEXT,
  NREQUEST_MEMBERS
};
static const char *const request_members[NREQUEST_MEMBERS] = {
    [IAM_SET_IDENTITY] = "identity",
    [IAM_SET_BOUNDARY] = "boundary",
    [IAM_SET_SESSION] = "session",
    [IAM_SET_RESOURCE] = "resource_policy",
    [IAM_SET_SCP] = "scps",
    [IAM_SET_RCP] = "rcps",
    [IAM_SET_ENDPOINT] = "endpoint",
    [RM_PRINCIPAL] = "principal",
    [RM_RESOURCE_ACCOUNT] = "resource_account",
    [RM_ACTION] = "action",
    [RM_RESOURCE] = "resource",
    [RM_CONTEXT] = "context",
};

_Static_assert(RM_ACTION == IAM_NPART_MEMBERS, "a part gives the members before action");

const char *iam_member_name(int member) {
  return member >= 0 && member < NREQUEST_MEMBERS ? request_members[member] : "?";
}

static int is_request_member(const cJSON *c) {
  for (size_t i = 0; i < NREQUEST_MEMBERS; i++)
    if (!strcmp(c->string, request_members[i])) return 1;
  return 0;
}

/* A copy of a string member into the arena; NULL member: *out stays NULL. */
static int string_member(Parser *P, const cJSON *j, const char *what, const char **out,
                         uint32_t *len) {
  if (j == NULL || (cJSON_IsNull(j) && strcmp(what, "principal") != 0)) return IAM_OK;
  if (!cJSON_IsString(j))
    return fail(P, IAM_EINVAL, "%s: must be a string, not %s", what, type_name(j));
  size_t n = strlen(j->valuestring);
  if ((*out = adup(P, j->valuestring, n)) == NULL) return P->rc;
  *len = (uint32_t)n;
  return IAM_OK;
}

/* The whole-request object (SEMANTICS.md, "Whole requests": the request). */
static void parse_request(Parser *P, const cJSON *root, DocList *L) {
  const char *what = (P->flags & IAM_PARSE_REQUEST)   ? "request"
                     : (P->flags & IAM_PARSE_MEMBERS) ? "members"
                                                      : "policy";
  const cJSON *m[NREQUEST_MEMBERS] = {0};
  IamAuthz *az = aalloc(P, sizeof *az);
  char q[IAM_QUOTE_MAX];
  if (az == NULL) return;
  P->p->authz = P->az = az;
  P->p->is_array = 1;
  P->typed = 1;
  int part = (P->flags & IAM_PARSE_PART) != 0;
  if (check_dups(P, root, what) != IAM_OK) return;
  for (const cJSON *c = root->child; c; c = c->next) {
    size_t i = 0;
    while (i < NREQUEST_MEMBERS && strcmp(c->string, request_members[i])) i++;
    if (i == NREQUEST_MEMBERS || (i >= RM_ACTION && !(P->flags & IAM_PARSE_REQUEST))) {
      fail(P, IAM_EINVAL, "%s: unknown member %s", what,
           iam_quote(q, sizeof q, c->string, strlen(c->string)));
      return;
    }
    m[i] = c;
    if (i < IAM_NPART_MEMBERS && !cJSON_IsNull(c)) az->given |= IAM_MEMBER_BIT(i);
  }
  /* the caller (a part may leave it to another) */
  const cJSON *pr = m[RM_PRINCIPAL];
  if ((pr == NULL || cJSON_IsNull(pr)) && !part) {
    fail(P, IAM_EINVAL, "%s: missing \"principal\"", what);
    return;
  }
  if (pr && !cJSON_IsString(pr) && !(part && cJSON_IsNull(pr))) {
    fail(P, IAM_EINVAL, "principal: must be a string, not %s", type_name(pr));
    return;
  }
  if (pr && cJSON_IsString(pr)) {
    int rc = iam_caller_parse(pr->valuestring, strlen(pr->valuestring), P->a, &az->caller, P->err);
    if (rc != IAM_OK) {
      if (rc == IAM_ENOMEM) oom(P);
      P->rc = rc;
      return;
    }
    az->has_caller = 1;
  }
  /* resource_account: 12 digits or null */
  const cJSON *ra = m[RM_RESOURCE_ACCOUNT];
  if (ra && !cJSON_IsNull(ra)) {
    if (!cJSON_IsString(ra) || strlen(ra->valuestring) != IAM_ACCOUNT_LEN ||
        strspn(ra->valuestring, "0123456789") != IAM_ACCOUNT_LEN) {
      fail(P, IAM_EINVAL, "resource_account: must be 12 digits or null");
      return;
    }
    memcpy(az->resource_account, ra->valuestring, IAM_ACCOUNT_LEN);
  }
  /* the request itself (iam_authorize) */
  if (P->flags & IAM_PARSE_REQUEST) {
    if (m[RM_ACTION] == NULL || cJSON_IsNull(m[RM_ACTION])) {
      fail(P, IAM_EINVAL, "request: missing \"action\"");
      return;
    }
    if (m[RM_RESOURCE] == NULL || cJSON_IsNull(m[RM_RESOURCE])) {
      fail(P, IAM_EINVAL, "request: missing \"resource\"");
      return;
    }
    if (string_member(P, m[RM_ACTION], "action", &az->action, &az->action_len) != IAM_OK ||
        string_member(P, m[RM_RESOURCE], "resource", &az->resource, &az->resource_len) != IAM_OK)
      return;
    const cJSON *cx = m[RM_CONTEXT];
    if (cx && !cJSON_IsNull(cx)) {
      if (!cJSON_IsObject(cx)) {
        fail(P, IAM_EINVAL, "context: must be an object or null, not %s", type_name(cx));
        return;
      }
      char *t = cJSON_PrintUnformatted(cx);
      if (t == NULL) {
        oom(P);
        return;
      }
      az->context = adup(P, t, strlen(t));
      az->context_len = (uint32_t)strlen(t);
      cJSON_free(t);
      if (az->context == NULL) return;
    }
  }
  /* the policies, in IamSet order */
  for (int set = 0; set < IAM_NSETS && P->rc == IAM_OK; set++) {
    const cJSON *j = m[set];
    const char *name = request_members[set];
    if (j == NULL || cJSON_IsNull(j)) continue;
    az->present[set] = 1;
    if (set == IAM_SET_SCP || set == IAM_SET_RCP) {
      if (!cJSON_IsArray(j)) {
        fail(P, IAM_EINVAL, "%s: must be an array of levels (arrays of documents) or null, not %s",
             name, type_name(j));
        return;
      }
      int level = 0;
      for (const cJSON *l = j->child; l && P->rc == IAM_OK; l = l->next, level++) {
        if (!cJSON_IsArray(l)) {
          fail(P, IAM_EINVAL, "%s[%d]: a level must be an array of documents, not %s", name, level,
               type_name(l));
          return;
        }
        add_docs(P, l, (uint8_t)set, name, level, L);
      }
      az->nlevels[set] = (uint32_t)level;
    } else if (set == IAM_SET_RESOURCE && !cJSON_IsObject(j)) {
      fail(P, IAM_EINVAL, "resource_policy: must be a policy document or null, not %s",
           type_name(j));
      return;
    } else {
      add_docs(P, j, (uint8_t)set, name, -1, L);
    }
  }
  if (P->rc != IAM_OK) return;
  for (uint32_t i = 0; i < L->n; i++) az->ndocs[L->v[i].set]++;
  /* which caller may carry which policies: checked once the parts are together */
  int rc;
  if (!part && (rc = iam_authz_check_caller(az, P->err)) != IAM_OK) P->rc = rc;
}

int iam_authz_check_caller(const IamAuthz *az, IamError *err) {
  /* SEMANTICS.md, "Kinds of caller" */
  const IamCaller *c = &az->caller;
  const char *kind = iam_caller_kind_name(c->kind);
  const char *a = c->kind == IAM_CALLER_ANONYMOUS ? "an" : "a";
  int anon_or_service = c->kind == IAM_CALLER_ANONYMOUS || c->kind == IAM_CALLER_SERVICE;
  if (az->present[IAM_SET_BOUNDARY] && c->kind != IAM_CALLER_USER && c->kind != IAM_CALLER_ROLE &&
      c->kind != IAM_CALLER_ROLE_SESSION) {
    iam_error_set(err, -1,
                  "boundary: must be null for %s %s caller (only users, roles and role sessions "
                  "have one)",
                  a, kind);
  } else if (az->present[IAM_SET_SESSION] && !iam_caller_is_session(c)) {
    iam_error_set(err, -1,
                  "session: must be null for %s %s caller (only role sessions and federated users "
                  "have one)",
                  a, kind);
  } else if (anon_or_service && az->present[IAM_SET_IDENTITY] && az->ndocs[IAM_SET_IDENTITY] > 0) {
    /* null and [] have no documents; anything else has at least one */
    iam_error_set(err, -1, "identity: must be null or [] for %s caller",
                  c->kind == IAM_CALLER_ANONYMOUS ? "an anonymous" : "a service");
  } else {
    return IAM_OK;
  }
  return IAM_EINVAL;
}

int iam_policy_draft(const char *text, size_t len, int flags, IamPolicyDraft **out, IamError *err) {
  Parser P;
  IamPolicyDraft *d;
  IamPolicy *p;
  const char *end = NULL;
  cJSON *root;
  int rc;
  *out = NULL;
  memset(&P, 0, sizeof P);
  P.err = err;
  P.flags = flags;
  size_t tree_bytes;
  const char *label = (flags & IAM_PARSE_MEMBERS) ? "members" : "policy";
  if ((rc = iam_json_check(text, len, label, sizeof(cJSON), &tree_bytes, err)) != IAM_OK) return rc;
  void *tree = iam_malloc(tree_bytes); /* stands for cJSON's tree while it lives */
  if (tree == NULL) return IAM_ENOMEM;
  root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
  if (root == NULL) {
    iam_free(tree);
    return iam_json_parse_failed(text, len, end, label, err);
  }
  d = iam_malloc(sizeof *d);
  if (d == NULL) {
    cJSON_Delete(root);
    iam_free(tree);
    return IAM_ENOMEM;
  }
  memset(d, 0, sizeof *d);
  iam_arena_init(&d->arena, POLICY_ARENA_HINT(len));
  p = &d->p;
  P.p = p;
  P.a = &d->arena;

  /* The documents, with the prefix that locates errors in them. */
  DocList L;
  uint32_t total = 0;
  L.v = L.small, L.n = 0, L.cap = sizeof L.small / sizeof L.small[0];
  int object = cJSON_IsObject(root) && !(flags & (IAM_PARSE_DOCS | IAM_PARSE_TYPED));
  int request = 0;
  if (object) {
    for (const cJSON *c = root->child; c && !request; c = c->next)
      request =
          is_request_member(c) && strcmp(c->string, "identity") && strcmp(c->string, "boundary");
  }
  if ((flags & IAM_PARSE_PART) && cJSON_IsObject(root) &&
      (root->child == NULL || is_request_member(root->child))) {
    /* a part of a whole request (iam_compose.h): {} or an object of its members */
    parse_request(&P, root, &L);
  } else if ((flags & IAM_PARSE_MEMBERS)) {
    fail(&P, IAM_EINVAL, "members must be a JSON object of request members, not %s",
         cJSON_IsObject(root) ? "a policy document" : type_name(root));
  } else if ((flags & IAM_PARSE_PART) && (cJSON_IsArray(root) || cJSON_IsObject(root))) {
    /* documents: the part gives "identity" */
    IamAuthz *az = aalloc(&P, sizeof *az);
    if (az != NULL) {
      p->authz = P.az = az;
      p->is_array = 1;
      P.typed = 1;
      az->present[IAM_SET_IDENTITY] = 1;
      az->given = IAM_MEMBER_BIT(IAM_SET_IDENTITY);
      add_docs(&P, root, IAM_SET_IDENTITY, "identity", -1, &L);
      az->ndocs[IAM_SET_IDENTITY] = L.n;
    }
  } else if ((flags & IAM_PARSE_TYPED) && (cJSON_IsArray(root) || cJSON_IsObject(root))) {
    /* documents of one policy type, checked by its rules */
    IamSet set = IAM_PARSE_TYPE_OF(flags);
    if ((unsigned)set >= IAM_NSETS) set = IAM_SET_IDENTITY;
    P.typed = 1;
    p->is_array = cJSON_IsArray(root);
    add_docs(&P, root, (uint8_t)set, p->is_array ? "policy" : NULL, -1, &L);
  } else if ((flags & IAM_PARSE_REQUEST) && !request) {
    fail(&P, IAM_EINVAL,
         "request must be a JSON object with \"principal\", \"action\" and \"resource\"");
  } else if (cJSON_IsArray(root)) {
    p->is_array = 1;
    add_docs(&P, root, IAM_SET_IDENTITY, "policy", -1, &L);
  } else if (request) {
    /* {"principal": ..., "identity": ..., "scps": ...}: a whole request */
    parse_request(&P, root, &L);
  } else if (object && (cJSON_GetObjectItemCaseSensitive(root, "identity") ||
                        cJSON_GetObjectItemCaseSensitive(root, "boundary"))) {
    /* {"identity": docs, "boundary": docs|null}: a principal with a boundary */
    const cJSON *id = NULL, *bd = NULL;
    char q[IAM_QUOTE_MAX];
    p->is_array = 1;
    if (check_dups(&P, root, "policy") == IAM_OK) {
      for (const cJSON *c = root->child; c && P.rc == IAM_OK; c = c->next) {
        if (!strcmp(c->string, "identity"))
          id = c;
        else if (!strcmp(c->string, "boundary"))
          bd = c;
        else
          fail(&P, IAM_EINVAL, "policy: unknown member %s (expected \"identity\" and \"boundary\")",
               iam_quote(q, sizeof q, c->string, strlen(c->string)));
      }
    }
    if (P.rc == IAM_OK && id == NULL) fail(&P, IAM_EINVAL, "policy: missing \"identity\"");
    if (P.rc == IAM_OK) add_docs(&P, id, IAM_SET_IDENTITY, "identity", -1, &L);
    if (P.rc == IAM_OK && bd && !cJSON_IsNull(bd)) {
      p->has_boundary = 1;
      add_docs(&P, bd, IAM_SET_BOUNDARY, "boundary", -1, &L);
    }
  } else if (cJSON_IsObject(root)) {
    add_docs(&P, root, IAM_SET_IDENTITY, NULL, -1, &L);
  } else {
    fail(&P, IAM_EINVAL, "policy must be a JSON object or an array of objects, not %s",
         type_name(root));
  }
  /* Pass 1: shape of documents and statement count. */
  for (uint32_t di = 0; di < L.n && P.rc == IAM_OK; di++) {
    memcpy(P.doc, L.v[di].prefix, sizeof P.doc);
    count_statements(&P, L.v[di].doc, &total);
  }
  if (P.rc == IAM_OK) {
    p->ndocs = L.n;
    p->stmt = aalloc(&P, (total + 1) * sizeof *p->stmt);
  }
  /* Pass 2: statements. */
  if (P.rc == IAM_OK) {
    uint32_t ns = 0;
    for (uint32_t di = 0; di < L.n && P.rc == IAM_OK; di++) {
      uint32_t first = ns;
      const DocRef *r = &L.v[di];
      memcpy(P.doc, r->prefix, sizeof P.doc);
      P.set = r->set;
      parse_document(&P, r->doc, di, &ns);
      for (uint32_t k = first; k < ns; k++) {
        p->stmt[k].set = r->set;
        p->stmt[k].level = r->level;
        p->stmt[k].member_doc = r->member_doc;
      }
    }
    p->nstmt = ns;
  }
  if (L.v != L.small) iam_free(L.v);
  if (P.rc == IAM_OK && P.az) {
    /* statements of each type are contiguous, in IamSet order */
    for (uint32_t i = p->nstmt; i-- > 0;) P.az->first[p->stmt[i].set] = i;
    for (uint32_t i = 0; i < p->nstmt; i++) P.az->count[p->stmt[i].set]++;
    P.az->nvalues = P.nvalues;
  }
  if (P.rc == IAM_OK && iam_index_statements(p, P.a) != IAM_OK) oom(&P);
  cJSON_Delete(root);
  iam_free(tree);
  iam_glob_scratch_free(&P.scratch);
  if (P.rc != IAM_OK) {
    iam_policy_draft_free(d);
    return P.rc;
  }
  *out = d;
  return IAM_OK;
}

size_t iam_policy_draft_size(const IamPolicyDraft *d) { return iam_compact_policy(&d->p, NULL); }

const IamPolicy *iam_policy_place(const IamPolicyDraft *d, void *dst) {
  iam_compact_policy(&d->p, dst);
  return dst;
}

void iam_policy_draft_free(IamPolicyDraft *d) {
  if (d == NULL) return;
  iam_arena_free(&d->arena);
  iam_free(d);
}

#ifdef IAM_TESTING
int iam_policy_parse(const char *text, size_t len, int flags, IamPolicy **out, IamError *err) {
  IamPolicyDraft *d;
  int rc = iam_policy_draft(text, len, flags, &d, err);
  *out = NULL;
  if (rc != IAM_OK) return rc;
  void *block = iam_malloc(iam_policy_draft_size(d));
  if (block == NULL)
    rc = IAM_ENOMEM;
  else
    iam_policy_place(d, block), *out = block;
  iam_policy_draft_free(d);
  return rc;
}
#endif
