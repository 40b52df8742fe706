import { describe, expect, expectTypeOf, it } from 'vitest';
import { evaluateClassifier, mulberry32, type EvaluationReport } from '../compute/metrics/index.js';
import { finiteJson } from '../domain/finite.js';
import { classifierReportSchema, evaluationReportSchema, parseStoredReport, type ClassifierReportPayload, type EvaluationReportPayload } from './evaluation.js';
import { ContractFailure } from './result.js';

/** Three classes over two symbols, a weak signal, one class never predicted with confidence: curves, baselines and nulls all appear. */
function syntheticEvaluation(options: { n: number; seed: number; withRegression?: boolean }): EvaluationReport {
  const { n, seed } = options;
  const random = mulberry32(seed);
  const yTrue = new Int8Array(n);
  const probs = new Float32Array(n * 3);
  const symbols = new Int32Array(n);
  const prevClass = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    yTrue[i] = Math.floor(random() * 3);
    const raw = [random(), random(), random()];
    raw[yTrue[i]!]! += 0.4;
    const sum = raw[0]! + raw[1]! + raw[2]!;
    for (let k = 0; k < 3; k++) probs[i * 3 + k] = raw[k]! / sum;
    symbols[i] = i % 2;
    prevClass[i] = i === 0 ? -1 : yTrue[i - 1]!;
  }
  const regression = options.withRegression ? { actual: Float64Array.from({ length: n }, () => random() - 0.5), predicted: Float64Array.from({ length: n }, () => random() - 0.5) } : undefined;
  return evaluateClassifier({ yTrue, probs, classes: ['DOWN', 'FLAT', 'UP'], symbols, symbolNames: ['BTC/USDT', 'ETH/USDT'], prevClass, seed, ...(regression ? { regression } : {}), options: { bootstrapResamples: 50 } });
}

describe('evaluation report schema', () => {
  it('is the type of the metrics library’s report, both ways', () => {
    expectTypeOf<EvaluationReport>().toExtend<ClassifierReportPayload>();
    expectTypeOf<ClassifierReportPayload>().toExtend<EvaluationReport>();
    // What the service stores is the library's report plus folds and importance.
    expectTypeOf<EvaluationReportPayload>().toExtend<EvaluationReport>();
  });

  it('reads a computed report as it crosses JSON, and gives back the same report', () => {
    for (const report of [syntheticEvaluation({ n: 600, seed: 7, withRegression: true }), syntheticEvaluation({ n: 12, seed: 3 })]) {
      expect(classifierReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
      expect(classifierReportSchema.parse(finiteJson(report))).toEqual(report);
    }
  });

  it('keeps the nulls a report carries and their reasons', () => {
    // One sample of one class: AUCs undefined (no negatives), intervals missing.
    const report = evaluateClassifier({ yTrue: Int8Array.of(0), probs: Float64Array.of(0.7, 0.3), classes: ['DOWN', 'UP'], seed: 1, options: { bootstrapResamples: 10 } });
    const parsed = classifierReportSchema.parse(finiteJson(report));
    expect(parsed.roc.macroAuc).toBeNull();
    expect(parsed.roc.perClass[0]?.reason).toEqual(expect.any(String));
    expect(parsed).toEqual(report);
  });

  it('refuses a NaN where the report promises a number, and a null where it allows none', () => {
    const report = finiteJson(syntheticEvaluation({ n: 200, seed: 5 }));
    expect(classifierReportSchema.safeParse({ ...report, samples: null }).success).toBe(false);
    expect(classifierReportSchema.safeParse({ ...report, samples: Number.NaN }).success).toBe(false);
    expect(classifierReportSchema.safeParse({ ...report, classification: { ...report.classification, accuracy: null } }).success).toBe(true);
  });

  it('reads a report stored before folds and importance existed as having none', () => {
    const report = syntheticEvaluation({ n: 100, seed: 9 });
    const stored = evaluationReportSchema.parse(JSON.parse(JSON.stringify(report)));
    expect(stored.folds).toEqual([]);
    expect(stored.importance).toBeNull();
  });

  it('refuses a stored report of another shape with a sentence naming the evaluation', () => {
    expect(() => parseStoredReport(4, JSON.stringify({ schemaVersion: 1 }))).toThrow(ContractFailure);
    expect(() => parseStoredReport(4, '{"schemaVersion":1}')).toThrow(/Evaluation 4 .* evaluate the run again/);
  });
});
