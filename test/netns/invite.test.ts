// A host on two networks, a joiner on only one of them: the address the host ranks first is
// the one the joiner cannot reach. The plain link fails; the invite link `hearth host`
// prints carries the other address too, and `hearth join` gets in through it and says so.
import { afterAll, expect, it } from 'vitest';
import { parseInvite } from '../../common/invite.ts';
import { Proc, spawnHost } from '../support/cli.ts';
import { tempDir } from '../support/host.ts';
import { canCreateNamespaces, createLab } from './netns.ts';

const namespacesOk = await canCreateNamespaces();
if (!namespacesOk) console.log('skipped: cannot create network namespaces (needs root / CAP_NET_ADMIN)');

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function track(proc: Proc): Proc {
  cleanups.push(async () => {
    proc.kill('SIGKILL');
    await proc.exit;
  });
  return proc;
}

it.skipIf(!namespacesOk)('joins through the second address of an invite link when the first is on a network the joiner is not on', async () => {
  // Link 0 (host–elsewhere) comes first in the host's ranking: its interface name sorts first.
  const lab = await createLab(['host', 'joiner', 'elsewhere'], [['host', 'elsewhere'], ['host', 'joiner']]);
  cleanups.push(() => lab.cleanup());
  const host = lab.hosts['host']!;
  const joiner = lab.hosts['joiner']!;
  const unreachable = `${host.addresses['host-elsewhere']}:47860`;
  const reachable = `${host.addresses['host-joiner']}:47860`;
  const data = tempDir();
  cleanups.push(() => data.remove());
  const started = await spawnHost(['--room', 'Two networks', '--port', '47860', '--data', data.path], { netns: host.name });
  track(started.proc);

  const printed = await started.proc.waitForLine(/Invite link with every address: /);
  const link = printed.split(': ').pop()!.trim();
  const invite = parseInvite(link);
  expect(invite.ok && invite.invite.candidates.map((c) => c.display)).toEqual([unreachable, reachable]);
  expect(invite.ok && invite.invite.hostId).toMatch(/^[a-z0-9]{10,32}$/);

  // The plain link (the first address alone) is what people had before: nothing answers.
  const plain = track(new Proc(['join', `http://${unreachable}/`, '--name', 'Jo'], {}, joiner.name));
  expect(await plain.exit).toBe(1);
  expect(plain.errLines.join('\n')).toMatch(new RegExp(`hearth join: Nothing is answering at ${unreachable.replaceAll('.', '\\.')}`));

  const jo = track(new Proc(['join', link, '--name', 'Jo'], {}, joiner.name));
  await jo.waitForLine(new RegExp(`Reached the room at ${reachable.replaceAll('.', '\\.')}; tried first: ${unreachable.replaceAll('.', '\\.')} \\(no answer\\)\\.`), 10_000);
  await jo.waitForLine(/Joined "Two networks" as Jo/);
  jo.write('hello from the other network');
  await jo.waitForLine(/you: hello from the other network/);
}, 60_000);
