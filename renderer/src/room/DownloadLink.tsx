// "Download <name>": a plain link in a browser (the page and the file share an origin, so
// `download` works), and in the desktop app a request to the main process, which saves the
// file (from app://hearth a link to the host is another origin: Chromium would navigate,
// and the app refuses navigation). A refusal shows as a sentence beside the link.
import { createContext, useContext, useState, type MouseEvent } from 'react';
import type { Result } from '../../../common/ipc.ts';

/** The shell's way to save a room file; undefined where the link itself does it (the web client). */
export const SaveFileContext = createContext<((url: string) => Promise<Result<null>>) | undefined>(undefined);

export function DownloadLink({ url, name, className }: { url: string; name: string; className: string }) {
  const save = useContext(SaveFileContext);
  const [problem, setProblem] = useState<string>();
  const onClick = save
    ? (event: MouseEvent) => {
        event.preventDefault();
        setProblem(undefined);
        void save(url).then((result) => {
          if (!result.ok) setProblem(result.error);
        });
      }
    : undefined;
  return (
    <>
      <a className={className} href={url} download="" aria-label={`Download ${name}`} onClick={onClick}>
        Download
      </a>
      {problem && (
        <span role="alert" className="muted small">
          {problem}
        </span>
      )}
    </>
  );
}
