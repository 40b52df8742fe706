/**
 * Layer names as a person reads them in the model summary. tfjs names an unnamed layer after its
 * class twice over (`candela_gru_CandelaGRU1`, `dense_Dense3`, `input1`) and our custom layers
 * carry the `Candela` prefix that registers them; the summary shows `GRU 1`, `Dense 3`, `Input 1`.
 * Layers we name ourselves (`direction`, `magnitude`, …) keep their names.
 */
export function readableLayerType(className: string): string {
  return className.replace(/^Candela/, '') || className;
}

export function readableLayerName(name: string): string {
  const generated = /^(?:[a-z0-9]+_)*([A-Z][A-Za-z0-9]*?)(\d+)$/.exec(name);
  if (generated) return `${readableLayerType(generated[1]!)} ${generated[2]}`;
  const input = /^input(\d+)$/.exec(name);
  if (input) return `Input ${input[1]}`;
  return name;
}
