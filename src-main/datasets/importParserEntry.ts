// The import parser thread's entry (dist/main/import-parser.mjs): see parseWorker.ts.
import { serveParseWorker } from './parseWorker.js';

await serveParseWorker();
