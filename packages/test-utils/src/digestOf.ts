/** A `sha256:` digest that is the same for the same seed, and shows the seed in hex. */
export function digestOf(seed: string): string {
  return `sha256:${Buffer.from(seed)
    .toString('hex')
    .padEnd(64, '0')
    .slice(0, 64)}`;
}
