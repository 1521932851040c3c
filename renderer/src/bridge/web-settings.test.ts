// The web client's preferences in localStorage (vitest runs in Node: a Map stands in for
// the browser's storage), read through the same schema as the desktop's settings file.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppBridge } from './types.ts';
import { createWebBridge } from './web.ts';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

/** The settings, which a browser always has. */
async function settingsOf(bridge: AppBridge) {
  const result = await bridge.getSettings();
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const served = { host: '192.168.1.7:47800', protocol: 'http:', origin: 'http://192.168.1.7:47800' } as Location;
let local: MemoryStorage;

beforeEach(() => {
  local = new MemoryStorage();
  vi.stubGlobal('window', { localStorage: local, sessionStorage: new MemoryStorage() });
});
afterEach(() => vi.unstubAllGlobals());

describe('web client preferences', () => {
  it('start as the defaults and are kept for the next visit', async () => {
    const bridge = createWebBridge(served);
    expect(await settingsOf(bridge)).toMatchObject({ theme: 'system', notifications: false, sound: true, mutedRooms: [] });
    await bridge.updateSettings({ theme: 'dark', sound: false });
    await bridge.updateSettings({ muteRoom: { address: '192.168.1.7:47800', muted: true } });
    expect(await settingsOf(createWebBridge(served))).toMatchObject({ theme: 'dark', notifications: false, sound: false, mutedRooms: ['192.168.1.7:47800'] });
  });

  it('read a damaged entry as the defaults, field by field', async () => {
    local.setItem('hearth.preferences', '{"theme":"dark","sound":"loud"');
    expect(await settingsOf(createWebBridge(served))).toMatchObject({ theme: 'system', sound: true });
    local.setItem('hearth.preferences', JSON.stringify({ theme: 'light', sound: 'loud', mutedRooms: [42] }));
    expect(await settingsOf(createWebBridge(served))).toMatchObject({ theme: 'light', sound: true, mutedRooms: [] });
  });

  it('refuse a change that is not a settings change', async () => {
    const bridge = createWebBridge(served);
    expect(await bridge.updateSettings({ theme: 'purple' } as never)).toMatchObject({ ok: false, error: expect.stringMatching(/^Settings not changed: theme/) });
    expect((await settingsOf(bridge)).theme).toBe('system');
  });
});
