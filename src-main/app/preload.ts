import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type CandelaBridge } from '../../src-shared/contract/bridge.js';
import { isChannelName, isEventName } from '../../src-shared/contract/index.js';
import { fail } from '../../src-shared/contract/result.js';

// Only the contract crosses: unknown channels and events are refused here as well as in main.
const bridge: CandelaBridge = {
  shell: 'electron',
  invoke(channel, payload) {
    if (!isChannelName(channel)) return Promise.resolve(fail('UNKNOWN_CHANNEL', `There is no channel named ${String(channel)}.`));
    return ipcRenderer.invoke(IPC_INVOKE, channel, payload);
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`There is no event named ${String(event)}.`);
    const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => void ipcRenderer.removeListener(IPC_EVENT, wrapped);
  },
  pathForFile(file) {
    return webUtils.getPathForFile(file as File);
  },
};

contextBridge.exposeInMainWorld('candela', bridge);
