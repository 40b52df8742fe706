import { describe, expect, it } from 'vitest';
import { LineSplitter, LineTooLongError } from './lineSplitter.js';

function splitAll(chunks: string[], max?: number): string[] {
  const s = new LineSplitter(max);
  const out: string[] = [];
  for (const c of chunks) out.push(...s.push(c));
  out.push(...s.end());
  return out;
}

describe('LineSplitter', () => {
  it('joins lines that span chunks and strips CR, even when CR and LF fall in different chunks', () => {
    expect(splitAll(['a,1\r', '\nb,', '2\r\nc,3\n'])).toEqual(['a,1', 'b,2', 'c,3']);
  });

  it('returns the last line only from end() when the file has no final newline', () => {
    const s = new LineSplitter();
    expect(s.push('x\ny')).toEqual(['x']);
    expect(s.end()).toEqual(['y']);
    expect(s.end()).toEqual([]);
  });

  it('keeps blank lines (the row parser skips them) but adds none at the end', () => {
    expect(splitAll(['a\n\nb\n'])).toEqual(['a', '', 'b']);
    expect(splitAll(['a\r\n'])).toEqual(['a']);
    expect(splitAll([''])).toEqual([]);
  });

  it('gives the same lines whatever the chunk size', () => {
    const text = Array.from({ length: 300 }, (_, i) => `${i},${i * 2}`).join('\r\n');
    const whole = splitAll([text]);
    for (const size of [1, 2, 7, 64]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(splitAll(chunks)).toEqual(whole);
    }
    expect(whole).toHaveLength(300);
  });

  it('throws LineTooLongError with the line number, for complete and unfinished lines', () => {
    expect(() => splitAll(['ok\n', 'x'.repeat(11), '\n'], 10)).toThrow(LineTooLongError);
    try {
      splitAll(['ok\nfine\n', 'y'.repeat(50)], 10);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LineTooLongError);
      expect((e as LineTooLongError).lineNo).toBe(3);
      expect((e as Error).message).toMatch(/^Line 3 is longer than 10 characters/);
    }
    // exactly at the limit is fine
    expect(splitAll(['x'.repeat(10) + '\r\n'], 10)).toEqual(['x'.repeat(10)]);
  });
});
