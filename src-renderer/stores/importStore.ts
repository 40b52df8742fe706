import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ImportOverrides, ImportPreview, ImportProgress, ImportSummary } from '../../src-shared/contract/datasets.js';
import type { CandelaClient } from '../api/client.js';
import { filesFromDataTransfer, uploadFiles, type UploadProgress } from '../api/uploadFiles.js';
import { latestOnly } from './latestOnly.js';

/** What a file column can be read as in the preview's remap (`timeOfDay`: a time column beside a date column, as MetaTrader writes). */
export const PREVIEW_ROLES = ['time', 'timeOfDay', 'open', 'high', 'low', 'close', 'volume'] as const;
export type PreviewRole = (typeof PREVIEW_ROLES)[number];
export type ColumnMapping = Partial<Record<PreviewRole, number>>;

/** A single file waiting for the person to check what was detected before importing it. */
export interface PendingPreview {
  path: string;
  result: ImportPreview;
  /** The corrections this result was detected with; the import is made with the same ones. */
  overrides: ImportOverrides;
  /** The file's columns ("column 3" where the file has no header), from the last preview that could read it: what a role may be remapped to. */
  fileColumns: string[];
  /** The file column each role reads: as detected, or as the person remapped it when that remap was refused (so the choice stays on screen beside the reason). */
  mapping: ColumnMapping;
  /** A preview with changed settings is on its way. */
  refreshing: boolean;
}

export interface ImportState {
  /** Files announced for the current import, before any byte moves. */
  announced: number | null;
  uploading: UploadProgress | null;
  jobId: string | null;
  progress: ImportProgress | null;
  summary: ImportSummary | null;
  /** A single dropped file waits here for the user to check the detection before importing. */
  preview: PendingPreview | null;
  /** The running job generates the demo market first: nothing to measure until its files are written. */
  demo: boolean;
  error: string | null;
}

export interface ImportActions {
  /** Subscribes to the import events; returns the unsubscribe. */
  connect(): () => void;
  importPaths(paths: string[], overrides?: ImportOverrides): Promise<void>;
  /** Drop handler: real paths in Electron, uploads in the browser. A single file opens the preview. */
  importDrop(dt: DataTransfer): Promise<void>;
  importFileList(files: File[]): Promise<void>;
  previewPath(path: string, overrides?: ImportOverrides): Promise<void>;
  /**
   * Reads a role from another file column (what `--col-*` does on the command line) and previews
   * the file again with the whole mapping pinned. A column another role held is handed to that
   * role in exchange, so correcting swapped columns is one choice. `null` drops the separate
   * time-of-day column.
   */
  remapColumn(role: PreviewRole, column: number | null): Promise<void>;
  closePreview(): void;
  cancel(): Promise<void>;
  dismissSummary(): void;
  generateDemo(): Promise<void>;
}

export type ImportStoreState = ImportState & ImportActions;
export type ImportStore = StoreApi<ImportStoreState>;

export const initialImportState: ImportState = { announced: null, uploading: null, jobId: null, progress: null, summary: null, preview: null, demo: false, error: null };

/** The import workflow of the datasets domain: uploads, the single-file preview, the running job and its summary. */
export function createImportStore(client: CandelaClient): ImportStore {
  let uploadCancelled = false;
  /** Summaries that arrived before the request that started their job had answered (tiny files). */
  const earlySummaries = new Map<string, ImportSummary>();
  const previewRequest = latestOnly();
  const store = createStore<ImportStoreState>()((set, get) => ({
    ...initialImportState,
    connect() {
      const offs = [
        client.on('datasets.importProgress', (p) => p.jobId === get().jobId && set({ progress: p })),
        client.on('datasets.importFinished', (s) => {
          if (s.jobId === get().jobId) set({ summary: s, jobId: null, progress: null, announced: null, uploading: null, demo: false });
          else earlySummaries.set(s.jobId, s);
        }),
      ];
      return () => offs.forEach((off) => off());
    },
    async importPaths(paths, overrides) {
      set({ error: null, summary: null, preview: null });
      const r = await client.invoke('datasets.import', overrides ? { paths, overrides } : { paths });
      if (!r.ok) set({ error: r.error.message, announced: null, uploading: null });
      else startedJob(r.value.jobId, r.value.fileCount);
    },
    async importDrop(dt) {
      if (client.pathForFile) {
        const paths = Array.from(dt.files).map((f) => client.pathForFile!(f)).filter(Boolean);
        if (paths.length === 1 && /\.(csv|tsv|txt|json)(\.gz)?$/i.test(paths[0]!)) return get().previewPath(paths[0]!);
        return get().importPaths(paths);
      }
      const files = await filesFromDataTransfer(dt);
      return get().importFileList(files);
    },
    async importFileList(files) {
      if (files.length === 0) {
        set({ error: 'Nothing to import: drop CSV, TXT, JSON or .gz files, or folders holding them.' });
        return;
      }
      uploadCancelled = false;
      set({ error: null, summary: null, announced: files.length, uploading: { file: files[0]!.name, fileIndex: 0, fileCount: files.length, sentBytes: 0, totalBytes: files.reduce((n, f) => n + f.size, 0) } });
      try {
        const paths = client.pathForFile ? files.map((f) => client.pathForFile!(f)) : await uploadFiles(client, files, (p) => set({ uploading: p }), () => uploadCancelled);
        if (paths.length === 1) {
          set({ uploading: null, announced: null });
          return get().previewPath(paths[0]!);
        }
        await get().importPaths(paths);
      } catch (e) {
        set({ error: (e as Error).message, uploading: null, announced: null });
      }
    },
    previewPath: (path, overrides) => requestPreview(path, overrides ?? {}, null),
    async remapColumn(role, column) {
      const p = get().preview;
      if (!p) return;
      const mapping = remapped(p.mapping, role, column);
      await requestPreview(p.path, { ...p.overrides, columns: columnOverrides(mapping) }, mapping);
    },
    closePreview() {
      previewRequest.cancel();
      set({ preview: null });
    },
    async cancel() {
      uploadCancelled = true;
      const jobId = get().jobId;
      if (jobId) {
        const r = await client.invoke('datasets.importCancel', { jobId });
        if (!r.ok) set({ error: r.error.message });
      } else set({ uploading: null, announced: null });
    },
    dismissSummary: () => set({ summary: null }),
    async generateDemo() {
      set({ error: null, summary: null, demo: true });
      const r = await client.invoke('datasets.generateDemo', {});
      if (!r.ok) set({ error: r.error.message, demo: false });
      else startedJob(r.value.jobId, r.value.fileCount);
    },
  }));

  /** `mapping`: the remap asked for, kept on screen if the file cannot be read that way. */
  async function requestPreview(path: string, overrides: ImportOverrides, mapping: ColumnMapping | null) {
    const current = previewRequest.begin();
    const before = store.getState().preview;
    if (before?.path === path) store.setState({ preview: { ...before, refreshing: true } });
    const r = await client.invoke('datasets.preview', Object.keys(overrides).length ? { path, overrides } : { path });
    if (!current()) return;
    if (!r.ok) {
      store.setState({ error: r.error.message, preview: before?.path === path ? { ...before, refreshing: false } : null });
      return;
    }
    const result = r.value;
    const kept = before?.path === path ? before : null;
    store.setState({
      error: null,
      preview: {
        path,
        result,
        overrides,
        // a refused file may still have been split into columns (a header no role could be placed in)
        fileColumns: result.ok || result.sampleRows.length ? fileColumnNames(result) : (kept?.fileColumns ?? []),
        mapping: result.ok || Object.keys(result.columnIndex).length ? { ...result.columnIndex } : (mapping ?? kept?.mapping ?? {}),
        refreshing: false,
      },
    });
  }

  function startedJob(jobId: string, fileCount: number) {
    const early = earlySummaries.get(jobId);
    earlySummaries.delete(jobId);
    if (early) store.setState({ summary: early, jobId: null, progress: null, announced: null, uploading: null, demo: false });
    else store.setState({ jobId, announced: fileCount, uploading: null });
  }
  return store;
}

/** The file's columns by header name, or "column N" (1-based, as a person counts) where there is none. */
export function fileColumnNames(p: Pick<ImportPreview, 'header' | 'sampleRows'>): string[] {
  const count = Math.max(p.header?.length ?? 0, ...p.sampleRows.map((r) => r.length));
  return Array.from({ length: count }, (_, i) => p.header?.[i] || `column ${i + 1}`);
}

/** `role` reads `column`; the role that read `column` before takes `role`'s old column. */
export function remapped(mapping: ColumnMapping, role: PreviewRole, column: number | null): ColumnMapping {
  const next: ColumnMapping = { ...mapping };
  const previous = mapping[role];
  if (column === null) {
    delete next[role];
    return next;
  }
  for (const r of PREVIEW_ROLES) {
    if (r !== role && next[r] === column) {
      if (previous === undefined) delete next[r];
      else next[r] = previous;
    }
  }
  next[role] = column;
  return next;
}

/**
 * The import overrides that pin a mapping, as 0-based column indices. A date with a separate
 * time of day is the `date` + `time` pair of the contract (the importer adds the two).
 */
export function columnOverrides(mapping: ColumnMapping): NonNullable<ImportOverrides['columns']> {
  const out: NonNullable<ImportOverrides['columns']> = {};
  for (const role of ['open', 'high', 'low', 'close', 'volume'] as const) if (mapping[role] !== undefined) out[role] = String(mapping[role]);
  if (mapping.time !== undefined && mapping.timeOfDay !== undefined) {
    out.date = String(mapping.time);
    out.time = String(mapping.timeOfDay);
  } else if (mapping.time !== undefined) out.time = String(mapping.time);
  return out;
}

export const importSelectors = {
  busy: (s: ImportState) => s.jobId !== null || s.uploading !== null,
};
