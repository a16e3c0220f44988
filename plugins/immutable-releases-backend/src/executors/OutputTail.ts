import { StringDecoder } from 'node:string_decoder';

const MAX_LINES = 50;
const MAX_BYTES = 8 * 1024;
/**
 * The tail can never be longer than MAX_BYTES characters, so this much text
 * (with room to spare) is all that needs to be held while a command runs,
 * however much it prints.
 */
const RETAINED_CHARACTERS = 2 * MAX_BYTES;

/**
 * Collects what a process prints on several streams, in arrival order, and
 * keeps only the tail: the last 50 lines, at most 8 KiB.
 */
export class OutputTail {
  private text = '';

  /** The tail of `text` that would be kept had it been printed. */
  static of(text: string): string {
    const tail = new OutputTail();
    tail.append(text);
    return tail.toString();
  }

  /** Appends everything `stream` emits from now on. */
  follow(stream: NodeJS.ReadableStream): void {
    // One decoder per stream so a multi-byte character split across two
    // chunks is not garbled when the other stream writes in between.
    const decoder = new StringDecoder('utf8');
    stream.on('data', (chunk: Buffer | string) => {
      this.append(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    });
    stream.on('end', () => this.append(decoder.end()));
  }

  append(text: string): void {
    this.text += text;
    if (this.text.length > 2 * RETAINED_CHARACTERS) {
      this.text = this.text.slice(-RETAINED_CHARACTERS);
    }
  }

  toString(): string {
    const lines = this.text.replace(/\r?\n$/, '').split('\n');
    return lastBytes(lines.slice(-MAX_LINES).join('\n'), MAX_BYTES);
  }
}

function lastBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) {
    return text;
  }
  let start = bytes.length - maxBytes;
  // Do not start in the middle of a multi-byte character.
  while (start < bytes.length && (bytes[start] & 0b1100_0000) === 0b1000_0000) {
    start++;
  }
  return bytes.subarray(start).toString('utf8');
}
