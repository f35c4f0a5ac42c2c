import { STATS_SCHEMA_VERSION } from '@tslab/core';
import type { StatsDump } from '@tslab/core';
import { CliError } from './errors.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Check that parsed JSON is a tslab stats dump this CLI can read: `kind` 'tslab-stats', a
 * `schemaVersion` no newer than ours, and the sections every command reads. Throws CliError naming
 * the source and what is wrong.
 */
export function validateDump(value: unknown, source: string): StatsDump {
  if (!isObject(value)) {
    throw new CliError(`${source} is not a tslab stats dump (expected a JSON object with kind "tslab-stats", got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value})`);
  }
  if (value.kind !== 'tslab-stats') {
    throw new CliError(`${source} is not a tslab stats dump (kind is ${JSON.stringify(value.kind) ?? 'missing'}, expected "tslab-stats")`);
  }
  const version = value.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new CliError(`${source} has an invalid schemaVersion ${JSON.stringify(version) ?? '(missing)'}; expected an integer from 1`);
  }
  if (version > STATS_SCHEMA_VERSION) {
    throw new CliError(`${source} has schemaVersion ${version}, newer than this tslab understands (${STATS_SCHEMA_VERSION}): upgrade @tslab/cli`);
  }
  for (const key of ['config', 'global'] as const) {
    if (!isObject(value[key])) throw new CliError(`${source} is not a valid tslab stats dump: "${key}" is missing or not an object`);
  }
  for (const key of ['classes', 'epochs'] as const) {
    if (!Array.isArray(value[key])) throw new CliError(`${source} is not a valid tslab stats dump: "${key}" is missing or not an array`);
  }
  const dump = value as unknown as StatsDump;
  if (!Array.isArray(dump.committedHistory)) dump.committedHistory = [];
  if (!Array.isArray(dump.liveHistory)) dump.liveHistory = [];
  return dump;
}
