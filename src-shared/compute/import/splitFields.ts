const QUOTE = 34;

/**
 * Splits one delimited line into cells, RFC 4180 style: a cell wrapped in double quotes may
 * contain the delimiter, and `""` inside it is one quote. Outer quotes are removed; spaces are
 * kept (callers trim). Used while sniffing and on the row parser's rare quoted path.
 */
export function splitFields(line: string, delimiter: string): string[] {
  if (line.indexOf('"') === -1) return line.split(delimiter);
  const out: string[] = [];
  const d = delimiter.charCodeAt(0);
  let i = 0;
  const n = line.length;
  for (;;) {
    let cell = '';
    while (i < n && line.charCodeAt(i) === 32) i++;
    if (i < n && line.charCodeAt(i) === QUOTE) {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) {
          cell += line.slice(i);
          i = n;
          break;
        }
        cell += line.slice(i, q);
        if (q + 1 < n && line.charCodeAt(q + 1) === QUOTE) {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const next = line.indexOf(delimiter, i);
      // text after the closing quote (malformed) is kept rather than lost
      cell += next === -1 ? line.slice(i).trimEnd() : line.slice(i, next).trimEnd();
      i = next === -1 ? n : next;
    } else {
      const next = line.indexOf(delimiter, i);
      cell = next === -1 ? line.slice(i) : line.slice(i, next);
      i = next === -1 ? n : next;
    }
    out.push(cell);
    if (i >= n || line.charCodeAt(i) !== d) break;
    i++;
    if (i === n) {
      out.push('');
      break;
    }
  }
  return out;
}

/**
 * Finds the bounds of the first `maxFields` cells of a line that contains quotes, writing
 * `[starts[k], ends[k])` without the outer quotes. Returns the number of cells found. An
 * escaped `""` stays in the bounds as two characters: such a cell is text, never a number.
 */
export function locateQuotedFields(line: string, delimiter: number, starts: Int32Array, ends: Int32Array, maxFields: number): number {
  const n = line.length;
  let i = 0;
  let f = 0;
  while (f < maxFields) {
    let j = i;
    while (j < n && line.charCodeAt(j) === 32) j++;
    if (j < n && line.charCodeAt(j) === QUOTE) {
      const s = j + 1;
      let q = s;
      for (;;) {
        q = line.indexOf('"', q);
        if (q === -1) {
          q = n;
          break;
        }
        if (q + 1 < n && line.charCodeAt(q + 1) === QUOTE) q += 2;
        else break;
      }
      starts[f] = s;
      ends[f] = q;
      let k = q + 1;
      while (k < n && line.charCodeAt(k) !== delimiter) k++;
      f++;
      if (k >= n) return f;
      i = k + 1;
    } else {
      let k = i;
      while (k < n && line.charCodeAt(k) !== delimiter) k++;
      starts[f] = i;
      ends[f] = k;
      f++;
      if (k >= n) return f;
      i = k + 1;
    }
  }
  return f;
}
