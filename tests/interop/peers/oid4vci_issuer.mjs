// An OpenID4VCI 1.0 credential issuer built on the OpenWallet Foundation's @openid4vc/openid4vci
// (`Openid4vciIssuer`: metadata, offer, credential request parsing, key proof verification,
// nonce and credential responses) and @openid4vc/oauth2 (`Oauth2AuthorizationServer`: token
// request parsing, pre-authorized code and transaction code check, JWT access tokens;
// `Oauth2ResourceServer`: the access token at the credential endpoint), serving one
// pre-authorized-code offer with a transaction code on 127.0.0.1 (a free port). It issues
// `dc+sd-jwt` credentials (an SD-JWT VC made here, every claim a Disclosure, signed ES256 with
// jose, no certificate: the holder is given the issuer key) and `mso_mdoc` credentials
// (@auth0/mdl, x5chain = the self-signed certificate given), one copy per key proof.
//
//   node oid4vci_issuer.mjs --issuer-key K.jwk --cert C.pem --claims C.json --issued ISSUED.json
//        [--tx-code 123456] [--batch-size N] [--configurations peer_sd_jwt,peer_mdoc]
//        [--fault invalid_nonce|invalid_proof|same-key] [--clock-ahead SECS] [--stop-after SECS]
//
// Prints one JSON line once listening: {"issuer", "offer", "tx_code"}; then serves until
// killed or --stop-after. ISSUED.json is rewritten after each credential request:
// [{"configuration", "holder_x": [the cnf/deviceKey x of each copy]}]. --fault breaks the
// protocol on purpose at the credential endpoint: an OAuth error (`invalid_nonce`,
// `invalid_proof`) instead of credentials, or (`same-key`) every copy bound to the first key.
// --clock-ahead: the issuer's clock runs that many seconds ahead of the wallet's (the SD-JWT VC's
// iat, the mdoc's signed and validFrom, which @auth0/mdl's users set to the time of signing).
// Exit 2 on bad arguments.
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const cache = process.env.LAISSEZ_INTEROP_CACHE || path.join(os.homedir(), '.cache', 'laissez', 'interop');
const modules = path.join(cache, 'node', 'node_modules');
const load = (rel) => import(pathToFileURL(path.join(modules, rel)).href);
const require = createRequire(path.join(cache, 'node', 'package.json'));
const { Openid4vciIssuer, Openid4vciVersion } = await load('@openid4vc/openid4vci/dist/index.mjs');
const {
  Oauth2AuthorizationServer,
  Oauth2ResourceServer,
  Oauth2ServerErrorResponseError,
  HashAlgorithm,
  SupportedAuthenticationScheme,
  clientAuthenticationNone,
  preAuthorizedCodeGrantIdentifier,
  setGlobalConfig,
} = await load('@openid4vc/oauth2/dist/index.mjs');
const jose = require('jose');
const { Document } = require('@auth0/mdl');
const { cborEncode } = require('@auth0/mdl/lib/cbor');

const VCT = 'https://credentials.interop.example/peer-residence';
const DOCTYPE = 'org.iso.18013.5.1.mDL';
const MDL_NS = 'org.iso.18013.5.1';

function parseArgs(argv) {
  const out = { txCode: '493817', batchSize: 5, configurations: 'peer_sd_jwt,peer_mdoc', stopAfter: 120, clockAhead: 0 };
  const names = {
    '--issuer-key': 'issuerKey', '--cert': 'cert', '--claims': 'claims', '--issued': 'issued',
    '--tx-code': 'txCode', '--batch-size': 'batchSize', '--configurations': 'configurations',
    '--fault': 'fault', '--stop-after': 'stopAfter', '--clock-ahead': 'clockAhead',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || argv[i + 1] === undefined) bad(`unknown or incomplete argument ${argv[i]}`);
    out[key] = argv[i + 1];
  }
  for (const k of ['issuerKey', 'cert', 'claims', 'issued']) if (!out[k]) bad(`--${k} is required`);
  return out;
}
function bad(message) {
  console.error(`oid4vci_issuer.mjs: ${message}`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
const issuerJwk = JSON.parse(fs.readFileSync(args.issuerKey, 'utf8'));
const issuerKey = await jose.importJWK({ ...issuerJwk, alg: 'ES256' }, 'ES256');
const certPem = fs.readFileSync(args.cert, 'utf8');
const claims = JSON.parse(fs.readFileSync(args.claims, 'utf8'));
const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
/** The issuer's clock, for what it signs into credentials. */
const issuerNow = () => new Date(Date.now() + Number(args.clockAhead) * 1000);
setGlobalConfig({ allowInsecureUrls: true }); // the resource server fetches our jwks over http

// The authorization server's own key for JWT access tokens.
const atPair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
const { kty, crv, x, y } = await webcrypto.subtle.exportKey('jwk', atPair.publicKey);
const atPublicJwk = { kty, crv, x, y, kid: 'access-token-key' };

const callbacks = {
  fetch,
  clientAuthentication: clientAuthenticationNone({ clientId: 'unused' }),
  hash: (data, alg) =>
    new Uint8Array(createHash(alg === HashAlgorithm.Sha384 ? 'sha384' : 'sha256').update(data).digest()),
  generateRandom: (n) => new Uint8Array(randomBytes(n)),
  signJwt: async (_signer, { header, payload }) => {
    const jwt = await new jose.CompactSign(Buffer.from(JSON.stringify(payload)))
      .setProtectedHeader(header)
      .sign(atPair.privateKey);
    return { jwt, signerJwk: atPublicJwk };
  },
  verifyJwt: async (signer, { compact }) => {
    try {
      const key = await jose.importJWK({ ...signer.publicJwk, alg: 'ES256' }, 'ES256');
      await jose.compactVerify(compact, key);
      return { verified: true, signerJwk: signer.publicJwk };
    } catch {
      return { verified: false };
    }
  },
};
const issuer = new Openid4vciIssuer({ callbacks });
const authorizationServer = new Oauth2AuthorizationServer({ callbacks });
const resourceServer = new Oauth2ResourceServer({ callbacks });

function configurationsSupported() {
  const proofTypes = { jwt: { proof_signing_alg_values_supported: ['ES256'] } };
  const label = (path, en, fr) => ({ path, display: [{ name: en, locale: 'en' }, { name: fr, locale: 'fr' }] });
  return {
    peer_sd_jwt: {
      format: 'dc+sd-jwt',
      vct: VCT,
      cryptographic_binding_methods_supported: ['jwk'],
      credential_signing_alg_values_supported: ['ES256'],
      proof_types_supported: proofTypes,
      credential_metadata: {
        display: [{ name: 'Peer Residence Card', locale: 'en' }, { name: 'Carte de résident (pair)', locale: 'fr' }],
        claims: [
          label(['given_name'], 'Peer given name', 'Prénom (pair)'),
          label(['family_name'], 'Peer family name', 'Nom (pair)'),
        ],
      },
    },
    peer_mdoc: {
      format: 'mso_mdoc',
      doctype: DOCTYPE,
      cryptographic_binding_methods_supported: ['cose_key'],
      credential_signing_alg_values_supported: [-7],
      proof_types_supported: proofTypes,
      credential_metadata: {
        display: [{ name: 'Peer Driving Licence', locale: 'en' }],
        claims: [label([MDL_NS, 'given_name'], 'Peer given name', 'Prénom (pair)')],
      },
    },
  };
}

function issuerMetadata(base) {
  const all = configurationsSupported();
  const credentialIssuer = issuer.createCredentialIssuerMetadata({
    credential_issuer: base,
    credential_endpoint: `${base}/credential`,
    nonce_endpoint: `${base}/nonce`,
    batch_credential_issuance: { batch_size: Number(args.batchSize) },
    display: [{ name: 'Interop Peer Registry', locale: 'en' }],
    credential_configurations_supported: Object.fromEntries(
      args.configurations.split(',').map((id) => [id, all[id] ?? bad(`unknown configuration ${id}`)]),
    ),
  });
  const asMetadata = authorizationServer.createAuthorizationServerMetadata({
    issuer: base,
    token_endpoint: `${base}/token`,
    jwks_uri: `${base}/jwks`,
    'pre-authorized_grant_anonymous_access_supported': true,
  });
  return {
    credentialIssuer,
    knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
    authorizationServers: [asMetadata],
    originalDraftVersion: Openid4vciVersion.V1,
  };
}

/** An SD-JWT VC: iss, iat, exp, vct, cnf in the clear, every claim a Disclosure. */
async function sdJwtVc(base, holderJwk) {
  const disclosures = Object.entries(claims).map(([name, value]) =>
    b64u(JSON.stringify([b64u(randomBytes(16)), name, value])),
  );
  const now = Math.floor(issuerNow().getTime() / 1000);
  const payload = {
    iss: base,
    iat: now,
    exp: now + 365 * 86400,
    vct: VCT,
    cnf: { jwk: { kty: holderJwk.kty, crv: holderJwk.crv, x: holderJwk.x, y: holderJwk.y } },
    _sd: disclosures.map((d) => b64u(createHash('sha256').update(d).digest())).sort(),
    _sd_alg: 'sha-256',
  };
  const jwt = await new jose.CompactSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ: 'dc+sd-jwt' })
    .sign(issuerKey);
  return `${jwt}~${disclosures.join('~')}~`;
}

/** An mdoc IssuerSigned (base64url), as OpenID4VCI 1.0 Appendix A.2 asks. */
async function mdoc(holderJwk) {
  const { kty: k, crv: c, x: hx, y: hy } = holderJwk;
  const now = issuerNow();
  const signed = await new Document(DOCTYPE)
    .addIssuerNameSpace(MDL_NS, claims)
    .useDigestAlgorithm('SHA-256')
    .addValidityInfo({ signed: now, validFrom: now, validUntil: new Date(now.getTime() + 365 * 86400e3) })
    .addDeviceKeyInfo({ deviceKey: { kty: k, crv: c, x: hx, y: hy } })
    .sign({ issuerPrivateKey: issuerJwk, issuerCertificate: certPem, alg: 'ES256' });
  return b64u(cborEncode(signed.prepare().get('issuerSigned')));
}

const nonces = new Set();
const issued = [];
const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
};
const requestLike = (req, base) => ({ method: req.method, url: `${base}${req.url}`, headers: new Headers(req.headers) });
const decodePayload = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());

async function credentialEndpoint(req, base, metadata, body) {
  await resourceServer.verifyResourceRequest({
    request: requestLike(req, base),
    resourceServer: base,
    authorizationServers: metadata.authorizationServers,
    allowedAuthenticationSchemes: [SupportedAuthenticationScheme.Bearer],
  });
  const parsed = issuer.parseCredentialRequest({ issuerMetadata: metadata, credentialRequest: JSON.parse(body) });
  const jwts = parsed.proofs?.jwt ?? [];
  if (!parsed.credentialConfigurationId || jwts.length === 0) {
    return [400, { error: 'invalid_credential_request', error_description: 'a configuration id and jwt proofs' }];
  }
  if (args.fault === 'invalid_nonce' || args.fault === 'invalid_proof') {
    return [400, { error: args.fault, error_description: `the peer's --fault ${args.fault}` }];
  }
  const keys = [];
  for (const jwt of jwts) {
    const nonce = decodePayload(jwt).nonce;
    if (!nonces.has(nonce)) return [400, { error: 'invalid_nonce', error_description: 'unknown c_nonce' }];
    const { signer } = await issuer.verifyCredentialRequestJwtProof({ issuerMetadata: metadata, jwt, expectedNonce: nonce });
    keys.push(signer.publicJwk);
  }
  const id = parsed.credentialConfigurationId;
  const bound = args.fault === 'same-key' ? keys.map(() => keys[0]) : keys;
  const credentials = [];
  for (const key of bound) {
    credentials.push({ credential: id === 'peer_mdoc' ? await mdoc(key) : await sdJwtVc(base, key) });
  }
  issued.push({ configuration: id, holder_x: bound.map((k) => k.x) });
  fs.writeFileSync(args.issued, JSON.stringify(issued, null, 2));
  return [200, issuer.createCredentialResponse({ credentialRequest: parsed, credentials })];
}

async function route(req, res, base, metadata, offer, preAuthorizedCode) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks).toString('utf8');
  const at = req.url.split('?')[0];
  try {
    if (req.method === 'GET' && at === '/.well-known/openid-credential-issuer') return json(res, 200, metadata.credentialIssuer);
    if (req.method === 'GET' && at === '/.well-known/oauth-authorization-server') return json(res, 200, metadata.authorizationServers[0]);
    if (req.method === 'GET' && at === '/jwks') return json(res, 200, { keys: [atPublicJwk] });
    if (req.method === 'POST' && at === '/token') {
      const parsed = authorizationServer.parseAccessTokenRequest({
        request: requestLike(req, base),
        accessTokenRequest: Object.fromEntries(new URLSearchParams(body)),
      });
      if (parsed.grant.grantType !== preAuthorizedCodeGrantIdentifier) {
        return json(res, 400, { error: 'unsupported_grant_type' });
      }
      await authorizationServer.verifyPreAuthorizedCodeAccessTokenRequest({
        authorizationServerMetadata: metadata.authorizationServers[0],
        grant: parsed.grant,
        accessTokenRequest: parsed.accessTokenRequest,
        request: requestLike(req, base),
        expectedPreAuthorizedCode: preAuthorizedCode,
        expectedTxCode: args.txCode,
      });
      const response = await authorizationServer.createAccessTokenResponse({
        audience: base,
        authorizationServer: base,
        signer: { method: 'jwk', alg: 'ES256', publicJwk: atPublicJwk },
        subject: preAuthorizedCode,
        expiresInSeconds: 300,
      });
      return json(res, 200, response);
    }
    if (req.method === 'POST' && at === '/nonce') {
      const cNonce = b64u(randomBytes(16));
      nonces.add(cNonce);
      return json(res, 200, issuer.createNonceResponse({ cNonce, cNonceExpiresIn: 300 }));
    }
    if (req.method === 'POST' && at === '/credential') {
      const [status, answer] = await credentialEndpoint(req, base, metadata, body);
      return json(res, status, answer);
    }
    return json(res, 404, { error: 'not_found' });
  } catch (e) {
    if (e instanceof Oauth2ServerErrorResponseError) {
      console.error(`oid4vci_issuer.mjs: ${at}: ${e.errorResponse?.error}: ${e.message} ${e.cause ?? ''}`);
      const status = e.status ?? (e.errorResponse?.error === 'invalid_token' ? 401 : 400);
      return json(res, status, e.errorResponse);
    }
    console.error(`oid4vci_issuer.mjs: ${at}: ${e.stack || e}`);
    return json(res, 500, { error: 'server_error' });
  }
}

const server = http.createServer();
server.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const metadata = issuerMetadata(base);
  const preAuthorizedCode = b64u(randomBytes(24));
  const { credentialOffer } = await issuer.createCredentialOffer({
    issuerMetadata: metadata,
    credentialConfigurationIds: Object.keys(metadata.credentialIssuer.credential_configurations_supported),
    grants: {
      [preAuthorizedCodeGrantIdentifier]: {
        'pre-authorized_code': preAuthorizedCode,
        tx_code: { input_mode: 'numeric', length: args.txCode.length, description: 'The code the desk read out' },
      },
    },
  });
  server.on('request', (req, res) => route(req, res, base, metadata, credentialOffer, preAuthorizedCode));
  console.log(JSON.stringify({ issuer: base, offer: credentialOffer, tx_code: args.txCode }));
});
setTimeout(() => process.exit(0), Number(args.stopAfter) * 1000);
