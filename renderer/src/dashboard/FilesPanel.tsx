// The files kept on the host: space used of the quota, and each file (newest first) with
// Delete, confirmed first. A deleted file's messages stay in the conversation, marked deleted.
import { useState } from 'react';
import type { DashboardFiles } from '../../../common/dashboard.ts';
import { clockTime, fullDateTime } from '../chat/format.ts';
import { fileDetails, fileLabel, usagePercent, usageWords } from './files.ts';

export function FilesPanel({ files, onDelete }: { files: DashboardFiles; onDelete(fileId: string): Promise<boolean> }) {
  const [confirming, setConfirming] = useState<string>();
  const percent = usagePercent(files);
  const hidden = files.count - files.list.length;
  return (
    <section className="panel files-panel" aria-labelledby="files-title">
      <h2 id="files-title">
        Files <span className="count">{files.count}</span>
      </h2>
      <p className="small">{usageWords(files)}</p>
      <div className="files-meter" role="meter" aria-label="Space for files used" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${percent} %`}>
        <span style={{ width: `${percent}%` }} />
      </div>
      {files.list.length === 0 ? (
        <p className="muted small">No files yet. Files people share are kept here, on this computer.</p>
      ) : (
        <ul className="file-list" aria-labelledby="files-title">
          {files.list.map((file) => {
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
                    <button type="button" className="danger-ghost small" onClick={() => void onDelete(file.id).then(() => setConfirming(undefined))}>
                      Yes, delete it
                    </button>
                    <button type="button" className="ghost small" onClick={() => setConfirming(undefined)}>
                      Keep it
                    </button>
                  </span>
                ) : (
                  <button type="button" className="danger-ghost small" aria-label={`Delete ${label}`} onClick={() => setConfirming(file.id)}>
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
