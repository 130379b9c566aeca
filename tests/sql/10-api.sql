-- The SQL surface of the extension: exactly these functions and modules.
.echo on
.headers off
.mode list
.nullvalue NULL
SELECT name, narg, flags & 0x800 AS deterministic FROM pragma_function_list WHERE name LIKE 'iam%' ORDER BY 1, 2;
SELECT name FROM pragma_module_list WHERE name LIKE 'iam%' ORDER BY 1;
SELECT iam_version() = '0.1.0' OR iam_version() GLOB '[0-9]*.[0-9]*.[0-9]*';
SELECT iam_debug() LIKE 'version=%';
