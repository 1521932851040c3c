// The built preload, out/preload/index.cjs, as a sandboxed renderer runs it: in a fresh vm
// context whose only way out is require('electron') (a recording contextBridge and
// ipcRenderer). It must need nothing else, and put exactly the contract of common/ipc.ts on
// window.hearth: every call and event listed there, nothing more, and no raw ipcRenderer.
import { readFileSync } from 'node:fs';
import { runInContext, createContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../common/ipc.ts';
import { PRELOAD_BUNDLE, requireBuild } from './support/bundle.ts';

type Listener = (event: unknown, ...args: unknown[]) => void;

interface Exposed {
  shell: unknown;
  invoke(channel: string, args: unknown): Promise<unknown>;
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

/** Run the preload; return what it exposed and what it did with electron. */
function runPreload() {
  const required: string[] = [];
  const touched: string[] = [];
  const exposed: Array<{ key: string; api: unknown }> = [];
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<Listener>>();
  const removed: Array<{ channel: string; listener: Listener }> = [];

  const record = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(obj, prop) {
        if (typeof prop === 'string' && !(prop in obj)) touched.push(`${name}.${prop}`);
        return Reflect.get(obj, prop);
      },
    });
  const ipcRenderer = record('ipcRenderer', {
    invoke: (channel: string, ...args: unknown[]) => {
      invoked.push({ channel, args });
      return Promise.resolve({ ok: true, value: `answer to ${channel}` });
    },
    on: (channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
      return ipcRenderer;
    },
    removeListener: (channel: string, listener: Listener) => {
      removed.push({ channel, listener });
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  });
  const contextBridge = record('contextBridge', {
    exposeInMainWorld: (key: string, api: unknown) => void exposed.push({ key, api }),
  });
  const electron = record('electron', { contextBridge, ipcRenderer });

  const require = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`Cannot find module '${name}' (a sandboxed preload can only require electron)`);
    return electron;
  };
  const module = { exports: {} };
  // A context of its own: no Node globals (process, Buffer, require) unless passed below.
  const context = createContext({});
  const source = readFileSync(PRELOAD_BUNDLE, 'utf8');
  const wrapper = runInContext(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, context, { filename: PRELOAD_BUNDLE }) as (
    ...args: unknown[]
  ) => void;
  wrapper(module.exports, require, module, '/preload/index.cjs', '/preload');
  return { required, touched, exposed, invoked, listeners, removed, ipcRenderer };
}

/** Every value reachable from `value` (own properties, functions included). */
function reachable(value: unknown, seen = new Set<unknown>()): Set<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return seen;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && 'value' in descriptor) reachable(descriptor.value, seen);
  }
  return seen;
}

describe('out/preload/index.cjs in a sandbox-like vm context', () => {
  let run: ReturnType<typeof runPreload>;
  let hearth: Exposed;

  beforeAll(() => {
    requireBuild();
    run = runPreload();
    hearth = run.exposed[0]?.api as Exposed;
  });

  it('requires electron and nothing else, and uses only contextBridge.exposeInMainWorld and ipcRenderer.invoke/on/removeListener', () => {
    expect(new Set(run.required)).toEqual(new Set(['electron']));
    // Exercise everything before judging what it touched.
    void hearth.invoke(INVOKE_CHANNELS[0], null);
    hearth.on(EVENT_CHANNELS[0], () => {})();
    expect(run.touched).toEqual([]);
  });

  it('exposes one object, window.hearth: shell, invoke and on', () => {
    expect(run.exposed.map((e) => e.key)).toEqual(['hearth']);
    expect(Object.keys(hearth).sort()).toEqual(['invoke', 'on', 'shell']);
    expect(hearth.shell).toBe('electron');
    expect(typeof hearth.invoke).toBe('function');
    expect(typeof hearth.on).toBe('function');
  });

  it('hands the page no part of ipcRenderer', () => {
    const exposedValues = reachable(hearth);
    for (const [name, value] of Object.entries({ ipcRenderer: run.ipcRenderer, ...run.ipcRenderer })) {
      expect(exposedValues.has(value), `window.hearth reaches ipcRenderer${name === 'ipcRenderer' ? '' : `.${name}`}`).toBe(false);
    }
  });

  it('passes every call of common/ipc.ts to ipcRenderer.invoke, and refuses any other', async () => {
    for (const channel of INVOKE_CHANNELS) {
      const args = { probe: channel };
      expect(await hearth.invoke(channel, args)).toEqual({ ok: true, value: `answer to ${channel}` });
      expect(run.invoked.at(-1)).toEqual({ channel, args: [args] });
    }
    const before = run.invoked.length;
    for (const channel of ['evil:channel', 'host:start ', 'HOST:START', '__proto__', 'constructor', ...EVENT_CHANNELS]) {
      expect(await hearth.invoke(channel, null), channel).toMatchObject({ ok: false });
    }
    expect(run.invoked.length).toBe(before);
  });

  it('subscribes to every event of common/ipc.ts (payload only, no IPC event), unsubscribes, and ignores any other', () => {
    for (const channel of EVENT_CHANNELS) {
      const heard: unknown[][] = [];
      const off = hearth.on(channel, (...args: unknown[]) => heard.push(args));
      const registered = [...(run.listeners.get(channel) ?? [])];
      expect(registered, channel).toHaveLength(1);
      registered[0]!({ sender: 'the IPC event, with ipcRenderer on it' }, { payload: channel });
      expect(heard).toEqual([[{ payload: channel }]]);
      off();
      expect(run.listeners.get(channel)?.size ?? 0, `${channel} still subscribed after unsubscribe`).toBe(0);
    }
    for (const channel of ['evil:event', ...INVOKE_CHANNELS]) {
      const off = hearth.on(channel, () => {});
      expect(typeof off).toBe('function');
      expect(run.listeners.get(channel)?.size ?? 0, channel).toBe(0);
    }
  });
});
