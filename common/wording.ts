// Hearth's words for what the client reports as typed values: why a connection went, why
// a join was refused or you are out of the room, why someone left, and the host's own short
// messages ("message is empty", "kicked Bob") made into sentences. The terminal prints
// lower-case log lines and the app shows sentences; both take their words from here, so a
// cause or a code is never matched by its text anywhere else.
import type { ClosedCode, ConnectionState, LostCause, MemberLeftReason } from './client/types.ts';

/** The host's and the client's short messages start lower-case ("message is empty"): the app shows them as sentences. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A short message as a sentence of its own: capital first, full stop last. */
export function asSentence(text: string): string {
  return `${capitalize(text)}.`;
}

const LOST_WORDS: Record<LostCause, string> = {
  host_stopped: 'the host stopped',
  connection_lost: 'connection lost',
  unreachable: 'cannot reach the host',
  no_answer: 'no answer from the host',
  cannot_connect: 'cannot connect',
};

/** Why the client is reconnecting, as the terminal says it ("connection lost — reconnecting in…"). */
export function lostWords(cause: LostCause, detail?: string): string {
  return detail ? `${LOST_WORDS[cause]}: ${detail}` : LOST_WORDS[cause];
}

/** Whether to tell the person the host is gone rather than that we are reconnecting. */
export function hostSeemsGone(state: Extract<ConnectionState, { status: 'reconnecting' }>): boolean {
  return state.cause === 'host_stopped' || state.attempt > 3;
}

/** Why the client left a room on its own side (the host's refusals and removals bring their own sentence). */
export const CLOSED_WORDS = {
  left: 'You left the room.',
  replaced: 'You joined this room from another window.',
  hostClosed: 'The host closed the connection.',
} as const;

/** The heading over a room you are not in (any more). */
export function closedTitle(code: ClosedCode | undefined): string {
  switch (code) {
    case 'name_taken':
    case 'name_invalid':
      return 'Pick another name';
    case 'banned':
      return 'You were banned';
    case 'encryption_required':
      return 'This room needs an encrypted connection';
    case 'kicked':
      return 'You were removed';
    case 'replaced':
      // The same person joined again elsewhere: in a browser, that is another tab.
      return 'Hearth is open in another tab';
    default:
      return 'You are not in the room';
  }
}

/** What the app says under that heading when another tab or window took the room. */
export const REPLACED_EXPLAINED = 'You are in this room in another tab or window now. Use it here instead, and the other one lets go.';

/**
 * A room opened with `--encrypted-only` (or the hosting panel's switch) refuses a plain
 * connection with this; the web client on plain http says it before anyone types.
 */
export const ENCRYPTION_REQUIRED = 'This room accepts only encrypted connections: join it from the Hearth app or with `hearth join`.';

/** What to say after a refused password; undefined when the host only asked for one (none given yet). */
export function passwordRefusal(state: { code?: ClosedCode | undefined; reason: string }): string | undefined {
  if (state.code === 'bad_password') return 'That password is not right. Check it with the host and try again.';
  if (state.code === 'too_many_attempts') return state.reason;
  return undefined;
}

/** "removed by the host" / "banned by the host": what the host did to someone. */
function removal(banned: boolean): string {
  return `${banned ? 'banned' : 'removed'} by the host`;
}

/** How someone left, after their name ("Bob lost connection", "Bob was banned by the host"). */
export function leftWords(reason: MemberLeftReason): string {
  if (isRemoval(reason)) return `was ${removal(reason === 'banned')}`;
  return ordinaryLeaveWords(reason);
}

/** A leave in the ordinary way: the words a run of comings and goings is folded from. */
export function ordinaryLeaveWords(reason: MemberLeftReason): 'left' | 'lost connection' {
  return reason === 'timeout' ? 'lost connection' : 'left';
}

/** A leave that folds into a run of comings and goings ("Bob left, Ann lost connection"); removals never do. */
export function isRemoval(reason: MemberLeftReason): reason is 'kicked' | 'banned' {
  return reason === 'kicked' || reason === 'banned';
}

/** You were removed: "banned by the host: spam" (the terminal capitalises it, the app says "You were …"). */
export function removedWords(kicked: { banned: boolean; reason: string }): string {
  return `${removal(kicked.banned)}: ${kicked.reason}`;
}

/** The history the client counted in is gone, in the terminal's words. */
export function resetWords(reason: 'new_history' | 'behind'): string {
  return reason === 'new_history' ? 'the host has started a new history' : 'the host has lost some recent history';
}

/** The same, as the app says it once for either reason. */
export const HISTORY_RESTARTED = 'The host’s history started again: earlier messages are not there any more.';

export const CLEARED_WORDS = 'the host cleared the history';
export const RECONNECTED_WORDS = 'reconnected';
export const SLOW_DOWN = 'Slow down a little: messages will be sent in a moment.';

export function joinedWords(name: string): string {
  return `${name} joined`;
}

/** A rename; `you` when it was yours ("you are now Sam", "Ann is now Sam"). */
export function renamedWords(renamed: { from: string; to: string }, yours: boolean): string {
  return yours ? `you are now ${renamed.to}` : `${renamed.from} is now ${renamed.to}`;
}

/** "3 here: Ann, Bob, Sam" */
export function hereWords(names: readonly string[]): string {
  return `${names.length} here: ${names.join(', ')}`;
}

/** A moderation command from someone without the admin token; `how` says how to become the host, where the shell knows. */
export function hostOnlyWords(how?: string): string {
  return how ? `Only the host can do that (${how}).` : 'Only the host can do that.';
}

export function topicWords(topic: string): string {
  return topic ? `The host set the topic: ${topic}` : 'The host cleared the topic.';
}
