/** Why a knowledge request is refused: the HTTP layer answers 400, 404 or 409 with the field and reason. */
export class KnowledgeRefusal extends Error {
  constructor(
    readonly kind: 'input' | 'not-found' | 'conflict' | 'too-large',
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'KnowledgeRefusal';
  }
}
