// Runs electronegativity as a library and writes its findings as JSON, severity included:
// its CSV writer races the header against the rows (two async writes to one file), and
// its SARIF has no severity. Used by scripts/security-scan.ts.
//   node scan.cjs <directory to scan> <Electron version> <output.json>
'use strict';

const { writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');

// The scanner is a devDependency of Hearth, so `npm ci` installs it with everything else.
const scanner = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const dist = join(scanner, 'dist');

// Its got is swapped for the offline stand-in here, before any of its modules load, rather
// than by an npm override: a nested override to a local folder resolves the folder from the
// wrong place (npm/cli#5078), and a global one would also replace the got electron-builder
// downloads Electron with.
function preload(request, exports) {
  const filename = require.resolve(request, { paths: [scanner] });
  const standIn = new Module(filename);
  standIn.filename = filename;
  standIn.loaded = true;
  standIn.exports = exports;
  require.cache[filename] = standIn;
}
preload('got', require('./offline-got.cjs'));

async function main() {
  const [input, electronVersion, output] = process.argv.slice(2);
  await require(`${dist}/locales/i18n.js`)(); // defines the global __() its checks use
  const run = require(`${dist}/runner.js`);
  const result = await run(
    {
      input,
      customScan: [],
      // It only compares versions against a list it downloads.
      excludeFromScan: ['availablesecurityfixesglobalcheck'],
      isRelative: true,
      isVerbose: false,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  );
  const findings = result.issues.map((i) => ({
    id: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    file: i.file,
    line: i.location.line,
    column: i.location.column,
    sample: i.sample,
  }));
  writeFileSync(output, JSON.stringify({ checks: result.globalChecks + result.atomicChecks, findings, errors: result.errors }, null, 2));
}

main().catch((error) => {
  console.error(error.stack);
  process.exit(1);
});
