import { createHeadlessServices } from '../test-support/headlessServices.js';
import { buildHandlers } from '../src-main/ipc/dispatch.js';
import { startHeadlessServer } from '../src-main/server/headlessServer.js';
import { join } from 'node:path';
import WebSocket from 'ws';
import { result, type Benchmark } from './types.js';

/** Round trip of a small request over the WebSocket transport, as the browser UI pays it. */
export const contractBenchmark: Benchmark = {
  prefix: 'contract',
  description: 'WebSocket request round trip (datasets.list on an empty workspace)',
  async run(ctx) {
    const services = await createHeadlessServices(join(ctx.tmpDir, 'contract-ws'));
    const server = await startHeadlessServer({ services, handlers: buildHandlers(), rendererDir: ctx.tmpDir, port: 0 });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
      await new Promise((r) => ws.once('open', r));
      const pending = new Map<number, () => void>();
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as { kind: string; id?: number };
        if (m.kind === 'reply' && m.id !== undefined) pending.get(m.id)?.();
      });
      const times: number[] = [];
      for (let id = 1; id <= 2000; id++) {
        const t = performance.now();
        await new Promise<void>((resolve) => {
          pending.set(id, resolve);
          ws.send(JSON.stringify({ id, channel: 'datasets.list', payload: {} }));
        });
        if (id > 200) times.push(performance.now() - t);
      }
      ws.close();
      times.sort((a, b) => a - b);
      const p50 = times[Math.floor(times.length * 0.5)]!;
      const p95 = times[Math.floor(times.length * 0.95)]!;
      return [result('contract.wsRoundtrip.p50Ms', p50, 'ms'), result('contract.wsRoundtrip.p95Ms', p95, 'ms')];
    } finally {
      await server.close();
      await services.close();
    }
  },
};
