/**
 * The demo's storage modes keep every sprite equal to its particle: position, and the colour its
 * burst tint and age give it (full alpha, then fading over the last half of its life). The update
 * loops write a colour only while a particle fades and rely on spawn and swap-removal for the rest,
 * so this reads each mode's own particle state (test-only casts to its private fields) and checks
 * every live slot after bursts, deaths and epoch turns.
 */
import { describe, expect, it } from 'vitest';
import { packColor } from '../../demo/src/colors.js';
import { ArraySprites } from '../../demo/src/stores/array-sprites.js';
import { BitecsStore } from '../../demo/src/stores/bitecs-store.js';
import { PlainStore } from '../../demo/src/stores/plain-store.js';
import { fadeAlpha, type ParticleStore } from '../../demo/src/stores/store.js';
import { TslabRawStore } from '../../demo/src/stores/tslab-raw-store.js';
import { TslabStore } from '../../demo/src/stores/tslab-store.js';
import { RECORD_WORDS } from '../../demo/src/stores/particle-record.js';

/** One particle's state as its store keeps it. */
interface ParticleState {
  x: number;
  y: number;
  age: number;
  life: number;
  bgr: number;
}

type Reader = (store: ParticleStore, slot: number) => ParticleState;

const fromWords = (f32: Float32Array, u32: Uint32Array, w: number): ParticleState => ({
  x: f32[w + RECORD_WORDS.x],
  y: f32[w + RECORD_WORDS.y],
  age: u32[w + RECORD_WORDS.ageLife] & 0xffff,
  life: u32[w + RECORD_WORDS.ageLife] >>> 16,
  bgr: u32[w + RECORD_WORDS.bgr],
});

const MODES: { name: string; make: (sprites: ArraySprites) => ParticleStore; read: Reader }[] = [
  {
    name: 'tslab records',
    make: (sprites) => new TslabRawStore(sprites, { cadence: 4, shared: false }),
    read: (store, slot) => {
      const s = store as unknown as { heap: { f32: Float32Array; u32: Uint32Array }; words: Int32Array };
      return fromWords(s.heap.f32, s.heap.u32, s.words[slot]);
    },
  },
  {
    name: 'tslab + bitECS',
    make: (sprites) => new TslabStore(sprites, { cadence: 4, shared: false }),
    read: (store, slot) => {
      const s = store as unknown as { heap: { f32: Float32Array; u32: Uint32Array }; wordAt: Int32Array };
      return fromWords(s.heap.f32, s.heap.u32, s.wordAt[slot]);
    },
  },
  {
    name: 'plain JS objects',
    make: (sprites) => new PlainStore(sprites),
    read: (store, slot) => (store as unknown as { particles: ParticleState[] }).particles[slot],
  },
  {
    name: 'bitECS typed arrays',
    make: (sprites) => new BitecsStore(sprites),
    read: (store, slot) => {
      const s = store as unknown as { slots: { eidAt: Uint32Array }; P: { x: Float32Array; y: Float32Array; ageLife: Uint32Array; bgr: Uint32Array } };
      const eid = s.slots.eidAt[slot];
      return { x: s.P.x[eid], y: s.P.y[eid], age: s.P.ageLife[eid] & 0xffff, life: s.P.ageLife[eid] >>> 16, bgr: s.P.bgr[eid] };
    },
  },
];

/** Slots whose sprite differs from the particle, as readable lines (at most 5). */
function mismatches(store: ParticleStore, sprites: ArraySprites, read: Reader): string[] {
  const out: string[] = [];
  for (let slot = 0; slot < store.count && out.length < 5; slot++) {
    const p = read(store, slot);
    const color = packColor(p.bgr, fadeAlpha(p.age, p.life)) >>> 0;
    if (sprites.color[slot] !== color || sprites.x[slot] !== Math.fround(p.x) || sprites.y[slot] !== Math.fround(p.y)) {
      out.push(`slot ${slot}: sprite (${sprites.x[slot]}, ${sprites.y[slot]}, 0x${sprites.color[slot].toString(16)}), particle (${p.x}, ${p.y}, 0x${color.toString(16)}, age ${p.age} of ${p.life})`);
    }
  }
  return out;
}

describe('demo stores: every sprite shows its particle', () => {
  for (const mode of MODES) {
    it(`${mode.name}: positions and fading colours after bursts of mixed lifetimes`, () => {
      const sprites = new ArraySprites();
      const store = mode.make(sprites);
      let fadingSlots = 0;
      for (let frame = 0; frame < 90; frame++) {
        // Lifetimes of 10 to 40 frames, so particles die in every frame and in every order.
        if (frame < 60) store.spawn(300, 100 + frame, 200, 10 + (frame % 31));
        store.update();
        store.endFrame();
        expect(sprites.count).toBe(store.count);
        expect(mismatches(store, sprites, mode.read)).toEqual([]);
        for (let slot = 0; slot < store.count; slot++) if (sprites.color[slot] >>> 24 !== 255) fadingSlots++;
      }
      // The run must have exercised both sides of the fade.
      expect(fadingSlots).toBeGreaterThan(1000);
      expect(store.count).toBeLessThan(60 * 300);
      store.destroy();
      if (store.heap !== null) store.heap.check();
    });
  }
});
