import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_REQUEST_BYTES, type WireMessage } from '../../src-shared/contract/index.js';
import { buildHandlers } from '../ipc/dispatch.js';
import type { Services } from '../services/createServices.js';
import { createHeadlessServices } from '../../test-support/headlessServices.js';
import { startHeadlessServer, type RunningServer } from './headlessServer.js';

let services: Services;
let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'candela-server-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Candela</title>');
  services = await createHeadlessServices(join(dir, 'ws'));
  server = await startHeadlessServer({ services, handlers: buildHandlers(), rendererDir: renderer, port: 0 });
});
afterAll(async () => {
  await server.close();
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

const wsUrl = (token = server.token) => `ws://127.0.0.1:${server.port}/ws?token=${encodeURIComponent(token)}`;

/** Opens a socket and resolves with it once open, or with the HTTP status that refused it. */
function connect(url: string, origin?: string): Promise<{ ws: WebSocket; messages: WireMessage[] } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    const messages: WireMessage[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as WireMessage));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.on('error', () => undefined);
  });
}

/** Waits for a message the test expects; the deadline only stops a hung test (replies take milliseconds). */
async function nextMessage(messages: WireMessage[], wanted: (m: WireMessage) => boolean, what: string): Promise<WireMessage> {
  for (const end = Date.now() + 30_000; Date.now() < end; ) {
    const found = messages.find(wanted);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${what} within 30 s`);
}

async function request(ws: WebSocket, messages: WireMessage[], raw: string, id: number) {
  ws.send(raw);
  const reply = await nextMessage(messages, (m) => m.kind === 'reply' && m.id === id, `reply for ${id}`);
  return reply.kind === 'reply' ? reply.result : undefined;
}

describe('headless server', () => {
  it('binds to loopback by default and prints a URL carrying the token', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(24);
  });

  it('serves the renderer with a strict Content-Security-Policy', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>Candela</title>');
    const traversal = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fetc%2fpasswd`);
    expect(await traversal.text()).not.toContain('root:');
  });

  it('refuses a connection without the right token', async () => {
    expect(await connect(`ws://127.0.0.1:${server.port}/ws`)).toEqual({ refused: 401 });
    expect(await connect(wsUrl('wrong-token'))).toEqual({ refused: 401 });
  });

  it('refuses a connection from a foreign Origin even with the token', async () => {
    expect(await connect(wsUrl(), 'http://evil.example')).toEqual({ refused: 403 });
    expect(await connect(wsUrl(), `http://127.0.0.1:${server.port + 1}`)).toEqual({ refused: 403 });
  });

  it('answers malformed requests with typed errors and keeps serving', async () => {
    const c = await connect(wsUrl(), `http://127.0.0.1:${server.port}`);
    if (!('ws' in c)) throw new Error(`refused ${c.refused}`);
    const { ws, messages } = c;
    ws.send('{not json');
    const notJson = await nextMessage(messages, (m) => m.kind === 'reply', 'reply to a malformed request');
    expect(notJson).toMatchObject({ kind: 'reply', id: -1, result: { ok: false, error: { code: 'BAD_REQUEST' } } });

    expect(await request(ws, messages, JSON.stringify({ id: 2, channel: 'nope.nothing', payload: {} }), 2)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await request(ws, messages, JSON.stringify({ id: 3, channel: 'datasets.delete', payload: { id: -4 } }), 3)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const huge = JSON.stringify({ id: 4, channel: 'datasets.list', payload: { blob: 'x'.repeat(MAX_REQUEST_BYTES + 10) } });
    expect(await request(ws, messages, huge, 4)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await request(ws, messages, JSON.stringify({ id: 5, channel: 'datasets.list', payload: {} }), 5)).toEqual({ ok: true, value: { datasets: [] } });
    ws.close();
  });

  it('pushes contract events to connected clients', async () => {
    const c = await connect(wsUrl());
    if (!('ws' in c)) throw new Error('refused');
    const sample = await services.resources.sample();
    services.events.emit('system.resourceSample', sample);
    expect(await nextMessage(c.messages, (m) => m.kind === 'event', 'event')).toMatchObject({ kind: 'event', event: 'system.resourceSample', payload: { cpuCount: sample.cpuCount } });
    expect(c.messages[0]).toEqual({ kind: 'hello', shell: 'headless' });
    c.ws.close();
  });
});
