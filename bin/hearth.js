#!/usr/bin/env node
// The headless Hearth: `hearth host`, `hearth join`. Runs the TypeScript sources directly;
// Node 24 strips the types itself, so there is nothing to build first.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`hearth needs Node 24 or newer; this is Node ${process.version}.\n`);
  process.exit(1);
}
const { main } = await import('../main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
