// SPDX-License-Identifier: MIT
// The command-line conventions of the scripts (scripts/lib.sh) for the node helpers: -h/--help,
// --version, -q/--quiet, -- ; an unknown option is a usage error (exit 2).
'use strict';
const fs = require('fs');
const path = require('path');

// parse(NAME, USAGE, MIN, MAX): the positional arguments; handles the common options and exits
// for --help, --version and usage errors. Returns { args, quiet }.
function parse(name, usage, min, max) {
  const args = [];
  let quiet = false;
  const argv = process.argv.slice(2);
  const usageError = (msg) => {
    process.stderr.write(`${name}: ${msg}\nTry 'node scripts/${name}.js --help'.\n`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { args.push(...argv.slice(i + 1)); break; }
    if (a === '-h' || a === '--help') { process.stdout.write(usage); process.exit(0); }
    if (a === '--version') {
      const v = fs.readFileSync(path.join(__dirname, '..', 'VERSION'), 'utf8').trim();
      process.stdout.write(`sqlite-iam ${v}\n`);
      process.exit(0);
    }
    if (a === '-q' || a === '--quiet') { quiet = true; continue; }
    if (a.length > 1 && a.startsWith('-')) usageError(`unknown option '${a}'`);
    args.push(a);
  }
  if (args.length < min || args.length > max) usageError(`needs ${min === max ? min : `${min} to ${max}`} arguments`);
  return { args, quiet };
}

module.exports = { parse };
