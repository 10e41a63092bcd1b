// Helpers shared by the Token Status List peer scripts (status_list_issue.mjs,
// status_list_verify.mjs): loading @sd-jwt/jwt-status-list and jose from the interop cache,
// reading P-256 JWKs, and parsing `index=value` lists. No status list logic lives here: the
// packing, compression and decoding are the library's.
import { BadInput, readBytes, requireFromCache } from './_mdl.mjs';

export const BITS = [1, 2, 4, 8];

/** @sd-jwt/jwt-status-list (openwallet-foundation sd-jwt-js). */
export function statusListLib() {
  return requireFromCache('@sd-jwt/jwt-status-list');
}

/** jose (panva), for the ES256 signature of the JWT around the list. */
export function jose() {
  return requireFromCache('jose');
}

/** An EC P-256 JWK from a file; `needPrivate` wants `d` (and strips nothing else). */
export function readJwk(file, needPrivate) {
  const text = readBytes(file).toString('utf8');
  let jwk;
  try {
    jwk = JSON.parse(text);
  } catch (e) {
    throw new BadInput(`${file}: not JSON: ${e.message}`);
  }
  if (jwk === null || typeof jwk !== 'object' || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) {
    throw new BadInput(`${file}: an EC P-256 JWK is expected`);
  }
  if (needPrivate && !jwk.d) throw new BadInput(`${file}: a private JWK (with d) is expected`);
  const { kty, crv, x, y, d } = jwk;
  return needPrivate ? { kty, crv, x, y, d } : { kty, crv, x, y };
}

export function parseBits(text, what = '--bits') {
  const bits = Number(text);
  if (!BITS.includes(bits)) throw new BadInput(`${what}: 1, 2, 4 or 8 expected, got ${text}`);
  return bits;
}

export function parseCount(text, what) {
  if (!/^\d+$/.test(String(text))) throw new BadInput(`${what}: a whole number expected, got ${text}`);
  return Number(text);
}

/**
 * `i=v,j=w,...` -> Map(index -> value); each value must fit in `bits`, each index below
 * `size` (when given); an empty text gives an empty map.
 */
export function parseStatuses(text, bits, size, what) {
  const out = new Map();
  if (!text) return out;
  for (const item of text.split(',')) {
    const m = /^\s*(\d+)\s*=\s*(\d+)\s*$/.exec(item);
    if (!m) throw new BadInput(`${what}: "${item}" is not index=value`);
    const [index, value] = [Number(m[1]), Number(m[2])];
    if (value >= 2 ** bits) throw new BadInput(`${what}: value ${value} does not fit in ${bits} bits`);
    if (size !== undefined && index >= size) throw new BadInput(`${what}: index ${index} is not below the size ${size}`);
    if (out.has(index)) throw new BadInput(`${what}: index ${index} given twice`);
    out.set(index, value);
  }
  return out;
}
