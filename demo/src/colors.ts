/** Pixi's packed particle colour: alpha in the top byte, then blue, green, red (what `Particle.color` holds). */

/** Packs a BGR tint and an alpha 0..255 into a particle colour, as Pixi's `Particle` does. */
export function packColor(bgr: number, alpha255: number): number {
  return bgr + ((alpha255 & 255) << 24);
}

/** 0xRRGGBB to the BGR order Pixi's particle shader expects. */
export function rgbToBgr(rgb: number): number {
  return ((rgb & 0xff) << 16) | (rgb & 0xff00) | ((rgb >> 16) & 0xff);
}
