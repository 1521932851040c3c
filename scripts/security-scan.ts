// `npm run security-scan`: Doyensec's electronegativity over the desktop app's sources,
// offline. It fails on any HIGH or MEDIUM finding. A finding that was reviewed and stays
// is marked on its line with `// eng-disable CHECK_ID: why`, and docs/security.md says why.
//
// Why the sources, not out/: the scanner's JavaScript walker misses calls in our ES2022
// bundle (it reported the navigation and permission handlers missing while
// out/main/index.js has both); its TypeScript path reads the sources, with their lines.
// Why offline: it downloads translations and Electron's release list when it starts.
// It is a pinned devDependency (so `npm ci` installs it); tools/electronegativity/scan.cjs
// runs it as a library with its HTTP client swapped for one that fails at once; as root it
// also runs inside an empty network namespace.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const scanner = join(root, 'node_modules/@doyensec/electronegativity/package.json');
if (!existsSync(scanner)) {
  console.error('security-scan: electronegativity is not installed; run: npm ci');
  process.exit(2);
}

// What ships in the app, without the tests beside it.
const work = mkdtempSync(join(tmpdir(), 'hearth-scan-'));
const isTest = (path: string) => /\.(test|spec)\.tsx?$/.test(path);
for (const dir of ['main', 'preload', 'renderer']) {
  cpSync(join(root, dir), join(work, dir), { recursive: true, filter: (path) => !isTest(path) });
}
cpSync(join(root, 'package.json'), join(work, 'package.json'));
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

const namespace = `hearth-scan-${process.pid}`;
const isolated = spawnSync('ip', ['netns', 'add', namespace], { stdio: 'ignore' }).status === 0;
const report = join(work, 'report.json');
const scan = [join(root, 'tools/electronegativity/scan.cjs'), work, electronVersion, report];
try {
  console.log(`security-scan: electronegativity on main/, preload/, renderer/ (Electron ${electronVersion}), ${isolated ? `inside the empty network namespace ${namespace}` : 'without a network namespace (needs root); its downloads are stubbed out'}`);
  const [command, args] = isolated ? ['ip', ['netns', 'exec', namespace, process.execPath, ...scan]] : [process.execPath, scan];
  const run = spawnSync(command, args, { encoding: 'utf8' });
  if (run.status !== 0 || !existsSync(report)) {
    console.error(`security-scan: the scanner failed (exit ${run.status})\n${run.stdout}\n${run.stderr}`);
    process.exitCode = 2;
  } else {
    process.exitCode = judge(JSON.parse(readFileSync(report, 'utf8')) as Report);
  }
} finally {
  if (isolated) execFileSync('ip', ['netns', 'del', namespace]);
  rmSync(work, { recursive: true, force: true });
}

interface Report {
  checks: number;
  findings: Array<{ id: string; severity: string; confidence: string; file: string; line: number; column: number }>;
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
}

function judge({ checks, findings, errors }: Report): number {
  for (const f of findings) console.log(`  ${f.severity.padEnd(13)} ${f.id.padEnd(28)} ${f.file}:${f.line}`);
  // A file it could not parse is a file it did not check.
  for (const e of errors) console.log(`  ${e.tolerable ? 'PARSE WARNING' : 'PARSE ERROR'} ${e.file}: ${e.message}`);
  const blocking = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
  const unread = errors.filter((e) => !e.tolerable);
  console.log(
    `security-scan: ${checks} checks, ${findings.length} findings, ${blocking.length} high or medium, ${unread.length} files unreadable` +
      (findings.length > blocking.length ? ' (the low and informational ones are explained in docs/security.md)' : ''),
  );
  return blocking.length === 0 && unread.length === 0 ? 0 : 1;
}
