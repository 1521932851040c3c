// The start screen: who you are, host a room, the rooms on your network, join by address,
// and the rooms you joined before. In a browser it is just "your name" and "Join". What it
// offers follows the shell's capabilities (bridge/types.ts); each part is its own file here.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { parseAddress, type RoomAddress } from '../../../common/address.ts';
import type { Invite } from '../../../common/invite.ts';
import type { HostingInfo, RecentRoom, RoomsSnapshot } from '../../../common/ipc.ts';
import type { AppBridge } from '../bridge/index.ts';
import { Logo } from '../ui/Logo.tsx';
import { PasswordDialog } from '../ui/PasswordDialog.tsx';
import { AddressForm } from './AddressForm.tsx';
import { HostForm, type HostRequest } from './HostForm.tsx';
import { HostingSummary } from './HostingSummary.tsx';
import { IdentityChangedDialog } from './IdentityChangedDialog.tsx';
import type { JoinRequest, JoinTargetInfo } from './join-attempt.ts';
import { nameProblem } from './name.ts';
import { NameField } from './NameField.tsx';
import { RecentRooms } from './RecentRooms.tsx';
import { RoomsOnNetwork } from './RoomsOnNetwork.tsx';
import { useDialogFocusReturn } from './useDialogFocusReturn.ts';
import { useJoinAttempt } from './useJoinAttempt.ts';
import { WebJoin } from './WebJoin.tsx';

export type { JoinRequest } from './join-attempt.ts';

/** A room to join again as the lobby opens: its host's identity changed while the person was in it. */
export interface Recheck {
  address: RoomAddress;
  roomName: string;
  /** The fingerprint the room was joined with. */
  previous?: string | undefined;
}

interface LobbyProps {
  bridge: Pick<AppBridge, 'canHost' | 'canDiscover' | 'canJoinAnyRoom' | 'servedAddress' | 'refreshRooms' | 'scanRooms' | 'pinsHosts' | 'checkIdentity' | 'trustIdentity'>;
  name: string;
  /** Keep the name: why it could not be kept, or undefined. */
  onNameChange(name: string): Promise<string | undefined>;
  hosting: HostingInfo | null;
  rooms: RoomsSnapshot;
  recent: RecentRoom[];
  notice: string | undefined;
  /** The room a browser just left: its Join button reads "Join again". */
  left?: string | undefined;
  /** Join this room again at once (its identity check shows what changed). */
  recheck?: Recheck | undefined;
  onJoin(request: JoinRequest): void;
  /** Open a room: why it could not be opened, or undefined. */
  onHost(request: HostRequest): Promise<string | undefined>;
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
  const join = useJoinAttempt({ shell: bridge, commitName, onJoin: props.onJoin });
  const startedFrom = useDialogFocusReturn(join.prompt !== undefined || join.identityPrompt !== undefined);
  const attempt = (target: RoomAddress | Invite, info: JoinTargetInfo) => {
    startedFrom.remember();
    void join.attempt(target, info);
  };
  /** A room by its address as text (a listing, with the id it was listed by; a room joined before). */
  const joinAt = (address: string, roomName: string, listedId?: string) => {
    const parsed = parseAddress(address);
    if (parsed.ok) attempt(parsed.address, { fallbackName: roomName, listedId });
  };
  // Once per recheck (a development build runs effects twice).
  const rechecked = useRef<Recheck>(undefined);
  useEffect(() => {
    const recheck = props.recheck;
    if (!recheck || rechecked.current === recheck) return;
    rechecked.current = recheck;
    void join.attempt(recheck.address, { fallbackName: recheck.roomName, previous: recheck.previous });
    // Only a new recheck starts a join (`join` is a new object every render).
  }, [props.recheck, join]);

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
        <WebJoin address={bridge.servedAddress} busy={join.busy} nameBlocked={nameBlocked} error={join.error} again={props.left !== undefined} onJoin={(address, name) => attempt(address, { fallbackName: name })}>
          {nameField}
        </WebJoin>
      ) : (
        <div className="lobby-grid">
          {bridge.canHost && (
            <section className="card" aria-labelledby="host-title">
              {props.hosting ? (
                <HostingSummary info={props.hosting} onOpen={props.onOpenHostedRoom} onStop={props.onStopHosting} />
              ) : (
                <HostForm nameBlocked={nameBlocked} onHost={async (request) => ((await commitName()) ? props.onHost(request) : undefined)} />
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
                onPick={(room) => joinAt(`${room.address}:${room.port}`, room.room, room.id)}
              />
            )}
            <AddressForm busy={join.busy} nameBlocked={nameBlocked} error={join.error} onEdit={join.clearError} onSubmit={(invite) => attempt(invite, { fallbackName: invite.candidates[0]!.display })} />
            {props.recent.length > 0 && <RecentRooms recent={props.recent} nameBlocked={nameBlocked} onPick={(r) => joinAt(r.address, r.room)} onForget={props.onForgetRoom} />}
          </section>
        </div>
      )}

      {join.identityPrompt && (
        <IdentityChangedDialog prompt={join.identityPrompt} busy={join.busy} error={join.identityError} onTrust={() => void join.trustIdentity()} onCancel={join.cancelIdentity} />
      )}
      {join.prompt && <PasswordDialog room={join.prompt.roomName} busy={join.busy} onCancel={join.cancelPassword} onSubmit={join.submitPassword} />}
    </div>
  );
}
