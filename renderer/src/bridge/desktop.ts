// The desktop shell: window.hearth (from the preload, or the e2e harness) behind AppBridge.
// Every channel already answers with a Result; `call` adds the other half of the error
// policy (types.ts): a call that never arrives resolves as a failure too, never a rejection.
import type { Bridge, InvokeChannel, InvokeMap, Result } from '../../../common/ipc.ts';
import type { AppBridge } from './types.ts';

type Answer<K extends InvokeChannel> = InvokeMap[K]['result'] extends Result<infer T> ? T : never;

export function createDesktopBridge(hearth: Bridge): AppBridge {
  const call = async <K extends InvokeChannel>(channel: K, args: InvokeMap[K]['args']): Promise<Result<Answer<K>>> => {
    try {
      return (await hearth.invoke(channel, args)) as Result<Answer<K>>;
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
  return {
    kind: 'desktop',
    canHost: true,
    canDiscover: true,
    canJoinAnyRoom: true,
    canOpenDashboard: true,
    canCheckNetwork: true,
    pinsHosts: true,
    servedAddress: undefined,
    getSettings: () => call('settings:get', null),
    updateSettings: (change) => call('settings:update', change),
    startHosting: (request) => call('host:start', request),
    stopHosting: () => call('host:stop', null),
    hostingStatus: () => call('host:status', null),
    setEncryptedOnly: (on) => call('host:set-encrypted-only', { on }),
    listRooms: () => call('rooms:list', null),
    refreshRooms: () => call('rooms:refresh', null),
    scanRooms: () => call('rooms:scan', null),
    openDashboard: () => call('dashboard:open', null),
    dashboard: () => call('dashboard:get', null),
    moderate: (request) => call('room:moderate', request),
    deleteFile: (fileId) => call('dashboard:delete-file', { fileId }),
    download: (url) => call('file:download', { url }),
    exportHistory: (format) => call('room:export', { format }),
    checkNetwork: () => call('host:check-network', null),
    checkIdentity: (request) => call('room:identity', request),
    trustIdentity: (request) => call('room:trust', request),
    onRoomsChanged: (listener) => hearth.on('rooms:changed', listener),
    onHostChanged: (listener) => hearth.on('host:changed', listener),
    onCommand: (listener) => hearth.on('ui:command', (event) => listener(event.command)),
    onDashboardSnapshot: (listener) => hearth.on('dashboard:snapshot', listener),
    onDashboardActivity: (listener) => hearth.on('dashboard:activity', listener),
  };
}
