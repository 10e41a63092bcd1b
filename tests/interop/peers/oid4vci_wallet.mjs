// A wallet on the OpenWallet Foundation's @openid4vc/openid4vci (WebCrypto for keys and
// signatures) receiving credentials from `laissez issuer serve`: resolve the offer, issuer
// metadata, pre-authorized token with the transaction code, nonce, one key proof per copy,
// credential request with `proofs`. Prints {config: [credentials...]} as JSON.
//
//   node oid4vci_wallet.mjs LINK TX_CODE BATCH
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// ESM-only packages from the npm prefix that tests/interop/setup.sh fills.
const cache = process.env.LAISSEZ_INTEROP_CACHE || path.join(os.homedir(), '.cache', 'laissez', 'interop');
const modules = path.join(cache, 'node', 'node_modules');
const load = (rel) => import(pathToFileURL(path.join(modules, rel)).href);
const { Openid4vciClient } = await load('@openid4vc/openid4vci/dist/index.mjs');
const { setGlobalConfig, HashAlgorithm, clientAuthenticationAnonymous } = await load(
  '@openid4vc/oauth2/dist/index.mjs',
);
const { webcrypto } = await import('node:crypto');

const [link, txCode, batchText] = process.argv.slice(2);
const batch = Number(batchText || '2');
setGlobalConfig({ allowInsecureUrls: true }); // the issuer is on http://127.0.0.1

const subtle = webcrypto.subtle;
const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const keys = [];
for (let i = 0; i < batch; i++) {
  const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const { kty, crv, x, y } = await subtle.exportKey('jwk', pair.publicKey);
  keys.push({ publicJwk: { kty, crv, x, y }, privateKey: pair.privateKey });
}

const callbacks = {
  fetch,
  clientAuthentication: clientAuthenticationAnonymous(),
  hash: (data, alg) =>
    new Uint8Array(createHash(alg === HashAlgorithm.Sha384 ? 'sha384' : 'sha256').update(data).digest()),
  generateRandom: (n) => new Uint8Array(randomBytes(n)),
  signJwt: async (signer, { header, payload }) => {
    const key = keys.find((k) => k.publicJwk.x === signer.publicJwk.x);
    const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
    const signature = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, Buffer.from(input));
    return { jwt: `${input}.${b64u(new Uint8Array(signature))}`, signerJwk: signer.publicJwk };
  },
};

const client = new Openid4vciClient({ callbacks });
const offer = await client.resolveCredentialOffer(link);
const metadata = await client.resolveIssuerMetadata(offer.credential_issuer);
const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
  credentialOffer: offer,
  issuerMetadata: metadata,
  txCode,
});
const out = {};
for (const id of offer.credential_configuration_ids) {
  const { c_nonce } = await client.requestNonce({ issuerMetadata: metadata });
  const jwts = [];
  for (const key of keys) {
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata: metadata,
      credentialConfigurationId: id,
      nonce: c_nonce,
      signer: { method: 'jwk', alg: 'ES256', publicJwk: key.publicJwk },
    });
    jwts.push(jwt);
  }
  const response = await client.retrieveCredentials({
    issuerMetadata: metadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId: id,
    proofs: { jwt: jwts },
  });
  out[id] = response.credentialResponse.credentials.map((c) => c.credential);
}
console.log(JSON.stringify(out));
