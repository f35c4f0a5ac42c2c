import { parseArgs } from 'node:util';
import type { CliIo } from './io.js';
import { writeLine } from './io.js';
import { CliError, EXIT_ERROR, EXIT_OK, reason } from './errors.js';
import { colorsFor } from './format.js';
import type { FailOn } from './findings.js';
import { watchCommand } from './commands/watch.js';
import { dumpCommand } from './commands/dump.js';
import { doctorCommand } from './commands/doctor.js';
import { diffCommand } from './commands/diff.js';

export const USAGE = `Usage: tslab <command> [options]

Commands:
  watch <url|file>     live view of a heap: rates, classes, epochs, doctor findings
  dump <url|file>      print the stats dump as JSON
  doctor <url|file>    print the doctor findings; exit 1 when one is at or above --fail-on
  diff <a> <b>         what changed from dump a to dump b (files or URLs)

A URL is a server started with serveMetrics() from @tslab/prometheus: http://host:port reads
http://host:port/stats.json. A file is a saved heap.statsDump() (JSON).

Options:
  --interval <ms>      watch: poll period, 50..3600000 (default 1000)
  --once               watch: print one snapshot and exit
  --count <n>          watch: stop after n redraws (default: run until Ctrl-C)
  --fail-on <level>    doctor: warn (default), error or none
  --json               doctor, diff: JSON output
  --timeout <ms>       HTTP timeout, 100..600000 (default 5000)
  --color, --no-color  force colour on or off (default: on for a TTY unless NO_COLOR is set)
  -h, --help           this text
  -v, --version        the version

Exit status: 0 ok; 1 doctor threshold violated; 2 error (usage, unreachable URL,
not a tslab stats dump, newer schemaVersion).`;

function intOption(name: string, raw: string | undefined, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`--${name} must be an integer ${min}..${max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function failOnOption(raw: string | undefined): FailOn {
  if (raw === undefined) return 'warn';
  if (raw === 'info' || raw === 'warn' || raw === 'error' || raw === 'none') return raw;
  throw new CliError(`--fail-on must be info, warn, error or none, got ${JSON.stringify(raw)}`);
}

function positionals(command: string, got: string[], want: number, names: string): string[] {
  if (got.length !== want) {
    throw new CliError(`${command} takes ${names}, got ${got.length} argument${got.length === 1 ? '' : 's'} (tslab --help)`);
  }
  return got;
}

/** Run the tslab command line; resolves to the exit status. Never throws for expected failures. */
export async function main(argv: readonly string[], io: CliIo, version = '0.0.0'): Promise<number> {
  try {
    const { values, positionals: args } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        interval: { type: 'string' },
        once: { type: 'boolean' },
        count: { type: 'string' },
        'fail-on': { type: 'string' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
    if (values.help) {
      writeLine(io.stdout, USAGE);
      return EXIT_OK;
    }
    if (values.version) {
      writeLine(io.stdout, version);
      return EXIT_OK;
    }
    const [command, ...rest] = args;
    if (command === undefined) throw new CliError('missing command: watch, dump, doctor or diff (tslab --help)');
    const flag = values['no-color'] ? false : values.color ? true : undefined;
    const colors = colorsFor({ isTTY: io.stdout.isTTY, env: io.env, flag });
    const timeoutMs = intOption('timeout', values.timeout, 100, 600_000, 5000);
    switch (command) {
      case 'watch': {
        const [target] = positionals('watch', rest, 1, 'one URL or file');
        return await watchCommand(io, target, {
          intervalMs: intOption('interval', values.interval, 50, 3_600_000, 1000),
          once: values.once === true,
          count: intOption('count', values.count, 1, Number.MAX_SAFE_INTEGER, 0),
          timeoutMs,
          colors,
        });
      }
      case 'dump': {
        const [target] = positionals('dump', rest, 1, 'one URL or file');
        return await dumpCommand(io, target, timeoutMs);
      }
      case 'doctor': {
        const [target] = positionals('doctor', rest, 1, 'one URL or file');
        return await doctorCommand(io, target, { timeoutMs, failOn: failOnOption(values['fail-on']), json: values.json === true, colors });
      }
      case 'diff': {
        const [a, b] = positionals('diff', rest, 2, 'two dumps (files or URLs)');
        return await diffCommand(io, a, b, { timeoutMs, json: values.json === true, colors });
      }
      default:
        throw new CliError(`unknown command ${JSON.stringify(command)}: use watch, dump, doctor or diff (tslab --help)`);
    }
  } catch (err) {
    // parseArgs throws TypeError with an ERR_PARSE_ARGS_* code for unknown or malformed options.
    const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
    const isUsage = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
    if (err instanceof CliError || isUsage) {
      writeLine(io.stderr, `tslab: ${reason(err)}`);
      return err instanceof CliError ? err.exitCode : EXIT_ERROR;
    }
    writeLine(io.stderr, `tslab: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT_ERROR;
  }
}
