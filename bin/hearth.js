#!/usr/bin/env -S node --max-semi-space-size=4
// The headless Hearth: `hearth host`, `hearth join`, `hearth rooms`. Runs the TypeScript
// sources directly (Node 24 strips the types), so there is nothing to build first.
// `npm run build` also makes out/main/cli.js, the same CLI bundled: it starts faster and
// uses ~30 MB less memory (no type stripping), which is what a release ships.
// The flag in the first line keeps the young generation small: a busy host makes many
// short-lived objects, and a 4 MB semi-space holds its memory near what the room needs.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`hearth needs Node 24 or newer; this is Node ${process.version}.\n`);
  process.exit(1);
}
const { main } = await import('../main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
