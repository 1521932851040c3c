// The files waiting above the composer, and what happens to each: chosen, refused (too large
// for the room), queued, checked, sent, shared. A file only leaves the tray when the room has
// stored its message, or when the person removes or cancels it: a failure stays, with the
// reason and (where it makes sense) Retry. A pure reducer, so those rules are unit-tested.
import { formatBytes } from '../../../common/files.ts';
import type { UploadPhase } from './upload.ts';

export type TrayState =
  | { kind: 'ready' }
  | { kind: 'refused'; reason: string }
  | { kind: 'queued' }
  | Exclude<UploadPhase, { kind: 'uploaded' }>
  /** Uploaded; the `share` is in the outbox under `messageId` until the host stores it. */
  | { kind: 'sharing'; messageId: string };

export interface TrayFile {
  key: string;
  file: File;
  state: TrayState;
  /** Sent with the file's message; '' for none. */
  caption: string;
  /** A private share: the name of the one person who sees it. */
  to?: string | undefined;
}

export type TrayAction =
  | { type: 'add'; files: Array<{ key: string; file: File }>; maxFileBytes: number }
  | { type: 'remove'; key: string }
  /** Send: every ready file is queued, the caption going with the first; all to `to` alone when set. */
  | { type: 'send'; caption: string; to?: string | undefined }
  | { type: 'phase'; key: string; phase: Exclude<UploadPhase, { kind: 'uploaded' }> }
  | { type: 'sharing'; key: string; messageId: string }
  | { type: 'retry'; key: string }
  /** The host stored the share (acked): the file is in the conversation now. */
  | { type: 'shared'; messageId: string }
  | { type: 'share_failed'; messageId: string; reason: string };

/** "holiday.mov is 3.1 GB; this room takes files up to 2.1 GB." */
export function tooLargeWords(file: { name: string; size: number }, maxFileBytes: number): string {
  return `${file.name} is ${formatBytes(file.size)}; this room takes files up to ${formatBytes(maxFileBytes)}.`;
}

export function trayReducer(tray: readonly TrayFile[], action: TrayAction): TrayFile[] {
  const update = (match: (f: TrayFile) => boolean, change: (f: TrayFile) => TrayFile) => tray.map((f) => (match(f) ? change(f) : f));
  switch (action.type) {
    case 'add':
      return [
        ...tray,
        ...action.files.map(({ key, file }): TrayFile => ({
          key,
          file,
          caption: '',
          state: file.size > action.maxFileBytes ? { kind: 'refused', reason: tooLargeWords(file, action.maxFileBytes) } : { kind: 'ready' },
        })),
      ];
    case 'remove':
      return tray.filter((f) => f.key !== action.key);
    case 'send': {
      let caption = action.caption;
      return update(
        (f) => f.state.kind === 'ready',
        (f) => {
          const mine = caption;
          caption = '';
          return { ...f, state: { kind: 'queued' }, caption: mine, to: action.to };
        },
      );
    }
    case 'phase':
      return update((f) => f.key === action.key && (f.state.kind === 'queued' || isActive(f.state)), (f) => ({ ...f, state: action.phase }));
    case 'sharing':
      return update((f) => f.key === action.key, (f) => ({ ...f, state: { kind: 'sharing', messageId: action.messageId } }));
    case 'retry':
      return update((f) => f.key === action.key && f.state.kind === 'failed' && f.state.retryable, (f) => ({ ...f, state: { kind: 'queued' } }));
    case 'shared':
      return tray.filter((f) => !(f.state.kind === 'sharing' && f.state.messageId === action.messageId));
    case 'share_failed':
      return update(
        (f) => f.state.kind === 'sharing' && f.state.messageId === action.messageId,
        (f) => ({ ...f, state: { kind: 'failed', reason: action.reason, retryable: true } }),
      );
  }
}

/** On its way: being checked, sent, or waiting for the host. */
export function isActive(state: TrayState): boolean {
  return state.kind === 'checking' || state.kind === 'sending' || state.kind === 'waiting';
}

/** The next file to upload, when none is on its way: one at a time, so messages keep the tray's order. */
export function nextToUpload(tray: readonly TrayFile[]): TrayFile | undefined {
  if (tray.some((f) => isActive(f.state))) return undefined;
  return tray.find((f) => f.state.kind === 'queued');
}

/** Files Send would send now. */
export function readyCount(tray: readonly TrayFile[]): number {
  return tray.filter((f) => f.state.kind === 'ready').length;
}
