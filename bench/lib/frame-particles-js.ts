/**
 * Particle-burst baselines on the JS heap: plain objects (new per particle, dropped at death) and a
 * preallocated object pool. Every variant does the same work per frame: spawn a burst, integrate
 * every live particle (position += velocity, gravity, life -= 1) and kill the dead by swap-remove.
 */
import { type ParticleSim, LIFE_FRAMES, GRAVITY, spawnVx, spawnVy, spawnColor, nextRandom } from './frame-sim.js';

interface Particle {
  x: number;
  y: number;
  vx: number;
  vy: number;
  color: number;
  life: number;
}

export class PlainObjectsSim implements ParticleSim {
  readonly name = 'plain objects';
  private live: Particle[] = [];

  frame(spawns: number): void {
    const live = this.live;
    const ox = nextRandom() * 800;
    const oy = nextRandom() * 600;
    for (let i = 0; i < spawns; i++) {
      live.push({ x: ox, y: oy, vx: spawnVx(), vy: spawnVy(), color: spawnColor(), life: LIFE_FRAMES });
    }
    let n = live.length;
    for (let i = 0; i < n; i++) {
      const p = live[i];
      p.x += p.vx;
      p.y += p.vy;
      p.vy += GRAVITY;
      if (--p.life <= 0) {
        live[i] = live[n - 1];
        n--;
        i--;
      }
    }
    live.length = n;
  }

  liveCount(): number {
    return this.live.length;
  }

  dataBytes(): number | null {
    return null;
  }
}

export class ObjectPoolSim implements ParticleSim {
  readonly name = 'object pool';
  private readonly free: Particle[];
  private freeCount: number;
  private readonly live: Particle[];
  private liveCount_ = 0;

  constructor(capacity: number) {
    this.free = new Array<Particle>(capacity);
    this.live = new Array<Particle>(capacity);
    for (let i = 0; i < capacity; i++) {
      this.free[i] = { x: 0.5, y: 0.5, vx: 0.5, vy: 0.5, color: 0, life: 0 };
      this.live[i] = this.free[i];
    }
    this.freeCount = capacity;
  }

  frame(spawns: number): void {
    const free = this.free;
    const live = this.live;
    let n = this.liveCount_;
    const ox = nextRandom() * 800;
    const oy = nextRandom() * 600;
    for (let i = 0; i < spawns && this.freeCount > 0; i++) {
      const p = free[--this.freeCount];
      p.x = ox;
      p.y = oy;
      p.vx = spawnVx();
      p.vy = spawnVy();
      p.color = spawnColor();
      p.life = LIFE_FRAMES;
      live[n++] = p;
    }
    for (let i = 0; i < n; i++) {
      const p = live[i];
      p.x += p.vx;
      p.y += p.vy;
      p.vy += GRAVITY;
      if (--p.life <= 0) {
        free[this.freeCount++] = p;
        live[i] = live[n - 1];
        n--;
        i--;
      }
    }
    this.liveCount_ = n;
  }

  liveCount(): number {
    return this.liveCount_;
  }

  dataBytes(): number | null {
    return null;
  }
}
