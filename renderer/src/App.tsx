// The app: a lobby (name, host, find, join) and a room. Everything platform-specific goes
// through the bridge, so this same component runs in Electron and in a plain browser.
import { useCallback, useEffect, useState } from 'react';
import { parseAddress } from '../../common/address.ts';
import type { HostingInfo, RoomsSnapshot, Settings, SettingsChange } from '../../common/ipc.ts';
import { isRoomMuted } from '../../common/settings.ts';
import type { AppBridge } from './bridge/index.ts';
import type { JoinTarget } from './chat/useRoom.ts';
import type { Recheck } from './lobby/Lobby.tsx';
import type { HostRequest } from './lobby/HostForm.tsx';
import { Lobby, type JoinRequest } from './lobby/Lobby.tsx';
import { RoomView } from './room/RoomView.tsx';
import { MuteButton } from './settings/MuteButton.tsx';
import { SettingsButton } from './settings/SettingsButton.tsx';
import { applyTheme } from './settings/theme.ts';
import { Logo } from './ui/Logo.tsx';

/** The room list when the shell could not give one. */
const DISCOVERY_UNAVAILABLE: RoomsSnapshot = { rooms: [], discovery: { state: 'unavailable', detail: 'Discovery is not available.' } };

// `left`: the room a browser just left (its only room): the page says so and offers Join again.
// `recheck`: a room whose host's identity changed under it: the lobby joins it again, and its
// identity check puts both identities to the person.
type Screen = { kind: 'lobby'; notice?: string; left?: string; recheck?: Recheck } | { kind: 'room'; target: JoinTarget };

export function App({ bridge }: { bridge: AppBridge }) {
  const [settings, setSettings] = useState<Settings>();
  const [hosting, setHosting] = useState<HostingInfo | null>(null);
  const [hostPassword, setHostPassword] = useState<string>();
  const [rooms, setRooms] = useState<RoomsSnapshot>({ rooms: [], discovery: { state: 'starting', detail: 'Looking for rooms…' } });
  const [screen, setScreen] = useState<Screen>({ kind: 'lobby' });
  const [focusSignal, setFocusSignal] = useState(0);
  const [loadError, setLoadError] = useState<string>();

  useEffect(() => {
    void bridge.getSettings().then((result) => (result.ok ? setSettings(result.value) : setLoadError(result.error)));
    void bridge.hostingStatus().then((result) => setHosting(result.ok ? result.value : null));
    if (bridge.canDiscover) void bridge.listRooms().then((result) => setRooms(result.ok ? result.value : DISCOVERY_UNAVAILABLE));
    const offs = [
      bridge.onRoomsChanged(setRooms),
      bridge.onHostChanged((info) => {
        setHosting(info);
        if (!info) setScreen((s) => (s.kind === 'room' && s.target.adminToken ? { kind: 'lobby', notice: 'You stopped hosting. The room is closed.' } : s));
      }),
      bridge.onCommand((command) => {
        if (command === 'leave-room' || command === 'host-room') setScreen({ kind: 'lobby' });
        if (command === 'focus-composer') setFocusSignal((n) => n + 1);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [bridge]);

  const theme = settings?.theme;
  useEffect(() => {
    if (theme) applyTheme(theme);
  }, [theme]);

  /** Keep a settings change: why it could not be kept, or undefined. */
  const changeSettings = async (change: SettingsChange): Promise<string | undefined> => {
    const result = await bridge.updateSettings(change);
    if (!result.ok) return result.error;
    setSettings(result.value);
    return undefined;
  };

  /** Keep a new name: why it could not be kept, or undefined. */
  const updateName = (name: string): Promise<string | undefined> => changeSettings({ displayName: name });

  const openHostedRoom = (info: HostingInfo, password: string | undefined) => {
    const local = parseAddress(info.localUrl);
    if (!local.ok) return;
    // The shell pinned its own room's certificate on its loopback address: joined encrypted too.
    const connection = bridge.pinsHosts ? { secure: true, fingerprint: info.identity.sha256.replaceAll(':', '').toLowerCase() } : { secure: false };
    setScreen({ kind: 'room', target: { address: local.address, roomName: info.room, password, adminToken: info.adminToken, ...connection } });
  };

  const host = async ({ room, password, encryptedOnly }: HostRequest) => {
    const result = await bridge.startHosting({ room, ...(password && { password }), ...(encryptedOnly && { encryptedOnly }) });
    if (!result.ok) return result.error;
    setHosting(result.value);
    setHostPassword(password);
    openHostedRoom(result.value, password);
    return undefined;
  };

  const stopHosting = async () => {
    await bridge.stopHosting();
    setHosting(null);
    setScreen((s) => (s.kind === 'room' && s.target.adminToken ? { kind: 'lobby', notice: 'You stopped hosting. The room is closed.' } : s));
  };

  const join = (request: JoinRequest) => setScreen({ kind: 'room', target: request });

  const target = screen.kind === 'room' ? screen.target : undefined;
  const remember = useCallback(
    (roomName: string) => {
      if (!target || target.adminToken || !bridge.canJoinAnyRoom) return;
      void bridge.updateSettings({ rememberRoom: { address: target.address.display, room: roomName, lastJoined: Date.now() } }).then((r) => r.ok && setSettings(r.value));
    },
    [bridge, target],
  );

  if (loadError) return <p className="form-error">Hearth could not start: {loadError}</p>;
  if (!settings) {
    return (
      <div className="splash" role="status" aria-label="Loading">
        <Logo size={48} />
      </div>
    );
  }

  const settingsButton = <SettingsButton settings={settings} onChange={changeSettings} />;
  if (screen.kind === 'room') {
    const roomAddress = screen.target.address.display;
    const muted = isRoomMuted(settings, roomAddress);
    return (
      <RoomView
        key={`${screen.target.address.wsUrl}`}
        target={screen.target}
        identity={{ name: settings.displayName, clientId: settings.clientId }}
        hosting={hosting}
        focusSignal={focusSignal}
        bridge={bridge}
        onLeave={(roomName) => setScreen(!bridge.canJoinAnyRoom && roomName ? { kind: 'lobby', notice: `You left “${roomName}”.`, left: roomName } : { kind: 'lobby' })}
        onRecheckIdentity={() => setScreen({ kind: 'lobby', recheck: { address: screen.target.address, roomName: screen.target.roomName, previous: screen.target.fingerprint } })}
        onStopHosting={() => void stopHosting()}
        onJoined={remember}
        onIdentityChange={(name) => void updateName(name)}
        alerts={{ notifications: settings.notifications, sound: settings.sound, muted }}
        actions={
          <>
            <MuteButton muted={muted} onToggle={() => void changeSettings({ muteRoom: { address: roomAddress, muted: !muted } })} />
            {settingsButton}
          </>
        }
      />
    );
  }
  return (
    <Lobby
      bridge={bridge}
      name={settings.displayName}
      onNameChange={updateName}
      hosting={hosting}
      rooms={rooms}
      recent={settings.recentRooms}
      notice={screen.notice}
      left={screen.left}
      recheck={screen.recheck}
      onJoin={join}
      onHost={host}
      onOpenHostedRoom={() => hosting && openHostedRoom(hosting, hostPassword)}
      onStopHosting={() => void stopHosting()}
      onForgetRoom={(address) => void changeSettings({ forgetRoom: address })}
      settingsButton={settingsButton}
    />
  );
}
