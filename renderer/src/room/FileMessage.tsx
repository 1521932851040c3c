// A message's file in the conversation. A PNG, JPEG, GIF or WebP the host recognised shows
// inline, sized from the FileRef before it loads (the list never jumps), opening full size
// in a viewer. Anything else (SVG and HTML included) is a card with a download link. A
// deleted file leaves a line saying so. Names are text, isolated (dir="auto") so a name
// written right to left, or one with direction marks, never reorders the card around it.
import { useState } from 'react';
import { formatBytes, isInlineImage } from '../../../common/files.ts';
import type { FileRef } from '../../../common/protocol.ts';
import type { RoomFiles } from '../chat/useRoom.ts';
import { cardDetail, fileKind, fitImage } from '../files/file-kinds.ts';
import { fileUrl } from '../files/file-urls.ts';
import { DownloadLink } from './DownloadLink.tsx';
import { FileIcon } from './FileIcon.tsx';
import { ImageViewer } from './ImageViewer.tsx';

// Inline images: at most this big in the column; a narrow screen scales them further (CSS max-width).
const THUMB_MAX = { width: 360, height: 320 };

export function FileMessage({ file, seq, files }: { file: FileRef; seq: number; files: RoomFiles | undefined }) {
  const [viewing, setViewing] = useState(false);
  if (file.deleted) {
    return (
      <p className="file-deleted muted small">
        <span className="file-name" dir="auto">
          {file.name}
        </span>{' '}
        was deleted by the host
      </p>
    );
  }
  const download = files && fileUrl(files.base, seq, files.downloadToken);
  if (isInlineImage(file) && file.image) {
    const inline = files && fileUrl(files.base, seq, files.downloadToken, { inline: true });
    const size = fitImage(file.image, THUMB_MAX);
    return (
      <>
        <button type="button" className="file-image" title={`${file.name}: open full size`} onClick={() => setViewing(true)} disabled={!inline}>
          {inline ? (
            <img src={inline} alt={file.name} width={size.width} height={size.height} loading="lazy" decoding="async" />
          ) : (
            <span className="file-image-placeholder" style={{ aspectRatio: `${size.width} / ${size.height}`, width: size.width }}>
              {file.name}
            </span>
          )}
        </button>
        {viewing && inline && download && <ImageViewer file={file} src={inline} download={download} onClose={() => setViewing(false)} />}
      </>
    );
  }
  return (
    <div className="file-card">
      <FileIcon kind={fileKind(file.type).kind} />
      <div className="file-card-body">
        <span className="file-name" dir="auto" title={file.name}>
          {file.name}
        </span>
        <span className="muted small">{cardDetail(formatBytes(file.size), file.name, file.type)}</span>
      </div>
      {download && <DownloadLink className="button small download" url={download} name={file.name} />}
    </div>
  );
}
