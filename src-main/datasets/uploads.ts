import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { ContractFailure } from '../../src-shared/contract/result.js';

interface Upload {
  path: string;
  expected: number;
  received: number;
  out: WriteStream;
}

/**
 * Files dropped on the browser UI arrive as ordered base64 chunks over the contract and are
 * written under the workspace's uploads/ folder; the import then reads that path. The folder
 * is emptied at start, so an interrupted upload leaves nothing lasting behind.
 */
export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  readonly dir: string;

  constructor(workspaceDir: string) {
    this.dir = join(workspaceDir, 'uploads');
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  begin(name: string, bytes: number): string {
    const id = randomUUID();
    // Keep the original name (the importer reads symbol and timeframe from it) in a private folder.
    const folder = join(this.dir, id);
    mkdirSync(folder);
    const safeName = basename(name).replace(/[\\/:*?"<>|\x00-\x1f]/g, '_') || 'upload.csv';
    const path = join(folder, safeName);
    this.uploads.set(id, { path, expected: bytes, received: 0, out: createWriteStream(path) });
    return id;
  }

  async chunk(id: string, offset: number, base64: string): Promise<number> {
    const u = this.get(id);
    if (offset !== u.received) throw new ContractFailure('BAD_REQUEST', `Upload chunk out of order: expected offset ${u.received}, got ${offset}.`);
    const bytes = Buffer.from(base64, 'base64');
    if (u.received + bytes.length > u.expected) throw new ContractFailure('BAD_REQUEST', 'The upload is larger than announced.');
    u.received += bytes.length;
    if (!u.out.write(bytes)) await new Promise<void>((r) => u.out.once('drain', () => r()));
    return u.received;
  }

  async finish(id: string): Promise<string> {
    const u = this.get(id);
    this.uploads.delete(id);
    await new Promise<void>((resolve, reject) => u.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (u.received !== u.expected) throw new ContractFailure('BAD_REQUEST', `The upload ended after ${u.received} of ${u.expected} bytes.`);
    return u.path;
  }

  /** Removes an uploaded file once imported. */
  discard(path: string): void {
    if (path.startsWith(this.dir)) rmSync(join(path, '..'), { recursive: true, force: true });
  }

  private get(id: string): Upload {
    const u = this.uploads.get(id);
    if (!u) throw new ContractFailure('NOT_FOUND', 'No such upload (it may have finished or the server restarted).');
    return u;
  }
}
