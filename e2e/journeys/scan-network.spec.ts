// "Nobody appears" (issue #14, Beyond multicast): on machine A a room runs without
// announcing itself, as if the network filtered multicast; on machine B the room list stays
// empty until "Scan this network" asks every address of the subnet, and then it can be joined.
import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canCreateNamespaces, createSwitchedLab, type Lab } from '../../test/netns/netns.ts';
import { startLanMachine, type LanMachine } from '../harness/lan-machine.ts';
import { useTestIdentity } from '../harness/test-identities.ts';
import { spawnHost, type Proc } from '../../test/support/cli.ts';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

// Not tagged @desktop: the renderer runs in Chromium inside the namespaces (web project only).
test('a room multicast cannot find is found by scanning the network, and joined', async ({ shot }) => {
  // The two machines are network namespaces (so the scan never touches the real network):
  // without root / CAP_NET_ADMIN they cannot be made, and the journey says it was skipped.
  test.skip(!(await canCreateNamespaces()), 'skipped: cannot create network namespaces (needs root / CAP_NET_ADMIN)');
  test.setTimeout(90_000);
  const lab: Lab = await createSwitchedLab(['a', 'b']);
  const data = mkdtempSync(join(tmpdir(), 'hearth-scan-journey-'));
  let host: Proc | undefined;
  let machine: LanMachine | undefined;
  try {
    const a = lab.hosts['a']!;
    const subnet = `${a.addresses['lan']!.split('.').slice(0, 3).join('.')}.0/24`;
    // A host Chromium can pin in this project (the app's own pinning is the main process's, which a browser stand-in lacks).
    useTestIdentity(data, 'a');
    ({ proc: host } = await spawnHost(['--data', data, '--room', 'Attic', '--port', '47800'], { netns: a.name, mdns: false }));
    machine = await startLanMachine(lab.hosts['b']!.name, 'Bea');
    const page = machine.page;
    const lobby = new LobbyPage(page);
    await expect(page.getByText('No rooms yet.')).toBeVisible();

    await page.getByRole('button', { name: 'Scan this network' }).click();
    await expect(page.locator('#scan-status')).toHaveText(`Found 1 room by scanning ${subnet}.`, { timeout: 10_000 });
    const listed = lobby.roomsList.getByRole('button', { name: /^Attic, 0 people/ });
    await expect(listed).toBeVisible();
    await expect(listed).toContainText(a.addresses['lan']!);
    await shot(page, '60-scan-found');
    // The new buttons and the scan's sentence read well in both themes.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${scheme}: ${v.id} ${v.nodes.map((n) => n.html).join(", ")}`)).toEqual([]);
    }
    await shot(page, '62-scan-found-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole('button', { name: 'Scan this network' }).scrollIntoViewIfNeeded();
    await shot(page, '61-scan-found-phone');
    await page.setViewportSize({ width: 1180, height: 760 });

    await listed.click();
    const bea = new RoomPage(page);
    await bea.waitConnected();
    await bea.say('found you without multicast');
    await bea.expectMessage('found you without multicast');
  } finally {
    await machine?.close();
    host?.kill('SIGKILL');
    await host?.exit;
    rmSync(data, { recursive: true, force: true });
    await lab.cleanup();
  }
});
