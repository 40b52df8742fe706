import { useEffect, useState } from 'react';
import type { DatasetSummary } from '../../src-shared/contract/datasets.js';
import { getClient } from '../api/client.js';
import { formatInt, formatUtc } from '../format.js';

interface Gap {
  fromTs: number;
  toTs: number;
  missingBars: number;
}

const CHECKS: [string, string][] = [
  ['rows', 'Candles'],
  ['expectedRows', 'Expected over the span'],
  ['missingBars', 'Missing bars'],
  ['gapCount', 'Gaps'],
  ['zeroVolumeBars', 'Zero-volume bars'],
  ['spikes', 'Price spikes'],
  ['badTicks', 'Bad ticks (reverted spikes)'],
  ['flatBars', 'Flat bars'],
  ['invalidBars', 'Invalid OHLC'],
  ['suspectBars', 'Suspect candles'],
  ['badBars', 'Bad candles'],
];

/** The dataset's data-health report: counts, largest gaps, score and verdict. */
export function HealthPanel({ dataset }: { dataset: DatasetSummary }) {
  const [summary, setSummary] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void getClient()
      .invoke('datasets.health', { id: dataset.id })
      .then((r) => (r.ok ? setSummary(r.value.summary) : setError(r.error.message)));
  }, [dataset.id, dataset.rows]);
  if (error) return <p className="error">{error}</p>;
  if (!summary) return null;
  const gaps = (summary.largestGaps as Gap[]) ?? [];
  return (
    <section className="card health-panel" aria-label="Data health" data-testid="health-panel">
      <h2>
        Data health: <span className={`health-${String(summary.verdict)}`}>{Math.round(Number(summary.score))} / 100 · {String(summary.verdict)}</span>
      </h2>
      <div className="health-grid">
        <dl className="kv">
          {CHECKS.map(([k, label]) => (
            <div key={k} className="kv-row">
              <dt>{label}</dt>
              <dd>{formatInt(Number(summary[k] ?? 0))}</dd>
            </div>
          ))}
          <div className="kv-row">
            <dt>First / last bar complete</dt>
            <dd>
              {summary.incompleteFirst ? 'first looks incomplete' : 'first ok'} · {summary.incompleteLast ? 'last looks incomplete' : 'last ok'}
            </dd>
          </div>
          <div className="kv-row">
            <dt>Market hours</dt>
            <dd>{summary.weekendGapsExpected ? 'sessions detected (weekend closures not counted as gaps)' : 'continuous (24/7)'}</dd>
          </div>
        </dl>
        <div>
          <h3>Largest gaps</h3>
          {gaps.length === 0 ? (
            <p className="muted">No gaps.</p>
          ) : (
            <ul className="gaps">
              {gaps.map((g) => (
                <li key={g.fromTs}>
                  {formatUtc(g.fromTs)} → {formatUtc(g.toTs)}: {formatInt(g.missingBars)} bars missing
                </li>
              ))}
            </ul>
          )}
          <p className="muted small">Times in UTC. Candles are flagged suspect (spikes, zero volume, flat) or bad (invalid prices, reverted spikes) on the chart.</p>
        </div>
      </div>
    </section>
  );
}
