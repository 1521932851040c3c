// The browser shell: a page served by a host. No hosting, no discovery, no dashboard; it
// joins the host that served it, and what it cannot do answers as a failure that says so. Settings live in the browser's localStorage: the name and the identity (a
// reload, or a second tab, is the same person) and the preferences (theme, alerts, muted
// rooms), read through the same schema as the desktop's settings file.
import * as v from 'valibot';
import { parseAddress } from '../../../common/address.ts';
import { randomId } from '../../../common/ids.ts';
import type { RecentRoom, Result, Settings } from '../../../common/ipc.ts';
import { checkName } from '../../../common/names.ts';
import { applyPreferenceChange, parseSettingsChange, PreferencesSchema, type Preferences } from '../../../common/settings.ts';
import type { AppBridge } from './types.ts';

const NAME_KEY = 'hearth.displayName';
const ID_KEY = 'hearth.clientId';
const PREFERENCES_KEY = 'hearth.preferences';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: settings last for this page only
  }
}

/** What this browser keeps; a damaged or missing entry reads as the defaults. */
function preferences(): Preferences {
  let raw: unknown = {};
  try {
    raw = JSON.parse(storage()?.getItem(PREFERENCES_KEY) ?? '{}');
  } catch {
    // Damaged: the defaults.
  }
  return v.parse(PreferencesSchema, typeof raw === 'object' && raw !== null ? raw : {});
}

export function createWebBridge(location: Location = window.location): AppBridge {
  const served = parseAddress(location.host);
  // One person per browser, like the name: a second tab takes the room over (the host
  // replaces the older connection) instead of being a stranger with a taken name. Made when
  // first asked for, so a page that never joins (the dashboard page in a browser) stores nothing.
  let clientId: string | undefined;
  const identity = (): string => {
    clientId ??= storage()?.getItem(ID_KEY) ?? '';
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(clientId)) {
      clientId = randomId(22);
      storage()?.setItem(ID_KEY, clientId);
    }
    return clientId;
  };
  const settings = (): Settings => ({
    displayName: storage()?.getItem(NAME_KEY) ?? '',
    clientId: identity(),
    recentRooms: [] as RecentRoom[],
    ...preferences(),
  });
  const needsApp = (error: string) => async (): Promise<Result<never>> => ({ ok: false, error });
  const nothing = async (): Promise<Result<null>> => ({ ok: true, value: null });
  const off = () => () => {};
  return {
    kind: 'web',
    canHost: false,
    canDiscover: false,
    canJoinAnyRoom: false,
    canOpenDashboard: false,
    canCheckNetwork: false,
    pinsHosts: false,
    servedAddress: served.ok ? { ...served.address, wsUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, httpUrl: `${location.origin}/` } : undefined,
    getSettings: async () => ({ ok: true, value: settings() }),
    updateSettings: async (input) => {
      const parsed = parseSettingsChange(input);
      if (!parsed.ok) return parsed;
      const change = parsed.value;
      if (change.displayName !== undefined) {
        const trimmed = change.displayName.trim();
        if (trimmed) {
          const check = checkName(trimmed);
          if (!check.ok) return { ok: false, error: check.reason };
          storage()?.setItem(NAME_KEY, check.name);
        } else storage()?.removeItem(NAME_KEY);
      }
      storage()?.setItem(PREFERENCES_KEY, JSON.stringify(applyPreferenceChange(preferences(), change)));
      return { ok: true, value: settings() };
    },
    startHosting: needsApp('Hosting needs the Hearth app.'),
    stopHosting: needsApp('Hosting needs the Hearth app.'),
    hostingStatus: nothing,
    setEncryptedOnly: needsApp('Hosting needs the Hearth app.'),
    listRooms: async () => ({ ok: true, value: { rooms: [], discovery: { state: 'off', detail: '' } } }),
    refreshRooms: nothing,
    scanRooms: needsApp('Scanning the network needs the Hearth app.'),
    openDashboard: needsApp('The dashboard is part of the Hearth app.'),
    dashboard: needsApp('The dashboard is part of the Hearth app.'),
    moderate: needsApp('The dashboard is part of the Hearth app.'),
    deleteFile: needsApp('The dashboard is part of the Hearth app.'),
    exportHistory: needsApp('The dashboard is part of the Hearth app.'),
    checkNetwork: needsApp('The network check needs the Hearth app.'),
    checkIdentity: needsApp("Checking a host's identity needs the Hearth app."),
    trustIdentity: needsApp("Checking a host's identity needs the Hearth app."),
    onRoomsChanged: off,
    onHostChanged: off,
    onCommand: off,
    onDashboardSnapshot: off,
    onDashboardActivity: off,
  };
}
