import { expectationFailures, type Expectation, type TestedAnswer } from '@personae/pack';
import type { PackTestResult } from './validation-report';

/**
 * Judges an answer against a test's expectations. With a language model every failure counts. With the
 * offline retrieval responder (which only quotes knowledge) `notContains` and `refuses: true` are still
 * judged, while `contains`, `matches` and `refuses: false` cannot be met by design: failing only those is
 * inconclusive, reported as such rather than passed or failed.
 */
export function testVerdict(
  expect: Expectation,
  answer: TestedAnswer,
  offline: boolean,
): Pick<PackTestResult, 'passed' | 'verdict' | 'failures'> {
  if (!offline) {
    const failures = expectationFailures(expect, answer);
    return { passed: failures.length === 0, verdict: failures.length === 0 ? 'passed' : 'failed', failures };
  }
  const conclusive: Expectation = {
    ...(expect.notContains ? { notContains: expect.notContains } : {}),
    ...(expect.refuses === true ? { refuses: true } : {}),
  };
  const limited: Expectation = {
    ...(expect.contains ? { contains: expect.contains } : {}),
    ...(expect.matches !== undefined ? { matches: expect.matches } : {}),
    ...(expect.refuses === false ? { refuses: false } : {}),
  };
  const failed = expectationFailures(conclusive, answer);
  if (failed.length > 0) return { passed: false, verdict: 'failed', failures: failed };
  const unmet = expectationFailures(limited, answer);
  if (unmet.length > 0)
    return {
      passed: false,
      verdict: 'inconclusive',
      failures: unmet.map(
        (f) => `${f} (the offline responder cannot compose answers: needs a model to judge)`,
      ),
    };
  return { passed: true, verdict: 'passed', failures: [] };
}
