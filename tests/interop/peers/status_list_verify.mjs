#!/usr/bin/env node
// Verify a Status List Token in JWT form (draft-ietf-oauth-status-list-20 s5.1) and read its
// list with @sd-jwt/jwt-status-list: a relying party no one here wrote.
//
//   node status_list_verify.mjs --issuer-key ISSUER_JWK.json [--uri URI] [--bits B]
//                               [--size N] [--expect i=v,j=w] [--at UNIX] TOKEN
//   node status_list_verify.mjs --self-test
//
// jose checks the JWS: ES256 with --issuer-key (public JWK; a private one is used by its
// public part), header `typ` statuslist+jwt, exp/nbf against now (or --at). Then the claims
// the draft requires and jose does not know: sub a string (= --uri when given), iat a
// number, exp and ttl numbers when present (ttl positive), status_list {bits 1|2|4|8, lst
// a string}. The list is decoded by the library (getListFromStatusListJWT: base64url,
// pako inflate, its own bit unpacking), never by code here. Expectations: --bits equals
// `bits`; the list holds at least --size entries; every index in --expect has that value
// and, with --size, every other index below it is 0 (VALID).
//
// --self-test: the library decodes the draft's examples (s4.1: 16 1-bit and 12 2-bit
// statuses; Appendix C test vectors: 2^20 entries, 1 and 2 bits) to the statuses the
// draft lists, and packs the s4.1 statuses to the draft's byte arrays.
//
// Prints JSON {valid, header, claims, bits, entries, bytes, at: {index: value}, nonzero:
// [[index, value]...], failed: [{check, reason}]}; exit 0 valid, 1 invalid (not a JWT,
// signature, claims or a status that differs), 2 bad input (files, arguments, key).
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { BadInput, EXIT_INVALID, emit, readBytes, run } from './_mdl.mjs';
import {
  BITS, jose, parseBits, parseCount, parseStatuses, readJwk, statusListLib,
} from './_status_list.mjs';

const USAGE = 'usage: status_list_verify.mjs --issuer-key K.jwk [--uri URI] [--bits B] [--size N] '
  + '[--expect i=v,...] [--at UNIX] TOKEN | --self-test\n';

// draft-ietf-oauth-status-list-20, s4.1 and Appendix C ("Test vectors for Status List encoding").
const LONG_INDICES = [0, 1993, 25460, 159495, 495669, 554353, 645645, 723232, 854545, 934534, 1000345];
const VECTORS = [
  {
    name: 's4.1 1-bit example',
    bits: 1,
    lst: 'eNrbuRgAAhcBXQ',
    statuses: [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1],
    bytes: [0xb9, 0xa3],
  },
  {
    name: 's4.1 2-bit example',
    bits: 2,
    lst: 'eNo76fITAAPfAgc',
    statuses: [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3],
    bytes: [0xc9, 0x44, 0xf9],
  },
  {
    name: 'Appendix C.1 1-bit test vector (2^20 entries)',
    bits: 1,
    size: 2 ** 20,
    lst: 'eNrt3AENwCAMAEGogklACtKQPg9LugC9k_ACvreiogEAAKkeCQAAAAAAAAAAAAAAAAAAAIBylgQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAXG9IAAAAAAAAAPwsJAAAAAAAAAAAAAAAvhsSAAAAAAAAAAAA7KpLAAAAAAAAAAAAAAAAAAAAAJsLCQAAAAAAAAAAADjelAAAAAAAAAAAKjDMAQAAAACAZC8L2AEb',
    set: LONG_INDICES.map((i) => [i, 1]),
  },
  {
    name: 'Appendix C.2 2-bit test vector (2^20 entries)',
    bits: 2,
    size: 2 ** 20,
    lst: 'eNrt2zENACEQAEEuoaBABP5VIO01fCjIHTMStt9ovGVIAAAAAABAbiEBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEB5WwIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAID0ugQAAAAAAAAAAAAAAAAAQG12SgAAAAAAAAAAAAAAAAAAAAAAAAAAAOCSIQEAAAAAAAAAAAAAAAAAAAAAAAD8ExIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwJEuAQAAAAAAAAAAAAAAAAAAAAAAAMB9SwIAAAAAAAAAAAAAAAAAAACoYUoAAAAAAAAAAAAAAEBqH81gAQw',
    set: [[0, 1], [1993, 2], [25460, 1], [159495, 3], [495669, 1], [554353, 1], [645645, 2], [723232, 1],
      [854545, 1], [934534, 2], [1000345, 3]],
  },
];

function selfTest() {
  const { StatusList } = statusListLib();
  const results = [];
  for (const v of VECTORS) {
    const problems = [];
    let got = [];
    try {
      got = StatusList.decompressStatusList(v.lst, v.bits).statusList;
    } catch (e) {
      problems.push(`decompressStatusList: ${e.message}`);
    }
    const want = v.statuses ?? (() => {
      const a = new Array(v.size).fill(0);
      for (const [i, s] of v.set) a[i] = s;
      return a;
    })();
    if (got.length !== want.length) problems.push(`decoded ${got.length} entries, ${want.length} expected`);
    const wrong = want.map((s, i) => [i, s]).filter(([i, s]) => got[i] !== s);
    if (wrong.length) {
      const first = wrong.slice(0, 5).map(([i, s]) => `${i} (got ${got[i]}, want ${s})`);
      problems.push(`statuses differ at ${first.join(', ')}`);
    }
    if (v.bytes) {
      const packed = Buffer.from(new StatusList([...v.statuses], v.bits).encodeStatusList()).toString('hex');
      const draft = Buffer.from(v.bytes).toString('hex');
      if (packed !== draft) problems.push(`packed to ${packed}, the draft has ${draft}`);
      // its compressed form must be a ZLIB stream (RFC 1950) of those bytes: node's zlib reads it
      const lst = new StatusList([...v.statuses], v.bits).compressStatusList();
      const zl = zlib.inflateSync(Buffer.from(lst, 'base64url'));
      if (zl.toString('hex') !== draft) problems.push(`compressStatusList inflates to ${zl.toString('hex')}`);
    }
    results.push({ vector: v.name, ok: problems.length === 0, problems });
  }
  const ok = results.every((r) => r.ok);
  emit({ valid: ok, self_test: results });
  return ok ? 0 : EXIT_INVALID;
}

function decodePart(part) {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

async function main() {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        'issuer-key': { type: 'string' },
        uri: { type: 'string' },
        bits: { type: 'string' },
        size: { type: 'string' },
        expect: { type: 'string', default: '' },
        at: { type: 'string' },
        'self-test': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new BadInput(e.message);
  }
  const o = args.values;
  if (o.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (o['self-test']) return selfTest();
  if (args.positionals.length !== 1) throw new BadInput('one TOKEN file is expected');
  if (!o['issuer-key']) throw new BadInput('--issuer-key is required');
  const bits = o.bits === undefined ? undefined : parseBits(o.bits);
  const size = o.size === undefined ? undefined : parseCount(o.size, '--size');
  const expect = parseStatuses(o.expect, bits ?? 8, size, '--expect');
  const at = o.at === undefined ? undefined : parseCount(o.at, '--at');
  const jwk = readJwk(o['issuer-key'], false);
  const token = readBytes(args.positionals[0]).toString('utf8').trim();
  const parts = token.split('.');
  const header = decodePart(parts[0]);
  const claims = parts.length === 3 ? decodePart(parts[1]) : null;
  if (!header || !claims || typeof claims !== 'object') {
    emit({ valid: false, failed: [{ check: 'jwt', reason: 'not a compact JWS with a JSON header and payload' }] });
    return EXIT_INVALID;
  }

  const { jwtVerify, importJWK } = jose();
  const { getListFromStatusListJWT } = statusListLib();
  const failed = [];
  const fail = (check, reason) => failed.push({ check, reason });

  // 1. the JWS, by jose
  try {
    await jwtVerify(token, await importJWK(jwk, 'ES256'), {
      algorithms: ['ES256'],
      typ: 'statuslist+jwt',
      currentDate: at === undefined ? undefined : new Date(at * 1000),
    });
  } catch (e) {
    fail('jws (jose jwtVerify: ES256 signature, typ, exp/nbf)', `${e.code || e.name}: ${e.message}`);
  }

  // 2. the claims the draft requires (s5.1)
  if (header?.typ !== 'statuslist+jwt') fail('typ', `header typ is ${JSON.stringify(header?.typ)}`);
  if (typeof claims.sub !== 'string') fail('sub', 'missing or not a string');
  else if (o.uri !== undefined && claims.sub !== o.uri) fail('sub', `${claims.sub}, expected ${o.uri}`);
  if (typeof claims.iat !== 'number') fail('iat', 'missing or not a number');
  if (claims.exp !== undefined && typeof claims.exp !== 'number') fail('exp', 'not a number');
  if (claims.ttl !== undefined && !(typeof claims.ttl === 'number' && claims.ttl > 0)) fail('ttl', 'not a positive number');
  const sl = claims.status_list;
  if (!sl || typeof sl !== 'object' || !BITS.includes(sl.bits) || typeof sl.lst !== 'string') {
    fail('status_list', `not {bits: 1|2|4|8, lst: string}: ${JSON.stringify(sl)?.slice(0, 80)}`);
  } else if (bits !== undefined && sl.bits !== bits) {
    fail('bits', `${sl.bits}, expected ${bits}`);
  }

  // 3. the list, by the library
  const out = { valid: false, header, claims: { sub: claims.sub, iat: claims.iat, exp: claims.exp, ttl: claims.ttl } };
  let statuses = null;
  try {
    const list = getListFromStatusListJWT(token);
    statuses = list.statusList;
    out.bits = list.getBitsPerStatus();
    out.entries = statuses.length;
    out.bytes = Buffer.from(list.encodeStatusList()).length;
  } catch (e) {
    fail('decode (@sd-jwt/jwt-status-list getListFromStatusListJWT)', e.message);
  }
  if (statuses) {
    if (size !== undefined && statuses.length < size) fail('size', `${statuses.length} entries, at least ${size} expected`);
    const probe = new Set([0, statuses.length - 1, ...expect.keys()]);
    if (size !== undefined) probe.add(size - 1);
    out.at = {};
    for (const i of [...probe].sort((a, b) => a - b)) out.at[i] = statuses[i] ?? null;
    out.nonzero = [];
    for (let i = 0; i < statuses.length && out.nonzero.length < 64; i += 1) {
      if (statuses[i] !== 0) out.nonzero.push([i, statuses[i]]);
    }
    const wrong = [];
    const limit = size ?? 0;
    for (const [i, v] of expect) if (statuses[i] !== v) wrong.push(`${i}: ${statuses[i]}, expected ${v}`);
    for (let i = 0; i < limit && i < statuses.length; i += 1) {
      if (!expect.has(i) && statuses[i] !== 0) wrong.push(`${i}: ${statuses[i]}, expected 0`);
    }
    if (wrong.length) fail('statuses', `${wrong.length} differ: ${wrong.slice(0, 8).join('; ')}`);
  }
  out.valid = failed.length === 0;
  out.failed = failed;
  emit(out);
  return out.valid ? 0 : EXIT_INVALID;
}

run(main);
