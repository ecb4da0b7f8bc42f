import { CodeSpec, TierSpec } from './types';

/** The input tier: its heading and introduction in docs/diagnostic-codes.md. */
export const INPUT_TIER: TierSpec = {
  tier: 'input',
  heading: "Input (`CI9xxx`)",
  intro: [
    "Reported by the `cdk8s-istio validate` CLI with `file` (and `index`, `line`, `column` where a document is known).",
  ].join('\n'),
};

/** The codes of the input tier, in documentation order: default severity, title and meaning. */
export const INPUT_CODES = {
  CI9001: { severity: 'error', title: "Path cannot be read", doc: "path cannot be read (missing, permission denied, not a file or directory)" },
  CI9002: { severity: 'error', title: "YAML syntax error", doc: "YAML syntax error in a document" },
  CI9003: { severity: 'error', title: "Document is not a mapping", doc: "document (or an item of a `List` document) is not a YAML mapping (object)" },
  CI9004: { severity: 'warning', title: "Directory holds no YAML files", doc: "a directory argument holds no `.yaml`/`.yml` files" },
  CI9005: { severity: 'error', title: "Excessive YAML aliasing", doc: "document contains excessive aliasing: its alias expansion exceeds the bound kubectl's YAML reader (go-yaml v2) enforces" },
} as const satisfies Record<string, CodeSpec>;
