/**
 * The titles of a PDF's outline entries (and its document title): Chromium writes them as PDF
 * strings outside compressed streams, literal `(…)` with backslash escapes or `<FEFF…>` in UTF-16BE.
 */
export function pdfOutlineTitles(pdf: Buffer): string[] {
  const titles: string[] = [];
  for (const m of pdf.toString('latin1').matchAll(/\/Title\s*(\((?:\\[\s\S]|[^\\)])*\)|<[0-9A-Fa-f\s]*>)/g)) {
    const raw = m[1]!;
    let bytes: number[];
    if (raw.startsWith('<')) {
      bytes = (raw.slice(1, -1).replace(/\s/g, '').match(/../g) ?? []).map((h) => parseInt(h, 16));
    } else {
      const body = raw.slice(1, -1);
      const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };
      bytes = [];
      for (let i = 0; i < body.length; i++) {
        if (body[i] !== '\\') {
          bytes.push(body.charCodeAt(i));
          continue;
        }
        const next = body[++i]!;
        const octal = /^[0-7]{1,3}/.exec(body.slice(i))?.[0];
        if (octal) {
          bytes.push(parseInt(octal, 8));
          i += octal.length - 1;
        } else bytes.push(escapes[next] ?? next.charCodeAt(0));
      }
    }
    titles.push(bytes[0] === 0xfe && bytes[1] === 0xff ? Buffer.from(bytes.slice(2)).swap16().toString('utf16le') : Buffer.from(bytes).toString('latin1'));
  }
  return titles;
}
