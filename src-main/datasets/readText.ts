import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

const CHUNK_BYTES = 1 << 20;
const SAMPLE_CHUNK_BYTES = 64 << 10;

/** gzip files start with 1f 8b whatever their name; plain files are read as they are. */
export async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * Streams a file as decoded UTF-8 text chunks, gunzipping when needed, with the count of raw
 * (on-disk) bytes consumed so far for progress. Memory stays at a chunk or two however large
 * the file is.
 */
export async function* readTextChunks(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<{ text: string; bytesRead: number }> {
  // bytesRead of the raw stream, not a 'data' listener: one would start the flow before the
  // iterator attaches and chunks would be lost.
  const raw = createReadStream(path, { highWaterMark: chunkBytes });
  const source = (await isGzip(path)) ? raw.pipe(createGunzip()) : raw;
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield { text, bytesRead: raw.bytesRead };
    }
    const tail = decoder.decode();
    if (tail) yield { text: tail, bytesRead: raw.bytesRead };
  } finally {
    raw.destroy();
  }
}

/**
 * Streams a file's raw (gunzipped) bytes with the count of on-disk bytes consumed so far, for the
 * byte-level row reader; memory stays at a chunk or two. With `hash`, the on-disk bytes also go
 * into it as they are read, so a file read whole is hashed without a pass of its own
 * (see {@link hashFile}).
 */
export async function* readByteChunks(path: string, hash?: Hash): AsyncGenerator<{ bytes: Buffer; bytesRead: number }> {
  const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const gzip = await isGzip(path);
  // Piped, the raw stream already flows, so a second 'data' listener sees every chunk in order.
  if (gzip && hash) raw.on('data', (chunk) => hash.update(chunk as Buffer));
  const source = gzip ? raw.pipe(createGunzip()) : raw;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (!gzip) hash?.update(chunk);
      yield { bytes: chunk, bytesRead: raw.bytesRead };
    }
  } finally {
    raw.destroy();
  }
}

/**
 * readByteChunks cut at line ends: each chunk ends with a newline (but the last, and a line of
 * several MB), so the byte reader never has to join a line across two chunks. That join would
 * hand it a plain Uint8Array among Node's Buffers, and its hot loop, seeing two array shapes,
 * runs about three times slower.
 */
export async function* readLineChunks(path: string, hash?: Hash): AsyncGenerator<{ bytes: Buffer; bytesRead: number }> {
  let carry: Buffer | null = null;
  let read = 0;
  for await (const { bytes, bytesRead } of readByteChunks(path, hash)) {
    read = bytesRead;
    const buf: Buffer = carry ? Buffer.concat([carry, bytes]) : bytes;
    const last = buf.lastIndexOf(10);
    if (last === -1 && buf.length < 4 * CHUNK_BYTES) {
      carry = buf;
      continue;
    }
    const cut = last === -1 ? buf.length : last + 1;
    carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : null;
    yield { bytes: buf.subarray(0, cut), bytesRead };
  }
  if (carry) yield { bytes: carry, bytesRead: read };
}

/** UTF-8 text of bytes [start, end), for lines the byte reader hands to the row parser. */
export const decodeUtf8 = (bytes: Uint8Array, start: number, end: number): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', start, end);

/** The first lines of a file (decoded, gunzipped), for sniffing its format. */
export async function readSampleLines(path: string, maxLines = 200, maxChars = 4 << 20): Promise<string[]> {
  let text = '';
  // A small first read: 200 lines of a candle file are ~15 KB, and this runs once per file.
  for await (const chunk of readTextChunks(path, SAMPLE_CHUNK_BYTES)) {
    text += chunk.text;
    if (text.length >= maxChars || countNewlines(text) > maxLines) break;
  }
  const lines = text.split('\n').slice(0, maxLines);
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The hash of a file's identity, fed its bytes as stored (readByteChunks can feed it while reading). */
export const contentHasher = (): Hash => createHash('sha256');

/** SHA-256 of the file's bytes as stored: the identity that makes re-importing a file a no-op. */
export async function hashFile(path: string): Promise<string> {
  const h = contentHasher();
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) h.update(chunk as Buffer);
  return h.digest('hex');
}
