// The start screen: who you are, host a room, the rooms on your network, join by address,
// and the rooms you joined before. In a browser it is just "your name" and "Join". What it
// offers follows the shell's capabilities (bridge/types.ts); each part is its own file here.
import { useEffect, useState, type ReactNode } from 'react';
import { parseAddress } from '../../../common/address.ts';
import type { HostingInfo, RecentRoom, RoomsSnapshot } from '../../../common/ipc.ts';
import type { AppBridge } from '../bridge/index.ts';
import { Logo } from '../ui/Logo.tsx';
import { PasswordDialog } from '../ui/PasswordDialog.tsx';
import { AddressForm } from './AddressForm.tsx';
import { HostForm } from './HostForm.tsx';
import { HostingSummary } from './HostingSummary.tsx';
import type { JoinRequest } from './join-attempt.ts';
import { nameProblem } from './name.ts';
import { NameField } from './NameField.tsx';
import { RecentRooms } from './RecentRooms.tsx';
import { RoomsOnNetwork } from './RoomsOnNetwork.tsx';
import { useJoinAttempt } from './useJoinAttempt.ts';
import { WebJoin } from './WebJoin.tsx';

export type { JoinRequest } from './join-attempt.ts';

interface LobbyProps {
  bridge: Pick<AppBridge, 'canHost' | 'canDiscover' | 'canJoinAnyRoom' | 'servedAddress' | 'refreshRooms' | 'scanRooms'>;
  name: string;
  /** Keep the name: why it could not be kept, or undefined. */
  onNameChange(name: string): Promise<string | undefined>;
  hosting: HostingInfo | null;
  rooms: RoomsSnapshot;
  recent: RecentRoom[];
  notice: string | undefined;
  /** The room a browser just left: its Join button reads "Join again". */
  left?: string | undefined;
  onJoin(request: JoinRequest): void;
  onHost(room: string, password: string | undefined): Promise<string | undefined>;
  onOpenHostedRoom(): void;
  onStopHosting(): void;
  /** Drop a room from "Joined before" (by its address). */
  onForgetRoom(address: string): void;
  /** Opens Settings (theme, notifications, sound). */
  settingsButton: ReactNode;
}

export function Lobby(props: LobbyProps) {
  const { bridge } = props;
  // The name as typed: checked as it is typed, kept before any join, never swapped for another.
  const [nameDraft, setNameDraft] = useState(props.name);
  useEffect(() => setNameDraft(props.name), [props.name]);
  // Why the shell could not keep this very draft (the rules themselves are checked as it is typed).
  const [saveError, setSaveError] = useState<{ draft: string; error: string }>();
  const typedProblem = nameProblem(nameDraft);
  const nameError = typedProblem ?? (saveError?.draft === nameDraft ? saveError.error : undefined);
  const nameBlocked = typedProblem !== undefined;
  /** Keep the name as typed (before joining or hosting with it); false when it cannot be. */
  const commitName = async (): Promise<boolean> => {
    if (nameBlocked) return false;
    if (nameDraft === props.name) return true;
    const error = await props.onNameChange(nameDraft);
    setSaveError(error === undefined ? undefined : { draft: nameDraft, error });
    return error === undefined;
  };
  const nameField = <NameField value={nameDraft} error={nameError} onChange={setNameDraft} onCommit={() => void commitName()} />;
  const join = useJoinAttempt({ commitName, onJoin: props.onJoin });
  /** A room by its address as text (a listing, a room joined before). */
  const joinAt = (address: string, roomName: string) => {
    const parsed = parseAddress(address);
    if (parsed.ok) void join.attempt(parsed.address, roomName);
  };

  return (
    <div className="lobby">
      <header className="lobby-header">
        <div className="brand">
          <Logo size={36} />
          <div>
            <h1>Hearth</h1>
            <p className="muted">Chat with the people on your network.</p>
          </div>
        </div>
        {bridge.canJoinAnyRoom && nameField}
        {props.settingsButton}
      </header>

      {props.notice && (
        <p className="notice" role="alert">
          {props.notice}
        </p>
      )}

      {!bridge.canJoinAnyRoom ? (
        <WebJoin address={bridge.servedAddress} busy={join.busy} nameBlocked={nameBlocked} error={join.error} again={props.left !== undefined} onJoin={(address, name) => void join.attempt(address, name)}>
          {nameField}
        </WebJoin>
      ) : (
        <div className="lobby-grid">
          {bridge.canHost && (
            <section className="card" aria-labelledby="host-title">
              {props.hosting ? (
                <HostingSummary info={props.hosting} onOpen={props.onOpenHostedRoom} onStop={props.onStopHosting} />
              ) : (
                <HostForm nameBlocked={nameBlocked} onHost={async (room, password) => ((await commitName()) ? props.onHost(room, password) : undefined)} />
              )}
            </section>
          )}
          <section className="card join-card" aria-labelledby="join-title">
            <h2 id="join-title">Join a room</h2>
            {bridge.canDiscover && (
              <RoomsOnNetwork
                snapshot={props.rooms}
                nameBlocked={nameBlocked}
                onRefresh={() => void bridge.refreshRooms()}
                onScan={bridge.scanRooms}
                onPick={(room) => joinAt(`${room.address}:${room.port}`, room.room)}
              />
            )}
            <AddressForm busy={join.busy} nameBlocked={nameBlocked} error={join.error} onEdit={join.clearError} onSubmit={(invite) => void join.attempt(invite, invite.candidates[0]!.display)} />
            {props.recent.length > 0 && <RecentRooms recent={props.recent} nameBlocked={nameBlocked} onPick={(r) => joinAt(r.address, r.room)} onForget={props.onForgetRoom} />}
          </section>
        </div>
      )}

      {join.prompt && <PasswordDialog room={join.prompt.roomName} busy={join.busy} onCancel={join.cancelPassword} onSubmit={join.submitPassword} />}
    </div>
  );
}
