// Both shells behind one interface: what each can do, and one error policy (types.ts):
// every call resolves to a Result, whether the shell refused or the call never arrived.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bridge, InvokeChannel } from '../../../common/ipc.ts';
import { createDesktopBridge } from './desktop.ts';
import type { AppBridge, Capabilities } from './types.ts';
import { createWebBridge } from './web.ts';

const CAPABILITIES: Array<keyof Capabilities> = ['canHost', 'canDiscover', 'canJoinAnyRoom', 'canOpenDashboard', 'canCheckNetwork', 'pinsHosts'];
const capabilities = (bridge: AppBridge) => Object.fromEntries(CAPABILITIES.map((name) => [name, bridge[name]]));

/** A window.hearth whose every call is answered by `answer`, recording what was asked. */
function fakeHearth(answer: (channel: InvokeChannel, args: unknown) => Promise<unknown>) {
  const calls: Array<[InvokeChannel, unknown]> = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const hearth = {
    shell: 'harness',
    invoke: (channel: InvokeChannel, args: unknown) => {
      calls.push([channel, args]);
      return answer(channel, args);
    },
    on: (channel: string, listener: (payload: unknown) => void) => {
      listeners.set(channel, listener);
      return () => listeners.delete(channel);
    },
  } as unknown as Bridge;
  return { hearth, calls, listeners };
}

describe('the desktop bridge', () => {
  it('can do everything the UI offers', () => {
    const bridge = createDesktopBridge(fakeHearth(async () => ({ ok: true, value: null })).hearth);
    expect(capabilities(bridge)).toEqual({ canHost: true, canDiscover: true, canJoinAnyRoom: true, canOpenDashboard: true, canCheckNetwork: true, pinsHosts: true });
  });

  it('asks the channel of each call and hands its Result back as it is', async () => {
    const { hearth, calls } = fakeHearth(async (channel) => (channel === 'room:moderate' ? { ok: false, error: 'Nobody called Zed is here.' } : { ok: true, value: channel }));
    const bridge = createDesktopBridge(hearth);
    expect(await bridge.openDashboard()).toEqual({ ok: true, value: 'dashboard:open' });
    expect(await bridge.dashboard()).toEqual({ ok: true, value: 'dashboard:get' });
    expect(await bridge.exportHistory('markdown')).toEqual({ ok: true, value: 'room:export' });
    expect(await bridge.checkNetwork()).toEqual({ ok: true, value: 'host:check-network' });
    expect(await bridge.hostingStatus()).toEqual({ ok: true, value: 'host:status' });
    expect(await bridge.setEncryptedOnly(true)).toEqual({ ok: true, value: 'host:set-encrypted-only' });
    expect(await bridge.moderate({ action: 'kick', target: 'Zed' })).toEqual({ ok: false, error: 'Nobody called Zed is here.' });
    expect(await bridge.checkIdentity({ host: '192.168.1.7', port: 47800, expectedId: undefined })).toEqual({ ok: true, value: 'room:identity' });
    expect(await bridge.trustIdentity({ host: '192.168.1.7', port: 47800, fingerprint: 'ab'.repeat(32) })).toEqual({ ok: true, value: 'room:trust' });
    expect(calls).toEqual([
      ['dashboard:open', null],
      ['dashboard:get', null],
      ['room:export', { format: 'markdown' }],
      ['host:check-network', null],
      ['host:status', null],
      ['host:set-encrypted-only', { on: true }],
      ['room:moderate', { action: 'kick', target: 'Zed' }],
      ['room:identity', { host: '192.168.1.7', port: 47800, expectedId: undefined }],
      ['room:trust', { host: '192.168.1.7', port: 47800, fingerprint: 'ab'.repeat(32) }],
    ]);
  });

  it('turns a call that never arrived into a failure, never a rejection', async () => {
    const bridge = createDesktopBridge(
      fakeHearth(async (channel) => {
        if (channel === 'settings:get') throw new Error('No handler registered for settings:get');
        throw 'refused'; // not an Error: what a harness may throw
      }).hearth,
    );
    expect(await bridge.getSettings()).toEqual({ ok: false, error: 'No handler registered for settings:get' });
    for (const call of [bridge.listRooms, bridge.refreshRooms, bridge.hostingStatus, bridge.stopHosting, bridge.openDashboard, bridge.dashboard, bridge.checkNetwork]) {
      expect(await call()).toEqual({ ok: false, error: 'refused' });
    }
    expect(await bridge.checkIdentity({ host: '192.168.1.7', port: 47800 })).toEqual({ ok: false, error: 'refused' });
  });

  it('passes the events on, and stops when asked', () => {
    const { hearth, listeners } = fakeHearth(async () => ({ ok: true, value: null }));
    const bridge = createDesktopBridge(hearth);
    const commands: string[] = [];
    const off = bridge.onCommand((command) => commands.push(command));
    const snapshots: unknown[] = [];
    bridge.onDashboardSnapshot((snapshot) => snapshots.push(snapshot));
    listeners.get('ui:command')!({ command: 'leave-room' });
    listeners.get('dashboard:snapshot')!(null);
    expect(commands).toEqual(['leave-room']);
    expect(snapshots).toEqual([null]);
    off();
    expect(listeners.has('ui:command')).toBe(false);
  });
});

describe('the web bridge', () => {
  beforeEach(() => vi.stubGlobal('window', { localStorage: undefined }));
  afterEach(() => vi.unstubAllGlobals());
  const served = { host: '192.168.1.7:47800', protocol: 'http:', origin: 'http://192.168.1.7:47800' } as Location;

  it('joins the room that served it, and nothing else', () => {
    const bridge = createWebBridge(served);
    expect(capabilities(bridge)).toEqual({ canHost: false, canDiscover: false, canJoinAnyRoom: false, canOpenDashboard: false, canCheckNetwork: false, pinsHosts: false });
    expect(bridge.servedAddress).toMatchObject({ display: '192.168.1.7:47800', wsUrl: 'ws://192.168.1.7:47800/ws', httpUrl: 'http://192.168.1.7:47800/' });
  });

  it('answers what needs the app with a failure that says so', async () => {
    const bridge = createWebBridge(served);
    expect(await bridge.startHosting({ room: 'Kitchen' })).toEqual({ ok: false, error: 'Hosting needs the Hearth app.' });
    expect(await bridge.setEncryptedOnly(true)).toEqual({ ok: false, error: 'Hosting needs the Hearth app.' });
    expect(await bridge.scanRooms()).toEqual({ ok: false, error: 'Scanning the network needs the Hearth app.' });
    expect(await bridge.openDashboard()).toEqual({ ok: false, error: 'The dashboard is part of the Hearth app.' });
    expect(await bridge.moderate({ action: 'unlock' })).toEqual({ ok: false, error: 'The dashboard is part of the Hearth app.' });
    expect(await bridge.checkNetwork()).toEqual({ ok: false, error: 'The network check needs the Hearth app.' });
    expect(await bridge.checkIdentity({ host: '192.168.1.7', port: 47800 })).toEqual({ ok: false, error: "Checking a host's identity needs the Hearth app." });
    expect(await bridge.hostingStatus()).toEqual({ ok: true, value: null });
  });
});
