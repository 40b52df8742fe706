import { useEffect } from 'react';
import { describeHealth, missingBarsText } from '../../src-shared/compute/health/describeHealth.js';
import type { DatasetSummary } from '../../src-shared/contract/datasets.js';
import { formatUtc } from '../format.js';
import { datasetsSelectors } from '../stores/datasetsStore.js';
import { useDatasetsStore } from '../stores/stores.js';

/**
 * The dataset's data-health report: score and verdict with the rule that makes them, every count
 * with a line saying what it counts (the same breakdown `candela health` prints), largest gaps.
 */
export function HealthPanel({ dataset }: { dataset: DatasetSummary }) {
  const loadHealth = useDatasetsStore((s) => s.loadHealth);
  const summary = useDatasetsStore(datasetsSelectors.healthOf(dataset.id))?.summary;
  const error = useDatasetsStore(datasetsSelectors.healthErrorOf(dataset.id));
  // The chart asks for the same report; the store fetches it once per dataset and row count.
  useEffect(() => void loadHealth({ id: dataset.id, rows: dataset.rows }), [loadHealth, dataset.id, dataset.rows]);
  if (error) return <p className="error">Data health could not be read: {error}</p>;
  if (!summary) return null;
  const { headline, rule, lines } = describeHealth(summary);
  const gaps = summary.largestGaps;
  return (
    <section className="card health-panel" aria-label="Data health" data-testid="health-panel">
      <h2>
        Data health: <span className={`health-${summary.verdict}`}>{headline}</span>
      </h2>
      <p className="muted small health-rule">{rule}</p>
      <div className="health-grid">
        <dl className="health-lines">
          {lines.map((l) => (
            <div key={l.key} className={l.part ? 'kv-row health-part' : 'kv-row'} data-testid={`health-${l.key}`}>
              <dt>{l.label}</dt>
              <dd className="health-value">{l.value}</dd>
              <dd className="muted small">{l.explanation}</dd>
            </div>
          ))}
        </dl>
        <div>
          <h3>Largest gaps</h3>
          {gaps.length === 0 ? (
            <p className="muted">No gaps.</p>
          ) : (
            <ul className="gaps">
              {gaps.map((g) => (
                <li key={g.fromTs}>
                  {formatUtc(g.fromTs)} → {formatUtc(g.toTs)}: {missingBarsText(g.missingBars)}
                </li>
              ))}
            </ul>
          )}
          <p className="muted small">Times in UTC. Suspect and bad candles are marked on the chart.</p>
        </div>
      </div>
    </section>
  );
}
