// The browser shell: a page served by a host. No hosting, no discovery; it joins the host
// that served it. Settings live in the browser: the name in localStorage, the identity in
// sessionStorage (a reload resumes as the same person, a second tab is a second person).
import { parseAddress } from '../../../common/address.ts';
import { randomId } from '../../../common/ids.ts';
import type { RecentRoom, Settings } from '../../../common/ipc.ts';
import { checkName } from '../../../common/names.ts';
import type { AppBridge } from './types.ts';

const NAME_KEY = 'hearth.displayName';
const ID_KEY = 'hearth.clientId';

function storage(kind: 'local' | 'session'): Storage | undefined {
  try {
    return kind === 'local' ? window.localStorage : window.sessionStorage;
  } catch {
    return undefined; // storage disabled: settings last for this page only
  }
}

export function createWebBridge(location: Location = window.location): AppBridge {
  const served = parseAddress(location.host);
  let clientId = storage('session')?.getItem(ID_KEY) ?? '';
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(clientId)) {
    clientId = randomId(22);
    storage('session')?.setItem(ID_KEY, clientId);
  }
  const settings = (): Settings => ({
    displayName: storage('local')?.getItem(NAME_KEY) ?? '',
    clientId,
    recentRooms: [] as RecentRoom[],
  });
  const unsupported = { ok: false as const, error: 'Hosting needs the Hearth app.' };
  return {
    kind: 'web',
    canHost: false,
    canDiscover: false,
    servedAddress: served.ok ? { ...served.address, wsUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, httpUrl: `${location.origin}/` } : undefined,
    getSettings: async () => settings(),
    updateSettings: async (change) => {
      if (change.displayName !== undefined) {
        const trimmed = change.displayName.trim();
        if (trimmed) {
          const check = checkName(trimmed);
          if (!check.ok) return { ok: false, error: check.reason };
          storage('local')?.setItem(NAME_KEY, check.name);
        } else storage('local')?.removeItem(NAME_KEY);
      }
      return { ok: true, value: settings() };
    },
    startHosting: async () => unsupported,
    stopHosting: async () => unsupported,
    hostingStatus: async () => null,
    listRooms: async () => ({ rooms: [], discovery: { state: 'off', detail: '' } }),
    refreshRooms: () => {},
    onRoomsChanged: () => () => {},
    onHostChanged: () => () => {},
    onCommand: () => () => {},
  };
}
