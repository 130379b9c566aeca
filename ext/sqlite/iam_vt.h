/* SPDX-License-Identifier: MIT */
/* Plumbing shared by the table-valued functions (iam_vt_*.c): the vtab and
** cursor base types, argument handling in xBestIndex/xFilter, the policy and
** context lookups through the per-connection cache, and text results built
** with sqlite3_str. Glue only: includes SQLite. */
#ifndef IAM_VT_H
#define IAM_VT_H

#include <stddef.h>
#include <stdint.h>

#include "iam_cache.h"
#include "iam_conn.h"
#include "iam_ctx.h"
#include "iam_policy.h"
#include "iam_sqlite.h"
#include "iam_text.h"

#define IAM_VT_MAX_ARGS 6

typedef struct IamVtCursor IamVtCursor;

/* What distinguishes one table-valued function from another. */
typedef struct IamVtDef {
  const char *name;             /* SQL name, used in error messages */
  const char *schema;           /* CREATE TABLE x(...) with the hidden argument columns last */
  int ncol;                     /* visible columns: argument i is column ncol + i */
  int nargs;                    /* hidden argument columns */
  int nrequired;                /* the first nrequired arguments must be given */
  const char *const *arg_names; /* nargs names, as in "policy must be text" */
  int parse_flags;              /* iam_policy_parse flags */
  size_t cursor_size;           /* sizeof the module's cursor (starts with IamVtCursor) */
  /* Drop the module's per-filter state (may be NULL). Called on reset and close. */
  void (*reset)(IamVtCursor *cur);
  /* Drop what the module keeps for the cursor's lifetime (may be NULL): called
  ** on close, after reset. */
  void (*close)(IamVtCursor *cur);
  /* Instead of compiling the policy in arg[0] (cur->p) before first, load
  ** what the module needs itself (may be NULL): SQLITE_OK or an error set. */
  int (*load)(IamVtCursor *cur);
  /* Position on the first row after the policy is loaded; sets cur->eof. */
  int (*first)(IamVtCursor *cur);
  /* For iam_vt_items_first/next: the rows of one statement (may be NULL). */
  uint32_t (*nitems)(const IamStatement *s);
} IamVtDef;

/* Every table starts with these statement columns. */
#define IAM_VT_COL_POLICY_INDEX    0
#define IAM_VT_COL_STATEMENT_INDEX 1
#define IAM_VT_COL_SID             2
#define IAM_VT_COL_EFFECT          3

typedef struct IamVtab {
  sqlite3_vtab base;
  sqlite3 *db;   /* the connection (for modules that read tables) */
  IamConn *conn; /* borrowed: the module's pAux outlives every vtab */
  const IamVtDef *def;
} IamVtab;

struct IamVtCursor {
  sqlite3_vtab_cursor base;
  IamCacheEntry *pe;          /* one reference on the compiled policy, or NULL */
  const IamPolicy *p;         /* borrowed from pe */
  char *arg[IAM_VT_MAX_ARGS]; /* copies of the argument texts (hidden columns) or NULL */
  size_t arg_len[IAM_VT_MAX_ARGS];
  uint32_t i, j, k; /* position: statement, item within it, sub-item */
  sqlite3_int64 rowid;
  int eof;
};

/* Set the vtab's error message, freeing the previous one. */
void iam_vtab_error(sqlite3_vtab *tab, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The shared module methods. */
int iam_vt_connect(sqlite3 *db, void *pAux, const IamVtDef *def, sqlite3_vtab **ppVtab);
int iam_vt_disconnect(sqlite3_vtab *tab);
int iam_vt_best_index(sqlite3_vtab *tab, sqlite3_index_info *info);
int iam_vt_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **ppCursor);
int iam_vt_close(sqlite3_vtab_cursor *cur);
int iam_vt_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                  sqlite3_value **argv);
int iam_vt_eof(sqlite3_vtab_cursor *cur);
int iam_vt_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid);

/* Row iteration over (statement i, item j) with def->nitems: the first row,
** and xNext. Both set cur->eof. */
int iam_vt_items_first(IamVtCursor *cur);
int iam_vt_items_next(sqlite3_vtab_cursor *cur);

/* xColumn for the statement columns IAM_VT_COL_* of statement s: returns 1 if
** col is one of them (the result is set), else 0. */
int iam_vt_stmt_column(const IamStatement *s, sqlite3_context *ctx, int col);

/* xColumn for a hidden argument column (col >= def->ncol). */
void iam_vt_column_arg(IamVtCursor *cur, sqlite3_context *ctx, int col);

/* The default load: the policy in arg[0] compiled with def->parse_flags
** through the connection's cache (cur->pe, cur->p). SQLITE_OK or an error set. */
int iam_vt_load_policy(IamVtCursor *cur);

/* The request context for argument ai of the cursor: *e receives one
** reference (NULL for a NULL or empty-object argument: *ctx is then the
** shared empty context). Returns SQLITE_OK, SQLITE_ERROR (message set) or
** SQLITE_NOMEM. */
int iam_vt_get_ctx(IamVtCursor *cur, int ai, IamCacheEntry **e, const IamCtx **ctx);

/* The policy type in argument ai (NULL: identity): SQLITE_OK, or SQLITE_ERROR
** with "fn(): policy_type must be one of ..." set. */
int iam_vt_policy_type(IamVtCursor *cur, int ai, IamPolicyType *t);

/* Report a core error as "fn(): message" on the cursor's vtab. */
int iam_vt_core_error(IamVtCursor *cur, int rc, const IamError *err);
/* Report what ended the work of a call without a result (rc < 0: out of
** memory, IAM_EWORK, IAM_EINTERRUPT) on the cursor's vtab, or on ctx in
** xColumn (ctx not NULL); returns the SQLite code to return. */
int iam_vt_call_error(IamVtCursor *cur, sqlite3_context *ctx, int rc, const IamWork *w);

/* Text results: a string for one column value (sqlite3_str_new on ctx's
** database, so SQLITE_LIMIT_LENGTH holds), and a sink that appends to it for
** the core (iam_text.h). iam_vt_str_result finishes s and sets it as the
** result: SQLITE_OK, or the error it raised on ctx (out of memory, too big). */
sqlite3_str *iam_vt_str(sqlite3_context *ctx);
IamSink iam_vt_sink(sqlite3_str *s);
int iam_vt_str_result(sqlite3_str *s, sqlite3_context *ctx);

#endif /* IAM_VT_H */
