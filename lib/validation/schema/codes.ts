import { Code } from '../codes';
/** Stable diagnostic codes of the schema and CEL tier (documented in docs/diagnostic-codes.md). */
export const SchemaCode = {
  /** `metadata.name` missing or not a valid name for the kind. */
  NAME: Code.CI1001,
  /** A field the schema does not define (strict field validation). */
  UNKNOWN_FIELD: Code.CI1002,
  /** A value of the wrong type (also null where the schema does not allow it). */
  TYPE: Code.CI1003,
  /** A value not in the schema's `enum`. */
  ENUM: Code.CI1004,
  /** A string that does not match the schema's `pattern`. */
  PATTERN: Code.CI1005,
  /** A number outside `minimum`/`maximum` (inclusive or exclusive). */
  NUMBER_RANGE: Code.CI1006,
  /** A string shorter than `minLength` or longer than `maxLength`. */
  STRING_LENGTH: Code.CI1007,
  /** A list or map with too few or too many entries (`minItems`/`maxItems`/`minProperties`/`maxProperties`). */
  COLLECTION_SIZE: Code.CI1008,
  /** A required field is missing. */
  REQUIRED: Code.CI1009,
  /** A duplicate entry in a `x-kubernetes-list-type: set` list or a duplicate key in a `map` list. */
  DUPLICATE: Code.CI1010,
  /** `oneOf`/`anyOf`/`not` not satisfied (e.g. mutually exclusive fields both set). */
  COMBINATION: Code.CI1011,
  /** An `x-kubernetes-validations` CEL rule evaluated to false. */
  CEL_FAILED: Code.CI1012,
  /** An `x-kubernetes-validations` CEL rule could not be evaluated (runtime error, e.g. a missing field). */
  CEL_ERROR: Code.CI1013,
  /** apiVersion names a version of a kind in crds/ that does not exist or is not served, or the group in crds/ has no such kind. */
  VERSION: Code.CI1014,
  /** A label key or value that Kubernetes rejects. */
  LABEL: Code.CI1015,
  /** An annotation key that Kubernetes rejects, or annotations over 256 KiB. */
  ANNOTATION: Code.CI1016,
  /** `metadata.namespace` that is not a DNS-1123 label. */
  NAMESPACE: Code.CI1017,
  /** A string that does not match the schema's `format` (date-time, byte, ipv4, ipv6). */
  FORMAT: Code.CI1018,
  /** `apiVersion` or `kind` missing or malformed. */
  TYPE_META: Code.CI1019,
} as const;
