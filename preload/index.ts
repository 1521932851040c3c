// window.hearth: exactly the calls and events of common/ipc.ts, nothing else. No raw
// ipcRenderer reaches the page, and unknown channels are refused here as well as in main.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventChannel, isInvokeChannel, type Bridge } from '../common/ipc.ts';

const bridge: Bridge = {
  shell: 'electron',
  invoke: (channel, args) => {
    if (!isInvokeChannel(channel)) return Promise.resolve({ ok: false, error: `unknown call ${String(channel)}` }) as never;
    return ipcRenderer.invoke(channel, args);
  },
  on: (channel, listener) => {
    if (!isEventChannel(channel)) return () => {};
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('hearth', bridge);
