#!/usr/bin/env node
// Present an mdoc with @auth0/mdl's DeviceResponse builder: a holder no one here wrote.
//
//   node mdoc_present.mjs --holder-key HOLDER_PRIVATE_JWK.json --transcript T.cbor \
//                         --claims a,b,ns/c --out RESPONSE.cbor MDOC
//
// MDOC: the issued credential, raw CBOR or hex, as a DeviceResponse-like
//   {version, documents: [...]} (pymdoccbor's form), a Document {docType, issuerSigned},
//   or a bare IssuerSigned {nameSpaces, issuerAuth} (docType then read from the MSO).
// --claims: element identifiers to disclose; `namespace/element` picks a namespace,
//   a bare name is looked up in every namespace of the document.
// --transcript: the SessionTranscript to sign over (bare array or #6.24 tagged, raw or hex),
//   e.g. from oid4vp_transcript.py.
// --holder-key: the device private key (JWK with d) matching the MSO deviceKey.
//
// The response is signed with deviceSignature (COSE_Sign1 ES256, detached payload) over the
// DeviceAuthenticationBytes the library builds; DeviceNameSpaces are empty. Writes the
// DeviceResponse as raw CBOR and prints {out, docType, disclosed, bytes}.
// Exit 0 ok, 1 a requested element is not in the credential, 2 bad input.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import {
  BadInput, EXIT_INVALID, emit, readBytes, readCbor, readTranscript, requireFromCache, run,
} from './_mdl.mjs';

function asDeviceResponse(bytes) {
  const { cborDecode, cborEncode } = requireFromCache('@auth0/mdl/lib/cbor');
  let top;
  try {
    top = cborDecode(bytes);
  } catch (e) {
    throw new BadInput(`credential: not CBOR: ${e.message}`);
  }
  if (!(top instanceof Map)) throw new BadInput('credential: a CBOR map is expected');
  if (top.has('documents')) return bytes;
  let doc = top;
  if (top.has('issuerAuth') && top.has('nameSpaces')) {
    const payload = cborDecode(top.get('issuerAuth')[2]);
    const mso = (payload.data ?? payload);
    doc = new Map([['docType', mso.get('docType')], ['issuerSigned', top]]);
  }
  if (!doc.has('docType') || !doc.has('issuerSigned')) {
    throw new BadInput('credential: neither a DeviceResponse, a Document nor an IssuerSigned');
  }
  return cborEncode(new Map([['version', '1.0'], ['documents', [doc]], ['status', 0]]));
}

async function main() {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        'holder-key': { type: 'string' },
        transcript: { type: 'string' },
        claims: { type: 'string' },
        out: { type: 'string' },
        alg: { type: 'string', default: 'ES256' },
      },
    });
  } catch (e) {
    throw new BadInput(e.message);
  }
  const o = args.values;
  if (args.positionals.length !== 1 || !o['holder-key'] || !o.transcript || !o.claims || !o.out) {
    throw new BadInput('usage: mdoc_present.mjs --holder-key K --transcript T --claims a,b --out F MDOC');
  }
  const mdl = requireFromCache('@auth0/mdl');
  let jwk;
  try {
    jwk = JSON.parse(readBytes(o['holder-key']).toString('utf8'));
  } catch (e) {
    throw new BadInput(`${o['holder-key']}: not JSON`);
  }
  if (!jwk.d) throw new BadInput(`${o['holder-key']}: a private JWK (with d) is expected`);
  const credential = asDeviceResponse(readCbor(args.positionals[0]));
  const transcript = readTranscript(o.transcript);

  const parsed = mdl.parse(credential);
  const doc = parsed.documents[0];
  const fields = [];
  const missing = [];
  for (const c of o.claims.split(',').map((s) => s.trim()).filter(Boolean)) {
    const slash = c.lastIndexOf('/');
    const [ns, el] = slash > 0 ? [c.slice(0, slash), c.slice(slash + 1)] : [null, c];
    const nss = ns ? [ns] : Object.keys(doc.issuerSigned.nameSpaces);
    const hit = nss.find((n) => (doc.issuerSigned.nameSpaces[n] || []).some((it) => it.elementIdentifier === el));
    if (!hit) missing.push(c);
    else fields.push({ path: [`$['${hit}']['${el}']`], intent_to_retain: false });
  }
  if (missing.length) {
    emit({ error: 'requested elements not in the credential', missing });
    return EXIT_INVALID;
  }
  const pd = {
    id: 'laissez-interop',
    input_descriptors: [{
      id: doc.docType,
      format: { mso_mdoc: { alg: ['ES256'] } },
      constraints: { limit_disclosure: 'required', fields },
    }],
  };
  const response = await mdl.DeviceResponse.from(parsed)
    .usingPresentationDefinition(pd)
    .usingSessionTranscriptBytes(transcript.bytes)
    .authenticateWithSignature({ ...jwk, alg: o.alg }, o.alg)
    .sign();
  const bytes = response.encode();
  try {
    fs.writeFileSync(o.out, bytes);
  } catch (e) {
    throw new BadInput(`cannot write ${o.out}: ${e.code}`);
  }
  emit({
    out: o.out,
    docType: doc.docType,
    disclosed: fields.map((f) => f.path[0]),
    bytes: bytes.length,
    transcript: transcript.form,
  });
  return 0;
}

run(main);
