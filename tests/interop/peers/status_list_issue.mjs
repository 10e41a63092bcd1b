#!/usr/bin/env node
// Issue a Status List Token (draft-ietf-oauth-status-list, JWT form) with a Status List that
// @sd-jwt/jwt-status-list builds: a status issuer no one here wrote.
//
//   node status_list_issue.mjs --issuer-key ISSUER_PRIVATE_JWK.json --uri URI --size N
//                              [--bits 1|2|4|8] [--set i=v,j=w] [--iat UNIX]
//                              [--valid SECONDS] [--ttl SECONDS] --out TOKEN.jwt
//
// The list: N entries of `bits` bits (default 1), all 0 (VALID) except those in --set
// (1 INVALID, 2 SUSPENDED, ...); the library packs them (least significant bits first),
// compresses them (pako deflate, ZLIB format, level 9) and base64url-encodes them
// (StatusList.compressStatusList); its createHeaderAndPayload sets header `typ:
// statuslist+jwt` and the `status_list: {bits, lst}` claim. The claims: sub = --uri,
// iat (default now), exp = iat + --valid (default 86400), ttl (default 3600). jose signs
// it: ES256 with --issuer-key (e.g. `laissez issuer new`'s issuer.key.json).
//
// Writes the compact JWT (and a newline) to --out; prints {out, header, claims, entries,
// bytes, set}. Exit 0 ok, 2 bad input.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { BadInput, emit, run } from './_mdl.mjs';
import {
  jose, parseBits, parseCount, parseStatuses, readJwk, statusListLib,
} from './_status_list.mjs';

const USAGE = 'usage: status_list_issue.mjs --issuer-key K.jwk --uri URI --size N [--bits B] [--set i=v,...] '
  + '[--iat UNIX] [--valid S] [--ttl S] --out TOKEN.jwt\n';

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        'issuer-key': { type: 'string' },
        uri: { type: 'string' },
        size: { type: 'string' },
        bits: { type: 'string', default: '1' },
        set: { type: 'string', default: '' },
        iat: { type: 'string' },
        valid: { type: 'string', default: '86400' },
        ttl: { type: 'string', default: '3600' },
        out: { type: 'string' },
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
  if (!o['issuer-key'] || !o.uri || !o.size || !o.out) {
    throw new BadInput('--issuer-key, --uri, --size and --out are required');
  }
  const bits = parseBits(o.bits);
  const size = parseCount(o.size, '--size');
  if (size < 1) throw new BadInput('--size: at least 1');
  const set = parseStatuses(o.set, bits, size, '--set');
  const iat = o.iat === undefined ? Math.floor(Date.now() / 1000) : parseCount(o.iat, '--iat');
  const valid = parseCount(o.valid, '--valid');
  const ttl = parseCount(o.ttl, '--ttl');
  const jwk = readJwk(o['issuer-key'], true);

  const { StatusList, createHeaderAndPayload } = statusListLib();
  const { SignJWT, importJWK } = jose();
  const list = new StatusList(new Array(size).fill(0), bits);
  for (const [index, value] of set) list.setStatus(index, value);

  const { header, payload } = createHeaderAndPayload(
    list,
    { sub: o.uri, iat, exp: iat + valid, ttl },
    { alg: 'ES256' },
  );
  let key;
  try {
    key = await importJWK(jwk, 'ES256');
  } catch (e) {
    throw new BadInput(`${o['issuer-key']}: jose cannot use it: ${e.message}`);
  }
  const token = await new SignJWT(payload).setProtectedHeader(header).sign(key);
  try {
    fs.writeFileSync(o.out, `${token}\n`);
  } catch (e) {
    throw new BadInput(`cannot write ${o.out}: ${e.code || e.message}`);
  }
  emit({
    out: o.out,
    header,
    claims: {
      sub: payload.sub, iat: payload.iat, exp: payload.exp, ttl: payload.ttl, status_list: payload.status_list,
    },
    entries: size,
    bytes: list.encodeStatusList().length,
    set: Object.fromEntries(set),
  });
  return 0;
}

run(main);
