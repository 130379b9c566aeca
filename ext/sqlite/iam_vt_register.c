/* Registration of the table-valued functions (eponymous virtual tables):
** one aMod[] entry per module, each holding a reference on the connection's
** IamConn (the policy and context caches shared with the scalar functions). */
#include "iam_vt.h"

static const struct {
  const char *name;
  const sqlite3_module *module;
} aMod[] = {
    /* clang-format off */
    {"iam_statements", &iam_statements_module},
    {"iam_actions", &iam_actions_module},
    {"iam_resources", &iam_resources_module},
    {"iam_conditions", &iam_conditions_module},
    {"iam_explain", &iam_explain_module},
    /* clang-format on */
};

int iam_register_vtabs(sqlite3 *db, IamConn *conn, char **pzErrMsg) {
  for (size_t i = 0; i < sizeof aMod / sizeof aMod[0]; i++) {
    conn->refs++; /* released by SQLite through iam_conn_unref, also on failure */
    int rc = sqlite3_create_module_v2(db, aMod[i].name, aMod[i].module, conn, iam_conn_unref);
    if (rc != SQLITE_OK) {
      if (pzErrMsg)
        *pzErrMsg =
            sqlite3_mprintf("iam: cannot register %s: %s", aMod[i].name, sqlite3_errmsg(db));
      return rc;
    }
  }
  return SQLITE_OK;
}
