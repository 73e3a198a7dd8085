/**
 * A stable number in [0, 1) for a string (FNV-1a, 32 bit): the same customer lands in the same split
 * path on every run and every replay, without Math.random.
 */
export function bucket(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x100000000;
}
