/** Character tests shared by the detectors (char codes, no allocation). */

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** A letter or digit, ASCII or any non-ASCII letter-ish code unit (good enough for boundaries). */
export function isWordChar(code: number): boolean {
  return (
    isDigit(code) ||
    isAsciiLetter(code) ||
    code === 95 ||
    (code >= 0xc0 && code !== 0xd7 && code !== 0xf7 && code < 0x2000)
  );
}

/** The char code at `index`, or -1 outside the text. */
export function codeAt(text: string, index: number): number {
  return index >= 0 && index < text.length ? text.charCodeAt(index) : -1;
}

/** True when a keyword regex (sticky-free, global) matches in the `window` chars before `index`. */
export function hasContextBefore(text: string, index: number, keywords: RegExp, window = 40): boolean {
  const from = Math.max(0, index - window);
  keywords.lastIndex = 0;
  return keywords.test(text.slice(from, index));
}

/** Runs a global regex over the text, calling `onMatch` for each match. */
export function eachMatch(pattern: RegExp, text: string, onMatch: (match: RegExpExecArray) => void): void {
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    onMatch(match);
    if (match[0].length === 0) pattern.lastIndex++;
  }
}
