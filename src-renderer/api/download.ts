/** Saves bytes or text through a download: the browser asks where, Electron shows its save dialog. */
export function saveDownload(fileName: string, parts: BlobPart[], type?: string): void {
  const url = URL.createObjectURL(new Blob(parts, type ? { type } : {}));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // The download reads the blob asynchronously; revoking at once can cut it off.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
