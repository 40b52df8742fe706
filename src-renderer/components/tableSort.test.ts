import { describe, expect, it } from 'vitest';
import { ariaSort, compareCells, nextSort, sortRows } from './tableSort.js';

describe('table sorting', () => {
  it('flips the sorted column and starts another ascending', () => {
    expect(nextSort({ key: 'rows', dir: 1 }, 'rows')).toEqual({ key: 'rows', dir: -1 });
    expect(nextSort({ key: 'rows', dir: -1 }, 'rows')).toEqual({ key: 'rows', dir: 1 });
    expect(nextSort({ key: 'rows', dir: -1 }, 'symbol')).toEqual({ key: 'symbol', dir: 1 });
  });

  it('names the direction for aria-sort on the sorted column only', () => {
    expect(ariaSort({ key: 'rows', dir: 1 }, 'rows')).toBe('ascending');
    expect(ariaSort({ key: 'rows', dir: -1 }, 'rows')).toBe('descending');
    expect(ariaSort({ key: 'rows', dir: -1 }, 'symbol')).toBe('none');
  });

  it('puts missing values last in both directions and compares text with numbers in it naturally', () => {
    expect([3, null, 1].sort((a, b) => compareCells(a, b, 1))).toEqual([1, 3, null]);
    expect([3, null, 1].sort((a, b) => compareCells(a, b, -1))).toEqual([3, 1, null]);
    expect(['BTC10', 'BTC9'].sort((a, b) => compareCells(a, b, 1))).toEqual(['BTC9', 'BTC10']);
  });

  it('sorts rows by a cell without touching the input, keeping ties in order', () => {
    const rows = [{ s: 'b', n: 1 }, { s: 'a', n: 1 }, { s: 'c', n: 0 }];
    expect(sortRows(rows, { key: 'n', dir: 1 }, (r, k) => r[k as 'n']).map((r) => r.s)).toEqual(['c', 'b', 'a']);
    expect(rows[0]!.s).toBe('b');
  });
});
