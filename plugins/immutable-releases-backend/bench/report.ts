/** What the benchmark prints: result lines on stdout, the rest on stderr. */

export const log = (message: string) =>
  process.stderr.write(`bench: ${message}\n`);
export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

export function format(value: number): string {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** Prints `name value unit ratio` lines and keeps the verdicts of the targets. */
export class Report {
  private readonly verdicts: boolean[] = [];

  metric(name: string, value: number, unit: string, ratio?: number) {
    process.stdout.write(
      `${name} ${format(value)} ${unit} ${
        ratio === undefined ? '-' : format(ratio)
      }\n`,
    );
  }

  /** A target line: `target.<name> <measured> <condition> pass|fail`. */
  target(name: string, value: number, condition: string, holds: boolean) {
    this.verdicts.push(holds);
    process.stdout.write(
      `target.${name} ${format(value)} ${condition} ${
        holds ? 'pass' : 'fail'
      }\n`,
    );
  }

  notMeasurable(name: string, why: string) {
    this.verdicts.push(false);
    log(`${name}: not measurable: ${why}`);
    process.stdout.write(`target.${name} NaN not-measurable fail\n`);
  }

  finish() {
    const holding = this.verdicts.filter(Boolean).length;
    process.stdout.write(
      `bench: ${holding} of ${this.verdicts.length} targets hold\n`,
    );
  }
}
