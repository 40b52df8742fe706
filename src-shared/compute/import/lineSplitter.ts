import { formatCount } from '../../domain/formatCount.js';

/** Thrown when a line grows past the splitter's limit: the file is not a candle table. */
export class LineTooLongError extends Error {
  constructor(
    readonly lineNo: number,
    readonly maxLineLength: number,
  ) {
    super(
      `Line ${lineNo} is longer than ${formatCount(maxLineLength)} characters, so this is not a table of candles.`,
    );
    this.name = 'LineTooLongError';
  }
}

/** The longest line a candle file may have, in characters. */
export const MAX_LINE_CHARS = 1_000_000;

/**
 * Splits decoded text that arrives in arbitrary chunks into lines. A line may span chunks;
 * `\r\n` and `\n` both end a line (a `\r` split from its `\n` by a chunk boundary is still
 * stripped, because it stays in the carried tail until the `\n` arrives).
 */
export class LineSplitter {
  private carry = '';
  private linesSeen = 0;

  constructor(private readonly maxLineLength: number = MAX_LINE_CHARS) {}

  /** Returns the complete lines in this chunk (no `\n`, trailing `\r` stripped). Throws LineTooLongError. */
  push(chunk: string): string[] {
    const text = this.carry.length === 0 ? chunk : this.carry + chunk;
    // split() on a one-character separator is a native fast path in V8; a manual indexOf loop is slower.
    const lines = text.split('\n');
    this.carry = lines.pop()!;
    const max = this.maxLineLength;
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i]!;
      if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = lines[i] = line.slice(0, -1);
      if (line.length > max) throw new LineTooLongError(this.linesSeen + i + 1, max);
    }
    this.linesSeen += lines.length;
    if (this.carry.length > max + 1) throw new LineTooLongError(this.linesSeen + 1, max);
    return lines;
  }

  /** Returns the last line if the file had no final newline. */
  end(): string[] {
    let last = this.carry;
    this.carry = '';
    if (last.length > 0 && last.charCodeAt(last.length - 1) === 13) last = last.slice(0, -1);
    if (last.length > this.maxLineLength) throw new LineTooLongError(this.linesSeen + 1, this.maxLineLength);
    if (last.length === 0) return [];
    this.linesSeen++;
    return [last];
  }
}
