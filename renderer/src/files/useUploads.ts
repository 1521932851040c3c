// The tray's files and their uploads, as React state (tray.ts decides; this runs it): one
// upload at a time, each shared when its bytes are on the host, and kept in the tray until
// the room has stored its message. Uploads waiting for the host are nudged when the room
// reconnects (a restarted host has a new token by then).
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { RoomFiles, ShareOutcome } from '../chat/useRoom.ts';
import { uploadEndpoint } from './file-urls.ts';
import { nextToUpload, trayReducer, type TrayFile } from './tray.ts';
import { startUpload, type UploadHandle } from './upload.ts';

export interface RoomForUploads {
  files: RoomFiles | undefined;
  connected: boolean;
  /** The upload token as of the last welcome. */
  fileToken(): string | undefined;
  share(uploadId: string, caption: string, to?: string): { ok: true; id: string } | { ok: false; error: string };
  onShareOutcome(listener: (outcome: ShareOutcome) => void): () => void;
}

export interface Uploads {
  tray: TrayFile[];
  /** Adds chosen, dropped or pasted files (refusing, in the tray, those over the room's limit). */
  add(files: readonly File[]): void;
  /** Sends every ready file; `caption` goes with the first; `to`: privately, to that person alone. */
  send(caption: string, to?: string): void;
  remove(key: string): void;
  /** Stops an upload and tells the host to drop it. */
  cancel(key: string): void;
  retry(key: string): void;
}

let nextKey = 0;

export function useUploads(room: RoomForUploads): Uploads {
  const [tray, dispatch] = useReducer(trayReducer, []);
  const handles = useRef(new Map<string, UploadHandle>());
  const roomRef = useRef(room);
  roomRef.current = room;
  const base = room.files?.base;
  const maxFileBytes = room.files?.maxFileBytes;
  const connected = useRef(room.connected);
  const reconnected = useRef<Array<() => void>>([]);
  // The token as of the room's last welcome; while reconnecting, the one the next welcome brings.
  const currentToken = useCallback(async () => {
    if (!connected.current) await new Promise<void>((resolve) => reconnected.current.push(resolve));
    return roomRef.current.fileToken();
  }, []);

  const next = nextToUpload(tray);
  useEffect(() => {
    if (!next || base === undefined) return;
    const { key, file, caption, to } = next;
    // Started already (React runs effects twice in development).
    if (handles.current.has(key)) return;
    const handle = startUpload(file, {
      endpoint: uploadEndpoint(base),
      token: currentToken,
      onPhase: (phase) => {
        if (phase.kind === 'failed') handles.current.delete(key);
        if (phase.kind !== 'uploaded') return dispatch({ type: 'phase', key, phase });
        handles.current.delete(key);
        const shared = roomRef.current.share(phase.uploadId, caption, to);
        if (shared.ok) dispatch({ type: 'sharing', key, messageId: shared.id });
        else dispatch({ type: 'phase', key, phase: { kind: 'failed', reason: shared.error, retryable: false } });
      },
    });
    handles.current.set(key, handle);
    // Mark it on its way at once, so the next render does not start it again.
    dispatch({ type: 'phase', key, phase: { kind: 'checking', done: 0 } });
  }, [next, base, currentToken]);

  useEffect(
    () =>
      room.onShareOutcome((outcome) =>
        dispatch(outcome.ok ? { type: 'shared', messageId: outcome.id } : { type: 'share_failed', messageId: outcome.id, reason: outcome.reason }),
      ),
    [room.onShareOutcome],
  );

  // Back in the room (a new welcome, a new token): whatever waited for the host goes on now.
  useEffect(() => {
    connected.current = room.connected;
    if (!room.connected) return;
    for (const go of reconnected.current.splice(0)) go();
    for (const handle of handles.current.values()) handle.resume();
  }, [room.connected, room.files?.uploadToken]);

  // Leaving the room stops uploads without deleting them: attaching the same file resumes.
  useEffect(() => {
    const open = handles.current;
    const waiting = reconnected.current;
    return () => {
      for (const handle of open.values()) handle.stop();
      open.clear();
      // Requests parked for a reconnect that will not come: let them go (their uploads are stopped).
      for (const go of waiting.splice(0)) go();
    };
  }, []);

  const add = useCallback(
    (files: readonly File[]) => {
      if (maxFileBytes === undefined || files.length === 0) return;
      dispatch({ type: 'add', files: files.map((file) => ({ key: `f${++nextKey}`, file })), maxFileBytes });
    },
    [maxFileBytes],
  );
  const send = useCallback((caption: string, to?: string) => dispatch({ type: 'send', caption, to }), []);
  const remove = useCallback((key: string) => dispatch({ type: 'remove', key }), []);
  const cancel = useCallback((key: string) => {
    void handles.current.get(key)?.cancel();
    handles.current.delete(key);
    dispatch({ type: 'remove', key });
  }, []);
  const retry = useCallback((key: string) => dispatch({ type: 'retry', key }), []);

  return { tray, add, send, remove, cancel, retry };
}
