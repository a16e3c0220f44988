/**
 * Text no field of ours accepts: a NUL character (U+0000), which PostgreSQL
 * cannot store, and a lone UTF-16 surrogate, which is not Unicode at all (a
 * database would store U+FFFD instead, so the answer and the record would
 * differ).
 */
export interface UnacceptableText {
  /** Where it is, e.g. `checks[1].name`. */
  field: string;
  /** What a caller is told, e.g. `version must not contain NUL characters (\u0000)`. */
  message: string;
}

const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function problemOf(text: string): string | undefined {
  if (text.includes('\u0000')) {
    return 'must not contain NUL characters (\\u0000)';
  }
  if (LONE_SURROGATE.test(text)) {
    return 'must be valid Unicode: it contains a lone surrogate';
  }
  return undefined;
}

/** The first string or key in `value` that holds unacceptable text, or undefined. */
export function findUnacceptableText(
  value: unknown,
  path = '',
): UnacceptableText | undefined {
  if (typeof value === 'string') {
    const problem = problemOf(value);
    return problem ? { field: path, message: `${path} ${problem}` } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnacceptableText(item, `${path}[${index}]`);
      if (found) {
        return found;
      }
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const keyPath = path ? `${path}.${key}` : key;
      const keyProblem = problemOf(key);
      if (keyProblem) {
        return {
          field: keyPath,
          message: `the name of ${keyPath} ${keyProblem}`,
        };
      }
      const found = findUnacceptableText(item, keyPath);
      if (found) {
        return found;
      }
    }
  }
  return undefined;
}
