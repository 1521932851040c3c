// The desktop shell: window.hearth (from the preload, or the e2e harness) behind AppBridge.
import type { Bridge } from '../../../common/ipc.ts';
import type { AppBridge } from './types.ts';

export function createDesktopBridge(hearth: Bridge): AppBridge {
  const unwrap = async <T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: string }>, fallback: T): Promise<T> => {
    const result = await promise;
    return result.ok ? result.value : fallback;
  };
  return {
    kind: 'desktop',
    canHost: true,
    canDiscover: true,
    servedAddress: undefined,
    getSettings: async () => {
      const result = await hearth.invoke('settings:get', null);
      if (!result.ok) throw new Error(result.error);
      return result.value;
    },
    updateSettings: (change) => hearth.invoke('settings:update', change),
    startHosting: (request) => hearth.invoke('host:start', request),
    stopHosting: () => hearth.invoke('host:stop', null),
    hostingStatus: () => unwrap(hearth.invoke('host:status', null), null),
    listRooms: () =>
      unwrap(hearth.invoke('rooms:list', null), { rooms: [], discovery: { state: 'unavailable', detail: 'Discovery is not available.' } }),
    refreshRooms: () => void hearth.invoke('rooms:refresh', null),
    scanRooms: () => hearth.invoke('rooms:scan', null),
    onRoomsChanged: (listener) => hearth.on('rooms:changed', listener),
    onHostChanged: (listener) => hearth.on('host:changed', listener),
    onCommand: (listener) => hearth.on('ui:command', (event) => listener(event.command)),
  };
}
