/* SPDX-License-Identifier: MIT */
/* Request context parsing (ext/core/SEMANTICS.md, "The request"). */
#include "iam_ctx.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "iam_compact.h"
#include "iam_json.h"
#include "iam_mem.h"
#include "iam_text.h"

/* The draft: the context built in an arena, until it is placed in a block. */
struct IamCtxDraft {
  IamArena arena; /* owns everything c points to */
  IamCtx c;
};

/* Compiled size of a context per input byte (a first arena block that holds
** most contexts whole). */
#define CTX_ARENA_HINT(len) (4 * (len) + 512)

static const IamCtx empty_ctx = {0, NULL, NULL};

const IamCtx *iam_ctx_empty(void) { return &empty_ctx; }

static int cmp_entry(const void *a, const void *b) {
  const IamCtxEntry *x = a, *y = b;
  return strcmp(x->key, y->key);
}

static const char *kind(const cJSON *j) {
  if (cJSON_IsNull(j)) return "null";
  if (cJSON_IsArray(j)) return "an array";
  if (cJSON_IsObject(j)) return "an object";
  return "a value";
}

/* A scalar as text in the arena: 1, 0 if v is not a string, number or
** boolean, SCALAR_NO_TEXT for a number that has no text, or IAM_ENOMEM. */
#define SCALAR_NO_TEXT 2
static int scalar(IamArena *a, const cJSON *v, const char **s, uint32_t *n) {
  char buf[IAM_NUMBER_TEXT_MAX];
  const char *src;
  if (cJSON_IsString(v)) {
    src = v->valuestring;
  } else if (cJSON_IsBool(v)) {
    src = cJSON_IsTrue(v) ? "true" : "false";
  } else if (cJSON_IsNumber(v)) {
    if (!iam_number_text(v->valuedouble, buf, sizeof buf)) return SCALAR_NO_TEXT;
    src = buf;
  } else {
    return 0;
  }
  size_t len = strlen(src);
  *s = iam_arena_strndup(a, src, len);
  *n = (uint32_t)len;
  return *s ? 1 : IAM_ENOMEM;
}

int iam_ctx_draft(const char *text, size_t len, IamCtxDraft **out, IamError *err) {
  const char *end = NULL;
  cJSON *root;
  IamCtxDraft *d;
  IamCtx *c;
  IamArena *a;
  int rc = IAM_OK;
  char q[IAM_QUOTE_MAX];
  *out = NULL;
  size_t tree_bytes;
  if ((rc = iam_json_check(text, len, "context", sizeof(cJSON), &tree_bytes, err)) != IAM_OK)
    return rc;
  void *tree = iam_malloc(tree_bytes); /* stands for cJSON's tree while it lives */
  if (tree == NULL) return IAM_ENOMEM;
  root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
  if (root == NULL) {
    iam_free(tree);
    return iam_json_parse_failed(text, len, end, "context", err);
  }
  if (!cJSON_IsObject(root)) {
    iam_error_set(err, -1, "context must be a JSON object, not %s", kind(root));
    cJSON_Delete(root);
    iam_free(tree);
    return IAM_EINVAL;
  }
  d = iam_malloc(sizeof *d);
  if (d == NULL) {
    cJSON_Delete(root);
    iam_free(tree);
    return IAM_ENOMEM;
  }
  memset(d, 0, sizeof *d);
  a = &d->arena;
  c = &d->c;
  iam_arena_init(a, CTX_ARENA_HINT(len));
  uint32_t n = 0;
  const cJSON *k;
  for (k = root->child; k; k = k->next) n++;
  if (n > IAM_MAX_CTX_KEYS) {
    iam_error_set(err, -1, "context has more than %d keys", IAM_MAX_CTX_KEYS);
    rc = IAM_ELIMIT;
    goto done;
  }
  c->e = iam_arena_alloc(a, (n + 1) * sizeof *c->e);
  if (c->e == NULL) goto nomem;
  for (k = root->child; k; k = k->next) {
    size_t klen = strlen(k->string);
    IamCtxEntry *e = &c->e[c->n];
    char *lk = iam_arena_strndup(a, k->string, klen);
    if (lk == NULL) goto nomem;
    iam_ascii_lower(lk, k->string, klen);
    e->key = lk;
    e->key_len = (uint32_t)klen;
    if (cJSON_IsNull(k)) { /* absent; kept to hide a derived key of the same name */
      e->is_null = 1;
      c->n++;
      continue;
    }
    if (cJSON_IsArray(k)) {
      uint32_t nv = (uint32_t)cJSON_GetArraySize(k), i = 0;
      if (nv > IAM_MAX_CTX_VALUES) {
        iam_error_set(err, -1, "context.%s: more than %d values", k->string, IAM_MAX_CTX_VALUES);
        rc = IAM_ELIMIT;
        goto done;
      }
      e->multi = 1;
      e->val = iam_arena_alloc(a, (nv + 1) * sizeof *e->val);
      e->len = iam_arena_alloc(a, (nv + 1) * sizeof *e->len);
      if (e->val == NULL || e->len == NULL) goto nomem;
      for (const cJSON *v = k->child; v; v = v->next, i++) {
        int r = scalar(a, v, &e->val[i], &e->len[i]);
        if (r == IAM_ENOMEM) goto nomem;
        if (r != 1) {
          iam_error_set(err, -1, "context.%s[%u]: must be a string, number or boolean, not %s",
                        k->string, i, r == SCALAR_NO_TEXT ? "an out-of-range number" : kind(v));
          rc = IAM_EINVAL;
          goto done;
        }
        if (e->len[i] > IAM_MAX_CTX_VALUE_BYTES) {
          iam_error_set(err, -1, "context.%s[%u]: value is %u bytes, over the limit of %d",
                        k->string, i, e->len[i], IAM_MAX_CTX_VALUE_BYTES);
          rc = IAM_ELIMIT;
          goto done;
        }
      }
      e->n = nv;
    } else {
      e->val = iam_arena_alloc(a, sizeof *e->val);
      e->len = iam_arena_alloc(a, sizeof *e->len);
      if (e->val == NULL || e->len == NULL) goto nomem;
      int r = scalar(a, k, &e->val[0], &e->len[0]);
      if (r == IAM_ENOMEM) goto nomem;
      if (r != 1) {
        iam_error_set(err, -1,
                      "context.%s: must be a string, number, boolean, null or an array, not %s",
                      k->string, r == SCALAR_NO_TEXT ? "an out-of-range number" : kind(k));
        rc = IAM_EINVAL;
        goto done;
      }
      if (e->len[0] > IAM_MAX_CTX_VALUE_BYTES) {
        iam_error_set(err, -1, "context.%s: value is %u bytes, over the limit of %d", k->string,
                      e->len[0], IAM_MAX_CTX_VALUE_BYTES);
        rc = IAM_ELIMIT;
        goto done;
      }
      e->n = 1;
    }
    c->n++;
  }
  qsort(c->e, c->n, sizeof *c->e, cmp_entry);
  for (uint32_t i = 1; i < c->n; i++) {
    if (strcmp(c->e[i - 1].key, c->e[i].key) == 0) {
      iam_error_set(err, -1, "context: duplicate key %s (keys ignore case)",
                    iam_quote(q, sizeof q, c->e[i].key, c->e[i].key_len));
      rc = IAM_EINVAL;
      goto done;
    }
  }
  goto done;
nomem:
  rc = IAM_ENOMEM;
done:
  cJSON_Delete(root);
  iam_free(tree);
  if (rc != IAM_OK) {
    iam_ctx_draft_free(d);
    return rc;
  }
  *out = d;
  return IAM_OK;
}

size_t iam_ctx_draft_size(const IamCtxDraft *d) { return iam_compact_ctx(&d->c, NULL); }

const IamCtx *iam_ctx_place(const IamCtxDraft *d, void *dst) {
  iam_compact_ctx(&d->c, dst);
  return dst;
}

void iam_ctx_draft_free(IamCtxDraft *d) {
  if (d == NULL) return;
  iam_arena_free(&d->arena);
  iam_free(d);
}

#ifdef IAM_TESTING
int iam_ctx_parse(const char *text, size_t len, IamCtx **out, IamError *err) {
  IamCtxDraft *d;
  int rc = iam_ctx_draft(text, len, &d, err);
  *out = NULL;
  if (rc != IAM_OK) return rc;
  void *block = iam_malloc(iam_ctx_draft_size(d));
  if (block == NULL)
    rc = IAM_ENOMEM;
  else
    iam_ctx_place(d, block), *out = block;
  iam_ctx_draft_free(d);
  return rc;
}
#endif

const IamCtxEntry *iam_ctx_get(const IamCtx *c, const char *lkey, size_t n) {
  for (; c != NULL; c = c->under) {
    uint32_t lo = 0, hi = c->n;
    while (lo < hi) {
      uint32_t mid = (lo + hi) / 2;
      const IamCtxEntry *e = &c->e[mid];
      size_t m = e->key_len < n ? e->key_len : n;
      int r = memcmp(e->key, lkey, m);
      if (r == 0) r = e->key_len < n ? -1 : e->key_len > n ? 1 : 0;
      if (r == 0) return e->is_null ? NULL : e;
      if (r < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  }
  return NULL;
}
