/** One thing wrong with a pack: where (RFC 6901 pointer, '' for the whole document) and why. */
export interface PackProblem {
  pointer: string;
  reason: string;
}

/**
 * Thrown for any pack that must not be accepted: unparseable, unsafe, off-schema or inconsistent.
 * The HTTP layer maps it to 400 and returns `problems` as they are.
 */
export class PackValidationError extends Error {
  readonly problems: readonly PackProblem[];

  constructor(problems: readonly PackProblem[]) {
    super(PackValidationError.describe(problems));
    this.name = 'PackValidationError';
    this.problems = problems;
  }

  static single(pointer: string, reason: string): PackValidationError {
    return new PackValidationError([{ pointer, reason }]);
  }

  private static describe(problems: readonly PackProblem[]): string {
    const lines = problems.map(({ pointer, reason }) => `  ${pointer || '/'}: ${reason}`);
    const noun = problems.length === 1 ? 'problem' : 'problems';
    return `invalid persona pack (${problems.length} ${noun}):\n${lines.join('\n')}`;
  }
}
