/* SPDX-License-Identifier: MIT */
/* Write the fuzz seed corpora from the conformance corpus and the catalog.
** Seeds are generated at build time into build/, never committed.
**
** Usage: mkseeds POLICY_DIR CTX_DIR AGG_DIR EVERY [catalog.json ...] < cases.jsonl
**   Every EVERY-th conformance case (and every hand-written one, whose id has
**   no '-') becomes POLICY_DIR/c<N>: policies RS action RS resource RS context,
**   AGG_DIR/c<N>: the same with its documents as aggregate rows (separated by
**   US, boundary documents after GS; see fuzz_agg.c), and, when its context is
**   not empty, CTX_DIR/c<N>: context RS resource RS action. A whole-request case (with "principal") becomes POLICY_DIR/a<N>:
**   the request without action, resource and context (the object form) RS
**   action RS resource RS context. Each document of a catalog file (every version) becomes
**   POLICY_DIR/d<N>.
** Prints "mkseeds: N policy seeds, N context seeds, N aggregate seeds".
*/
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_seed(const char *dir, const char *prefix, long n, const char *const *parts,
                      int nparts) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s%ld", dir, prefix, n);
  FILE *f = fopen(path, "wb");
  if (f == NULL) {
    fprintf(stderr, "mkseeds: %s: %s\n", path, strerror(errno));
    return -1;
  }
  for (int i = 0; i < nparts; i++) {
    if (i) fputc(0x1e, f);
    fputs(parts[i], f);
  }
  return fclose(f) == 0 ? 0 : -1;
}

/* Append the documents of j (one, or an array of them) to out as rows. */
static void add_rows(cJSON *out, const cJSON *j, int boundary) {
  const cJSON *d = cJSON_IsArray(j) ? j->child : j;
  for (; d; d = cJSON_IsArray(j) ? d->next : NULL) {
    char *t = cJSON_PrintUnformatted(d);
    if (t == NULL) continue;
    size_t n = strlen(t);
    char *row = malloc(n + 2);
    if (row) {
      row[0] = '\x1d';
      memcpy(row + 1, t, n + 1);
      cJSON_AddItemToArray(out, cJSON_CreateString(boundary ? row : row + 1));
      free(row);
    }
    free(t);
  }
}

/* The documents of a case's policies as aggregate rows joined by US, or NULL. */
static char *agg_rows(const cJSON *pol) {
  cJSON *rows = cJSON_CreateArray();
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(pol, "identity");
  if (cJSON_IsObject(pol) && id) {
    add_rows(rows, id, 0);
    const cJSON *bd = cJSON_GetObjectItemCaseSensitive(pol, "boundary");
    if (bd && !cJSON_IsNull(bd)) add_rows(rows, bd, 1);
  } else {
    add_rows(rows, pol, 0);
  }
  size_t total = 1;
  const cJSON *r;
  cJSON_ArrayForEach(r, rows) total += strlen(r->valuestring) + 1;
  char *out = malloc(total), *o = out;
  if (out) {
    *o = 0;
    cJSON_ArrayForEach(r, rows) {
      if (o != out) *o++ = '\x1f';
      strcpy(o, r->valuestring);
      o += strlen(o);
    }
  }
  cJSON_Delete(rows);
  return out;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (buf == NULL) break;
    n += fread(buf + n, 1, cap - n - 1, f);
    if (n < cap - 1) break;
    cap *= 2;
    char *b = realloc(buf, cap);
    if (b == NULL) free(buf);
    buf = b;
  }
  fclose(f);
  if (buf) buf[n] = 0;
  return buf;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr,
            "usage: mkseeds POLICY_DIR CTX_DIR AGG_DIR EVERY [catalog.json ...] < cases.jsonl\n");
    return 2;
  }
  const char *pdir = argv[1], *cdir = argv[2], *adir = argv[3];
  long every = strtol(argv[4], NULL, 10), line_no = 0, np = 0, nc = 0, na = 0;
  if (every < 1) every = 1;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, stdin)) > 0) {
    cJSON *c = cJSON_ParseWithLength(line, (size_t)len);
    line_no++;
    if (c == NULL) continue;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
    int handwritten = cJSON_IsString(id) && strchr(id->valuestring, '-') == NULL;
    if ((handwritten || line_no % every == 0) && cJSON_GetObjectItemCaseSensitive(c, "principal")) {
      /* a whole request: the object form, then action, resource and context */
      cJSON *act = cJSON_DetachItemFromObjectCaseSensitive(c, "action");
      cJSON *res = cJSON_DetachItemFromObjectCaseSensitive(c, "resource");
      cJSON *cx = cJSON_DetachItemFromObjectCaseSensitive(c, "context");
      cJSON_DeleteItemFromObjectCaseSensitive(c, "id");
      cJSON_DeleteItemFromObjectCaseSensitive(c, "expected");
      char *obj = cJSON_PrintUnformatted(c);
      char *ctx = cx && !cJSON_IsNull(cx) ? cJSON_PrintUnformatted(cx) : NULL;
      if (obj && cJSON_IsString(act) && cJSON_IsString(res)) {
        const char *p4[4] = {obj, act->valuestring, res->valuestring, ctx ? ctx : "{}"};
        if (write_seed(pdir, "a", line_no, p4, 4) != 0) return 1;
        np++;
      }
      free(obj);
      free(ctx);
      cJSON_Delete(act);
      cJSON_Delete(res);
      cJSON_Delete(cx);
    } else if (handwritten || line_no % every == 0) {
      const cJSON *act = cJSON_GetObjectItemCaseSensitive(c, "action");
      const cJSON *res = cJSON_GetObjectItemCaseSensitive(c, "resource");
      char *pol = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(c, "policies"));
      char *ctx = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(c, "context"));
      if (pol && ctx && cJSON_IsString(act) && cJSON_IsString(res)) {
        const char *p4[4] = {pol, act->valuestring, res->valuestring, ctx};
        if (write_seed(pdir, "c", line_no, p4, 4) != 0) return 1;
        np++;
        char *rows = agg_rows(cJSON_GetObjectItemCaseSensitive(c, "policies"));
        if (rows) {
          const char *a4[4] = {rows, act->valuestring, res->valuestring, ctx};
          if (write_seed(adir, "c", line_no, a4, 4) != 0) return 1;
          na++;
          free(rows);
        }
        if (strcmp(ctx, "{}") != 0) {
          const char *c3[3] = {ctx, res->valuestring, act->valuestring};
          if (write_seed(cdir, "c", line_no, c3, 3) != 0) return 1;
          nc++;
        }
      }
      free(pol);
      free(ctx);
    }
    cJSON_Delete(c);
  }
  free(line);
  for (int i = 5; i < argc; i++) {
    char *doc = read_file(argv[i]);
    if (doc == NULL) {
      fprintf(stderr, "mkseeds: cannot read %s\n", argv[i]);
      return 1;
    }
    /* a catalog file: every version's document; anything else as it is */
    cJSON *root = cJSON_Parse(doc);
    const cJSON *versions = cJSON_GetObjectItemCaseSensitive(root, "versions"), *v;
    int k = 0;
    cJSON_ArrayForEach(v, versions) {
      char *d = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(v, "document"));
      if (d) {
        const char *p1[1] = {d};
        if (write_seed(pdir, "d", (long)i * 1000 + k++, p1, 1) != 0) return 1;
        np++;
      }
      free(d);
    }
    if (k == 0) {
      const char *p1[1] = {doc};
      if (write_seed(pdir, "d", (long)i * 1000, p1, 1) != 0) return 1;
      np++;
    }
    cJSON_Delete(root);
    free(doc);
  }
  printf("mkseeds: %ld policy seeds, %ld context seeds, %ld aggregate seeds\n", np, nc, na);
  return 0;
}
