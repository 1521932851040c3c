// The files kept on the host: space used of the quota, and each file (newest first) with
// Delete, confirmed first. A deleted file's messages stay in the conversation, marked deleted.
import { useEffect, useRef, useState } from 'react';
import type { DashboardFiles } from '../../../common/dashboard.ts';
import { clockTime, fullDateTime } from '../chat/format.ts';
import { fileDetails, fileLabel, usagePercent, usageWords } from './files.ts';

export function FilesPanel({ files, onDelete }: { files: DashboardFiles; onDelete(fileId: string): Promise<boolean> }) {
  const [confirming, setConfirming] = useState<string>();
  // Keyboard focus follows the confirmation: to its "Keep it" when it opens (the Delete button
  // it replaces is gone), back to that file's Delete when it is kept, and once the file is
  // deleted (its row is gone) to the Delete of the file now in its place, or the heading.
  const [kept, setKept] = useState<string>();
  const [deleted, setDeleted] = useState<{ id: string; index: number }>();
  const keepButton = useRef<HTMLButtonElement>(null);
  const keptDelete = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (confirming) keepButton.current?.focus();
    else if (kept) keptDelete.current?.focus();
  }, [confirming, kept]);
  useEffect(() => {
    // The list changes when the host's next snapshot arrives, which may be after the answer.
    if (deleted === undefined || files.list.some((file) => file.id === deleted.id)) return;
    const deletes = list.current?.querySelectorAll<HTMLButtonElement>('button[data-delete]') ?? [];
    (deletes[Math.min(deleted.index, deletes.length - 1)] ?? heading.current)?.focus();
    setDeleted(undefined);
  }, [deleted, files.list]);
  const percent = usagePercent(files);
  const hidden = files.count - files.list.length;
  return (
    <section className="panel files-panel" aria-labelledby="files-title">
      <h2 id="files-title" ref={heading} tabIndex={-1}>
        Files <span className="count">{files.count}</span>
      </h2>
      <p className="small">{usageWords(files)}</p>
      <div className="files-meter" role="meter" aria-label="Space for files used" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${percent} %`}>
        <span style={{ width: `${percent}%` }} />
      </div>
      {files.list.length === 0 ? (
        <p className="muted small">No files yet. Files people share are kept here, on this computer.</p>
      ) : (
        <ul className="file-list" aria-labelledby="files-title" ref={list}>
          {files.list.map((file, index) => {
            const label = fileLabel(file);
            return (
              <li key={file.id}>
                <span className="file-who">
                  <strong dir="auto">{label}</strong>
                  <span className="muted small">
                    {/* The name is text from whoever shared it: isolated so it cannot reorder the rest. */}
                    <bdi>{fileDetails(file)}</bdi> · <time title={fullDateTime(file.at)}>{clockTime(file.at)}</time>
                  </span>
                </span>
                {confirming === file.id ? (
                  <span className="inline confirm" role="alertdialog" aria-label={`Confirm deleting ${label}`}>
                    <span className="small">Delete it for everyone? Its messages stay, marked deleted.</span>
                    <button
                      type="button"
                      className="danger-ghost small"
                      onClick={() =>
                        void onDelete(file.id).then((gone) => {
                          setConfirming(undefined);
                          if (gone) setDeleted({ id: file.id, index });
                          else setKept(file.id);
                        })
                      }
                    >
                      Yes, delete it
                    </button>
                    <button
                      type="button"
                      className="ghost small"
                      ref={keepButton}
                      onClick={() => {
                        setConfirming(undefined);
                        setKept(file.id);
                      }}
                    >
                      Keep it
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    className="danger-ghost small"
                    aria-label={`Delete ${label}`}
                    data-delete
                    ref={kept === file.id ? keptDelete : undefined}
                    onClick={() => {
                      setKept(undefined);
                      setConfirming(file.id);
                    }}
                  >
                    Delete
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {hidden > 0 && <p className="muted small">And {hidden} older {hidden === 1 ? 'file' : 'files'}, not listed.</p>}
    </section>
  );
}
