/** A run that cannot succeed by retrying (no session start, a missing base version): it fails at once. */
export class PermanentSynthesisFailure extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PermanentSynthesisFailure';
  }
}
