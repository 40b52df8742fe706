/**
 * A count with thousands separators, as `n.toLocaleString('en-US')` writes it: 1234567 →
 * "1,234,567". Written out because the first toLocaleString of a process loads ICU's locale data
 * (~14 ms), which a CLI command paid to word one warning. Non-integers keep toLocaleString.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}
