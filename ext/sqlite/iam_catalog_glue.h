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

#include "iam_catalog.h"
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

#endif /* IAM_CATALOG_GLUE_H */
