/**
 * The JSONPath subset probes use to find a digest in a JSON answer: `$`
 * followed by `.name`, `['name']`, `["name"]` or `[index]` steps, e.g.
 * `$.status.images[0].digest`.
 */
export type JsonPath = Array<string | number>;

const STEP =
  /^(?:\.([A-Za-z_$][\w$-]*)|\[\s*(?:'([^']*)'|"([^"]*)"|(\d+))\s*\])/;

/** Parses a path; throws an Error saying what is wrong. */
export function parseJsonPath(path: string): JsonPath {
  if (!path.startsWith('$')) {
    throw new Error(`JSONPath '${path}' must start with '$'`);
  }
  const steps: JsonPath = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = STEP.exec(rest);
    if (!match) {
      throw new Error(
        `JSONPath '${path}' is not supported at '${rest}': use .name, ['name'] or [index] steps`,
      );
    }
    const [whole, dotted, single, double, index] = match;
    steps.push(
      index !== undefined ? Number(index) : dotted ?? single ?? double,
    );
    rest = rest.slice(whole.length);
  }
  return steps;
}

/** The value at the path, or undefined when a step finds nothing. */
export function readJsonPath(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    if (typeof step === 'number' && !Array.isArray(current)) {
      return undefined;
    }
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}
