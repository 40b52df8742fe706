import { formatBytes, formatInt } from '../../format.js';
import { useImportStore } from '../../stores/stores.js';

/** Progress of the running upload or import (bytes, rows, rows/s, ETA) with Cancel, then its summary. */
export function ImportStatus() {
  const announced = useImportStore((s) => s.announced);
  const uploading = useImportStore((s) => s.uploading);
  const progress = useImportStore((s) => s.progress);
  const summary = useImportStore((s) => s.summary);
  const error = useImportStore((s) => s.error);
  const jobId = useImportStore((s) => s.jobId);
  const cancel = useImportStore((s) => s.cancel);
  const dismiss = useImportStore((s) => s.dismissSummary);
  const demo = useImportStore((s) => s.demo);

  if (error) {
    return (
      <div className="import-status error-box" role="alert">
        {error}
      </div>
    );
  }
  if (uploading || jobId) {
    // Before the first progress event (the demo market still being written, a job starting)
    // there is nothing to measure: the bar is indeterminate and no figures are shown.
    const measured = uploading !== null || progress !== null;
    const total = uploading ? uploading.totalBytes : (progress?.bytesTotal ?? 0);
    const done = uploading ? uploading.sentBytes : (progress?.bytesRead ?? 0);
    const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
    const files = announced ?? 0;
    const label = uploading
      ? `Uploading ${uploading.fileIndex + 1} of ${uploading.fileCount}: ${uploading.file}`
      : progress
        ? `Importing ${progress.fileIndex + 1} of ${progress.fileCount}: ${progress.file.split(/[\\/]/).pop()}`
        : demo
          ? 'Generating the demo market (correlated symbols with a planted signal)…'
          : `Starting the import of ${files} file${files === 1 ? '' : 's'}…`;
    return (
      <div className="import-status" aria-label="Import progress" data-testid="import-progress">
        <div className="import-line">
          <span>{label}</span>
          <button onClick={() => void cancel()}>Cancel</button>
        </div>
        {measured ? <progress max={100} value={pct} aria-label="Import progress bar" aria-valuetext={`${formatBytes(done)} of ${formatBytes(total)}`} /> : <progress aria-label="Import progress bar" aria-valuetext="starting" />}
        <div className="muted import-figures">
          {uploading ? `${formatBytes(done)} of ${formatBytes(total)} sent` : null}
          {progress
            ? `${formatInt(progress.fileIndex)} of ${formatInt(progress.fileCount)} files done · ${formatBytes(done)} of ${formatBytes(total)} read · ${formatInt(progress.rows)} bars · ${formatInt(Math.round(progress.rowsPerSec))} bars/s · ETA ${progress.etaSec === null ? '…' : `${Math.ceil(progress.etaSec)} s`}`
            : null}
          {measured ? null : demo ? `${formatInt(files)} files to write, then import` : 'waiting for the first file to open'}
        </div>
      </div>
    );
  }
  if (summary) {
    const ok = summary.files.filter((f) => f.ok);
    const failed = summary.files.filter((f) => !f.ok);
    const rows = ok.reduce((n, f) => n + f.rowsImported, 0);
    return (
      <div className={failed.length ? 'import-status warn-box' : 'import-status ok-box'} role="status" data-testid="import-summary">
        <div className="import-line">
          <strong>
            {summary.cancelled ? 'Import cancelled: ' : ''}
            {ok.length} of {summary.files.length} file{summary.files.length === 1 ? '' : 's'} imported · {formatInt(rows)} new candles · {summary.seconds.toFixed(1)} s
          </strong>
          <button onClick={dismiss} aria-label="Dismiss import summary">Dismiss</button>
        </div>
        <ul className="import-files">
          {summary.files.slice(0, 200).map((f) => (
            <li key={f.file} className={f.ok ? undefined : 'error'}>
              <span className="file-name">{f.file.split(/[\\/]/).pop()}</span>{' '}
              {f.ok ? (
                <span>
                  → {f.symbol} {f.timeframe} ({f.format}): {formatInt(f.rowsImported)} new
                  {f.rowsRejected ? `, ${formatInt(f.rowsRejected)} rejected` : ''}
                  {f.duplicates ? `, ${formatInt(f.duplicates)} duplicates` : ''}
                  {f.warnings.length ? <span className="muted"> — {f.warnings.join(' ')}</span> : null}
                  {f.rejectedSample.length ? (
                    <span className="muted"> First rejected: line {f.rejectedSample[0]!.line}: {f.rejectedSample[0]!.reason}</span>
                  ) : null}
                </span>
              ) : (
                <span>— {f.error}</span>
              )}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return null;
}
