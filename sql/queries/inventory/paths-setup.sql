-- SPDX-License-Identifier: MIT
-- sql/queries/inventory/paths-setup.sql: the closure of the escalation graph, for the reports
-- 80-escalation-paths.sql and 85-blast-radius.sql. scripts/report.sh runs it once, before the
-- first of them, in the session that runs them all; by hand: cat this file and the reports into
-- one sqlite3 run.
--
-- Needs: the extension, and the graph built by scripts/build-paths.sh (inv_node, inv_edge; the
-- closure inv_reach_hop and the view inv_admin_path of sql/org/paths-schema.sql).
-- Makes (TEMP tables): esc_state (one row: built 1 or 0, and the message when it is not),
-- esc_admin_path_r (inv_admin_path). When the graph is not built, or an
-- import or a rule edit made it stale (esc_build is then empty), it is empty and the reports
-- say so in one row instead of showing an old or empty graph.
CREATE TEMP TABLE esc_state AS
SELECT EXISTS (SELECT 1 FROM esc_build WHERE key = 'built') AS built,
       'the escalation graph is not built, or an import or a rule edit made it stale: run scripts/build-paths.sh DB' AS message;
CREATE TEMP TABLE esc_admin_path_r AS SELECT * FROM inv_admin_path WHERE (SELECT built FROM esc_state);
