// "Attach file": a button that opens the system's file picker (several files at once). The
// <input type=file> itself stays hidden: the button is what the keyboard and screen readers reach.
import { useRef } from 'react';
import { PaperclipIcon } from './FileIcon.tsx';

export function AttachButton({ disabled, onFiles }: { disabled: boolean; onFiles(files: File[]): void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="ghost attach" aria-label="Attach file" title="Attach file" disabled={disabled} onClick={() => input.current?.click()}>
        <PaperclipIcon />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        onChange={(event) => {
          onFiles(Array.from(event.target.files ?? []));
          // The same file may be chosen again (after removing it from the tray).
          event.target.value = '';
        }}
      />
    </>
  );
}
