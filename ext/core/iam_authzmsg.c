/* SPDX-License-Identifier: MIT */
/* Authorization-failure messages (iam_authzmsg.h): the decoded message read
** with cJSON, checked member by member, and written out as a whole-request
** object. The third parser of the core, beside the policy and context ones. */
#include "iam_authzmsg.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iam_json.h"
#include "iam_mem.h"
#include "iam_text.h"

#define PATH_MAX_LEN 160 /* "DecodedMessage.context.conditions.items[4095].values.items[…]" */

typedef struct Item {
  const char *key;
  const cJSON *values; /* the array values.items (NULL: no values) */
  uint32_t index;      /* position in conditions.items */
} Item;

typedef struct Msg {
  IamError *err;
  const char *at; /* "" or "DecodedMessage." */
  Item *items;
  uint32_t nitems;
} Msg;

static const char *kind(const cJSON *j) {
  if (j == NULL) return "missing";
  if (cJSON_IsNull(j)) return "null";
  if (cJSON_IsString(j)) return "a string";
  if (cJSON_IsNumber(j)) return "a number";
  if (cJSON_IsBool(j)) return "a boolean";
  if (cJSON_IsArray(j)) return "an array";
  return "an object";
}

static int invalid(Msg *m, const char *path, const char *what, const cJSON *j) {
  iam_error_set(m->err, -1, "%s%s: must be %s, not %s", m->at, path, what, kind(j));
  return IAM_EINVAL;
}

/* ASCII case-insensitive order of item keys (condition keys ignore case). */
static int ascii_casecmp(const char *a, const char *b) {
  for (;; a++, b++) {
    int x = (unsigned char)*a, y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y || x == 0) return x - y;
  }
}
static int cmp_item(const void *a, const void *b) {
  const Item *x = a, *y = b;
  int r = ascii_casecmp(x->key, y->key);
  return r ? r : (x->index < y->index ? -1 : x->index > y->index);
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A JSON object whose members appear once each (cJSON keeps both copies of a
** repeated member and reads the first; the message is refused instead). The
** names are sorted, so a hostile object with many members costs n log n. */
static int unique_members(Msg *m, const char *path, const cJSON *obj) {
  const char *small[16], **names = small;
  int n = 0, rc = IAM_OK;
  for (const cJSON *c = obj->child; c; c = c->next) n++;
  if (n < 2) return IAM_OK;
  if (n > 16 && (names = iam_malloc((size_t)n * sizeof *names)) == NULL) return IAM_ENOMEM;
  n = 0;
  for (const cJSON *c = obj->child; c; c = c->next) names[n++] = c->string;
  qsort(names, (size_t)n, sizeof *names, cmp_name);
  for (int i = 1; i < n && rc == IAM_OK; i++) {
    if (strcmp(names[i - 1], names[i]) == 0) {
      char q[IAM_QUOTE_MAX];
      /* path "" is the decoded message itself */
      iam_error_set(m->err, -1, "%.*s%s: duplicate member %s",
                    path[0] ? (int)strlen(m->at) : (int)strlen(m->at) - 1, m->at, path,
                    iam_quote(q, sizeof q, names[i], strlen(names[i])));
      rc = IAM_EINVAL;
    }
  }
  if (names != small) iam_free(names);
  return rc;
}

/* A required non-empty string member of obj. */
static int text_member(Msg *m, const cJSON *obj, const char *name, const char *path,
                       const char **out) {
  const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, name);
  if (!cJSON_IsString(j) || j->valuestring[0] == 0)
    return invalid(m, path, "a non-empty string", j);
  *out = j->valuestring;
  return IAM_OK;
}

/* An object member that holds {"items": [...]}; *items is NULL when the member
** is absent or null and optional. */
static int items_member(Msg *m, const cJSON *obj, const char *name, const char *path, int optional,
                        const cJSON **items) {
  char p[PATH_MAX_LEN];
  const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, name);
  *items = NULL;
  if (optional && (j == NULL || cJSON_IsNull(j))) return IAM_OK;
  if (!cJSON_IsObject(j)) return invalid(m, path, "an object {\"items\": [...]}", j);
  int rc = unique_members(m, path, j);
  if (rc != IAM_OK) return rc;
  snprintf(p, sizeof p, "%s.items", path);
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(j, "items");
  if (!cJSON_IsArray(it)) return invalid(m, p, "an array", it);
  *items = it;
  return IAM_OK;
}

/* context.conditions.items: every entry {"key": K, "values": {"items": [{"value": V}...]}},
** keys unique ignoring case. Fills m->items (iam_malloc'd). */
static int read_items(Msg *m, const cJSON *items) {
  char p[PATH_MAX_LEN];
  uint32_t n = 0, i = 0;
  int rc = IAM_OK;
  for (const cJSON *e = items->child; e; e = e->next) n++;
  if (n > IAM_MAX_CTX_KEYS) {
    iam_error_set(m->err, -1, "%scontext.conditions.items: more than %d keys", m->at,
                  IAM_MAX_CTX_KEYS);
    return IAM_ELIMIT;
  }
  if (n == 0) return IAM_OK;
  m->items = iam_malloc(n * sizeof *m->items);
  if (m->items == NULL) return IAM_ENOMEM;
  for (const cJSON *e = items->child; e; e = e->next, i++) {
    snprintf(p, sizeof p, "context.conditions.items[%u]", i);
    if (!cJSON_IsObject(e)) return invalid(m, p, "an object {\"key\", \"values\"}", e);
    rc = unique_members(m, p, e);
    if (rc != IAM_OK) return rc;
    Item *it = &m->items[i];
    it->index = i;
    snprintf(p, sizeof p, "context.conditions.items[%u].key", i);
    if (text_member(m, e, "key", p, &it->key) != IAM_OK) return IAM_EINVAL;
    snprintf(p, sizeof p, "context.conditions.items[%u].values", i);
    if ((rc = items_member(m, e, "values", p, 0, &it->values)) != IAM_OK) return rc;
    uint32_t k = 0;
    for (const cJSON *v = it->values->child; v; v = v->next, k++) {
      snprintf(p, sizeof p, "context.conditions.items[%u].values.items[%u]", i, k);
      if (!cJSON_IsObject(v)) return invalid(m, p, "an object {\"value\": \"...\"}", v);
      if ((rc = unique_members(m, p, v)) != IAM_OK) return rc;
      const cJSON *s = cJSON_GetObjectItemCaseSensitive(v, "value");
      snprintf(p, sizeof p, "context.conditions.items[%u].values.items[%u].value", i, k);
      if (!cJSON_IsString(s)) return invalid(m, p, "a string", s);
    }
  }
  m->nitems = n;
  /* the same key twice (ignoring case) would be a context no request has */
  Item *sorted = iam_malloc(n * sizeof *sorted);
  if (sorted == NULL) return IAM_ENOMEM;
  memcpy(sorted, m->items, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp_item);
  rc = IAM_OK;
  for (i = 1; i < n && rc == IAM_OK; i++) {
    if (ascii_casecmp(sorted[i - 1].key, sorted[i].key) == 0) {
      char q[IAM_QUOTE_MAX];
      iam_error_set(
          m->err, -1, "%scontext.conditions.items[%u].key: %s is also items[%u] (keys ignore case)",
          m->at, sorted[i].index, iam_quote(q, sizeof q, sorted[i].key, strlen(sorted[i].key)),
          sorted[i - 1].index);
      rc = IAM_EINVAL;
    }
  }
  iam_free(sorted);
  return rc;
}

static const Item *find_item(const Msg *m, const char *key) {
  for (uint32_t i = 0; i < m->nitems; i++)
    if (ascii_casecmp(m->items[i].key, key) == 0) return &m->items[i];
  return NULL;
}

/* A service prefix as IAM writes them: 1 to 64 lower-case letters, digits and '-'. */
static int is_service(const char *s, size_t n) {
  if (n == 0 || n > 64) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-')) return 0;
  return 1;
}

/* The service prefix for an action written without one: the single value of
** aws:Service, else the service field of an ARN resource, if it is shaped as a
** service prefix. n = 0 if neither. */
static void service_of(const Msg *m, const char *resource, const char **svc, size_t *n) {
  const Item *s = find_item(m, "aws:Service");
  *n = 0;
  if (s && cJSON_GetArraySize(s->values) == 1) {
    const char *v = cJSON_GetObjectItemCaseSensitive(s->values->child, "value")->valuestring;
    if (is_service(v, strlen(v))) {
      *svc = v;
      *n = strlen(v);
      return;
    }
  }
  if (strncmp(resource, "arn:", 4) == 0) {
    const char *p = strchr(resource + 4, ':'); /* after the partition */
    const char *e = p ? strchr(p + 1, ':') : NULL;
    if (e && is_service(p + 1, (size_t)(e - p - 1))) {
      *svc = p + 1;
      *n = (size_t)(e - p - 1);
    }
  }
}

static void write_values(const IamSink *out, const cJSON *values) {
  int n = cJSON_GetArraySize(values), first = 1;
  if (n != 1) iam_sink_append(out, "[", 1);
  for (const cJSON *v = values->child; v; v = v->next, first = 0) {
    const char *s = cJSON_GetObjectItemCaseSensitive(v, "value")->valuestring;
    if (!first) iam_sink_append(out, ",", 1);
    iam_json_write_string(out, s, strlen(s));
  }
  if (n != 1) iam_sink_append(out, "]", 1);
}

static int read_message(Msg *m, const cJSON *msg, const IamSink *out) {
  const cJSON *ctx, *pr, *items = NULL;
  const char *arn, *action, *resource, *svc = NULL;
  size_t nsvc = 0;
  int rc;
  if (!cJSON_IsObject(msg)) {
    iam_error_set(m->err, -1, "DecodedMessage: must hold a JSON object, not %s", kind(msg));
    return IAM_EINVAL;
  }
  /* (the message itself was checked by the caller when it is the whole text) */
  if (m->at[0] && (rc = unique_members(m, "", msg)) != IAM_OK) return rc;
  ctx = cJSON_GetObjectItemCaseSensitive(msg, "context");
  if (ctx == NULL) {
    iam_error_set(m->err, -1,
                  "%scontext: missing (not the output of aws sts decode-authorization-message, "
                  "nor its DecodedMessage)",
                  m->at);
    return IAM_EINVAL;
  }
  if (!cJSON_IsObject(ctx)) return invalid(m, "context", "an object", ctx);
  if ((rc = unique_members(m, "context", ctx)) != IAM_OK) return rc;
  pr = cJSON_GetObjectItemCaseSensitive(ctx, "principal");
  if (!cJSON_IsObject(pr))
    return invalid(m, "context.principal", "an object {\"id\", \"arn\"}", pr);
  if ((rc = unique_members(m, "context.principal", pr)) != IAM_OK) return rc;
  if (text_member(m, pr, "arn", "context.principal.arn", &arn) != IAM_OK ||
      text_member(m, ctx, "action", "context.action", &action) != IAM_OK ||
      text_member(m, ctx, "resource", "context.resource", &resource) != IAM_OK)
    return IAM_EINVAL;
  rc = items_member(m, ctx, "conditions", "context.conditions", 1, &items);
  if (rc == IAM_OK && items) rc = read_items(m, items);
  if (rc != IAM_OK) return rc;
  const char *colon = strchr(action, ':');
  if (colon == NULL) {
    service_of(m, resource, &svc, &nsvc);
    if (nsvc == 0) {
      char q[IAM_QUOTE_MAX];
      iam_error_set(m->err, -1,
                    "%scontext.action: %s has no service prefix, and neither an aws:Service key "
                    "nor the resource ARN gives one",
                    m->at, iam_quote(q, sizeof q, action, strlen(action)));
      return IAM_EINVAL;
    }
  } else if (colon == action || colon[1] == 0) {
    char q[IAM_QUOTE_MAX];
    iam_error_set(m->err, -1, "%scontext.action: %s is not shaped 'service:Name'", m->at,
                  iam_quote(q, sizeof q, action, strlen(action)));
    return IAM_EINVAL;
  }
  /* the prefixed action, made before anything is written */
  char *full = NULL;
  if (nsvc) {
    size_t an = strlen(action);
    if ((full = iam_malloc(nsvc + 1 + an + 1)) == NULL) return IAM_ENOMEM;
    memcpy(full, svc, nsvc);
    full[nsvc] = ':';
    memcpy(full + nsvc + 1, action, an + 1);
  }
  /* everything checked: the object */
  iam_sink_puts(out, "{\"principal\":");
  iam_json_write_string(out, arn, strlen(arn));
  iam_sink_puts(out, ",\"action\":");
  if (full) {
    iam_json_write_string(out, full, nsvc + 1 + strlen(action));
    iam_free(full);
  } else {
    iam_json_write_string(out, action, strlen(action));
  }
  iam_sink_puts(out, ",\"resource\":");
  iam_json_write_string(out, resource, strlen(resource));
  iam_sink_puts(out, ",\"context\":{");
  for (uint32_t i = 0; i < m->nitems; i++) {
    if (i) iam_sink_append(out, ",", 1);
    iam_json_write_string(out, m->items[i].key, strlen(m->items[i].key));
    iam_sink_append(out, ":", 1);
    write_values(out, m->items[i].values);
  }
  /* the message names the request's region aws:Region; policies read aws:RequestedRegion */
  const Item *region = find_item(m, "aws:Region");
  if (region && find_item(m, "aws:RequestedRegion") == NULL) {
    iam_sink_puts(out, m->nitems ? ",\"aws:RequestedRegion\":" : "\"aws:RequestedRegion\":");
    write_values(out, region->values);
  }
  iam_sink_puts(out, "}}");
  return IAM_OK;
}

int iam_authz_message(const char *text, size_t len, const IamSink *out, IamError *err) {
  const char *end = NULL;
  cJSON *root, *inner = NULL;
  Msg m = {err, "", NULL, 0};
  int rc;
  size_t tree_bytes;
  void *tree = NULL, *inner_tree = NULL; /* stand for cJSON's trees while they live (iam_json.h) */
  if ((rc = iam_json_check(text, len, "message", sizeof(cJSON), &tree_bytes, err)) != IAM_OK)
    return rc;
  if ((tree = iam_malloc(tree_bytes)) == NULL) return IAM_ENOMEM;
  root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
  if (root == NULL) {
    iam_free(tree);
    rc = iam_json_parse_failed(text, len, end, "message", err);
    size_t i = strspn(text, " \t\r\n");
    if (rc == IAM_EPARSE && i < len && text[i] != '{' && text[i] != '[' && text[i] != '"')
      iam_error_set(err, -1,
                    "message is not JSON: an encoded message (what the failed call printed) "
                    "must be decoded first, with aws sts decode-authorization-message "
                    "--encoded-message ...");
    return rc;
  }
  const cJSON *msg = root;
  if (!cJSON_IsObject(root)) {
    iam_error_set(err, -1, "message must be a JSON object, not %s", kind(root));
    rc = IAM_EINVAL;
    goto done;
  }
  if ((rc = unique_members(&m, "message", root)) != IAM_OK) goto done;
  const cJSON *dm = cJSON_GetObjectItemCaseSensitive(root, "DecodedMessage");
  if (dm != NULL) {
    m.at = "DecodedMessage.";
    if (cJSON_IsString(dm)) {
      const char *s = dm->valuestring;
      size_t n = strlen(s);
      if ((rc = iam_json_check(s, n, "DecodedMessage", sizeof(cJSON), &tree_bytes, err)) != IAM_OK)
        goto done;
      if ((inner_tree = iam_malloc(tree_bytes)) == NULL) {
        rc = IAM_ENOMEM;
        goto done;
      }
      inner = cJSON_ParseWithLengthOpts(s, n + 1, &end, 1);
      if (inner == NULL) {
        rc = iam_json_parse_failed(s, n, end, "DecodedMessage", err);
        goto done;
      }
      msg = inner;
    } else if (cJSON_IsObject(dm)) {
      msg = dm;
    } else {
      iam_error_set(err, -1,
                    "DecodedMessage: must be a string (the decoded message as JSON text) or an "
                    "object, not %s",
                    kind(dm));
      rc = IAM_EINVAL;
      goto done;
    }
  }
  rc = read_message(&m, msg, out);
done:
  iam_free(m.items);
  cJSON_Delete(inner);
  cJSON_Delete(root);
  iam_free(inner_tree);
  iam_free(tree);
  return rc;
}
