/* SPDX-License-Identifier: MIT */
/* The linter's grammar walk and its report.
**
** The walk reads the cJSON tree of a policy text the way the parser
** (iam_policy.c) does, rule for rule (ext/core/SEMANTICS.md, "Policy
** documents", "Policy types", "Whole requests"), but reports every problem
** instead of stopping at the first, and builds a model of the statements that
** passed for the checks (iam_lint_check.c, iam_lint_data.c). It is the only
** lint file that sees cJSON. Then the parser itself reads the text: if it
** rejects a text the walk found no error in, its message becomes an error
** finding, so "no error finding" can never mean a text iam_decision rejects
** (make hostile checks that the two always agree). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iam_cond.h"
#include "iam_json.h"
#include "iam_lint_int.h"
#include "iam_principal.h"
#include "iam_text.h"

struct IamLintReport {
  Lint lint;
};

#define LINT_ARENA_HINT 16384
#define MSG_MAX         512
#define MEMBER_MAX      100 /* bytes of a member name in a path */

/* ---- findings ------------------------------------------------------------------ */

static const char *const severity_names[] = {"error", "security_warning", "warning", "suggestion"};

const char *iam_lint_severity_name(IamLintSeverity s) {
  return (unsigned)s < 4 ? severity_names[s] : "?";
}

/* Copy at most max bytes of s, never cutting a UTF-8 character; "..." marks a cut. */
static char *dup_cut(Lint *L, const char *s, size_t max) {
  size_t n = strlen(s);
  if (n <= max) return iam_arena_strndup(&L->arena, s, n);
  size_t k = max;
  while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
  char *d = iam_arena_alloc(&L->arena, k + 4);
  if (d == NULL) return NULL;
  memcpy(d, s, k);
  memcpy(d + k, "...", 4);
  return d;
}

void lint_add(Lint *L, const char *code, IamLintSeverity sev, const LintStmt *st, int32_t doc,
              int32_t stmt, const char *path, const char *value, const char *fmt, ...) {
  char msg[MSG_MAX];
  va_list ap;
  if (L->oom) return;
  if (sev == IAM_LINT_ERROR) L->errors++;
  if (L->full) return;
  int last = L->nf + 1 >= IAM_LINT_MAX_FINDINGS;
  if (last) { /* the last slot says so */
    L->full = 1;
    code = "TOO_MANY_FINDINGS";
    sev = IAM_LINT_SUGGESTION;
    st = NULL, doc = -1, stmt = -1, path = "", value = NULL;
  }
  if (L->nf == L->capf) {
    uint32_t cap = L->capf ? 2 * L->capf : 64;
    IamLintFinding *f = iam_realloc(L->f, cap * sizeof *f);
    if (f == NULL) {
      L->oom = 1;
      return;
    }
    L->f = f;
    L->capf = cap;
  }
  if (last) {
    snprintf(msg, sizeof msg, "More than %d findings: the rest are not listed.",
             IAM_LINT_MAX_FINDINGS - 1);
  } else {
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
  }
  IamLintFinding *f = &L->f[L->nf];
  memset(f, 0, sizeof *f);
  f->code = code;
  f->severity = (uint8_t)sev;
  f->doc = st ? st->doc : doc;
  f->stmt = st ? st->idx : stmt;
  f->path = iam_arena_strndup(&L->arena, path ? path : "", path ? strlen(path) : 0);
  f->sid = st && st->sid ? dup_cut(L, st->sid, LINT_VALUE_MAX) : NULL;
  f->msg = iam_arena_strndup(&L->arena, msg, strlen(msg));
  f->value = value ? dup_cut(L, value, LINT_VALUE_MAX) : NULL;
  if (f->path == NULL || f->msg == NULL || (value && f->value == NULL) ||
      (st && st->sid && f->sid == NULL)) {
    L->oom = 1;
    return;
  }
  L->nf++;
}

int lint_spend(Lint *L, uint64_t n) {
  L->work += n;
  if (L->work <= LINT_WORK_BUDGET) return 1;
  L->budget_hit = 1;
  return 0;
}

/* ---- paths -------------------------------------------------------------------- */

int lint_ieq(const char *a, const char *b) {
  for (;; a++, b++) {
    unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
    if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
    if (x != y) return 0;
    if (x == 0) return 1;
  }
}

int lint_admits(Lint *L, const LintStmt *st, const char *action) {
  char lower[IAM_MAX_ACTION_BYTES];
  size_t n = strlen(action), k = (size_t)(st - L->stmt);
  if (n >= sizeof lower || k >= L->nstmt) return 0;
  if (L->globs == NULL) {
    L->globs = iam_arena_alloc(&L->arena, ((size_t)L->nstmt + 1) * sizeof *L->globs);
    if (L->globs == NULL) {
      L->oom = 1;
      return 0;
    }
  }
  if (L->globs[k] == NULL && st->nact > 0) {
    IamGlob *g = iam_arena_alloc(&L->arena, (size_t)st->nact * sizeof *g);
    if (g == NULL) {
      L->oom = 1;
      return 0;
    }
    for (uint32_t i = 0; i < st->nact; i++) {
      size_t m = strlen(st->act[i]);
      IamGlobCode *codes = iam_arena_alloc(&L->arena, (m + 1) * sizeof *codes);
      if (codes == NULL) {
        L->oom = 1;
        return 0;
      }
      iam_glob_codes_action(codes, st->act[i], m);
      if (iam_glob_init(&g[i], codes, (uint32_t)m, &L->arena) != IAM_OK) {
        L->oom = 1;
        return 0;
      }
    }
    L->globs[k] = g;
  }
  iam_ascii_lower(lower, action, n);
  int any = 0;
  for (uint32_t i = 0; i < st->nact && !any; i++)
    any = iam_glob_match_short(&L->globs[k][i], lower, n) == 1;
  return st->not_action ? !any : any;
}

int lint_grants(const LintStmt *st) {
  return !st->deny &&
         (st->set == IAM_SET_IDENTITY || st->set == IAM_SET_SESSION || st->set == IAM_SET_RESOURCE);
}

const char *lint_element_path(Lint *L, const LintStmt *st, const char *element, uint32_t i,
                              int array) {
  const char *p = lint_path_member(L, st->path, element);
  return array ? lint_path_index(L, p, i) : p;
}

static int plain_name(const char *s) {
  if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_')) return 0;
  for (; *s; s++)
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
          *s == '_'))
      return 0;
  return 1;
}

const char *lint_path_member(Lint *L, const char *path, const char *member) {
  char buf[MEMBER_MAX * 6 + 16];
  size_t n = 0;
  if (plain_name(member)) {
    n = (size_t)snprintf(buf, sizeof buf, "%.*s", MEMBER_MAX, member);
  } else { /* "quoted", JSON escapes, cut */
    const unsigned char *s = (const unsigned char *)member;
    size_t i = 0, len = strlen(member);
    buf[n++] = '"';
    while (i < len && i < MEMBER_MAX) {
      unsigned char c = s[i];
      if (c == '"' || c == '\\') {
        buf[n++] = '\\';
        buf[n++] = (char)c;
        i++;
      } else if (c < 0x20) {
        n += (size_t)snprintf(buf + n, 8, "\\u%04x", c);
        i++;
      } else {
        size_t k = iam_utf8_len(s, i, len);
        if (i + k > MEMBER_MAX) break;
        memcpy(buf + n, s + i, k);
        n += k;
        i += k;
      }
    }
    if (i < len) buf[n++] = '.', buf[n++] = '.', buf[n++] = '.';
    buf[n++] = '"';
    buf[n] = 0;
  }
  size_t pl = strlen(path);
  char *out = iam_arena_alloc(&L->arena, pl + n + 2);
  if (out == NULL) {
    L->oom = 1;
    return "";
  }
  memcpy(out, path, pl);
  if (pl) out[pl++] = '.';
  memcpy(out + pl, buf, n + 1);
  return out;
}

const char *lint_path_index(Lint *L, const char *path, uint32_t k) {
  size_t pl = strlen(path);
  char *out = iam_arena_alloc(&L->arena, pl + 16);
  if (out == NULL) {
    L->oom = 1;
    return "";
  }
  snprintf(out, pl + 16, "%s[%u]", path, k);
  return out;
}

/* ---- the walk ------------------------------------------------------------------ */

typedef struct Walk {
  Lint *L;
  int typed; /* the per-type rules apply */
  uint32_t ndocs, nstmts, nvalues;
  int stop; /* a limit was exceeded: stop walking */
} Walk;

static const char *type_name(const cJSON *j) {
  if (cJSON_IsString(j)) return "a string";
  if (cJSON_IsNumber(j)) return "a number";
  if (cJSON_IsBool(j)) return "a boolean";
  if (cJSON_IsNull(j)) return "null";
  if (cJSON_IsArray(j)) return "an array";
  return "an object";
}

/* The element as text for a finding's value: a string as is, anything else
** as compact JSON (cut). */
static const char *value_of(Walk *W, const cJSON *j) {
  if (cJSON_IsString(j)) return j->valuestring;
  char *t = cJSON_PrintUnformatted(j);
  if (t == NULL) {
    W->L->oom = 1;
    return NULL;
  }
  char *d = dup_cut(W->L, t, LINT_VALUE_MAX);
  cJSON_free(t);
  if (d == NULL) W->L->oom = 1;
  return d;
}

#define ERR(W, code, doc, stmt, path, value, ...) \
  lint_add((W)->L, code, IAM_LINT_ERROR, NULL, doc, stmt, path, value, __VA_ARGS__)

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every member name of an object at most once: one error per repeated name.
** Returns the number of repeated names, or -1 when out of memory. */
static int check_dups(Walk *W, const cJSON *obj, int32_t doc, int32_t stmt, const char *path) {
  const char *small[16], **names = small;
  int n = 0, bad = 0;
  const cJSON *c;
  for (c = obj->child; c; c = c->next) n++;
  if (n < 2) return 0;
  if (n > 16 && (names = iam_malloc((size_t)n * sizeof *names)) == NULL) {
    W->L->oom = 1;
    return -1;
  }
  n = 0;
  for (c = obj->child; c; c = c->next) names[n++] = c->string;
  qsort(names, (size_t)n, sizeof *names, cmp_str);
  for (int i = 1; i < n; i++) {
    if (strcmp(names[i - 1], names[i]) == 0 && (i < 2 || strcmp(names[i - 2], names[i]) != 0)) {
      ERR(W, "MALFORMED", doc, stmt, lint_path_member(W->L, path, names[i]), names[i],
          "The member %s appears more than once; each name may appear only once.", names[i]);
      bad++;
    }
  }
  if (names != small) iam_free(names);
  return bad;
}

/* One more pattern or value: 0 while within IAM_MAX_VALUES. */
static int count_value(Walk *W, const char *path) {
  if (++W->nvalues <= IAM_MAX_VALUES) return 0;
  if (!W->stop)
    ERR(W, "MALFORMED", -1, -1, path, NULL,
        "The policy has more than %d patterns and values, the limit; the rest is not checked.",
        IAM_MAX_VALUES);
  W->stop = 1;
  return 1;
}

/* A string or an array of strings: its strings into *out (arena), or -1
** after the errors. */
static int string_list(Walk *W, const cJSON *j, int32_t doc, int32_t stmt, const char *path,
                       const char *what, const char ***out) {
  Lint *L = W->L;
  int n = 0, bad = 0, k = 0;
  const cJSON *c;
  if (cJSON_IsString(j)) {
    n = 1;
  } else if (!cJSON_IsArray(j)) {
    ERR(W, "MALFORMED", doc, stmt, path, value_of(W, j),
        "%s must be a string or an array of strings, not %s.", what, type_name(j));
    return -1;
  } else {
    for (c = j->child; c; c = c->next, k++) {
      if (!cJSON_IsString(c)) {
        ERR(W, "MALFORMED", doc, stmt, lint_path_index(L, path, (uint32_t)k), value_of(W, c),
            "Each entry of %s must be a string, not %s.", what, type_name(c));
        bad = 1;
      }
      n++;
    }
  }
  if (bad) return -1;
  const char **v = iam_arena_alloc(&L->arena, ((size_t)n + 1) * sizeof *v);
  if (v == NULL) {
    L->oom = 1;
    return -1;
  }
  if (cJSON_IsString(j)) {
    v[0] = j->valuestring;
  } else {
    k = 0;
    for (c = j->child; c; c = c->next) v[k++] = c->valuestring;
  }
  for (int i = 0; i < n; i++)
    if (count_value(W, path)) return -1;
  *out = v;
  return n;
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

/* The Principal or NotPrincipal element: shape errors, or its values into st. */
static int walk_principal(Walk *W, const cJSON *j, const char *name, int32_t doc, int32_t stmt,
                          const char *path, LintStmt *st) {
  Lint *L = W->L;
  int bad = 0;
  uint32_t n = 0, k = 0;
  if (cJSON_IsString(j)) {
    if (strcmp(j->valuestring, "*") != 0) {
      ERR(W, "MALFORMED", doc, stmt, path, j->valuestring,
          "%s must be \"*\" or an object such as {\"AWS\": [...]}, not a bare string.", name);
      return -1;
    }
    n = 1;
  } else if (!cJSON_IsObject(j)) {
    ERR(W, "MALFORMED", doc, stmt, path, value_of(W, j), "%s must be \"*\" or an object, not %s.",
        name, type_name(j));
    return -1;
  } else {
    if (check_dups(W, j, doc, stmt, path) != 0) bad = 1;
    for (const cJSON *c = j->child; c; c = c->next) {
      const char *p = lint_path_member(L, path, c->string);
      if (strcmp(c->string, "AWS") && strcmp(c->string, "Federated") &&
          strcmp(c->string, "Service") && strcmp(c->string, "CanonicalUser")) {
        ERR(W, "MALFORMED", doc, stmt, p, c->string,
            "%s has an unknown principal type %s: use AWS, Service, Federated or CanonicalUser.",
            name, c->string);
        bad = 1;
        continue;
      }
      const char **v;
      int m = string_list(W, c, doc, stmt, p, c->string, &v);
      if (m < 0)
        bad = 1;
      else
        n += (uint32_t)m;
    }
  }
  if (bad || st == NULL) return bad ? -1 : 0;
  st->pr = iam_arena_alloc(&L->arena, ((size_t)n + 1) * sizeof *st->pr);
  if (st->pr == NULL) {
    L->oom = 1;
    return -1;
  }
  if (cJSON_IsString(j)) {
    st->pr[k].type = NULL;
    st->pr[k].value = j->valuestring;
    st->pr[k++].path = path;
  } else {
    for (const cJSON *c = j->child; c; c = c->next) {
      const char *p = lint_path_member(L, path, c->string);
      uint32_t i = 0;
      for (const cJSON *v = cJSON_IsString(c) ? c : c->child; v;
           v = cJSON_IsString(c) ? NULL : v->next, i++) {
        st->pr[k].type = c->string;
        st->pr[k].value = v->valuestring;
        st->pr[k++].path = cJSON_IsString(c) ? p : lint_path_index(L, p, i);
      }
    }
  }
  st->npr = k;
  char *t = cJSON_PrintUnformatted(j);
  if (t == NULL) {
    L->oom = 1;
    return -1;
  }
  st->principal_json = iam_arena_strndup(&L->arena, t, strlen(t));
  cJSON_free(t);
  if (st->principal_json == NULL) L->oom = 1;
  return 0;
}

/* A condition value as text (numbers as the parser writes them). */
static const char *cond_value(Walk *W, const cJSON *v, int32_t doc, int32_t stmt,
                              const char *path) {
  char buf[IAM_NUMBER_TEXT_MAX];
  if (cJSON_IsString(v)) return v->valuestring;
  if (cJSON_IsBool(v)) return cJSON_IsTrue(v) ? "true" : "false";
  if (cJSON_IsNumber(v)) {
    if (!iam_number_text(v->valuedouble, buf, sizeof buf)) {
      ERR(W, "MALFORMED", doc, stmt, path, value_of(W, v),
          "The number is out of range for a condition value.");
      return NULL;
    }
    char *d = iam_arena_strndup(&W->L->arena, buf, strlen(buf));
    if (d == NULL) W->L->oom = 1;
    return d;
  }
  ERR(W, "MALFORMED", doc, stmt, path, value_of(W, v),
      "A condition value must be a string, number or boolean, not %s.", type_name(v));
  return NULL;
}

static int walk_condition(Walk *W, const cJSON *j, int32_t doc, int32_t stmt, const char *path,
                          LintStmt *st) {
  Lint *L = W->L;
  int bad = 0;
  uint32_t n = 0;
  if (!cJSON_IsObject(j)) {
    ERR(W, "MALFORMED", doc, stmt, path, value_of(W, j),
        "Condition must be an object of operator blocks, not %s.", type_name(j));
    return -1;
  }
  if (check_dups(W, j, doc, stmt, path) != 0) bad = 1;
  for (const cJSON *b = j->child; b; b = b->next)
    n += cJSON_IsObject(b) ? (uint32_t)cJSON_GetArraySize(b) : 0;
  LintCond *conds = iam_arena_alloc(&L->arena, ((size_t)n + 1) * sizeof *conds);
  if (conds == NULL) {
    L->oom = 1;
    return -1;
  }
  n = 0;
  for (const cJSON *b = j->child; b && !W->stop; b = b->next) {
    const char *bpath = lint_path_member(L, path, b->string);
    uint8_t qual = 0, ifx = 0;
    size_t oplen = strlen(b->string);
    int base = iam_cond_operator_parse(b->string, oplen, &qual, &ifx);
    if (base < 0) {
      uint8_t q2, i2;
      if (oplen > 8 && strcmp(b->string + oplen - 8, "IfExists") == 0 &&
          iam_cond_operator_parse(b->string, oplen - 8, &q2, &i2) == IAM_COND_N_OPERATORS - 1)
        ERR(W, "UNKNOWN_OPERATOR", doc, stmt, bpath, b->string,
            "%s is not an operator: Null takes no IfExists.", b->string);
      else
        ERR(W, "UNKNOWN_OPERATOR", doc, stmt, bpath, b->string,
            "%s is not a condition operator (names are case-sensitive).", b->string);
      bad = 1;
    }
    if (!cJSON_IsObject(b)) {
      ERR(W, "MALFORMED", doc, stmt, bpath, value_of(W, b),
          "An operator block must be an object of condition keys, not %s.", type_name(b));
      bad = 1;
      continue;
    }
    if (check_dups(W, b, doc, stmt, bpath) != 0) bad = 1;
    uint32_t first = n;
    for (const cJSON *k = b->child; k && !W->stop; k = k->next) {
      const char *kpath = lint_path_member(L, bpath, k->string);
      for (uint32_t o = first; o < n; o++) {
        if (lint_ieq(conds[o].key, k->string)) {
          ERR(W, "MALFORMED", doc, stmt, kpath, k->string,
              "The keys %s and %s of one operator block differ only in case (keys ignore case).",
              conds[o].key, k->string);
          bad = 1;
          break;
        }
      }
      uint32_t nv = cJSON_IsArray(k) ? (uint32_t)cJSON_GetArraySize(k) : 1, i = 0;
      const char **vals = iam_arena_alloc(&L->arena, ((size_t)nv + 1) * sizeof *vals);
      if (vals == NULL) {
        L->oom = 1;
        return -1;
      }
      for (const cJSON *v = cJSON_IsArray(k) ? k->child : k; v;
           v = cJSON_IsArray(k) ? v->next : NULL, i++) {
        const char *vp = cJSON_IsArray(k) ? lint_path_index(L, kpath, i) : kpath;
        if ((vals[i] = cond_value(W, v, doc, stmt, vp)) == NULL) bad = 1;
        if (count_value(W, vp)) return -1;
      }
      LintCond *c = &conds[n++];
      c->op = b->string;
      c->base = base;
      c->qual = qual;
      c->ifx = ifx;
      c->key = k->string;
      c->vals = vals;
      c->nvals = nv;
      c->array = cJSON_IsArray(k);
      c->path = kpath;
    }
  }
  if (bad || W->stop || st == NULL) return bad || W->stop ? -1 : 0;
  st->cond = conds;
  st->ncond = n;
  return 0;
}

/* A canonical text of the conditions: equal texts, equal conditions. */
static void cond_text(Lint *L, LintStmt *st) {
  size_t n = 1;
  for (uint32_t i = 0; i < st->ncond; i++) {
    n += strlen(st->cond[i].op) + strlen(st->cond[i].key) + 4;
    for (uint32_t v = 0; v < st->cond[i].nvals; v++) n += strlen(st->cond[i].vals[v]) + 1;
  }
  char *t = iam_arena_alloc(&L->arena, n);
  if (t == NULL) {
    L->oom = 1;
    return;
  }
  size_t k = 0;
  for (uint32_t i = 0; i < st->ncond; i++) {
    const LintCond *c = &st->cond[i];
    k += (size_t)sprintf(t + k, "%s\x1f", c->op);
    for (const char *s = c->key; *s; s++) t[k++] = (*s >= 'A' && *s <= 'Z') ? (char)(*s + 32) : *s;
    t[k++] = '\x1f';
    for (uint32_t v = 0; v < c->nvals; v++) k += (size_t)sprintf(t + k, "%s\x1e", c->vals[v]);
    t[k++] = '\x1d';
  }
  t[k] = 0;
  st->cond_text = t;
}

static LintStmt *new_stmt(Lint *L) {
  if (L->nstmt == L->capstmt) {
    uint32_t cap = L->capstmt ? 2 * L->capstmt : 16;
    LintStmt *s = iam_realloc(L->stmt, cap * sizeof *s);
    if (s == NULL) {
      L->oom = 1;
      return NULL;
    }
    L->stmt = s;
    L->capstmt = cap;
  }
  LintStmt *st = &L->stmt[L->nstmt];
  memset(st, 0, sizeof *st);
  return st;
}

static void walk_statement(Walk *W, const cJSON *j, const char *path, LintDoc *d, int32_t di,
                           int32_t k) {
  Lint *L = W->L;
  const cJSON *effect = NULL, *action = NULL, *notaction = NULL, *resource = NULL,
              *notresource = NULL, *cond = NULL, *sid = NULL, *principal = NULL,
              *notprincipal = NULL;
  int bad = 0;
  if (!cJSON_IsObject(j)) {
    ERR(W, "MALFORMED", di, k, path, value_of(W, j), "A statement must be an object, not %s.",
        type_name(j));
    return;
  }
  LintStmt *st = new_stmt(L);
  if (st == NULL) return;
  st->doc = di;
  st->idx = k;
  st->path = path;
  st->set = d->set;
  st->trust = d->trust;
  st->version2012 = d->version && strcmp(d->version, "2012-10-17") == 0;
  if (check_dups(W, j, di, k, path) != 0) bad = 1;
  for (const cJSON *c = j->child; c; c = c->next) {
    const char *m = c->string;
    if (!strcmp(m, "Effect"))
      effect = c;
    else if (!strcmp(m, "Action"))
      action = c;
    else if (!strcmp(m, "NotAction"))
      notaction = c;
    else if (!strcmp(m, "Resource"))
      resource = c;
    else if (!strcmp(m, "NotResource"))
      notresource = c;
    else if (!strcmp(m, "Condition"))
      cond = c;
    else if (!strcmp(m, "Sid"))
      sid = c;
    else if (!strcmp(m, "Principal"))
      principal = c;
    else if (!strcmp(m, "NotPrincipal"))
      notprincipal = c;
    else {
      ERR(W, "MALFORMED", di, k, lint_path_member(L, path, m), m,
          "%s is not a statement element: use Sid, Effect, Principal, NotPrincipal, Action, "
          "NotAction, Resource, NotResource or Condition (names are case-sensitive).",
          m);
      bad = 1;
    }
  }
  if (sid) {
    if (!cJSON_IsString(sid)) {
      ERR(W, "MALFORMED", di, k, lint_path_member(L, path, "Sid"), value_of(W, sid),
          "Sid must be a string, not %s.", type_name(sid));
      bad = 1;
    } else {
      st->sid = sid->valuestring;
    }
  }
  if (effect == NULL) {
    ERR(W, "MALFORMED", di, k, path, NULL,
        "The statement has no Effect: add \"Allow\" or \"Deny\".");
    bad = 1;
  } else if (!cJSON_IsString(effect) ||
             (strcmp(effect->valuestring, "Allow") && strcmp(effect->valuestring, "Deny"))) {
    ERR(W, "MALFORMED", di, k, lint_path_member(L, path, "Effect"), value_of(W, effect),
        "Effect must be \"Allow\" or \"Deny\" (case-sensitive).");
    bad = 1;
  } else {
    st->deny = effect->valuestring[0] == 'D';
  }
  if ((action == NULL) == (notaction == NULL)) {
    ERR(W, "MALFORMED", di, k, path, NULL,
        action ? "The statement has both Action and NotAction: keep one."
               : "The statement has neither Action nor NotAction: add one.");
    bad = 1;
  }
  if (resource && notresource) {
    ERR(W, "MALFORMED", di, k, path, NULL,
        "The statement has both Resource and NotResource: keep one.");
    bad = 1;
  }
  /* Principal, NotPrincipal and Resource by policy type */
  int has_resource = resource || notresource;
  if (principal && notprincipal) {
    ERR(W, "MALFORMED", di, k, path, NULL,
        "The statement has both Principal and NotPrincipal: keep one.");
    bad = 1;
  }
  switch ((IamSet)d->set) {
    case IAM_SET_RESOURCE:
      if (!principal && !notprincipal) {
        ERR(W, "MALFORMED", di, k, path, NULL, "A statement of %s needs Principal or NotPrincipal.",
            set_phrase(d->set));
        bad = 1;
      }
      if (!has_resource) st->any_resource = 1;
      break;
    case IAM_SET_RCP:
      if (notprincipal) {
        ERR(W, "MALFORMED", di, k, lint_path_member(L, path, "NotPrincipal"), NULL,
            "NotPrincipal is not allowed in an RCP.");
        bad = 1;
      } else if (!principal || !cJSON_IsString(principal) ||
                 strcmp(principal->valuestring, "*") != 0) {
        ERR(W, "MALFORMED", di, k, principal ? lint_path_member(L, path, "Principal") : path,
            principal ? value_of(W, principal) : NULL,
            "Every statement of an RCP needs \"Principal\": \"*\".");
        bad = 1;
      }
      break;
    case IAM_SET_ENDPOINT: break;
    case IAM_SET_IDENTITY:
    case IAM_SET_BOUNDARY:
    case IAM_SET_SESSION:
    case IAM_SET_SCP:
    case IAM_NSETS:
      if (principal || notprincipal) {
        const char *pn = principal ? "Principal" : "NotPrincipal";
        ERR(W, "MALFORMED", di, k, lint_path_member(L, path, pn), NULL,
            "%s is not allowed in %s%s.", pn, set_phrase(d->set),
            W->typed ? "" : " (lint it with the policy type of the policy it belongs to)");
        bad = 1;
      }
      break;
  }
  if (!has_resource && d->set != IAM_SET_RESOURCE) {
    ERR(W, "MALFORMED", di, k, path, NULL,
        "The statement has neither Resource nor NotResource: add one.");
    bad = 1;
  }
  if (principal || notprincipal) {
    const cJSON *pj = principal ? principal : notprincipal;
    const char *pn = principal ? "Principal" : "NotPrincipal";
    if (walk_principal(W, pj, pn, di, k, lint_path_member(L, path, pn), st) != 0) bad = 1;
    st->has_principal = 1;
    st->not_principal = notprincipal != NULL;
  }
  if (action || notaction) {
    const char *an = action ? "Action" : "NotAction";
    const char **v;
    int n =
        string_list(W, action ? action : notaction, di, k, lint_path_member(L, path, an), an, &v);
    if (n < 0) {
      bad = 1;
    } else {
      st->act = v;
      st->nact = (uint32_t)n;
      st->act_array = cJSON_IsArray(action ? action : notaction);
      st->not_action = notaction != NULL;
    }
  }
  if (resource || notresource) {
    const char *rn = resource ? "Resource" : "NotResource";
    const char **v;
    int n = string_list(W, resource ? resource : notresource, di, k, lint_path_member(L, path, rn),
                        rn, &v);
    if (n < 0) {
      bad = 1;
    } else {
      st->res = v;
      st->nres = (uint32_t)n;
      st->res_array = cJSON_IsArray(resource ? resource : notresource);
      st->not_resource = notresource != NULL;
    }
  }
  if (cond && walk_condition(W, cond, di, k, lint_path_member(L, path, "Condition"), st) != 0)
    bad = 1;
  if (bad || W->stop || L->oom) return;
  cond_text(L, st);
  L->nstmt++; /* it passed: keep it */
  d->nstmt++;
}

static void walk_document(Walk *W, const cJSON *doc, const char *prefix, uint8_t set,
                          uint8_t trust) {
  Lint *L = W->L;
  int32_t di = (int32_t)W->ndocs++;
  const char *where = prefix[0] ? prefix : "";
  if (!cJSON_IsObject(doc)) {
    ERR(W, "MALFORMED", di, -1, where, value_of(W, doc),
        "A policy document must be a JSON object, not %s.", type_name(doc));
    return;
  }
  if (L->ndocs == L->capdocs) {
    uint32_t cap = L->capdocs ? 2 * L->capdocs : 8;
    LintDoc *d = iam_realloc(L->docs, cap * sizeof *d);
    if (d == NULL) {
      L->oom = 1;
      return;
    }
    L->docs = d;
    L->capdocs = cap;
  }
  LintDoc *d = &L->docs[L->ndocs];
  memset(d, 0, sizeof *d);
  d->index = di;
  d->prefix = where;
  d->set = set;
  d->trust = trust;
  d->first = L->nstmt;
  check_dups(W, doc, di, -1, where);
  const cJSON *stmts = NULL, *version = NULL, *id = NULL;
  for (const cJSON *c = doc->child; c; c = c->next) {
    if (!strcmp(c->string, "Statement"))
      stmts = stmts ? stmts : c;
    else if (!strcmp(c->string, "Version"))
      version = version ? version : c;
    else if (!strcmp(c->string, "Id"))
      id = id ? id : c;
    else
      ERR(W, "MALFORMED", di, -1, lint_path_member(L, where, c->string), c->string,
          "%s is not a policy element: a document has Version, Id and Statement "
          "(names are case-sensitive).",
          c->string);
  }
  if (version) {
    const char *vp = lint_path_member(L, where, "Version");
    if (!cJSON_IsString(version)) {
      ERR(W, "MALFORMED", di, -1, vp, value_of(W, version), "Version must be a string, not %s.",
          type_name(version));
    } else if (strcmp(version->valuestring, "2012-10-17") &&
               strcmp(version->valuestring, "2008-10-17")) {
      ERR(W, "INVALID_VERSION", di, -1, vp, version->valuestring,
          "Version must be \"2012-10-17\" or \"2008-10-17\".");
    } else {
      d->version_ok = 1;
    }
    if (cJSON_IsString(version)) d->version = version->valuestring;
  }
  if (id && !cJSON_IsString(id))
    ERR(W, "MALFORMED", di, -1, lint_path_member(L, where, "Id"), value_of(W, id),
        "Id must be a string, not %s.", type_name(id));
  L->ndocs++;
  if (stmts == NULL) {
    ERR(W, "MALFORMED", di, -1, where, NULL, "The document has no Statement.");
    return;
  }
  const char *sp = lint_path_member(L, where, "Statement");
  if (!cJSON_IsObject(stmts) && !cJSON_IsArray(stmts)) {
    ERR(W, "MALFORMED", di, -1, sp, value_of(W, stmts),
        "Statement must be an object or an array of objects, not %s.", type_name(stmts));
    return;
  }
  uint32_t count = cJSON_IsObject(stmts) ? 1 : (uint32_t)cJSON_GetArraySize(stmts);
  W->nstmts += count;
  if (W->nstmts > IAM_MAX_STATEMENTS) {
    ERR(W, "MALFORMED", di, -1, sp, NULL,
        "The policy has more than %d statements, the limit; the rest is not checked.",
        IAM_MAX_STATEMENTS);
    W->stop = 1;
    return;
  }
  if (cJSON_IsObject(stmts)) {
    walk_statement(W, stmts, sp, &L->docs[L->ndocs - 1], di, 0);
  } else {
    int32_t k = 0;
    for (const cJSON *s = stmts->child; s && !W->stop && !L->oom; s = s->next, k++)
      walk_statement(W, s, lint_path_index(L, sp, (uint32_t)k), &L->docs[L->ndocs - 1], di, k);
  }
}

/* One document or an array of them; name NULL for the top-level document,
** level >= 0 for a level of SCPs or RCPs ("scps[1][0]"). */
static void walk_docs(Walk *W, const cJSON *j, uint8_t set, uint8_t trust, const char *name,
                      int level) {
  Lint *L = W->L;
  if (name && !cJSON_IsArray(j) && !cJSON_IsObject(j)) {
    ERR(W, "MALFORMED", -1, -1, name, value_of(W, j),
        "%s must be a policy document or an array of documents, not %s.", name, type_name(j));
    return;
  }
  uint32_t k = 0;
  for (const cJSON *d = cJSON_IsArray(j) ? j->child : j; d && !W->stop && !L->oom;
       d = cJSON_IsArray(j) ? d->next : NULL, k++) {
    char prefix[64];
    if (W->ndocs >= IAM_MAX_DOCUMENTS) {
      ERR(W, "MALFORMED", -1, -1, "", NULL,
          "The policy has more than %d documents, the limit; the rest is not checked.",
          IAM_MAX_DOCUMENTS);
      W->stop = 1;
      return;
    }
    if (name == NULL)
      prefix[0] = 0;
    else if (level >= 0)
      snprintf(prefix, sizeof prefix, "%s[%d][%u]", name, level, k);
    else if (cJSON_IsArray(j))
      snprintf(prefix, sizeof prefix, "%s[%u]", name, k);
    else
      snprintf(prefix, sizeof prefix, "%s", name);
    const char *p = iam_arena_strndup(&L->arena, prefix, strlen(prefix));
    if (p == NULL) {
      L->oom = 1;
      return;
    }
    walk_document(W, d, p, set, trust);
  }
}

static const char *const request_members[] = {
    [IAM_SET_IDENTITY] = "identity", [IAM_SET_BOUNDARY] = "boundary",
    [IAM_SET_SESSION] = "session",   [IAM_SET_RESOURCE] = "resource_policy",
    [IAM_SET_SCP] = "scps",          [IAM_SET_RCP] = "rcps",
    [IAM_SET_ENDPOINT] = "endpoint",
};

static int request_member_index(const char *s) {
  for (int i = 0; i < IAM_NSETS; i++)
    if (!strcmp(s, request_members[i])) return i;
  if (!strcmp(s, "principal")) return IAM_NSETS;
  if (!strcmp(s, "resource_account")) return IAM_NSETS + 1;
  if (!strcmp(s, "action") || !strcmp(s, "resource") || !strcmp(s, "context")) return IAM_NSETS + 2;
  return -1;
}

/* A whole-request object without action, resource and context (the object
** form iam_decision takes). */
static void walk_request(Walk *W, const cJSON *root) {
  Lint *L = W->L;
  const cJSON *m[IAM_NSETS + 3] = {0};
  int bad = 0;
  W->typed = 1;
  if (check_dups(W, root, -1, -1, "") != 0) bad = 1;
  for (const cJSON *c = root->child; c; c = c->next) {
    int i = request_member_index(c->string);
    if (i < 0 || i == IAM_NSETS + 2) {
      ERR(W, "MALFORMED", -1, -1, lint_path_member(L, "", c->string), c->string,
          i < 0 ? "%s is not a member of a request object."
                : "%s belongs to iam_authorize()'s request, not to a policy object.",
          c->string);
      bad = 1;
    } else if (m[i] == NULL) {
      m[i] = c;
    }
  }
  IamCaller caller;
  int have_caller = 0;
  const cJSON *pr = m[IAM_NSETS];
  if (pr == NULL || cJSON_IsNull(pr)) {
    ERR(W, "MALFORMED", -1, -1, "", NULL, "The request object has no \"principal\".");
    bad = 1;
  } else if (!cJSON_IsString(pr)) {
    ERR(W, "MALFORMED", -1, -1, "principal", value_of(W, pr), "principal must be a string, not %s.",
        type_name(pr));
    bad = 1;
  } else {
    IamError err;
    int rc = iam_caller_parse(pr->valuestring, strlen(pr->valuestring), &L->arena, &caller, &err);
    if (rc == IAM_ENOMEM) {
      L->oom = 1;
      return;
    }
    if (rc != IAM_OK) {
      ERR(W, "MALFORMED", -1, -1, "principal", pr->valuestring, "No caller: %s.", err.msg);
      bad = 1;
    } else {
      have_caller = 1;
    }
  }
  const cJSON *ra = m[IAM_NSETS + 1];
  if (ra && !cJSON_IsNull(ra) &&
      (!cJSON_IsString(ra) || strlen(ra->valuestring) != IAM_ACCOUNT_LEN ||
       strspn(ra->valuestring, "0123456789") != IAM_ACCOUNT_LEN)) {
    ERR(W, "MALFORMED", -1, -1, "resource_account", value_of(W, ra),
        "resource_account must be 12 digits or null.");
    bad = 1;
  }
  for (int set = 0; set < IAM_NSETS && !W->stop; set++) {
    const cJSON *j = m[set];
    const char *name = request_members[set];
    if (j == NULL || cJSON_IsNull(j)) continue;
    if (set == IAM_SET_SCP || set == IAM_SET_RCP) {
      if (!cJSON_IsArray(j)) {
        ERR(W, "MALFORMED", -1, -1, name, value_of(W, j),
            "%s must be an array of levels (arrays of documents) or null, not %s.", name,
            type_name(j));
        bad = 1;
        continue;
      }
      int level = 0;
      for (const cJSON *l = j->child; l && !W->stop; l = l->next, level++) {
        if (!cJSON_IsArray(l)) {
          char p[64];
          snprintf(p, sizeof p, "%s[%d]", name, level);
          ERR(W, "MALFORMED", -1, -1, p, value_of(W, l),
              "A level of %s must be an array of documents, not %s.", name, type_name(l));
          bad = 1;
          continue;
        }
        walk_docs(W, l, (uint8_t)set, 0, name, level);
      }
    } else if (set == IAM_SET_RESOURCE && !cJSON_IsObject(j)) {
      ERR(W, "MALFORMED", -1, -1, name, value_of(W, j),
          "resource_policy must be one policy document or null, not %s.", type_name(j));
      bad = 1;
    } else {
      walk_docs(W, j, (uint8_t)set, 0, name, -1);
    }
  }
  (void)bad;
  if (!have_caller) return;
  /* which caller may carry which policies (SEMANTICS.md, "Kinds of caller") */
  const char *kind = iam_caller_kind_name(caller.kind);
  int present_b = m[IAM_SET_BOUNDARY] && !cJSON_IsNull(m[IAM_SET_BOUNDARY]);
  int present_s = m[IAM_SET_SESSION] && !cJSON_IsNull(m[IAM_SET_SESSION]);
  const cJSON *id = m[IAM_SET_IDENTITY];
  if (present_b && caller.kind != IAM_CALLER_USER && caller.kind != IAM_CALLER_ROLE &&
      caller.kind != IAM_CALLER_ROLE_SESSION)
    ERR(W, "MALFORMED", -1, -1, "boundary", NULL,
        "boundary must be null for a %s caller: only users, roles and role sessions have one.",
        kind);
  if (present_s && !iam_caller_is_session(&caller))
    ERR(W, "MALFORMED", -1, -1, "session", NULL,
        "session must be null for a %s caller: only role sessions and federated users have one.",
        kind);
  if ((caller.kind == IAM_CALLER_ANONYMOUS || caller.kind == IAM_CALLER_SERVICE) && id &&
      !cJSON_IsNull(id) && !(cJSON_IsArray(id) && id->child == NULL))
    ERR(W, "MALFORMED", -1, -1, "identity", NULL, "identity must be null or [] for %s caller.",
        caller.kind == IAM_CALLER_ANONYMOUS ? "an anonymous" : "a service");
}

/* {"identity": documents, "boundary": documents or null}. */
static void walk_pair(Walk *W, const cJSON *root) {
  Lint *L = W->L;
  const cJSON *id = NULL, *bd = NULL;
  check_dups(W, root, -1, -1, "");
  for (const cJSON *c = root->child; c; c = c->next) {
    if (!strcmp(c->string, "identity"))
      id = id ? id : c;
    else if (!strcmp(c->string, "boundary"))
      bd = bd ? bd : c;
    else
      ERR(W, "MALFORMED", -1, -1, lint_path_member(L, "", c->string), c->string,
          "%s is not a member of {\"identity\": ..., \"boundary\": ...}.", c->string);
  }
  if (id == NULL)
    ERR(W, "MALFORMED", -1, -1, "", NULL, "The policy object has no \"identity\".");
  else
    walk_docs(W, id, IAM_SET_IDENTITY, 0, "identity", -1);
  if (bd && !cJSON_IsNull(bd) && !W->stop) walk_docs(W, bd, IAM_SET_BOUNDARY, 0, "boundary", -1);
}

static void walk_root(Walk *W, const cJSON *root) {
  const IamPolicyType *t = &W->L->opt->type;
  if (!cJSON_IsArray(root) && !cJSON_IsObject(root)) {
    ERR(W, "MALFORMED", -1, -1, "", value_of(W, root),
        "A policy must be a JSON object or an array of objects, not %s.", type_name(root));
    return;
  }
  if (t->typed) {
    W->typed = 1;
    walk_docs(W, root, t->set, t->trust, cJSON_IsArray(root) ? "policy" : NULL, -1);
    return;
  }
  if (cJSON_IsArray(root)) {
    walk_docs(W, root, IAM_SET_IDENTITY, 0, "policy", -1);
    return;
  }
  int request = 0, pair = 0;
  for (const cJSON *c = root->child; c; c = c->next) {
    int i = request_member_index(c->string);
    if (i == IAM_SET_IDENTITY || i == IAM_SET_BOUNDARY)
      pair = 1;
    else if (i >= 0)
      request = 1;
  }
  if (request)
    walk_request(W, root);
  else if (pair)
    walk_pair(W, root);
  else
    walk_docs(W, root, IAM_SET_IDENTITY, 0, NULL, -1);
}

/* ---- the report ------------------------------------------------------------------ */

/* Line and column (1-based) of byte pos. */
static void line_col(const char *text, size_t len, long pos, long *line, long *col) {
  *line = 1;
  *col = 1;
  for (long i = 0; i < pos && (size_t)i < len; i++) {
    if (text[i] == '\n')
      (*line)++, *col = 1;
    else if (((unsigned char)text[i] & 0xC0) != 0x80)
      (*col)++;
  }
}

static int cmp_finding(const void *a, const void *b) {
  const IamLintFinding *x = a, *y = b;
  if (x->doc != y->doc) return x->doc < y->doc ? -1 : 1;
  if (x->stmt != y->stmt) return x->stmt < y->stmt ? -1 : 1;
  return 0;
}

/* Document order, and emission order within a place (a stable sort). */
static int sort_findings(Lint *L) {
  uint32_t n = L->nf;
  if (n < 2) return IAM_OK;
  IamLintFinding *tmp = iam_malloc((size_t)n * sizeof *tmp);
  if (tmp == NULL) return IAM_ENOMEM;
  /* merge sort: qsort is not stable */
  for (uint32_t w = 1; w < n; w *= 2) {
    for (uint32_t lo = 0; lo < n; lo += 2 * w) {
      uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      uint32_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi)
        tmp[k++] = cmp_finding(&L->f[j], &L->f[i]) < 0 ? L->f[j++] : L->f[i++];
      while (i < mid) tmp[k++] = L->f[i++];
      while (j < hi) tmp[k++] = L->f[j++];
    }
    memcpy(L->f, tmp, (size_t)n * sizeof *tmp);
  }
  iam_free(tmp);
  return IAM_OK;
}

void iam_lint_free(IamLintReport *r) {
  if (r == NULL) return;
  iam_free(r->lint.f);
  iam_free(r->lint.stmt);
  iam_free(r->lint.docs);
  iam_arena_free(&r->lint.arena);
  iam_free(r);
}

uint32_t iam_lint_count(const IamLintReport *r) { return r->lint.nf; }

const IamLintFinding *iam_lint_finding(const IamLintReport *r, uint32_t i) { return &r->lint.f[i]; }

/* The parser's verdict: a rejection the walk did not report is an error. */
static int cross_check(Lint *L, const char *text, size_t len) {
  IamPolicyDraft *d = NULL;
  IamError err;
  int rc = iam_policy_draft(text, len, iam_policy_type_flags(&L->opt->type), &d, &err);
  if (rc == IAM_OK) {
    iam_policy_draft_free(d);
    return IAM_OK;
  }
  if (rc == IAM_ENOMEM) return IAM_ENOMEM;
  if (L->errors == 0)
    lint_add(L, "MALFORMED", IAM_LINT_ERROR, NULL, -1, -1, "", NULL, "%s.", err.msg);
  return IAM_OK;
}

int iam_lint(const char *text, size_t len, const IamLintOptions *opt, IamLintReport **out) {
  IamLintReport *r = iam_malloc(sizeof *r);
  IamError err;
  *out = NULL;
  if (r == NULL) return IAM_ENOMEM;
  memset(r, 0, sizeof *r);
  Lint *L = &r->lint;
  iam_arena_init(&L->arena, LINT_ARENA_HINT);
  L->opt = opt;
  size_t tree_bytes = 0;
  void *tree = NULL; /* stands for cJSON's tree while it lives (iam_json.h) */
  int rc = iam_json_check(text, len, "policy", sizeof(cJSON), &tree_bytes, &err);
  cJSON *root = NULL;
  if (rc == IAM_OK && (tree = iam_malloc(tree_bytes)) == NULL) rc = IAM_ENOMEM;
  if (rc == IAM_OK) {
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (root == NULL) {
      rc = iam_json_parse_failed(text, len, end, "policy", &err);
      iam_free(tree);
      tree = NULL;
    }
  }
  if (rc == IAM_ENOMEM) {
    iam_lint_free(r);
    return IAM_ENOMEM;
  }
  if (rc != IAM_OK) {
    /* "malformed policy JSON at byte 14", "policy contains a NUL byte at byte 5" */
    const char *m = err.msg, *subject = "The text";
    if (strncmp(m, "malformed policy JSON", 21) == 0)
      m += 21, subject = "The JSON is malformed";
    else if (strncmp(m, "policy JSON ", 12) == 0)
      m += 11, subject = "The JSON";
    else if (strncmp(m, "policy ", 7) == 0)
      m += 6;
    long line = 0, col = 0;
    if (err.pos >= 0) {
      line_col(text, len, err.pos, &line, &col);
      lint_add(L, "MALFORMED_JSON", IAM_LINT_ERROR, NULL, -1, -1, "", NULL,
               "%s%s (line %ld, column %ld).", subject, m, line, col);
    } else {
      lint_add(L, "MALFORMED_JSON", IAM_LINT_ERROR, NULL, -1, -1, "", NULL, "%s%s.", subject, m);
    }
  } else {
    Walk W;
    memset(&W, 0, sizeof W);
    W.L = L;
    walk_root(&W, root);
    if (!L->oom && cross_check(L, text, len) == IAM_ENOMEM) L->oom = 1;
    if (!L->oom && !W.stop && lint_check(L) == IAM_ENOMEM) L->oom = 1;
    if (!L->oom && !W.stop && lint_check_data(L) == IAM_ENOMEM) L->oom = 1;
    if (!L->oom && L->budget_hit)
      lint_add(L, "CHECK_LIMIT", IAM_LINT_SUGGESTION, NULL, -1, -1, "", NULL,
               "The policy is too large for some checks (redundancy, catalog checks): they "
               "stopped part way.");
    cJSON_Delete(root);
    iam_free(tree);
  }
  if (L->oom || sort_findings(L) != IAM_OK) {
    iam_lint_free(r);
    return IAM_ENOMEM;
  }
  *out = r;
  return IAM_OK;
}
