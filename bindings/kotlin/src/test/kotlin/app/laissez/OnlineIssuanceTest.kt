package app.laissez

import java.io.File
import java.io.IOException
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * Online issuance (OpenID4VCI) through the bindings: the transports are Kotlin objects (the
 * foreign-trait path), one delegating to the in-memory TestOnlineIssuer, the others failing
 * each in its own way.
 */
class OnlineIssuanceTest {
    @TempDir
    lateinit var dir: File

    private val vct = "urn:laissez:test:online:1"
    private val docType = "org.laissez.test.online.1"
    private val sdJwtClaims = """{"given_name":"Amina","family_name":"Haddad","registration_id":"R-42"}"""
    private val mdocClaims = """{"$docType":{"given_name":"Amina","family_name":"Haddad"}}"""

    private suspend fun newWallet() = createWallet(
        File(dir, "wallet.db").absolutePath,
        "2468",
        WalletOptions(pinKdf = insecureTestKdf(), platformKey = null, clock = null),
    ).wallet

    /** Delegates every request to the in-memory issuer, counting them. */
    private class IssuerTransport(private val issuer: TestOnlineIssuer) : HttpTransport {
        val paths = mutableListOf<String>()
        override fun send(request: HttpRequest): HttpResponse {
            paths += request.url.removePrefix(issuer.issuerUrl())
            return issuer.handle(request)
        }
    }

    /** The issuer until a request's URL ends with [failAt], then [failure]. */
    private class FailingTransport(
        private val issuer: TestOnlineIssuer,
        private val failAt: String,
        private val failure: (HttpRequest) -> HttpResponse,
    ) : HttpTransport {
        override fun send(request: HttpRequest): HttpResponse =
            if (request.url.endsWith(failAt)) failure(request) else issuer.handle(request)
    }

    private fun response(status: Int, body: String, vararg headers: Pair<String, String>) =
        HttpResponse(status.toUShort(), headers.map { HttpHeader(it.first, it.second) }, body.toByteArray())

    /** Every record counted, and the credentials. */
    private suspend fun snapshot(wallet: Wallet): Pair<ULong, List<CredentialSummary>> =
        Pair(wallet.status().recordCount, wallet.listCredentials())

    @Test
    fun `both formats arrive as a batch with the issuer's labels`() = runTest {
        newWallet().use { wallet ->
            val issuer = TestOnlineIssuer.create("Registration Desk", 5u)
            val transport = IssuerTransport(issuer)

            val sdJwtOffer = issuer.createOffer(sdJwtClaims, CredentialFormat.SD_JWT, vct, "493817")
            val preview = wallet.previewCredentialOffer(sdJwtOffer, transport)
            assertEquals("https://issuer.laissez.test", preview.credentialIssuer)
            assertEquals("Registration Desk", preview.issuerName)
            assertEquals(CredentialFormat.SD_JWT, preview.credentials.single().format)
            assertEquals(vct, preview.credentials.single().credentialType)
            assertTrue(preview.txCodeRequired)
            assertEquals(TxCodeRequest(numeric = true, length = 6u, description = "the code the test gave you"), preview.txCode)
            assertEquals(5u, preview.issuerBatchSize)
            // The preview writes nothing and needs no PIN.
            assertEquals(0, wallet.listCredentials().size)

            val sdJwt = wallet.fetchCredential(sdJwtOffer, "493817", 3u, transport).single()
            assertEquals(3u, sdJwt.copies)
            assertEquals(CredentialFormat.SD_JWT, sdJwt.summary.format)
            assertEquals(vct, sdJwt.summary.credentialType)
            assertEquals("Given name", sdJwt.summary.display?.claimLabels?.get("given_name")?.get("en"))
            assertEquals("Registration id", sdJwt.summary.display?.claimLabels?.get("registration_id")?.get("en"))
            assertTrue("/token" in transport.paths && "/nonce" in transport.paths && "/credential" in transport.paths)

            // No transaction code, and as many copies as the issuer gives.
            val mdocOffer = issuer.createOffer(mdocClaims, CredentialFormat.MDOC, docType, null)
            assertEquals(false, wallet.previewCredentialOffer(mdocOffer, transport).txCodeRequired)
            val mdoc = wallet.fetchCredential(mdocOffer, null, null, transport).single()
            assertEquals(5u, mdoc.copies)
            assertEquals(CredentialFormat.MDOC, mdoc.summary.format)
            assertEquals(docType, mdoc.summary.credentialType)
            assertEquals("Family name", mdoc.summary.display?.claimLabels?.get("$docType/family_name")?.get("en"))

            assertEquals(listOf(sdJwt.summary, mdoc.summary), wallet.listCredentials())
            val given = wallet.showCredential(mdoc.summary.id, "en").claims.single { it.path.endsWith("given_name") }
            assertEquals("\"Amina\"", given.valueJson)
            assertEquals("Given name", given.label)

            // A pre-authorized code is single use.
            val again = assertFailsWith<OnlineIssuanceException.TokenRefused> {
                wallet.fetchCredential(mdocOffer, null, null, transport)
            }
            assertEquals(OAuthErrorCode.InvalidGrant, again.code)
        }
    }

    @Test
    fun `a wrong transaction code is a typed error and leaves the wallet unchanged`() = runTest {
        newWallet().use { wallet ->
            val issuer = TestOnlineIssuer.create("Registration Desk", 4u)
            val transport = IssuerTransport(issuer)
            val offer = issuer.createOffer(sdJwtClaims, CredentialFormat.SD_JWT, vct, "493817")
            wallet.holderKey()
            val before = snapshot(wallet)

            val wrong = assertFailsWith<OnlineIssuanceException.TokenRefused> {
                wallet.fetchCredential(offer, "111111", 2u, transport)
            }
            assertEquals(OAuthErrorCode.InvalidGrant, wrong.code)
            assertEquals(before, snapshot(wallet))
            // Checked before anything is sent.
            assertFailsWith<OnlineIssuanceException.TxCodeRequired> { wallet.fetchCredential(offer, null, 2u, transport) }
            val form = assertFailsWith<OnlineIssuanceException.TxCodeForm> {
                wallet.fetchCredential(offer, "12ab", 2u, transport)
            }
            assertTrue("6" in form.reason, form.reason)
            assertFailsWith<OnlineIssuanceException.BatchSize> { wallet.fetchCredential(offer, "493817", 0u, transport) }
            assertEquals(before, snapshot(wallet))

            // A locked wallet does not spend the offer.
            wallet.lock()
            assertFailsWith<OnlineIssuanceException.Locked> { wallet.fetchCredential(offer, "493817", 2u, transport) }
            wallet.unlock("2468")
            assertEquals(2u, wallet.fetchCredential(offer, "493817", 2u, transport).single().copies)
        }
    }

    @Test
    fun `each transport failure is its typed error`() = runTest {
        newWallet().use { wallet ->
            val issuer = TestOnlineIssuer.create("Registration Desk", 3u)
            val offer = issuer.createOffer(sdJwtClaims, CredentialFormat.SD_JWT, vct, null)
            wallet.holderKey()
            val before = snapshot(wallet)
            val metadata = "/.well-known/openid-credential-issuer"

            val status = assertFailsWith<OnlineIssuanceException.HttpStatus> {
                wallet.previewCredentialOffer(offer, FailingTransport(issuer, metadata) { response(500, "oops") })
            }
            assertEquals(IssuanceEndpoint.ISSUER_METADATA, status.endpoint)
            assertEquals(500.toUShort(), status.status)

            val malformed = assertFailsWith<OnlineIssuanceException.MalformedJson> {
                wallet.previewCredentialOffer(
                    offer,
                    FailingTransport(issuer, metadata) { response(200, """{"credential_issuer": """, "content-type" to "application/json") },
                )
            }
            assertEquals(IssuanceEndpoint.ISSUER_METADATA, malformed.endpoint)

            val redirect = assertFailsWith<OnlineIssuanceException.RedirectRefused> {
                wallet.previewCredentialOffer(
                    offer,
                    FailingTransport(issuer, metadata) { response(302, "", "location" to "https://elsewhere.test/") },
                )
            }
            assertEquals(302.toUShort(), redirect.status)

            val timeout = assertFailsWith<OnlineIssuanceException.Timeout> {
                wallet.previewCredentialOffer(offer, FailingTransport(issuer, metadata) { throw TransportException.Timeout() })
            }
            assertEquals(IssuanceEndpoint.ISSUER_METADATA, timeout.endpoint)

            // An exception of another type, as OkHttp throws: a connection failure, not a crash.
            val thrown = assertFailsWith<OnlineIssuanceException.ConnectionFailed> {
                wallet.previewCredentialOffer(offer, FailingTransport(issuer, metadata) { throw IOException("network is unreachable") })
            }
            assertTrue("network is unreachable" in thrown.reason, thrown.reason)

            // A failure at the last step, after keys were derived: nothing is written.
            val late = assertFailsWith<OnlineIssuanceException.HttpStatus> {
                wallet.fetchCredential(offer, null, 3u, FailingTransport(issuer, "/credential") { response(500, "") })
            }
            assertEquals(IssuanceEndpoint.CREDENTIAL, late.endpoint)
            val other = TestOnlineIssuer.create("Other Desk", 3u)
            val otherOffer = other.createOffer(sdJwtClaims, CredentialFormat.SD_JWT, vct, null)
            val lateThrow = assertFailsWith<OnlineIssuanceException.ConnectionFailed> {
                wallet.fetchCredential(
                    otherOffer,
                    null,
                    3u,
                    FailingTransport(other, "/credential") { throw IllegalStateException("boom") },
                )
            }
            assertTrue("boom" in lateThrow.reason, lateThrow.reason)
            assertEquals(before, snapshot(wallet))
            assertNull(wallet.listCredentials().firstOrNull())

            // Not an offer link.
            assertFailsWith<OnlineIssuanceException.InvalidOffer> {
                wallet.previewCredentialOffer("https://issuer.laissez.test/", IssuerTransport(issuer))
            }
        }
    }
}
