// An image full size (as large as the window allows), over the room. Escape or Close go
// back, and the focus returns to the picture that opened it (ui/Dialog.tsx does both).
import type { FileRef } from '../../../common/protocol.ts';
import { formatBytes } from '../../../common/files.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { DownloadLink } from './DownloadLink.tsx';

export function ImageViewer({ file, src, download, onClose }: { file: FileRef; src: string; download: string; onClose(): void }) {
  return (
    <Dialog
      title={file.name}
      className="viewer"
      onClose={onClose}
      footer={
        <>
          <span className="muted small viewer-size">
            {file.image ? `${file.image.width} × ${file.image.height} · ` : ''}
            {formatBytes(file.size)}
          </span>
          <DownloadLink className="button" url={download} name={file.name} />
          <button type="button" className="primary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <div className="viewer-frame">
        <img src={src} alt={file.name} />
      </div>
    </Dialog>
  );
}
