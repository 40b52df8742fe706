import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_REQUEST_BYTES, type WireMessage } from '../../src-shared/contract/index.js';
import { fail } from '../../src-shared/contract/result.js';
import { createDispatcher, tooLarge, type Dispatch } from '../ipc/dispatch.js';
import type { HandlerMap } from '../ipc/handlerTypes.js';
import type { Services } from '../services/createServices.js';
import { serveStatic } from './staticFiles.js';

export interface ServerOptions {
  services: Services;
  handlers: HandlerMap;
  rendererDir: string;
  host?: string;
  port?: number;
  /** Fixed token for tests; normally a fresh random one per start. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  token: string;
  close(): Promise<void>;
}

/**
 * Serves the built renderer over HTTP and the contract over a WebSocket at /ws.
 * A connection must present the start's token and, when it has an Origin, come from this
 * server's own origin: the contract can delete data, so no other page may drive it.
 */
export async function startHeadlessServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const dispatch = createDispatcher(opts.handlers, { services: opts.services, transport: 'websocket' });
  const http = createServer((req, res) => serveStatic(opts.rendererDir, req, res));
  // Messages above the contract's limit get a typed error; only absurd ones (4×) close the socket.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES * 4 });
  const clients = new Set<WebSocket>();

  http.on('upgrade', (req, socket, head) => {
    const refusal = refuseUpgrade(req, token, boundPort());
    if (refusal) return reject(socket, refusal);
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  const unsubscribe = opts.services.events.subscribe((event, payload) => {
    if (clients.size === 0) return;
    const text = JSON.stringify({ kind: 'event', event, payload } satisfies WireMessage);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  function onConnection(ws: WebSocket) {
    clients.add(ws);
    ws.send(JSON.stringify({ kind: 'hello', shell: opts.services.options.shell } satisfies WireMessage));
    ws.on('message', (data, isBinary) => void handleMessage(ws, dispatch, data as Buffer, isBinary));
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, host, () => resolve());
  });
  const boundPort = () => (http.address() as AddressInfo).port;
  const port = boundPort();
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    token,
    url: `http://${urlHost === '0.0.0.0' ? '127.0.0.1' : urlHost}:${port}/?token=${token}`,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

async function handleMessage(ws: WebSocket, dispatch: Dispatch, data: Buffer, isBinary: boolean) {
  const send = (m: WireMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));
  if (isBinary) return send({ kind: 'reply', id: -1, result: fail('BAD_REQUEST', 'Requests are JSON text messages, not binary frames.') });
  const big = tooLarge(data.byteLength);
  if (big) return send({ kind: 'reply', id: peekId(data), result: big });
  let msg: unknown;
  try {
    msg = JSON.parse(data.toString('utf8'));
  } catch {
    return send({ kind: 'reply', id: -1, result: fail('BAD_REQUEST', 'The message is not valid JSON.') });
  }
  if (typeof msg !== 'object' || msg === null || typeof (msg as { id?: unknown }).id !== 'number') {
    return send({ kind: 'reply', id: -1, result: fail('BAD_REQUEST', 'A request needs a numeric "id", a "channel" and a "payload".') });
  }
  const { id, channel, payload } = msg as { id: number; channel?: unknown; payload?: unknown };
  send({ kind: 'reply', id, result: await dispatch(channel, payload) });
}

/** Best effort: find the id of an oversized request without parsing all of it. */
function peekId(data: Buffer): number {
  const m = /"id"\s*:\s*(\d+)/.exec(data.subarray(0, 200).toString('utf8'));
  return m ? Number(m[1]) : -1;
}

function refuseUpgrade(req: IncomingMessage, token: string, port: number): string | null {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/ws') return '404 Not Found';
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return '401 Unauthorized';
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, req.headers.host, port)) return '403 Forbidden';
  return null;
}

/** Same scheme-less host:port as the page was served from, or a loopback name for the same port. */
function isOwnOrigin(origin: string, hostHeader: string | undefined, port: number): boolean {
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (o.protocol !== 'http:') return false;
  if (hostHeader && o.host === hostHeader) return true;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  return loopback.includes(o.hostname) && Number(o.port) === port && loopback.some((h) => hostHeader?.startsWith(h));
}

function reject(socket: Duplex, status: string) {
  socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\ncontent-length: 0\r\n\r\n`);
  socket.destroy();
}
