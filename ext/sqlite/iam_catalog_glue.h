/* SPDX-License-Identifier: MIT */
/* The action catalog and the lint lists, read from the database a query runs
** in: the tables service, action, resource_type, action_resource_type,
** condition_key, action_condition_key (sql/actions.sql) and the lint_* tables
** (sql/lint/tables.sql), wherever the connection resolves those names (main,
** temp, attached). Services are read when first asked for and kept until
** iam_glue_catalog_close: one table-valued-function cursor (one query) or one
** scalar call sees one snapshot. */
#ifndef IAM_CATALOG_GLUE_H
#define IAM_CATALOG_GLUE_H

#include "iam_access.h"
#include "iam_cache.h"
#include "iam_catalog.h"
#include "iam_conn.h"
#include "iam_lint.h"
#include "iam_sqlite.h"

typedef struct IamGlueCatalog IamGlueCatalog;

/* A catalog reader on db; NULL when out of memory. */
IamGlueCatalog *iam_glue_catalog_open(sqlite3 *db);
void iam_glue_catalog_close(IamGlueCatalog *c);

/* The catalog, or NULL when its tables are not in the database (*missing
** then names them, e.g. "service, action"). Returns SQLITE_OK, or an error
** (SQLITE_NOMEM) with nothing set. */
int iam_glue_catalog_get(IamGlueCatalog *c, const IamCatalog **out, const char **missing);

/* The lint lists (each has_... says whether its table is there). SQLITE_OK
** or an error. */
int iam_glue_catalog_lists(IamGlueCatalog *c, const IamLintLists **out);

/* The SQLite error of the last failed read, after a callback returned
** IAM_ENOMEM for it (a read that failed for another reason than memory):
** SQLITE_OK when memory was the reason. The message is in *msg (owned by c). */
int iam_glue_catalog_error(IamGlueCatalog *c, const char **msg);

/* Shared by iam_new_access() and iam_grants_new_access(): compile old and new
** (documents or arrays of type t) through the connection's cache, read the
** catalog through *cat (opened on db when NULL; the caller closes it) and
** compare. SQLITE_OK (*old_e, *new_e hold references and *rows the result,
** which the caller releases), or an error, with *errmsg (sqlite3_malloc'd)
** naming old or new when a policy is invalid. */
int iam_glue_new_access(IamConn *conn, sqlite3 *db, IamGlueCatalog **cat, const char *old_s,
                        size_t old_n, const char *new_s, size_t new_n, const IamPolicyType *t,
                        IamCacheEntry **old_e, IamCacheEntry **new_e, IamNewAccessList **rows,
                        char **errmsg);

#endif /* IAM_CATALOG_GLUE_H */
