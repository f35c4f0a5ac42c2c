/** Exit status of the tslab command. */
export const EXIT_OK = 0;
/** `tslab doctor` found a finding at or above the `--fail-on` severity. */
export const EXIT_FINDINGS = 1;
/** Usage error, unreachable source, invalid or too new dump. */
export const EXIT_ERROR = 2;

/**
 * An expected failure the user can act on: printed as one line on stderr ("tslab: ...") and turned
 * into exit status 2, never a stack trace.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_ERROR) {
    super(message);
    this.name = 'CliError';
  }
}

/** The most specific one-line reason of an error, following `cause` (fetch hides the socket error there). */
export function reason(err: unknown): string {
  let e: unknown = err;
  let text = err instanceof Error ? err.message : String(err);
  for (let depth = 0; depth < 4 && e instanceof Error && e.cause !== undefined; depth++) {
    e = e.cause;
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
    const msg = e instanceof Error ? e.message : String(e);
    text = msg.includes(code) || code === '' ? msg : `${code} ${msg}`;
  }
  return text.split('\n')[0];
}
