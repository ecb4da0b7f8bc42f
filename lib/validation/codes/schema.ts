import { CodeSpec, TierSpec } from './types';

/** The schema tier: its heading and introduction in docs/diagnostic-codes.md. */
export const SCHEMA_TIER: TierSpec = {
  tier: 'schema',
  heading: "Tier 1: schema and CEL (`CI1xxx`)",
  intro: [
    "What the Kubernetes API server rejects on create with kubectl's default strict field validation,",
    "for every kind and served version in `crds/` (other kinds get the metadata checks only). Schema",
    "defaults are applied (to a copy) before the CEL rules run; nulls of non-nullable fields are",
    "pruned as the API server does; `status` is not checked when it is a subresource. CEL transition",
    "rules (`oldSelf`) do not apply on create and are skipped. `path` is the JSON path of the field,",
    "e.g. `spec.http[0].route[1].weight`; map entries are `[\"key\"]`.",
  ].join('\n'),
};

/** The codes of the schema tier, in documentation order: default severity, title and meaning. */
export const SCHEMA_CODES = {
  CI1001: { severity: 'error', title: "Invalid metadata.name", doc: "`metadata.name` missing or invalid for the kind: DNS-1123 subdomain (all custom resources and most kinds), DNS-1123 label (`Namespace`), DNS-1035 label (`Service`)" },
  CI1002: { severity: 'error', title: "Unknown field", doc: "unknown field (strict field validation), also in `metadata`; allowed under `x-kubernetes-preserve-unknown-fields`" },
  CI1003: { severity: 'error', title: "Wrong type", doc: "wrong type (`must be of type integer, got string \"90\"`), including `x-kubernetes-int-or-string`, a null list item, or non-string label/annotation maps" },
  CI1004: { severity: 'error', title: "Value not in enum", doc: "value not in the schema's `enum` (the message lists the supported values)" },
  CI1005: { severity: 'error', title: "String does not match pattern", doc: "string does not match the schema's `pattern` (RE2 syntax)" },
  CI1006: { severity: 'error', title: "Number out of range", doc: "number outside `minimum`/`maximum` (inclusive or exclusive)" },
  CI1007: { severity: 'error', title: "String length out of range", doc: "string shorter than `minLength` or longer than `maxLength` (counted in characters)" },
  CI1008: { severity: 'error', title: "List or map size out of range", doc: "list or map size outside `minItems`/`maxItems`/`minProperties`/`maxProperties`" },
  CI1009: { severity: 'error', title: "Required field missing", doc: "required field missing (after null pruning and defaults)" },
  CI1010: { severity: 'error', title: "Duplicate list entry or map key", doc: "duplicate entry in an `x-kubernetes-list-type: set` list, or duplicate key in a `map` list (`x-kubernetes-list-map-keys`)" },
  CI1011: { severity: 'error', title: "oneOf/anyOf/not not satisfied", doc: "`oneOf`/`anyOf`/`not` not satisfied, e.g. mutually exclusive fields (`simple` and `consistentHash`) both set" },
  CI1012: { severity: 'error', title: "CEL rule failed", doc: "an `x-kubernetes-validations` CEL rule is false; the message is the rule's `message` (or `messageExpression`), the path includes its `fieldPath`" },
  CI1013: { severity: 'error', title: "CEL rule could not be evaluated", doc: "a CEL rule could not be evaluated (runtime error, e.g. a field the rule needs is missing, or not a bool); the API server rejects these too" },
  CI1014: { severity: 'error', title: "Unknown apiVersion or kind", doc: "`apiVersion` names a version of a kind in `crds/` that does not exist or is not served, or `kind` is not a kind of that group in `crds/` (a typo such as `AuthorisationPolicy`)" },
  CI1015: { severity: 'error', title: "Invalid label", doc: "label key not a qualified name (`prefix/name`), or label value invalid (≤ 63 characters, alphanumerics, `-`, `_`, `.`)" },
  CI1016: { severity: 'error', title: "Invalid annotation", doc: "annotation key not a qualified name (checked lower-cased), or annotations over 256 KiB in total" },
  CI1017: { severity: 'error', title: "Invalid metadata.namespace", doc: "`metadata.namespace` not a DNS-1123 label" },
  CI1018: { severity: 'error', title: "String does not match format", doc: "string does not match the schema's `format` (`date-time`, `byte`, `ipv4`, `ipv6`)" },
  CI1019: { severity: 'error', title: "Missing or malformed apiVersion or kind", doc: "`apiVersion` or `kind` missing or malformed, or the manifest is not an object" },
  CI1020: { severity: 'error', title: "Invalid Gateway API experimental field", doc: "an invalid Gateway API experimental-channel field (HTTPRoute `rules[].retry`), checked only with `gatewayApiChannel: 'experimental'`; with the default standard channel such fields are unknown fields (CI1002)" },
} as const satisfies Record<string, CodeSpec>;
