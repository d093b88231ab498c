import type { PackChange } from './diff-packs';
import { pointerContains } from './json-pointer';
import type { Provenance, ProvenanceChange } from './schema/provenance.schema';

export interface ExplainedChange extends PackChange {
  /** The provenance entries that justify this change; empty when nobody said why. */
  provenance: ProvenanceChange[];
}

/**
 * Joins each change of a diff with the provenance entries about it: entries whose path is the changed
 * pointer or one of its parents ("/spec/prompt" explains a change at "/spec/prompt/system"), and, for
 * an added or removed subtree reported once at its root, entries about fields inside it.
 */
export function explainDiff(
  diff: readonly PackChange[],
  provenance: Provenance | undefined,
): ExplainedChange[] {
  const entries = provenance?.changes ?? [];
  return diff.map((change) => ({
    ...change,
    provenance: entries.filter(
      (entry) =>
        pointerContains(entry.path, change.pointer) ||
        (change.kind !== 'changed' && pointerContains(change.pointer, entry.path)),
    ),
  }));
}

/** Changes no provenance entry explains: what a reviewer should look at hardest. */
export function unexplainedChanges(explained: readonly ExplainedChange[]): ExplainedChange[] {
  return explained.filter((change) => change.provenance.length === 0);
}
