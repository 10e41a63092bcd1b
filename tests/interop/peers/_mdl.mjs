// Helpers shared by the @auth0/mdl peer scripts (mdoc_verify.mjs, mdoc_present.mjs):
// loading the library from the interop cache, reading raw-or-hex CBOR files, exit codes,
// and turning decoded CBOR values into JSON. No protocol logic lives here. The status list
// scripts (_status_list.mjs) use its loading, file, exit code and output helpers too.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_BAD_INPUT = 2;

export class BadInput extends Error {}

const cache = process.env.LAISSEZ_INTEROP_CACHE || path.join(os.homedir(), '.cache', 'laissez', 'interop');

/** require() rooted in the npm prefix that tests/interop/setup.sh fills. */
export function requireFromCache(name) {
  const req = createRequire(path.join(cache, 'node', 'package.json'));
  try {
    return req(name);
  } catch (e) {
    throw new BadInput(`cannot load ${name} from ${cache}/node (run tests/interop/setup.sh): ${e.message}`);
  }
}

export function readBytes(file) {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new BadInput(`cannot read ${file}: ${e.code || e.message}`);
  }
}

/** Raw CBOR bytes, or a file of hex text (../shared/vectors/mdoc/*.hex). */
export function readCbor(file) {
  const data = readBytes(file);
  const text = data.toString('latin1').trim();
  if (text.length > 0 && text.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(text)) {
    return Buffer.from(text, 'hex');
  }
  return data;
}

function bstrHeader(n) {
  if (n < 24) return Buffer.from([0x40 | n]);
  if (n < 0x100) return Buffer.from([0x58, n]);
  if (n < 0x10000) return Buffer.from([0x59, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x5a;
  b.writeUInt32BE(n, 1);
  return b;
}

/**
 * SessionTranscriptBytes (#6.24(bstr .cbor SessionTranscript)) from a file holding either
 * that or the bare SessionTranscript array. @auth0/mdl needs the tagged form: it takes
 * `.data` of the decoded value, which a bare array does not have.
 */
export function readTranscript(file) {
  const bytes = readCbor(file);
  if (bytes.length >= 2 && bytes[0] === 0xd8 && bytes[1] === 0x18) {
    return { bytes, form: 'SessionTranscriptBytes (tag 24)' };
  }
  if (bytes.length >= 1 && (bytes[0] & 0xe0) === 0x80) {
    return {
      bytes: Buffer.concat([Buffer.from([0xd8, 0x18]), bstrHeader(bytes.length), bytes]),
      form: 'SessionTranscript (bare array, wrapped in tag 24 here)',
    };
  }
  throw new BadInput(`${file}: neither a SessionTranscript array nor #6.24 SessionTranscriptBytes`);
}

/** Fix the clock seen by `new Date()` / `Date.now()` (the library has no time parameter). */
export function fixClock(at) {
  if (at === undefined || at === 'now') return null;
  const ms = /^\d+$/.test(at) ? Number(at) * 1000 : Date.parse(at);
  if (Number.isNaN(ms)) throw new BadInput(`--at: not UNIX seconds or an ISO date: ${at}`);
  const RealDate = Date;
  class FixedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(ms);
      else super(...args);
    }

    static now() {
      return ms;
    }
  }
  globalThis.Date = FixedDate;
  return new RealDate(ms).toISOString();
}

/** Decoded CBOR (cbor-x / @auth0/mdl objects) to plain JSON. */
export function toJson(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) {
    return v.constructor && v.constructor.name === 'DateOnly' ? v.toISOString() : v.toISOString().replace('.000Z', 'Z');
  }
  if (v instanceof Uint8Array) return { $bstr: Buffer.from(v).toString('base64url') };
  if (v instanceof Map) {
    const o = {};
    for (const [k, x] of v) o[String(k)] = toJson(x);
    return o;
  }
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    if (v.constructor && v.constructor.name === 'DataItem') return toJson(v.data);
    if (v.constructor && v.constructor.name === 'Tag') return { $tag: v.tag, value: toJson(v.value) };
    const o = {};
    for (const [k, x] of Object.entries(v)) o[k] = toJson(x);
    return o;
  }
  return v;
}

export function emit(obj) {
  process.stdout.write(`${JSON.stringify(obj, null, 2)}\n`);
}

/** Run main(); BadInput -> exit 2 with a JSON error on stderr. */
export async function run(main) {
  try {
    process.exitCode = await main();
  } catch (e) {
    if (e instanceof BadInput) {
      process.stderr.write(`${JSON.stringify({ error: 'bad input', detail: e.message })}\n`);
      process.exitCode = EXIT_BAD_INPUT;
    } else {
      throw e;
    }
  }
}
