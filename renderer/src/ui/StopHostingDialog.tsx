import { Dialog } from './Dialog.tsx';
import { stopHostingConsequence } from './stop-hosting.ts';

/** "Are you sure?" before a room closes for everyone in it. Cancel is first: it is the safe answer. */
export function StopHostingDialog({ room, others, onCancel, onStop }: { room: string; others: number | undefined; onCancel(): void; onStop(): void }) {
  return (
    <Dialog
      title={`Stop hosting “${room}”?`}
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={onStop}>
            Stop hosting
          </button>
        </>
      }
    >
      <p>{stopHostingConsequence(others)}</p>
      <p className="muted">The history is kept: host “{room}” again to carry on where you stopped.</p>
    </Dialog>
  );
}
