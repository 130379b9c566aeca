/* SPDX-License-Identifier: MIT */
/* Compact copies (iam_compact.h) and placing drafts: every field equal to the
** source, every pointer inside the block, decisions unchanged once the draft
** or the source is freed; and the cache entries that hold objects inline. */
#include <stdlib.h>
#include <string.h>

#include "check_iam.h"
#include "iam_cache.h"
#include "iam_compact.h"
#include "iam_eval.h"
#include "iam_mem.h"
#include "iam_template.h"

/* The block a copy must stay inside. */
static const char *blk_lo, *blk_hi;

static void inside(const void *p) {
  ck_assert_msg((const char *)p >= blk_lo && (const char *)p <= blk_hi,
                "pointer outside the block");
}

static void same_bytes(const void *a, const void *c, size_t n) {
  ck_assert_int_eq(a == NULL, c == NULL);
  if (a == NULL) return;
  inside(c);
  inside((const char *)c + n);
  ck_assert_int_eq(memcmp(a, c, n), 0);
}

static void same_cstr(const char *a, const char *c) {
  ck_assert_int_eq(a == NULL, c == NULL);
  if (a) same_bytes(a, c, strlen(a) + 1);
}

static void same_glob(const IamGlob *a, const IamGlob *c) {
  ck_assert_uint_eq(a->n, c->n);
  ck_assert_uint_eq(a->kind, c->kind);
  same_bytes(a->codes, c->codes, a->n * sizeof *a->codes);
  same_bytes(a->lit, c->lit, a->n);
}

static void same_tpl(const IamTemplate *a, const IamTemplate *c) {
  ck_assert_uint_eq(a->len, c->len);
  ck_assert_uint_eq(a->has_vars, c->has_vars);
  ck_assert_uint_eq(a->mode, c->mode);
  ck_assert_uint_eq(a->nparts, c->nparts);
  same_bytes(a->text, c->text, a->len + 1);
  same_glob(&a->glob, &c->glob);
  ck_assert_int_eq(a->parts == NULL, c->parts == NULL);
  for (uint32_t k = 0; a->parts && k < a->nparts; k++) {
    const IamTemplatePart *x = &a->parts[k], *y = &c->parts[k];
    inside(y);
    ck_assert_uint_eq(x->n, y->n);
    ck_assert_uint_eq(x->is_var, y->is_var);
    ck_assert_uint_eq(x->has_def, y->has_def);
    ck_assert_uint_eq(x->name_len, y->name_len);
    ck_assert_uint_eq(x->def_len, y->def_len);
    same_bytes(x->codes, y->codes, x->n * sizeof *x->codes);
    same_bytes(x->name, y->name, x->name_len);
    same_bytes(x->def, y->def, x->def_len);
  }
}

static void same_cond(const IamCond *a, const IamCond *c) {
  ck_assert_int_eq(a->base, c->base);
  ck_assert_uint_eq(a->qual, c->qual);
  ck_assert_uint_eq(a->if_exists, c->if_exists);
  ck_assert_uint_eq(a->block, c->block);
  ck_assert_uint_eq(a->key_len, c->key_len);
  ck_assert_uint_eq(a->nvals, c->nvals);
  same_cstr(a->operator_text, c->operator_text);
  same_cstr(a->key, c->key);
  same_cstr(a->key_lower, c->key_lower);
  for (uint32_t k = 0; k < a->nvals; k++) {
    const IamCondValue *x = &a->vals[k], *y = &c->vals[k];
    inside(y);
    ck_assert_uint_eq(x->ok, y->ok);
    same_tpl(&x->t, &y->t);
    switch ((IamCondFamily)iam_cond_operators[a->base].family) {
      case IAM_FAM_NUMERIC:
        if (!x->ok) break;
        ck_assert_int_eq(x->u.num.sign, y->u.num.sign);
        ck_assert_uint_eq(x->u.num.int_n, y->u.num.int_n);
        ck_assert_uint_eq(x->u.num.frac_n, y->u.num.frac_n);
        same_bytes(x->u.num.int_p, y->u.num.int_p, x->u.num.int_n);
        same_bytes(x->u.num.frac_p, y->u.num.frac_p, x->u.num.frac_n);
        break;
      case IAM_FAM_BINARY:
        ck_assert_uint_eq(x->u.bin.n, y->u.bin.n);
        same_bytes(x->u.bin.bytes, y->u.bin.bytes, x->u.bin.n);
        break;
      case IAM_FAM_DATE: ck_assert_int_eq(x->u.ms, y->u.ms); break;
      case IAM_FAM_IP: ck_assert_int_eq(memcmp(&x->u.ip, &y->u.ip, sizeof x->u.ip), 0); break;
      case IAM_FAM_BOOL:
      case IAM_FAM_NULL: ck_assert_int_eq(x->u.b, y->u.b); break;
      case IAM_FAM_STRING:
      case IAM_FAM_ARN: break;
    }
  }
}

static void same_stmt(const IamStatement *a, const IamStatement *c) {
  ck_assert_uint_eq(a->svc_mask, c->svc_mask);
  ck_assert_uint_eq(a->nact, c->nact);
  ck_assert_uint_eq(a->act_tab_mask, c->act_tab_mask);
  ck_assert_uint_eq(a->nwild, c->nwild);
  ck_assert_uint_eq(a->effect, c->effect);
  ck_assert_uint_eq(a->not_action, c->not_action);
  ck_assert_uint_eq(a->not_resource, c->not_resource);
  ck_assert_uint_eq(a->set, c->set);
  ck_assert_uint_eq(a->nres, c->nres);
  ck_assert_uint_eq(a->ncond, c->ncond);
  ck_assert_uint_eq(a->doc, c->doc);
  ck_assert_uint_eq(a->idx, c->idx);
  ck_assert_uint_eq(a->has_principal, c->has_principal);
  ck_assert_uint_eq(a->not_principal, c->not_principal);
  ck_assert_uint_eq(a->version2012, c->version2012);
  same_cstr(a->sid, c->sid);
  same_cstr(a->principal_json, c->principal_json);
  for (uint32_t i = 0; i < a->nact; i++) {
    inside(&c->act[i]);
    same_glob(&a->act[i], &c->act[i]);
    inside(&c->act_text[i]);
    same_cstr(a->act_text[i], c->act_text[i]);
  }
  same_bytes(a->act_tab, c->act_tab,
             a->act_tab ? ((size_t)a->act_tab_mask + 1) * sizeof *a->act_tab : 0);
  same_bytes(a->act_wild, c->act_wild, a->nwild * sizeof *a->act_wild);
  for (uint32_t i = 0; i < a->nres; i++) {
    inside(&c->res[i]);
    same_tpl(&a->res[i], &c->res[i]);
  }
  for (uint32_t i = 0; i < a->ncond; i++) {
    inside(&c->cond[i]);
    same_cond(&a->cond[i], &c->cond[i]);
  }
}

static void same_policy(const IamPolicy *a, const IamPolicy *c) {
  ck_assert_uint_eq(a->ndocs, c->ndocs);
  ck_assert_uint_eq(a->is_array, c->is_array);
  ck_assert_uint_eq(a->nstmt, c->nstmt);
  ck_assert_uint_eq(a->has_boundary, c->has_boundary);
  ck_assert_uint_eq(a->ndeny, c->ndeny);
  ck_assert_uint_eq(a->nallow, c->nallow);
  ck_assert_uint_eq(a->nballow, c->nballow);
  same_bytes(a->svc, c->svc, a->nstmt * sizeof *a->svc);
  same_bytes(a->deny, c->deny, a->ndeny * sizeof *a->deny);
  same_bytes(a->allow, c->allow, a->nallow * sizeof *a->allow);
  same_bytes(a->ballow, c->ballow, a->nballow * sizeof *a->ballow);
  for (uint32_t i = 0; i < a->nstmt; i++) {
    inside(&c->stmt[i]);
    same_stmt(&a->stmt[i], &c->stmt[i]);
  }
}

/* Every feature that owns memory: arrays of documents, Sid, Principal,
** an indexed action list, NotAction/NotResource, variables with defaults and
** escapes, and each condition family. */
static const char rich[] =
    "{\"identity\":[{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Sid\":\"Many\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::1:root\"},"
    "\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:ListBucket\",\"ec2:Describe*\",\"ecs:"
    "RunTask\","
    "\"ecs:StopTask\",\"iam:PassRole\",\"logs:PutLogEvents\",\"logs:Create?ogStream\",\"sqs:"
    "SendMessage\"],"
    "\"Resource\":[\"arn:aws:s3:::b-${aws:username}/*\",\"arn:aws:s3:::x/${aws:PrincipalTag/team, "
    "'none'}/${*}\","
    "\"arn:aws:ecs:*:*:task-definition/web:*\",\"*\"],"
    "\"Condition\":{\"NumericLessThan\":{\"s3:max-keys\":[\"10.50\",7]},"
    "\"BinaryEquals\":{\"k:bin\":\"aGVsbG8=\"},\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/"
    "8\",\"2001:db8::/32\"]},"
    "\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"},\"Bool\":{\"aws:"
    "SecureTransport\":true},"
    "\"ForAnyValue:StringLike\":{\"aws:TagKeys\":[\"team-${aws:username}\",\"x*\"]}}},"
    "{\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\",\"s3:*\",\"ecs:*\",\"logs:*\",\"ec2:*\"],"
    "\"NotResource\":\"arn:aws:iam::*:role/${aws:username}\","
    "\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"us-east-1\"},"
    "\"Null\":{\"aws:TokenIssueTime\":\"false\"}}}]},"
    "{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":"
    "\"${x}\"}}],"
    "\"boundary\":{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\","
    "\"Resource\":\"*\"}}}";

static const char rich_ctx[] =
    "{\"aws:username\":\"ann\",\"aws:PrincipalTag/team\":\"red\",\"s3:max-keys\":5,"
    "\"k:bin\":\"aGVsbG8=\",\"aws:SourceIp\":\"10.1.2.3\",\"aws:CurrentTime\":\"2026-11-25T00:00:"
    "00Z\","
    "\"aws:SecureTransport\":true,\"aws:TagKeys\":[\"team-ann\",\"y\"],\"aws:RequestedRegion\":"
    "\"us-east-1\","
    "\"aws:TokenIssueTime\":\"2026-11-25T00:00:00Z\",\"Empty\":[]}";

static void *copy_block(size_t n) {
  void *b = malloc(n ? n : 1);
  ck_assert_ptr_nonnull(b);
  blk_lo = b;
  blk_hi = (const char *)b + n;
  return b;
}

START_TEST(test_compact_policy) {
  IamPolicy *p;
  IamPolicyDraft *d;
  IamError err;
  /* p: parsed and placed in its own block; c: a draft placed in ours */
  ck_assert_int_eq(iam_policy_parse(rich, strlen(rich), IAM_PARSE_PRINCIPAL, &p, &err), IAM_OK);
  ck_assert_int_eq(iam_policy_draft(rich, strlen(rich), IAM_PARSE_PRINCIPAL, &d, &err), IAM_OK);
  size_t n = iam_policy_draft_size(d);
  ck_assert_uint_eq(iam_compact_policy(p, NULL), n);
  void *b = copy_block(n);
  const IamPolicy *c = iam_policy_place(d, b);
  ck_assert_ptr_eq(c, b);
  iam_policy_draft_free(d); /* the placed policy owns nothing of the draft */
  same_policy(p, c);
  ck_assert_ptr_nonnull(p->stmt[0].act_tab); /* the index was copied, not rebuilt */

  IamCtx *ctx;
  ck_assert_int_eq(iam_ctx_parse(rich_ctx, strlen(rich_ctx), &ctx, &err), IAM_OK);
  static const char *const req[][2] = {
      {"s3:GetObject", "arn:aws:s3:::b-ann/k"},
      {"s3:GetObject", "arn:aws:s3:::x/red/*"},
      {"ecs:RunTask", "arn:aws:ecs:us-east-1:1:task-definition/web:3"},
      {"logs:CreateLogStream", "arn:aws:logs:us-east-1:1:log-group:g"},
      {"iam:PassRole", "arn:aws:iam::1:role/ann"},
      {"sts:AssumeRole", "arn:aws:iam::1:role/other"},
      {"ec2:DescribeInstances", "*"},
  };
  int decisions[sizeof req / sizeof req[0]];
  for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
    IamRequest r = {req[i][0], strlen(req[i][0]), req[i][1], strlen(req[i][1]), ctx, NULL};
    IamDecision d1, d2;
    int w1, w2;
    ck_assert_int_eq(iam_eval(p, &r, &d1, &w1), IAM_OK);
    ck_assert_int_eq(iam_eval(c, &r, &d2, &w2), IAM_OK);
    ck_assert_int_eq(d1, d2);
    ck_assert_int_eq(w1, w2);
    decisions[i] = (int)d1;
  }
  ck_assert_int_eq(decisions[0], IAM_ALLOW);
  ck_assert_int_eq(decisions[5], IAM_EXPLICIT_DENY);
  /* a copy of a copy owns nothing of its source: still the same once it is gone */
  void *b2 = malloc(n);
  ck_assert_ptr_nonnull(b2);
  ck_assert_uint_eq(iam_compact_policy(c, b2), n);
  blk_lo = b2;
  blk_hi = (const char *)b2 + n;
  same_policy(p, b2);
  free(b);
  c = b2;
  iam_free(p);
  for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
    IamRequest r = {req[i][0], strlen(req[i][0]), req[i][1], strlen(req[i][1]), ctx, NULL};
    IamDecision dec;
    ck_assert_int_eq(iam_eval(c, &r, &dec, NULL), IAM_OK);
    ck_assert_int_eq((int)dec, decisions[i]);
  }
  iam_free(ctx);
  free(b2);
}
END_TEST

START_TEST(test_compact_ctx) {
  IamCtx *x;
  IamCtxDraft *d;
  IamError err;
  ck_assert_int_eq(iam_ctx_parse(rich_ctx, strlen(rich_ctx), &x, &err), IAM_OK);
  ck_assert_int_eq(iam_ctx_draft(rich_ctx, strlen(rich_ctx), &d, &err), IAM_OK);
  size_t n = iam_ctx_draft_size(d);
  ck_assert_uint_eq(iam_compact_ctx(x, NULL), n);
  void *b = copy_block(n);
  const IamCtx *c = iam_ctx_place(d, b);
  ck_assert_ptr_eq(c, b);
  iam_ctx_draft_free(d);
  ck_assert_uint_eq(x->n, c->n);
  for (uint32_t i = 0; i < x->n; i++) {
    const IamCtxEntry *a = &x->e[i], *y = &c->e[i];
    inside(y);
    ck_assert_uint_eq(a->key_len, y->key_len);
    ck_assert_uint_eq(a->multi, y->multi);
    ck_assert_uint_eq(a->n, y->n);
    same_bytes(a->key, y->key, a->key_len + 1);
    same_bytes(a->len, y->len, a->n * sizeof *a->len);
    for (uint32_t k = 0; k < a->n; k++) same_bytes(a->val[k], y->val[k], a->len[k] + 1);
  }
  iam_free(x);
  const IamCtxEntry *e = iam_ctx_get(c, "aws:tagkeys", 11);
  ck_assert_ptr_nonnull(e);
  ck_assert_uint_eq(e->n, 2);
  ck_assert_str_eq(e->val[0], "team-ann");
  e = iam_ctx_get(c, "empty", 5);
  ck_assert_ptr_nonnull(e);
  ck_assert_uint_eq(e->n, 0);
  free(b);
}
END_TEST

START_TEST(test_compact_template) {
  static const char pat[] = "arn:aws:s3:::b-${aws:username, 'x'}/${*}/*";
  IamTemplate *t;
  IamCtx *ctx;
  IamError err;
  ck_assert_int_eq(iam_template_new(pat, strlen(pat), IAM_TEMPLATE_RESOURCE, 1, &t), IAM_OK);
  ck_assert_int_eq(t->has_vars, 1);
  blk_lo = (const char *)t;
  blk_hi = blk_lo + iam_compact_template(t, NULL);
  same_tpl(t, t); /* every piece inside its one block */
  ck_assert_int_eq(iam_ctx_parse(rich_ctx, strlen(rich_ctx), &ctx, &err), IAM_OK);
  static const char hit[] = "arn:aws:s3:::b-ann/*/k", miss[] = "arn:aws:s3:::b-ann/x/k";
  IamWork w;
  iam_work_init(&w, 0, NULL, NULL);
  ck_assert_int_eq(iam_template_match(t, hit, strlen(hit), ctx, &w), 1);
  ck_assert_int_eq(iam_template_match(t, miss, strlen(miss), ctx, &w), 0);
  static const char def[] = "arn:aws:s3:::b-x/*/k";
  ck_assert_int_eq(iam_template_match(t, def, strlen(def), iam_ctx_empty(), &w), 1);
  iam_free(ctx);
  iam_free(t);
}
END_TEST

static const void *build_text(void *dst, const void *arg) {
  strcpy(dst, arg);
  return dst;
}

START_TEST(test_cache_inline) {
  IamHashKey key = {{1, 2, 3, 4}};
  IamCache *c = iam_cache_new(1 << 20, 2, &key);
  const char *k[3] = {"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"};
  IamCacheEntry *held = iam_cache_put(c, k[0], strlen(k[0]), iam_cache_hash(c, k[0], strlen(k[0])),
                                      0, 6, build_text, "obj-a");
  ck_assert_ptr_nonnull(held);
  ck_assert_str_eq(iam_cache_entry_obj(held), "obj-a");
  ck_assert_uint_eq((uintptr_t)iam_cache_entry_obj(held) % IAM_COMPACT_ALIGN, 0);
  for (int i = 1; i < 3; i++) {
    uint64_t h = iam_cache_hash(c, k[i], strlen(k[i]));
    iam_cache_prefetch(c, h);
    iam_cache_prefetch_entry(c, h, strlen(k[i])); /* nothing there yet: harmless */
    iam_cache_entry_unref(
        iam_cache_put(c, k[i], strlen(k[i]), h, 0, 6, build_text, i == 1 ? "obj-b" : "obj-c"));
  }
  /* k[0] was evicted (two entries at most) but our reference keeps it whole */
  ck_assert_ptr_null(
      iam_cache_get(c, k[0], strlen(k[0]), iam_cache_hash(c, k[0], strlen(k[0])), 0));
  ck_assert_str_eq(iam_cache_entry_obj(held), "obj-a");
  iam_cache_entry_unref(held);
  uint64_t h = iam_cache_hash(c, k[2], strlen(k[2]));
  iam_cache_prefetch_entry(c, h, strlen(k[2]));
  IamCacheEntry *e = iam_cache_get(c, k[2], strlen(k[2]), h, 0);
  ck_assert_ptr_nonnull(e);
  ck_assert_str_eq(iam_cache_entry_obj(e), "obj-c");
  iam_cache_entry_unref(e);
  iam_cache_free(c);
}
END_TEST

Suite *compact_suite(void) {
  Suite *s = suite_create("compact");
  TCase *tc = tcase_create("copy");
  tcase_add_test(tc, test_compact_policy);
  tcase_add_test(tc, test_compact_ctx);
  tcase_add_test(tc, test_compact_template);
  tcase_add_test(tc, test_cache_inline);
  suite_add_tcase(s, tc);
  return s;
}
