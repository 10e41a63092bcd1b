#!/usr/bin/env node
// Verify an ISO 18013-5 DeviceResponse with @auth0/mdl's Verifier (npm @auth0/mdl).
//
//   node mdoc_verify.mjs --issuer-cert CERT.pem [--issuer-cert ...] --transcript T.cbor
//                        [--at UNIX|ISO] [--reader-key KEY] [--verbose] RESPONSE
//
// RESPONSE: the DeviceResponse, raw CBOR or a hex text file.
// --transcript: the SessionTranscript the device signed, raw or hex, either the bare array
//   (what `laissez wallet present --transcript-out` and oid4vp_transcript.py write) or
//   SessionTranscriptBytes #6.24(bstr) (what the vectors hold); bare arrays are wrapped in
//   tag 24 here because @auth0/mdl's `encodedSessionTranscript` must be the tagged form.
// --issuer-cert: trusted certificate(s) (PEM): the IACA root, or the self-signed issuer
//   certificate itself when it is its own trust anchor.
// --at: verification time. @auth0/mdl has no time parameter; this fixes `new Date()`.
// --reader-key: only for deviceMac responses: the reader's ephemeral private key, a JWK with
//   d, or the vectors' keys.json (its EReaderKey is used).
//
// What @auth0/mdl 3.0.1 checks (every check is reported, not only the first failure):
// DeviceResponse version >= 1.0 and documents present; per document: x5chain chains to a
// trusted certificate (pkijs, at the current/fixed time), issuerAuth ES256/384/512
// signature, MSO `signed` within the certificate validity, MSO validFrom <= now <=
// validUntil, C (countryName) present in the issuer certificate's issuer DN; deviceSigned
// present, deviceSignature (COSE_Sign1, detached) over DeviceAuthenticationBytes it
// rebuilds from the transcript, docType and the decoded DeviceNameSpaces (or deviceMac with
// --reader-key); every IssuerSignedItem digest; issuing_country = certificate C and
// issuing_jurisdiction = certificate ST when present (org.iso.18013.5.1 only).
//
// Prints JSON {"valid", "documents": [{docType, issuerSigned: {ns: {element: value}},
// deviceSigned, deviceAuth}], "failed": [checks], "passed": n} ; exit 0 valid, 1 invalid
// (including an undecodable response), 2 bad input (files, arguments, transcript form).
import { parseArgs } from 'node:util';
import {
  BadInput, EXIT_INVALID, emit, fixClock, readBytes, readCbor, readTranscript, requireFromCache, run, toJson,
} from './_mdl.mjs';

function readerKey(file, coseKit) {
  let j;
  try {
    j = JSON.parse(readBytes(file).toString('utf8'));
  } catch (e) {
    throw new BadInput(`${file}: not JSON: ${e.message}`);
  }
  if (j.EReaderKey) {
    const h = (x) => Buffer.from(j.EReaderKey[x], 'hex').toString('base64url');
    j = { kty: 'EC', crv: 'P-256', x: h('x'), y: h('y'), d: h('d') };
  }
  if (j.kty !== 'EC' || !j.d) throw new BadInput(`${file}: an EC private JWK (or keys.json) is expected`);
  return coseKit.COSEKeyFromJWK({ kty: j.kty, crv: j.crv, x: j.x, y: j.y, d: j.d });
}

async function main() {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        'issuer-cert': { type: 'string', multiple: true },
        transcript: { type: 'string' },
        at: { type: 'string' },
        'reader-key': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new BadInput(e.message);
  }
  const o = args.values;
  if (o.help) {
    process.stdout.write('usage: mdoc_verify.mjs --issuer-cert CERT.pem --transcript T.cbor [--at T] [--reader-key K] RESPONSE\n');
    return 0;
  }
  if (args.positionals.length !== 1) throw new BadInput('one RESPONSE file is expected');
  if (!o['issuer-cert'] || !o.transcript) throw new BadInput('--issuer-cert and --transcript are required');

  const { Verifier } = requireFromCache('@auth0/mdl');
  const coseKit = requireFromCache('cose-kit');
  const certs = o['issuer-cert'].map((f) => {
    const pem = readBytes(f).toString('utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new BadInput(`${f}: not a PEM certificate`);
    return pem;
  });
  const response = readCbor(args.positionals[0]);
  const transcript = readTranscript(o.transcript);
  const ephemeralReaderKey = o['reader-key'] ? readerKey(o['reader-key'], coseKit) : undefined;
  const clock = fixClock(o.at);

  const checks = [];
  let mdoc;
  let error;
  try {
    mdoc = await new Verifier(certs).verify(response, {
      encodedSessionTranscript: transcript.bytes,
      ephemeralReaderKey,
      onCheck: (check) => checks.push(check), // collect all; do not stop at the first failure
    });
  } catch (e) {
    error = `${e.name}: ${e.message}`;
  }
  const failed = checks.filter((c) => c.status === 'FAILED')
    .map((c) => ({ id: c.id, category: c.category, check: c.check, reason: c.reason }));
  const valid = !error && failed.length === 0 && checks.length > 0;

  const documents = (mdoc?.documents || []).map((d) => {
    const issuerSigned = {};
    for (const [ns, items] of Object.entries(d.issuerSigned?.nameSpaces || {})) {
      issuerSigned[ns] = {};
      for (const it of items) issuerSigned[ns][it.elementIdentifier] = toJson(it.elementValue);
    }
    const ds = d.deviceSigned;
    return {
      docType: d.docType,
      issuerSigned,
      deviceSigned: ds ? toJson(ds.nameSpaces) : null,
      deviceAuth: ds ? (ds.deviceAuth.deviceSignature ? 'deviceSignature' : 'deviceMac') : null,
    };
  });
  const out = {
    valid,
    documents,
    failed,
    passed: checks.filter((c) => c.status === 'PASSED').length,
    transcript: transcript.form,
    clock: clock || 'now',
  };
  if (error) out.error = error;
  if (o.verbose) out.checks = checks.map((c) => ({ status: c.status, id: c.id, check: c.check, reason: c.reason }));
  emit(out);
  return valid ? 0 : EXIT_INVALID;
}

run(main);
