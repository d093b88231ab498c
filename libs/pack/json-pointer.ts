/** RFC 6901 JSON pointers: '' is the whole document, '/spec/tools/0/name' a field inside it. */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function joinPointer(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((token) => `/${escapePointerToken(token)}`).join('');
}

export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
  return pointer.slice(1).split('/').map(unescapePointerToken);
}

/** True when `ancestor` is `pointer` itself or one of its parents ('/a' contains '/a/b', not '/ab'). */
export function pointerContains(ancestor: string, pointer: string): boolean {
  return ancestor === pointer || pointer.startsWith(`${ancestor}/`);
}
