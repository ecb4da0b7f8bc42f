// Parses Mermaid diagrams with mermaid's own parser (mermaid is ESM-only and needs a DOM, hence a
// separate process with jsdom). Reads a JSON array of diagram texts from standard input and prints
// a JSON array with one result per diagram: {"ok":true,"diagramType":"flowchart-v2"} or
// {"ok":false,"error":"..."}. Exits 1 when a diagram does not parse.
import { JSDOM } from 'jsdom';

const { window } = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = window;
globalThis.document = window.document;
for (const k of ['Element', 'HTMLElement', 'SVGElement', 'Node', 'DOMParser', 'MutationObserver']) {
  if (window[k] !== undefined && globalThis[k] === undefined) globalThis[k] = window[k];
}

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const diagrams = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
const results = [];
for (const text of diagrams) {
  try {
    const r = await mermaid.parse(text);
    results.push({ ok: true, diagramType: r.diagramType });
  } catch (e) {
    results.push({ ok: false, error: String(e?.message ?? e) });
  }
}
console.log(JSON.stringify(results));
if (results.some(r => !r.ok)) process.exitCode = 1;
