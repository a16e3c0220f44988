/**
 * Where a request carries a NUL character (U+0000), which no field of ours
 * accepts and PostgreSQL cannot store in text: the path of the first string or
 * key that holds one (`checks[1].name`), or undefined.
 */
export function findNulCharacter(
  value: unknown,
  path = '',
): string | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? path : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNulCharacter(item, `${path}[${index}]`);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) {
        return keyPath;
      }
      const found = findNulCharacter(item, keyPath);
      if (found !== undefined) {
        return found;
      }
    }
  }
  return undefined;
}
