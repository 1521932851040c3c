// Where you type. Enter sends, Shift+Enter starts a new line, "/" shows the commands (Tab
// completes the first). Typing tells the room you are typing, at most every few seconds.
// The draft is saved per room as it is typed, so a reload gives it back.
// Files come in by the Attach button, by pasting, or dropped on the conversation (RoomView),
// and wait in the tray above the input; then what is typed is the caption of the first file,
// sent with it, as in most chat apps: one box to type in, one Enter to send it all.
import { useEffect, useMemo, useRef, useState, type ClipboardEvent, type FormEvent, type KeyboardEvent } from 'react';
import { COMMANDS } from '../../../common/commands.ts';
import { draftLength } from '../chat/draft.ts';
import { MAX_DRAFT_UNITS, loadDraft, saveDraft, sessionDraftStorage } from '../chat/saved-draft.ts';
import { readyCount } from '../files/tray.ts';
import type { Uploads } from '../files/useUploads.ts';
import { AttachButton } from './AttachButton.tsx';
import { PendingFiles } from './PendingFiles.tsx';

export interface ComposerFiles {
  uploads: Uploads;
  /** The room takes files (welcome.files): the Attach button shows. */
  allowed: boolean;
  connected: boolean;
  /** Chosen, pasted or dropped: into the tray, or a notice when the room takes none. */
  offer(files: File[]): void;
  /** "This room does not take files.", shown for a moment. */
  notice: string | undefined;
  /** Sends the tray's ready files with this caption ("/msg NAME caption" sends them privately). */
  send(caption: string): void;
}

export function Composer({
  disabled,
  placeholder,
  isHost,
  focusSignal,
  draftKey,
  onSubmit,
  onTyping,
  files,
}: {
  disabled: boolean;
  placeholder: string;
  isHost: boolean;
  focusSignal: number;
  /** Where the draft is saved: the room's WebSocket URL. */
  draftKey: string;
  /** False when the line was refused (too long, a mistyped command): the draft stays. */
  onSubmit(line: string): boolean;
  onTyping(active: boolean): void;
  files: ComposerFiles;
}) {
  const [text, setText] = useState(() => loadDraft(sessionDraftStorage(), draftKey));
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.focus(), [focusSignal]);
  useEffect(() => saveDraft(sessionDraftStorage(), draftKey, text), [draftKey, text]);

  const hints = useMemo(() => {
    if (!text.startsWith('/') || /\s/.test(text)) return [];
    const typed = text.slice(1).toLowerCase();
    // /send and /get are the terminal's: here files are the Attach button and Download links.
    return COMMANDS.filter((c) => (!c.admin || isHost) && !c.terminal && c.usage.slice(1).toLowerCase().startsWith(typed));
  }, [text, isHost]);

  // Grow with the text, up to a few lines.
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [text]);

  const length = useMemo(() => draftLength(text), [text]);

  const filesReady = readyCount(files.uploads.tray);
  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (disabled || length.over) return;
    if (filesReady > 0) {
      files.send(text.trim() === '' ? '' : text);
      onTyping(false);
      setText('');
      return;
    }
    if (text.trim() === '') return;
    if (!onSubmit(text)) return;
    onTyping(false);
    setText('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    } else if (event.key === 'Tab' && hints.length > 0) {
      event.preventDefault();
      setText(`${hints[0]!.usage.split(' ')[0]} `);
    } else if (event.key === 'Escape' && text.startsWith('/')) {
      setText('');
    }
  };

  // Pasted files (a screenshot, files copied in a file manager) go to the tray. Rich text from
  // an editor also carries a picture of itself: that paste stays text.
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const data = event.clipboardData;
    const pasted = Array.from(data.files);
    if (pasted.length === 0 || (data.types.includes('text/plain') && data.types.includes('text/html'))) return;
    event.preventDefault();
    files.offer(pasted);
  };

  return (
    <form className="composer" onSubmit={send}>
      <PendingFiles uploads={files.uploads} connected={files.connected} />
      {files.notice && (
        <p className="composer-notice small" role="status">
          {files.notice}
        </p>
      )}
      {hints.length > 0 && (
        <ul className="hints" aria-label="Commands">
          {hints.map((c) => (
            <li key={c.usage}>
              <button type="button" className="hint" onClick={() => { setText(`${c.usage.split(' ')[0]} `); area.current?.focus(); }}>
                <code>{c.usage}</code>
                <span className="muted">{c.description}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {files.allowed && <AttachButton disabled={disabled} onFiles={files.offer} />}
      <textarea
        ref={area}
        aria-label="Message"
        rows={1}
        value={text}
        disabled={disabled}
        placeholder={filesReady > 0 ? 'Add a caption (optional)' : placeholder}
        maxLength={MAX_DRAFT_UNITS}
        onChange={(e) => {
          setText(e.target.value);
          onTyping(e.target.value.length > 0 && !e.target.value.startsWith('/'));
        }}
        onKeyDown={onKeyDown}
        onBlur={() => onTyping(false)}
        onPaste={onPaste}
        aria-invalid={length.over ? true : undefined}
        aria-describedby={length.shown ? 'draft-length' : undefined}
      />
      {length.shown && (
        <p id="draft-length" className={`draft-length small ${length.over ? 'form-error' : 'muted'}`}>
          {length.text}
        </p>
      )}
      <button
        type="submit"
        className="send"
        aria-label="Send"
        disabled={disabled || (text.trim() === '' && filesReady === 0) || length.over}
        aria-describedby={length.over ? 'draft-length' : undefined}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path d="M3 20.5 21 12 3 3.5v6.6L15 12 3 13.9z" fill="currentColor" />
        </svg>
      </button>
    </form>
  );
}
