import type { Expectation } from './schema/validation-test.schema';

/** An answer under test: its text and whether the runtime judged it a refusal. */
export interface TestedAnswer {
  text: string;
  refused: boolean;
}

/**
 * The meaning of a validation test's `expect`, in one place for the registry and the runtime:
 * substrings compare case-insensitively, `matches` is a case-insensitive JavaScript regex.
 * Returns what failed, empty when the answer passes.
 */
export function expectationFailures(expect: Expectation, answer: TestedAnswer): string[] {
  const text = answer.text.toLowerCase();
  const failures: string[] = [];
  for (const needle of expect.contains ?? [])
    if (!text.includes(needle.toLowerCase())) failures.push(`does not contain "${needle}"`);
  for (const needle of expect.notContains ?? [])
    if (text.includes(needle.toLowerCase())) failures.push(`contains "${needle}"`);
  if (expect.matches !== undefined && !new RegExp(expect.matches, 'i').test(answer.text))
    failures.push(`does not match /${expect.matches}/i`);
  if (expect.refuses === true && !answer.refused) failures.push('did not refuse');
  if (expect.refuses === false && answer.refused) failures.push('refused');
  return failures;
}
