import { SingleBar } from 'cli-progress';
import type { ImportProgress } from '../../src-shared/contract/datasets.js';
import { formatCount } from '../../src-shared/domain/formatCount.js';

const mb = (b: number) => (b / 1048576).toFixed(1);

/**
 * An import progress bar on stderr (stdout stays clean for --json). Without a terminal it
 * prints nothing: CI logs and pipes do not want redraws.
 */
export function importProgressBar(enabled = process.stderr.isTTY === true) {
  if (!enabled) return { update: (_p: ImportProgress) => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: 'import |{bar}| {percentage}% · file {file}/{files} · {mbRead}/{mbTotal} MB · {rows} rows · {rate} rows/s · ETA {etaText}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
  );
  let started = false;
  return {
    update(p: ImportProgress) {
      const payload = {
        file: p.fileIndex + 1,
        files: p.fileCount,
        mbRead: mb(p.bytesRead),
        mbTotal: mb(p.bytesTotal),
        rows: formatCount(p.rows),
        rate: formatCount(Math.round(p.rowsPerSec)),
        etaText: p.etaSec === null ? '…' : `${Math.ceil(p.etaSec)} s`,
      };
      if (!started) {
        bar.start(Math.max(1, p.bytesTotal), p.bytesRead, payload);
        started = true;
      } else bar.update(p.bytesRead, payload);
    },
    stop: () => started && bar.stop(),
  };
}
