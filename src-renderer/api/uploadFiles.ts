import type { CandelaClient } from './client.js';

/** Bytes per upload chunk before base64 (the contract caps a chunk's base64 at 1.5 MB). */
const CHUNK_BYTES = 768 * 1024;

export interface UploadProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  sentBytes: number;
  totalBytes: number;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The browser build cannot hand the server a local path, so dropped files travel as ordered
 * chunks over the contract and land in the workspace's uploads folder; their server-side paths
 * are then imported like any others. Resolves with those paths.
 */
export async function uploadFiles(client: CandelaClient, files: File[], onProgress: (p: UploadProgress) => void, isCancelled: () => boolean): Promise<string[]> {
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  let sentBytes = 0;
  const paths: string[] = [];
  for (const [fileIndex, file] of files.entries()) {
    const begin = await client.invoke('uploads.begin', { name: file.name, bytes: file.size });
    if (!begin.ok) throw new Error(`${file.name}: ${begin.error.message}`);
    for (let offset = 0; offset < file.size; offset += CHUNK_BYTES) {
      if (isCancelled()) throw new Error('Upload cancelled.');
      const bytes = new Uint8Array(await file.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
      const r = await client.invoke('uploads.chunk', { uploadId: begin.value.uploadId, offset, base64: toBase64(bytes) });
      if (!r.ok) throw new Error(`${file.name}: ${r.error.message}`);
      sentBytes += bytes.length;
      onProgress({ file: file.name, fileIndex, fileCount: files.length, sentBytes, totalBytes });
    }
    const done = await client.invoke('uploads.finish', { uploadId: begin.value.uploadId });
    if (!done.ok) throw new Error(`${file.name}: ${done.error.message}`);
    paths.push(done.value.path);
  }
  return paths;
}

/** Files of a drop, walking dropped folders recursively (browser File System entries API). */
export async function filesFromDataTransfer(dt: DataTransfer): Promise<File[]> {
  const entries = Array.from(dt.items)
    .map((i) => (typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return Array.from(dt.files);
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      out.push(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries returns at most ~100 entries per call: read until it returns none.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const e of batch) if (!e.name.startsWith('.')) await walk(e);
      }
    }
  };
  for (const e of entries) await walk(e);
  return out.filter((f) => /\.(csv|tsv|txt|json)(\.gz)?$|\.gz$/i.test(f.name));
}
