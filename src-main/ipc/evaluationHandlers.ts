import type { DomainHandlers } from './handlerTypes.js';

export function evaluationHandlers(): DomainHandlers<'evaluation'> {
  return {
    'evaluation.run': ({ runId }, { services }) => services.db.evaluateRun(runId, Date.now()),
    'evaluation.latest': ({ runId }, { services }) => services.db.latestEvaluation(runId),
    'evaluation.analytics': ({ runId, hmmStates }, { services }) => services.db.runAnalytics(runId, hmmStates),
    'evaluation.report': ({ runId, backtestId }, { services }) => services.db.runReport(runId, backtestId, Date.now()),
    'evaluation.reportPdf': async ({ runId, backtestId }, { services }) => {
      const { pdf, fileName } = await services.reportPdf(runId, backtestId);
      return { pdfBase64: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('base64'), fileName, bytes: pdf.byteLength };
    },
  };
}
