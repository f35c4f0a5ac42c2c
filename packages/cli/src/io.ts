/** Where a command writes and what it reads from its environment (process.* in the bin, fakes in tests). */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  /** Aborting it ends `watch` cleanly (the bin wires SIGINT and SIGTERM to it). */
  signal?: AbortSignal;
}

export function writeLine(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
