import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type CandelaBridge } from '../../src-shared/contract/bridge.js';
import type { ChannelName, EventName } from '../../src-shared/contract/index.js';
import type { Result } from '../../src-shared/contract/result.js';

/**
 * The contract's channel and event names, written in as plain lists by scripts/build.mjs: the
 * contract module itself carries zod and every schema (most of a megabyte) that the preload would
 * parse on every window load only to ask whether a name exists. Main validates the payloads.
 */
declare const __CANDELA_CHANNEL_NAMES__: readonly ChannelName[];
declare const __CANDELA_EVENT_NAMES__: readonly EventName[];
const channelNames: ReadonlySet<string> = new Set(__CANDELA_CHANNEL_NAMES__);
const eventNames: ReadonlySet<string> = new Set(__CANDELA_EVENT_NAMES__);

const unknownChannel = (channel: unknown): Result<never> => ({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `There is no channel named ${String(channel)}.` } });

// Only the contract crosses: unknown channels and events are refused here as well as in main.
const bridge: CandelaBridge = {
  shell: 'electron',
  invoke(channel, payload) {
    if (!channelNames.has(channel)) return Promise.resolve(unknownChannel(channel));
    return ipcRenderer.invoke(IPC_INVOKE, channel, payload);
  },
  on(event, listener) {
    if (!eventNames.has(event)) throw new Error(`There is no event named ${String(event)}.`);
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
