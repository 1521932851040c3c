// The lobby's join, whichever way it starts (a room on the network, an address or invite
// link, a room joined before, the browser's own room): the name is kept first, then the
// room is asked what it is (join-attempt.ts), once; where the shell pins hosts its
// certificate is checked, and a changed one is put to the person; a password it needs is
// asked for over the lobby and the join goes on with that answer.
import { useState } from 'react';
import type { RoomAddress } from '../../../common/address.ts';
import type { Invite } from '../../../common/invite.ts';
import type { AppBridge } from '../bridge/index.ts';
import { browserFetch } from './browser-fetch.ts';
import { joinTrusted, joinWithPassword, reachForJoin, type IdentityPrompt, type JoinRequest, type JoinStep, type JoinTargetInfo, type PasswordPrompt } from './join-attempt.ts';

export interface JoinAttempt {
  /** Asking the room, or trusting its new identity. */
  busy: boolean;
  /** Why the last attempt could not join. */
  error: string | undefined;
  clearError(): void;
  /** The room that needs a password, while the dialog asks for it. */
  prompt: PasswordPrompt | undefined;
  /** The room whose identity changed, while the dialog shows both. */
  identityPrompt: IdentityPrompt | undefined;
  /** Why the new identity could not be trusted (shown in its dialog). */
  identityError: string | undefined;
  attempt(target: RoomAddress | Invite, info: JoinTargetInfo): Promise<void>;
  submitPassword(password: string): void;
  cancelPassword(): void;
  /** The person checked the host's screen: trust the new identity and go on. */
  trustIdentity(): Promise<void>;
  cancelIdentity(): void;
}

type Shell = Pick<AppBridge, 'pinsHosts' | 'checkIdentity' | 'trustIdentity'>;

/** `commitName`: keeps the name as typed; false when it cannot be (the join waits). */
export function useJoinAttempt({ shell, commitName, onJoin }: { shell: Shell; commitName(): Promise<boolean>; onJoin(request: JoinRequest): void }): JoinAttempt {
  const [error, setError] = useState<string>();
  const [prompt, setPrompt] = useState<PasswordPrompt>();
  const [identityPrompt, setIdentityPrompt] = useState<IdentityPrompt>();
  const [identityError, setIdentityError] = useState<string>();
  const [busy, setBusy] = useState(false);

  /** Where a step leads: an error, a dialog, or the room. */
  const follow = (step: JoinStep) => {
    setPrompt(step.kind === 'password' ? step.prompt : undefined);
    setIdentityPrompt(step.kind === 'identity-changed' ? step.prompt : undefined);
    setIdentityError(undefined);
    if (step.kind === 'refused') setError(step.reason);
    if (step.kind === 'join') onJoin(step.request);
  };

  const attempt = async (target: RoomAddress | Invite, info: JoinTargetInfo) => {
    if (!(await commitName())) return;
    setError(undefined);
    setBusy(true);
    const step = await reachForJoin(target, info, { fetchImpl: browserFetch, checkIdentity: shell.pinsHosts ? shell.checkIdentity : undefined });
    setBusy(false);
    follow(step);
  };

  const submitPassword = (password: string) => {
    if (!prompt) return;
    setPrompt(undefined);
    onJoin(joinWithPassword(prompt, password));
  };

  const trustIdentity = async () => {
    if (!identityPrompt || busy) return;
    setBusy(true);
    const { address, presented } = identityPrompt;
    const trusted = await shell.trustIdentity({ host: address.host, port: address.port, fingerprint: presented });
    setBusy(false);
    if (!trusted.ok) return setIdentityError(trusted.error);
    follow(joinTrusted(identityPrompt));
  };

  return {
    busy,
    error,
    clearError: () => setError(undefined),
    prompt,
    identityPrompt,
    identityError,
    attempt,
    submitPassword,
    cancelPassword: () => setPrompt(undefined),
    trustIdentity,
    cancelIdentity: () => {
      setIdentityPrompt(undefined);
      setIdentityError(undefined);
    },
  };
}
