import type { Stream } from 'node:stream';

export interface StderrTail {
  /** The last characters the server wrote, from the start of a line when possible. */
  text(): string;
}

/**
 * Keeps the end of a server's stderr so a failure can say what the server said. The stream is
 * always read: an unread pipe fills up and blocks a chatty server.
 */
export function createStderrTail(stream: Stream | null, maxChars = 4000): StderrTail {
  let tail = '';
  stream?.on('data', (chunk: Buffer | string) => {
    tail = (tail + chunk.toString()).slice(-maxChars);
  });
  return {
    text() {
      const newline = tail.indexOf('\n');
      const fromLine = tail.length >= maxChars && newline !== -1 ? tail.slice(newline + 1) : tail;
      return fromLine.trim();
    },
  };
}
