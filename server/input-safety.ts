/**
 * Checks on raw input before any router sees it (decision 010): JSON nesting depth (tRPC re-stringifies inputs
 * recursively, so ~4,000 levels overflowed the stack), and text that is not well-formed Unicode or carries control
 * characters (a lone UTF-16 surrogate broke the audit log's JSON; elsewhere it was stored as U+FFFD).
 */

/** Deeper JSON is refused: no input of this API nests more than a few levels. */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b, OPEN_BRACKET = 0x5b, CLOSE_BRACE = 0x7d, CLOSE_BRACKET = 0x5d, QUOTE = 0x22, BACKSLASH = 0x5c;

/**
 * True when the JSON text nests objects/arrays deeper than `max`. A linear scan that skips strings, so it works on
 * the raw bytes (UTF-8 multi-byte sequences never contain these ASCII codes) before anything is parsed.
 */
export function jsonDepthExceeds(text: string | Uint8Array, max: number): boolean {
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = at(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) { if (++depth > max) return true; }
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

/** C0 controls other than tab, line feed and carriage return; DEL and the C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const LINE_BREAK_OR_TAB = /[\t\n\r]/;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (String#isWellFormed). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type TextProblem = 'validation.text_ill_formed' | 'validation.text_control_chars';

/** Why a text is refused anywhere in the API, or null. Tabs and line breaks are left to each field's own rule. */
export function textProblem(value: string): TextProblem | null {
  if (LONE_SURROGATE.test(value)) return 'validation.text_ill_formed';
  if (CONTROL.test(value)) return 'validation.text_control_chars';
  return null;
}

/** Same, for one-line fields (names, emails, phone numbers): tabs and line breaks are refused too. */
export function singleLineProblem(value: string): TextProblem | null {
  return textProblem(value) ?? (LINE_BREAK_OR_TAB.test(value) ? 'validation.text_control_chars' : null);
}

export interface InputIssue { path: (string | number)[]; message: string }

/**
 * Every string (and object key) in a raw input that is not well-formed or has control characters, with its path:
 * the same issue shape as zod's, so the error formatter names the field. Walks at most MAX_JSON_DEPTH levels.
 */
export function findTextProblems(value: unknown, path: (string | number)[] = [], out: InputIssue[] = []): InputIssue[] {
  if (out.length >= 20 || path.length > MAX_JSON_DEPTH) return out;
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) out.push({ path, message: problem });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findTextProblems(v, [...path, i], out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const problem = textProblem(k);
      if (problem) out.push({ path: [...path, '_key'], message: problem });
      else findTextProblems(v, [...path, k], out);
    }
  }
  return out;
}

/** Thrown as the cause of a BAD_REQUEST: carries zod-like issues for the error formatter. */
export class TextInputError extends Error {
  constructor(readonly issues: InputIssue[]) { super('input text is not well-formed'); this.name = 'TextInputError'; }
}
