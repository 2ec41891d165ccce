// Redis Cluster key → slot (CRC16-XMODEM of the hash tag, mod 16384), per the cluster spec
// (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).
// Kept here rather than importing `cluster-key-slot`, which is only ioredis's dependency.

const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let crc = i << 8;
  for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  TABLE[i] = crc;
}

const encoder = new TextEncoder();

/** The part of `key` that Redis Cluster hashes: the first non-empty `{…}`, else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

/** The cluster slot (0–16383) that `key` belongs to. */
export function keySlot(key: string): number {
  const tag = hashTag(key);
  let crc = 0;
  for (let i = 0; i < tag.length; i++) {
    const code = tag.charCodeAt(i);
    // Redis hashes the key's bytes: a key that is not all ASCII goes through UTF-8 (once per
    // call; ASCII keys, the usual kind, allocate nothing).
    if (code > 0x7f) return utf8Slot(tag);
    crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ code) & 0xff]!;
  }
  return crc % 16384;
}

function utf8Slot(tag: string): number {
  let crc = 0;
  for (const byte of encoder.encode(tag)) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc % 16384;
}
