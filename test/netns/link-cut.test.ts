// The network goes away for 20 s mid-conversation (the link between two namespaced
// machines is taken down), then comes back. People notice within their heartbeat, the host
// drops the dead connections, and everyone resumes soon after the repair with nothing lost
// or doubled: what was said meanwhile arrives, what was typed meanwhile is sent.
import { afterAll, expect, it } from 'vitest';
import { Proc, spawnHost } from '../support/cli.ts';
import { tempDir } from '../support/host.ts';
import { canCreateNamespaces, createLab, type Lab } from './netns.ts';

const namespacesOk = await canCreateNamespaces();
if (!namespacesOk) console.log('skipped: cannot create network namespaces (needs root / CAP_NET_ADMIN)');

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

it.skipIf(!namespacesOk)('survives a 20-second link cut: notice, drop, resume, lose nothing', async () => {
  const lab: Lab = await createLab(['a', 'b'], [['a', 'b']]);
  cleanups.push(() => lab.cleanup());
  const a = lab.hosts['a']!;
  const b = lab.hosts['b']!;
  const data = tempDir();
  cleanups.push(() => data.remove());
  const host = await spawnHost(['--room', 'Link', '--port', '47850', '--data', data.path, '--heartbeat', '3'], { netns: a.name });
  const join = (netns: string, address: string, name: string) => {
    const p = new Proc(['join', address, '--name', name, '--heartbeat', '2'], {}, netns);
    cleanups.push(async () => {
      p.kill('SIGKILL');
      await p.exit;
    });
    return p;
  };
  cleanups.push(async () => {
    host.proc.kill('SIGKILL');
    await host.proc.exit;
  });
  const al = join(a.name, '127.0.0.1:47850', 'Al');
  await al.waitForLine(/Joined "Link" as Al/);
  const bea = join(b.name, `${a.addresses['a-b']}:47850`, 'Bea');
  await bea.waitForLine(/Joined "Link" as Bea/);
  bea.write('before the cut');
  await al.waitForLine(/Bea: before the cut/);

  const cutAt = Date.now();
  await lab.setLink('b', 'a-b', false);
  al.write('said during the cut');
  await al.waitForLine(/you: said during the cut/);
  bea.write('typed during the cut');
  const noticed = await bea.waitForLine(/no answer from the host|connection lost|cannot reach the host/, 15_000);
  const noticedMs = Date.now() - cutAt;
  await al.waitForLine(/-- Bea lost connection/, 15_000);
  const droppedMs = Date.now() - cutAt;

  await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - cutAt))));
  const repairedAt = Date.now();
  await lab.setLink('b', 'a-b', true);
  await bea.waitForLine(/-- reconnected/, 15_000);
  const resumedMs = Date.now() - repairedAt;
  await bea.waitForLine(/Al: said during the cut/, 5000);
  await al.waitForLine(/Bea: typed during the cut/, 5000);
  console.log(`link cut 20 s: Bea noticed after ${(noticedMs / 1000).toFixed(1)} s ("${noticed.replace(/^-- /, '')}"), the host dropped her after ${(droppedMs / 1000).toFixed(1)} s, she resumed ${(resumedMs / 1000).toFixed(1)} s after the repair`);

  expect(noticedMs).toBeLessThan(10_000);
  expect(resumedMs).toBeLessThan(6_000);
  expect(bea.lines.filter((l) => l.includes('said during the cut'))).toHaveLength(1);
  expect(al.lines.filter((l) => l.includes('typed during the cut'))).toHaveLength(1);
}, 90_000);
