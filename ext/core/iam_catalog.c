/* SPDX-License-Identifier: MIT */
/* Reading a caller-supplied catalog: access levels and key types by name,
** condition-key templates, and the actions of a service a pattern matches.
** See iam_catalog.h. */
#include "iam_catalog.h"

#include <string.h>

#include "iam.h"
#include "iam_mem.h"
#include "iam_text.h"

static const char *const level_names[] = {NULL,    "List",    "Read",
                                          "Write", "Tagging", "Permissions management"};

const char *iam_access_level_name(IamAccessLevel a) {
  return (unsigned)a < sizeof level_names / sizeof level_names[0] ? level_names[a] : NULL;
}

IamAccessLevel iam_access_level_parse(const char *s, size_t n) {
  for (unsigned i = 1; i < sizeof level_names / sizeof level_names[0]; i++)
    if (strlen(level_names[i]) == n && memcmp(level_names[i], s, n) == 0) return (IamAccessLevel)i;
  return IAM_ACCESS_UNKNOWN;
}

IamKeyType iam_key_type_parse(const char *s, size_t n, int *multi) {
  static const struct {
    const char *name;
    IamKeyType type;
  } types[] = {{"String", IAM_KEY_STRING}, {"ARN", IAM_KEY_ARN},         {"Bool", IAM_KEY_BOOL},
               {"Boolean", IAM_KEY_BOOL},  {"Numeric", IAM_KEY_NUMERIC}, {"Date", IAM_KEY_DATE},
               {"IPAddress", IAM_KEY_IP},  {"Binary", IAM_KEY_BINARY}};
  *multi = 0;
  if (n > 7 && memcmp(s, "ArrayOf", 7) == 0) {
    *multi = 1;
    s += 7;
    n -= 7;
  }
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strlen(types[i].name) == n && memcmp(types[i].name, s, n) == 0) return types[i].type;
  return IAM_KEY_UNKNOWN;
}

/* The catalog writes placeholders as ${TagKey}, <key>, and in two keys as a
** final "/tag-key" ("secretsmanager:ResourceTag/tag-key"). */
static int tag_key_at_end(const char *t, size_t tn) {
  return tn > 8 && memcmp(t + tn - 8, "/tag-key", 8) == 0;
}

int iam_cat_key_matches(const IamCatKey *k, const char *key, size_t n) {
  const char *t = k->name;
  size_t tn = strlen(t);
  IamGlobCode stack[256], *codes = stack;
  char lower_stack[256], *lower = lower_stack;
  if (strchr(t, '$') == NULL && strchr(t, '<') == NULL && !tag_key_at_end(t, tn)) {
    /* no placeholder: compare ignoring case */
    if (tn != n) return 0;
    for (size_t i = 0; i < n; i++) {
      char a = t[i], b = key[i];
      if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
      if (b >= 'A' && b <= 'Z') b = (char)(b + 32);
      if (a != b) return 0;
    }
    return 1;
  }
  if (tn > sizeof stack / sizeof stack[0]) codes = iam_malloc(tn * sizeof *codes);
  if (n > sizeof lower_stack) lower = iam_malloc(n);
  int r = IAM_ENOMEM;
  if (codes != NULL && lower != NULL) {
    uint32_t m = 0;
    for (size_t i = 0; i < tn; i++) {
      const char *close = t[i] == '$' && i + 1 < tn && t[i + 1] == '{' ? strchr(t + i, '}')
                          : t[i] == '<'                                ? strchr(t + i, '>')
                          : i + 7 == tn && tag_key_at_end(t, tn)       ? t + tn - 1
                                                                       : NULL;
      if (close != NULL) { /* a placeholder: one or more characters */
        codes[m++] = IAM_GLOB_QMARK;
        codes[m++] = IAM_GLOB_STAR;
        i = (size_t)(close - t);
      } else {
        unsigned char c = (unsigned char)t[i];
        codes[m++] = (c >= 'A' && c <= 'Z') ? (IamGlobCode)(c + 32) : c;
      }
    }
    iam_ascii_lower(lower, key, n);
    r = iam_glob_match_codes_short(codes, m, lower, n);
  }
  if (codes != stack) iam_free(codes);
  if (lower != lower_stack) iam_free(lower);
  return r;
}

const IamCatAction *iam_cat_action_find(const IamCatService *svc, const char *lower, size_t n) {
  uint32_t lo = 0, hi = svc->nactions;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const IamCatAction *a = &svc->actions[mid];
    size_t m = a->lower_len < n ? a->lower_len : n;
    int c = memcmp(a->lower, lower, m);
    if (c == 0) c = a->lower_len < n ? -1 : a->lower_len > n ? 1 : 0;
    if (c == 0) return a;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* First action whose lower name is >= the prefix p[0..n). */
static uint32_t lower_bound(const IamCatService *svc, const char *p, size_t n) {
  uint32_t lo = 0, hi = svc->nactions;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const IamCatAction *a = &svc->actions[mid];
    size_t m = a->lower_len < n ? a->lower_len : n;
    int c = memcmp(a->lower, p, m);
    if (c == 0 && a->lower_len < n) c = -1;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

long iam_cat_actions_matching(const IamCatService *svc, const IamGlobCode *codes, uint32_t n,
                              int (*each)(void *arg, const IamCatAction *a), void *arg) {
  size_t plen = strlen(svc->prefix);
  uint32_t first = 0, last = svc->nactions;
  char prefix[128] = {0};
  size_t npre = 0;
  /* a literal "service:" start: the literal start of the name bounds the range */
  int literal_service = n > plen;
  for (size_t i = 0; literal_service && i < plen; i++)
    if (codes[i] != (unsigned char)svc->prefix[i]) literal_service = 0;
  if (literal_service && codes[plen] == ':') {
    for (uint32_t i = (uint32_t)plen + 1;
         i < n && !IAM_GLOB_IS_WILD(codes[i]) && npre < sizeof prefix; i++)
      prefix[npre++] = (char)codes[i];
    first = lower_bound(svc, prefix, npre);
  } else if (literal_service && !IAM_GLOB_IS_WILD(codes[plen])) {
    return 0; /* "ecsx:..." names another service */
  }
  char stack[256], *text = stack;
  size_t cap = sizeof stack;
  long visited = 0;
  for (uint32_t i = first; i < last; i++) {
    const IamCatAction *a = &svc->actions[i];
    if (npre && (a->lower_len < npre || memcmp(a->lower, prefix, npre) != 0)) break;
    size_t len = plen + 1 + a->lower_len;
    if (len > cap) {
      char *t = iam_malloc(len);
      if (t == NULL) {
        visited = IAM_ENOMEM;
        break;
      }
      if (text != stack) iam_free(text);
      text = t;
      cap = len;
    }
    memcpy(text, svc->prefix, plen);
    text[plen] = ':';
    memcpy(text + plen + 1, a->lower, a->lower_len);
    int m = iam_glob_match_codes_short(codes, n, text, len);
    if (m < 0) {
      visited = m;
      break;
    }
    if (!m) continue;
    visited++;
    int r = each(arg, a);
    if (r < 0) {
      visited = r;
      break;
    }
    if (r > 0) break;
  }
  if (text != stack) iam_free(text);
  return visited;
}
