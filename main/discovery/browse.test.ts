import { describe, expect, it } from 'vitest';
import { RoomBrowser } from './browse.ts';

describe('a browser with no network', () => {
  it('waits for one instead of giving up, and says why', async () => {
    // An interface that is not there (yet): nothing to open, so the browser is offline.
    const browser = new RoomBrowser({ interfaces: ['hearth-test0'], followIntervalMs: 50 });
    const status = await browser.start();
    expect(status).toEqual({ state: 'offline', reason: 'hearth-test0 has no IPv4 address yet (discovery starts when it gets one)' });
    await new Promise((r) => setTimeout(r, 120));
    expect(browser.status.state).toBe('offline');
    await browser.stop();
    expect(browser.status.state).toBe('stopped');
  });
});
