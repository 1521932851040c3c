// Where you type. Enter sends, Shift+Enter starts a new line, "/" shows the commands (Tab
// completes the first). Typing tells the room you are typing, at most every few seconds.
// The draft is saved per room as it is typed, so a reload gives it back.
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { COMMANDS } from '../../../common/commands.ts';
import { draftLength } from '../chat/draft.ts';
import { MAX_DRAFT_UNITS, loadDraft, saveDraft, sessionDraftStorage } from '../chat/saved-draft.ts';

export function Composer({
  disabled,
  placeholder,
  isHost,
  focusSignal,
  draftKey,
  onSubmit,
  onTyping,
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
}) {
  const [text, setText] = useState(() => loadDraft(sessionDraftStorage(), draftKey));
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.focus(), [focusSignal]);
  useEffect(() => saveDraft(sessionDraftStorage(), draftKey, text), [draftKey, text]);

  const hints = useMemo(() => {
    if (!text.startsWith('/') || /\s/.test(text)) return [];
    const typed = text.slice(1).toLowerCase();
    return COMMANDS.filter((c) => (!c.admin || isHost) && c.usage.slice(1).toLowerCase().startsWith(typed));
  }, [text, isHost]);

  // Grow with the text, up to a few lines.
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [text]);

  const length = useMemo(() => draftLength(text), [text]);

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (text.trim() === '' || disabled || length.over) return;
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

  return (
    <form className="composer" onSubmit={send}>
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
      <textarea
        ref={area}
        aria-label="Message"
        rows={1}
        value={text}
        disabled={disabled}
        placeholder={placeholder}
        maxLength={MAX_DRAFT_UNITS}
        onChange={(e) => {
          setText(e.target.value);
          onTyping(e.target.value.length > 0 && !e.target.value.startsWith('/'));
        }}
        onKeyDown={onKeyDown}
        onBlur={() => onTyping(false)}
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
        disabled={disabled || text.trim() === '' || length.over}
        aria-describedby={length.over ? 'draft-length' : undefined}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path d="M3 20.5 21 12 3 3.5v6.6L15 12 3 13.9z" fill="currentColor" />
        </svg>
      </button>
    </form>
  );
}
