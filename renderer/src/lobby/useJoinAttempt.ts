// The lobby's join, whichever way it starts (a room on the network, an address or invite
// link, a room joined before, the browser's own room): the name is kept first, then the
// room is asked what it is (join-attempt.ts), once; a password it needs is asked for over
// the lobby and the join goes on with that answer.
import { useState } from 'react';
import type { RoomAddress } from '../../../common/address.ts';
import type { Invite } from '../../../common/invite.ts';
import { browserFetch } from './browser-fetch.ts';
import { joinWithPassword, reachForJoin, type JoinRequest, type PasswordPrompt } from './join-attempt.ts';

export interface JoinAttempt {
  /** Asking the room. */
  busy: boolean;
  /** Why the last attempt could not join. */
  error: string | undefined;
  clearError(): void;
  /** The room that needs a password, while the dialog asks for it. */
  prompt: PasswordPrompt | undefined;
  attempt(target: RoomAddress | Invite, fallbackName: string): Promise<void>;
  submitPassword(password: string): void;
  cancelPassword(): void;
}

/** `commitName`: keeps the name as typed; false when it cannot be (the join waits). */
export function useJoinAttempt({ commitName, onJoin }: { commitName(): Promise<boolean>; onJoin(request: JoinRequest): void }): JoinAttempt {
  const [error, setError] = useState<string>();
  const [prompt, setPrompt] = useState<PasswordPrompt>();
  const [busy, setBusy] = useState(false);

  const attempt = async (target: RoomAddress | Invite, fallbackName: string) => {
    if (!(await commitName())) return;
    setError(undefined);
    setBusy(true);
    const step = await reachForJoin(target, fallbackName, browserFetch);
    setBusy(false);
    if (step.kind === 'refused') return setError(step.reason);
    if (step.kind === 'password') return setPrompt(step.prompt);
    setPrompt(undefined);
    onJoin(step.request);
  };

  const submitPassword = (password: string) => {
    if (!prompt) return;
    setPrompt(undefined);
    onJoin(joinWithPassword(prompt, password));
  };

  return { busy, error, clearError: () => setError(undefined), prompt, attempt, submitPassword, cancelPassword: () => setPrompt(undefined) };
}
