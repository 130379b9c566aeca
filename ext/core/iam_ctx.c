/* Request context parsing (spec §2) and policy-variable expansion (spec §5). */
#include "iam_ctx.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const IamCtx empty_ctx = {{NULL, 0, 0}, 0, NULL, 1};

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

/* Scalar to text; returns 0 (and sets err) if v is not a string/number/bool. */
static int scalar(IamCtx *c, const cJSON *v, const char **s, uint32_t *n) {
  char buf[IAM_NUMBER_TEXT_MAX];
  const char *src;
  if (cJSON_IsString(v)) {
    src = v->valuestring;
  } else if (cJSON_IsBool(v)) {
    src = cJSON_IsTrue(v) ? "true" : "false";
  } else if (cJSON_IsNumber(v)) {
    if (!iam_number_text(v->valuedouble, buf, sizeof buf)) return -1;
    src = buf;
  } else {
    return 0;
  }
  size_t len = strlen(src);
  *s = iam_arena_strndup(&c->arena, src, len);
  *n = (uint32_t)len;
  return *s ? 1 : -2;
}

int iam_ctx_parse(const char *text, size_t len, IamCtx **out, IamError *err) {
  const char *end = NULL;
  cJSON *root;
  IamCtx *c;
  int rc = IAM_OK;
  char q[80];
  *out = NULL;
  if ((rc = iam_json_precheck(text, len, "context", err)) != IAM_OK) return rc;
  root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
  if (root == NULL) {
    long pos = end ? (long)(end - text) : -1;
    if (pos >= 0 && (size_t)pos >= len)
      iam_error_set(err, pos, "malformed context JSON: unexpected end of input");
    else
      iam_error_set(err, pos, "malformed context JSON at byte %ld", pos);
    return IAM_EPARSE;
  }
  if (!cJSON_IsObject(root)) {
    iam_error_set(err, -1, "context must be a JSON object, not %s", kind(root));
    cJSON_Delete(root);
    return IAM_EINVAL;
  }
  c = iam_malloc(sizeof *c);
  if (c == NULL) {
    cJSON_Delete(root);
    return IAM_ENOMEM;
  }
  memset(c, 0, sizeof *c);
  iam_arena_init(&c->arena, 4 * len + 512);
  c->refcount = 1;
  uint32_t n = 0;
  const cJSON *k;
  for (k = root->child; k; k = k->next) n++;
  if (n > IAM_MAX_CTX_KEYS) {
    iam_error_set(err, -1, "context has more than %d keys", IAM_MAX_CTX_KEYS);
    rc = IAM_ELIMIT;
    goto done;
  }
  c->e = iam_arena_alloc(&c->arena, (n + 1) * sizeof *c->e);
  if (c->e == NULL) goto nomem;
  for (k = root->child; k; k = k->next) {
    size_t klen = strlen(k->string);
    IamCtxEntry *e = &c->e[c->n];
    char *lk = iam_arena_strndup(&c->arena, k->string, klen);
    if (lk == NULL) goto nomem;
    iam_ascii_lower(lk, k->string, klen);
    e->key = lk;
    e->key_len = (uint32_t)klen;
    if (cJSON_IsNull(k)) { /* absent, but still checked for case duplicates */
      e->n = UINT32_MAX;
      c->n++;
      continue;
    }
    if (cJSON_IsArray(k)) {
      uint32_t nv = (uint32_t)cJSON_GetArraySize(k), i = 0;
      e->multi = 1;
      e->val = iam_arena_alloc(&c->arena, (nv + 1) * sizeof *e->val);
      e->len = iam_arena_alloc(&c->arena, (nv + 1) * sizeof *e->len);
      if (e->val == NULL || e->len == NULL) goto nomem;
      for (const cJSON *v = k->child; v; v = v->next, i++) {
        int r = scalar(c, v, &e->val[i], &e->len[i]);
        if (r == -2) goto nomem;
        if (r <= 0) {
          iam_error_set(err, -1, "context.%s[%u]: must be a string, number or boolean, not %s",
                        k->string, i, r < 0 ? "an out-of-range number" : kind(v));
          rc = IAM_EINVAL;
          goto done;
        }
      }
      e->n = nv;
    } else {
      e->val = iam_arena_alloc(&c->arena, sizeof *e->val);
      e->len = iam_arena_alloc(&c->arena, sizeof *e->len);
      if (e->val == NULL || e->len == NULL) goto nomem;
      int r = scalar(c, k, &e->val[0], &e->len[0]);
      if (r == -2) goto nomem;
      if (r <= 0) {
        iam_error_set(err, -1,
                      "context.%s: must be a string, number, boolean, null or an array, not %s",
                      k->string, r < 0 ? "an out-of-range number" : kind(k));
        rc = IAM_EINVAL;
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
  /* drop null (absent) keys now that duplicates are checked */
  uint32_t w = 0;
  for (uint32_t i = 0; i < c->n; i++)
    if (c->e[i].n != UINT32_MAX) c->e[w++] = c->e[i];
  c->n = w;
  goto done;
nomem:
  rc = IAM_ENOMEM;
done:
  cJSON_Delete(root);
  if (rc != IAM_OK) {
    iam_ctx_free(c);
    return rc;
  }
  *out = c;
  return IAM_OK;
}

void iam_ctx_free(IamCtx *c) {
  if (c == NULL || c == &empty_ctx) return;
  iam_arena_free(&c->arena);
  iam_free(c);
}

const IamCtxEntry *iam_ctx_get(const IamCtx *c, const char *lkey, size_t n) {
  uint32_t lo = 0, hi = c->n;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    const IamCtxEntry *e = &c->e[mid];
    size_t m = e->key_len < n ? e->key_len : n;
    int r = memcmp(e->key, lkey, m);
    if (r == 0) r = e->key_len < n ? -1 : e->key_len > n ? 1 : 0;
    if (r == 0) return e;
    if (r < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

int iam_template_expand(const IamTemplate *t, const IamCtx *c, IamOp *buf, size_t cap, IamOp **ops,
                        uint32_t *n) {
  size_t total = 0;
  /* resolve: a variable is its single value, else its default, else unresolved */
  for (uint32_t i = 0; i < t->nseg; i++) {
    const IamSeg *s = &t->segs[i];
    if (!s->is_var) {
      total += s->n;
      continue;
    }
    const IamCtxEntry *e = iam_ctx_get(c, s->name, s->name_len);
    if (e && !e->multi)
      total += e->len[0];
    else if (s->has_def)
      total += s->def_len;
    else
      return 0;
  }
  IamOp *o = buf;
  if (total > cap) {
    o = iam_malloc(total * sizeof *o);
    if (o == NULL) return -1;
  }
  size_t k = 0;
  for (uint32_t i = 0; i < t->nseg; i++) {
    const IamSeg *s = &t->segs[i];
    if (!s->is_var) {
      memcpy(o + k, s->ops, s->n * sizeof *o);
      k += s->n;
      continue;
    }
    const IamCtxEntry *e = iam_ctx_get(c, s->name, s->name_len);
    const char *v = (e && !e->multi) ? e->val[0] : s->def;
    uint32_t vl = (e && !e->multi) ? e->len[0] : s->def_len;
    for (uint32_t j = 0; j < vl; j++) o[k++] = (unsigned char)v[j]; /* literal text */
  }
  *ops = o;
  *n = (uint32_t)total;
  return 1;
}
