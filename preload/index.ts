// The preload exposes window.hearth and nothing else. The desktop contract (common/ipc.ts)
// arrives with the desktop app; until then the renderer only learns which shell it is in.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('hearth', Object.freeze({ shell: 'electron' as const }));
