/** Argument checks of the slab component's public calls: errors name the argument, its value and the allowed range. */

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function checkIndex(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`renewRecords: ${name} must be an integer 0..${max}, got ${describe(value)}`);
  }
}

/** renewRecords' arguments: TypeError for a wrong type, RangeError for a range past an array. */
export function checkBurst(eids: ArrayLike<number>, start: number, count: number, offsets: Int32Array, at: number): void {
  if (eids === null || typeof eids !== 'object' || typeof eids.length !== 'number') {
    throw new TypeError(`renewRecords: eids must be an array or typed array of entity ids, got ${describe(eids)}`);
  }
  if (!(offsets instanceof Int32Array)) throw new TypeError(`renewRecords: offsets must be an Int32Array, got ${describe(offsets)}`);
  checkIndex('start', start, eids.length);
  checkIndex('count', count, eids.length - start);
  checkIndex('at', at, offsets.length);
  if (at + count > offsets.length) throw new RangeError(`renewRecords: offsets (length ${offsets.length}) has no room for ${count} offsets from at = ${at}`);
}
