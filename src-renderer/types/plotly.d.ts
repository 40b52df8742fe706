// plotly.js-cartesian-dist-min ships no types; these cover the calls Candela makes
// (https://plotly.com/javascript/plotlyjs-function-reference/).
declare module 'plotly.js-cartesian-dist-min' {
  export interface PlotlyHTMLElement extends HTMLDivElement {
    on(event: string, handler: (e: unknown) => void): void;
  }
  export type Data = Record<string, unknown>;
  export type Layout = Record<string, unknown>;
  export type Config = Record<string, unknown>;
  export function react(root: HTMLElement, data: Data[], layout?: Layout, config?: Config): Promise<PlotlyHTMLElement>;
  export function purge(root: HTMLElement): void;
  const Plotly: { react: typeof react; purge: typeof purge };
  export default Plotly;
}
