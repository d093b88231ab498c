/** Input limits: a pack is a small document, so anything bigger or deeper is refused before it costs us. */
export const MAX_PACK_BYTES = 512 * 1024;
/** Nesting depth of the parsed document; the root object is depth 1. Tool input schemas get ~25 levels. */
export const MAX_PACK_DEPTH = 32;
/** YAML alias budget (as `yaml` counts it); small, so alias-expansion bombs fail before they expand. */
export const MAX_YAML_ALIAS_COUNT = 32;
/** At most this many problems are reported; past that, more detail does not help anyone fix the pack. */
export const MAX_REPORTED_PROBLEMS = 50;
