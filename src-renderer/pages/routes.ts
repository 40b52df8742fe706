export const PAGES = [
  { id: 'datasets', label: 'Datasets', key: '1' },
  { id: 'training', label: 'Training', key: '2' },
  { id: 'evaluation', label: 'Evaluation', key: '3' },
  { id: 'backtests', label: 'Backtests', key: '4' },
  { id: 'system', label: 'System', key: '5' },
  { id: 'runs', label: 'Runs', key: '6' },
  { id: 'sweeps', label: 'Sweeps', key: '7' },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

export const pageFromHash = (hash: string): PageId => {
  const id = hash.replace(/^#\/?/, '').split('/')[0];
  return (PAGES.find((p) => p.id === id)?.id ?? 'datasets') as PageId;
};
