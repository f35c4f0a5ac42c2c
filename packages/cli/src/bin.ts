#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { main } from './main.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

// Stay subscribed (on, not once): log-update's cursor restore uses signal-exit, which re-raises a
// signal that has no other listener left, killing the process before watch can leave cleanly.
// A second Ctrl-C while shutting down exits at once.
const stop = new AbortController();
const onSignal = (signal: NodeJS.Signals): void => {
  if (stop.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
  stop.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: stop.signal }, packageVersion());
process.exitCode = code;
// Signal listeners keep nothing alive, but an in-flight fetch might: exit once stdout is flushed.
process.stdout.write('', () => process.exit(code));
