export type SandboxLogLevel = 'log' | 'warn' | 'error';

const DEFAULT_MAX_LINES = 100;
const DEFAULT_MAX_LINE_CHARS = 1000;

/** Collects `console.*` lines from a snippet, capped so a chatty loop cannot flood the trace. */
export class SandboxLogCollector {
  private readonly lines: string[] = [];
  private dropped = 0;

  constructor(
    private readonly maxLines = DEFAULT_MAX_LINES,
    private readonly maxLineChars = DEFAULT_MAX_LINE_CHARS,
  ) {}

  /** False once full: callers skip formatting arguments nobody will see. */
  get accepting(): boolean {
    return this.lines.length < this.maxLines;
  }

  add(level: SandboxLogLevel, parts: string[]): void {
    if (!this.accepting) {
      this.dropped += 1;
      return;
    }
    const text = parts.join(' ');
    const line = level === 'log' ? text : `[${level}] ${text}`;
    this.lines.push(
      line.length > this.maxLineChars ? `${line.slice(0, this.maxLineChars)}… (cut)` : line,
    );
  }

  /** Counts a line that was not formatted because the collector is full. */
  drop(): void {
    this.dropped += 1;
  }

  toArray(): string[] {
    if (this.dropped === 0) return [...this.lines];
    return [...this.lines, `… ${this.dropped} more line${this.dropped === 1 ? '' : 's'} not shown`];
  }
}
