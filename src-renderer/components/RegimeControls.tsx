/** The two controls the regime tables share on the Evaluation and Backtests pages. */

/** Which rows a regime table shows: everything (`''`) or one symbol's. */
export function SymbolScopeSelect({ label, allLabel, symbols, value, onChange, testId }: { label: string; allLabel: string; symbols: readonly string[]; value: string; onChange: (symbol: string) => void; testId: string }) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">{allLabel}</option>
        {symbols.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Off, or HMM regimes of 2 or 3 states. */
export function HmmStatesSelect({ value, onChange, testId }: { value: 2 | 3 | null; onChange: (states: 2 | 3 | null) => void; testId: string }) {
  return (
    <label title="A Gaussian hidden Markov model of log returns, fitted on each symbol's bars before the test period; its states are filtered on the test period (each bar's state uses returns up to that bar only).">
      HMM regimes{' '}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : (Number(e.target.value) as 2 | 3))} data-testid={testId}>
        <option value="">off</option>
        <option value="2">2 states</option>
        <option value="3">3 states</option>
      </select>
    </label>
  );
}
