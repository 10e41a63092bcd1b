package app.laissez

import java.io.File
import java.util.Base64
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** Credentials on a wallet and the verifier, through the bindings: both formats, each error. */
class CredentialsTest {
    @TempDir
    lateinit var dir: File

    private val claims = """{"given_name":"Amina","family_name":"Haddad","birth_date":"1990-05-01",""" +
        """"nationality":"SD","registration_id":"IOM-2026-0042","place_of_birth":"Khartoum"}"""
    private val nonce = "n-42"
    private val audience = "https://desk.example"

    private fun options(clock: WalletClock? = null) =
        WalletOptions(pinKdf = insecureTestKdf(), platformKey = null, clock = clock)

    private suspend fun newWallet(name: String = "wallet.db", clock: WalletClock? = null) =
        createWallet(File(dir, name).absolutePath, "2468", options(clock)).wallet

    private fun issue(issuer: TestIssuer, format: CredentialFormat, holder: HolderKey): ByteArray = when (format) {
        CredentialFormat.SD_JWT -> issuer.issueSdJwt("urn:laissez:iom:registration:1", claims, holder.jwk)
        CredentialFormat.MDOC -> issuer.issueMdoc("org.iom.registration.1", claims, holder.jwk)
        CredentialFormat.CLAIM169 -> error("identity cards are not issued credentials")
    }

    @Test
    fun `holder key is a stable P-256 JWK with a fingerprint`() = runTest {
        newWallet().use { wallet ->
            val key = wallet.holderKey()
            assertTrue(""""kty":"EC"""" in key.jwk && """"crv":"P-256"""" in key.jwk, key.jwk)
            assertFalse(""""d"""" in key.jwk)
            assertTrue(Regex("[0-9a-f]{32}").matches(key.fingerprint), key.fingerprint)
            assertEquals(key, wallet.holderKey())
            newWallet("other.db").use { other -> assertTrue(other.holderKey() != key) }
        }
    }

    private suspend fun fullFlow(format: CredentialFormat, wanted: List<String>, trustedAs: (TestIssuer) -> ByteArray) {
        newWallet().use { wallet ->
            val issuer = TestIssuer.create("IOM Field Office")
            val holder = wallet.holderKey()
            val issued = issue(issuer, format, holder)

            val summary = wallet.importCredential(issued, emptyList())
            assertEquals(format, summary.format)
            // No labels inside: the certificate's name, and the built-in type metadata's labels.
            // No issuer trust list in this wallet: that name is only the credential's claim.
            assertEquals("IOM Field Office", summary.claimedIssuerName)
            assertIs<IssuerTrust.Unknown>(summary.issuerTrust)
            val givenName = if (format == CredentialFormat.MDOC) "org.iom.registration.1/given_name" else "given_name"
            assertEquals("Prénom", summary.display?.claimLabels?.get(givenName)?.get("fr"))
            // Type metadata for another type is refused, typed.
            assertFailsWith<CredentialException.InvalidTypeMetadata> {
                wallet.importCredential(issued, emptyList(), """{"vct":"urn:another"}""".toByteArray())
            }
            assertNotNull(summary.validUntil)
            assertFailsWith<CredentialException.AlreadyImported> { wallet.importCredential(issued, emptyList()) }
            assertEquals(listOf(summary), wallet.listCredentials())

            val detail = wallet.showCredential(summary.id, "fr")
            assertEquals(summary, detail.summary)
            assertEquals(holder, detail.holderKey)
            assertTrue(detail.claims.size >= 6, detail.claims.map { it.path }.toString())
            val given = detail.claims.single { it.path.endsWith("given_name") }
            assertEquals("Prénom", given.label)
            assertEquals("\"Amina\"", given.valueJson)
            assertTrue(given.selectable)

            val presentation = wallet.presentCredential(summary.id, wanted, nonce, audience)
            assertEquals(format, presentation.format)
            assertEquals(format == CredentialFormat.MDOC, presentation.sessionTranscript != null)
            assertFalse("Khartoum" in String(presentation.bytes, Charsets.ISO_8859_1))
            val history = wallet.disclosureHistory().single()
            assertEquals(summary.id, history.credentialId)
            assertEquals(wanted, history.claims)
            assertEquals(audience, history.audience)

            val trusted = listOf(trustedAs(issuer))
            val verdict = verifyPresentation(presentation.bytes, nonce, audience, trusted, "fr", null)
            assertTrue(verdict.valid, verdict.reasonCodes.toString())
            assertEquals(emptyList(), verdict.reasons)
            assertEquals(format, verdict.format)
            assertEquals(summary.credentialType, verdict.credentialType)
            assertEquals(summary.issuerFingerprint, verdict.issuerFingerprint)
            assertEquals("IOM Field Office", verdict.issuerName)
            assertEquals(wanted.size, verdict.claims.size, verdict.claims.toString())
            val disclosed = verdict.claims.single { it.path.endsWith("given_name") }
            assertEquals("Prénom", disclosed.label)
            assertEquals("\"Amina\"", disclosed.valueJson)
            assertTrue(verdict.claims.none { it.path.endsWith("place_of_birth") })

            // Another nonce: refused with a stable reason code.
            val replayed = verifyPresentation(presentation.bytes, "n-43", audience, trusted, "fr", null)
            assertFalse(replayed.valid)
            assertEquals(replayed.reasons.size, replayed.reasonCodes.size)
            val expected = if (format == CredentialFormat.SD_JWT) "wrong_nonce" else "bad_holder_signature"
            assertEquals(listOf(expected), replayed.reasonCodes)
            assertTrue(replayed.claims.isEmpty())

            // The issuer's authority (its root certificate) anchors the signer's chain.
            val byRoot = verifyPresentation(presentation.bytes, nonce, audience, listOf(issuer.rootCertificateDer()), "fr", null)
            assertTrue(byRoot.valid, byRoot.reasonCodes.toString())
            assertFalse(issuer.rootCertificateDer().contentEquals(issuer.certificateDer()))

            // An issuer the verifier does not trust.
            val stranger = TestIssuer.create("Someone else")
            val untrusted = verifyPresentation(presentation.bytes, nonce, audience, listOf(stranger.certificateDer()), "fr", null)
            assertEquals(listOf(VerdictReason.UNKNOWN_ISSUER), untrusted.reasons)
            assertEquals(listOf("unknown_issuer"), untrusted.reasonCodes)

            // The verifier's own time: a year and a month later the credential has expired.
            val later = System.currentTimeMillis() / 1000 + 400L * 86_400
            val expired = verifyPresentation(presentation.bytes, nonce, audience, trusted, "fr", later)
            assertEquals(listOf(VerdictReason.EXPIRED), expired.reasons)

            wallet.deleteCredential(summary.id)
            assertEquals(emptyList(), wallet.listCredentials())
            assertFailsWith<CredentialException.NotFound> { wallet.showCredential(summary.id, "fr") }
            assertEquals(1, wallet.disclosureHistory().size)
        }
    }

    @Test
    fun `SD-JWT VC issue, import, show, present a subset, verify`() = runTest {
        fullFlow(CredentialFormat.SD_JWT, listOf("given_name", "family_name", "nationality")) {
            it.certificatePem().toByteArray()
        }
    }

    @Test
    fun `mdoc issue, import, show, present a subset, verify`() = runTest {
        fullFlow(CredentialFormat.MDOC, listOf("given_name", "family_name", "org.iom.registration.1/nationality")) {
            it.certificateDer()
        }
    }

    @Test
    fun `issuer keys may be given as a JWK or a certificate`() = runTest {
        newWallet().use { wallet ->
            val issuer = TestIssuer.create("IOM Field Office")
            val issued = issue(issuer, CredentialFormat.SD_JWT, wallet.holderKey())
            val summary = wallet.importCredential(issued, listOf(issuer.publicJwk().toByteArray(), issuer.certificateDer()))
            assertEquals(CredentialFormat.SD_JWT, summary.format)
            val presentation = wallet.presentCredential(summary.id, listOf("given_name"), nonce, audience)
            val verdict = verifyPresentation(presentation.bytes, nonce, audience, listOf(issuer.publicJwk().toByteArray()), "en", null)
            assertTrue(verdict.valid, verdict.reasonCodes.toString())
            val pem = issuer.certificatePem()
            assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n") && pem.endsWith("-----END CERTIFICATE-----\n"))
            val body = pem.lines().filter { it.isNotEmpty() && !it.startsWith("-----") }.joinToString("")
            assertContentEquals(issuer.certificateDer(), Base64.getDecoder().decode(body))
            assertEquals("IOM Field Office", issuer.name())
        }
    }

    @Test
    fun `the wallet clock dates imports and refuses expired credentials`() = runTest {
        // A minute ahead: the issuer stamps validity from the system clock, a moment later.
        val start = System.currentTimeMillis() / 1000 + 60
        val clock = TestClock(start)
        newWallet(clock = clock).use { wallet ->
            val issuer = TestIssuer.create("IOM Field Office")
            val holder = wallet.holderKey()
            val summary = wallet.importCredential(issue(issuer, CredentialFormat.MDOC, holder), emptyList())
            assertEquals(start, summary.importedAt)
            clock.now.addAndGet(400L * 86_400)
            for (format in listOf(CredentialFormat.SD_JWT, CredentialFormat.MDOC)) {
                val e = assertFailsWith<CredentialException.InvalidCredential> {
                    wallet.importCredential(issue(issuer, format, holder), emptyList())
                }
                assertEquals(CredentialProblem.EXPIRED, e.code)
            }
            wallet.presentCredential(summary.id, listOf("given_name"), nonce, audience)
            assertEquals(start + 400L * 86_400, wallet.disclosureHistory().single().at)
        }
    }

    @Test
    fun `bad input per function gives a typed error`() = runTest {
        newWallet().use { wallet ->
            val issuer = TestIssuer.create("IOM Field Office")
            val holder = wallet.holderKey()
            val unknownId = "00".repeat(16)

            for (garbage in listOf(ByteArray(0), "hello".toByteArray(), byteArrayOf(0x01, 0x02))) {
                assertFailsWith<CredentialException.UnknownFormat> { wallet.importCredential(garbage, emptyList()) }
            }
            val broken = assertFailsWith<CredentialException.InvalidCredential> {
                wallet.importCredential("eyJhbGciOiJub25lIn0~".toByteArray(), emptyList())
            }
            assertEquals(CredentialProblem.MALFORMED, broken.code)
            val issued = issue(issuer, CredentialFormat.SD_JWT, holder)
            assertFailsWith<CredentialException.InvalidTrustedIssuer> {
                wallet.importCredential(issued, listOf("not a key".toByteArray()))
            }
            newWallet("other.db").use { other ->
                assertFailsWith<CredentialException.NotBoundToThisWallet> { other.importCredential(issued, emptyList()) }
            }

            assertFailsWith<CredentialException.NotFound> { wallet.showCredential(unknownId, "en") }
            assertFailsWith<CredentialException.NotFound> { wallet.showCredential("not-an-id", "en") }
            assertFailsWith<CredentialException.NotFound> { wallet.deleteCredential(unknownId) }
            assertFailsWith<CredentialException.NotFound> { wallet.presentCredential(unknownId, listOf("given_name"), nonce, audience) }
            // A record that is not a credential is not found as one.
            val note = wallet.put(NewRecordInput("note", emptyList(), "x".toByteArray()))
            assertFailsWith<CredentialException.NotFound> { wallet.showCredential(note, "en") }

            val sdJwt = wallet.importCredential(issued, emptyList())
            val mdoc = wallet.importCredential(issue(issuer, CredentialFormat.MDOC, holder), emptyList())
            assertFailsWith<CredentialException.UnknownClaim> {
                wallet.presentCredential(sdJwt.id, listOf("given_name", "nickname"), nonce, audience)
            }
            val unknown = assertFailsWith<CredentialException.UnknownClaim> {
                wallet.presentCredential(mdoc.id, listOf("nickname"), nonce, audience)
            }
            assertEquals("nickname", unknown.claim)
            assertEquals(emptyList(), wallet.disclosureHistory())

            assertFailsWith<CredentialException.InvalidTrustedIssuer> {
                verifyPresentation("x".toByteArray(), nonce, audience, listOf(byteArrayOf(1, 2, 3)), "en", null)
            }
            val garbage = verifyPresentation("not a presentation".toByteArray(), nonce, audience, emptyList(), "en", null)
            assertFalse(garbage.valid)
            assertEquals(listOf(VerdictReason.MALFORMED), garbage.reasons)
            assertEquals(listOf("malformed"), garbage.reasonCodes)

            assertFailsWith<IssuerException.InvalidInput> { TestIssuer.create(" ") }
            assertFailsWith<IssuerException.InvalidInput> { issuer.issueSdJwt("urn:x", "[]", holder.jwk) }
            assertFailsWith<IssuerException.InvalidInput> { issuer.issueMdoc("org.x", claims, "{}") }
            assertFailsWith<IssuerException.InvalidInput> {
                issuer.issueSdJwt("urn:laissez:iom:registration:1", """{"birth_date":"1994-13"}""", holder.jwk)
            }
            assertFailsWith<IssuerException.InvalidInput> { issuer.issueSdJwt("", claims, holder.jwk) }
        }
    }

    @Test
    fun `a locked wallet refuses every credential operation`() = runTest {
        newWallet().use { wallet ->
            val issuer = TestIssuer.create("IOM Field Office")
            val issued = issue(issuer, CredentialFormat.SD_JWT, wallet.holderKey())
            val id = wallet.importCredential(issued, emptyList()).id
            wallet.lock()
            assertFailsWith<CredentialException.Locked> { wallet.holderKey() }
            assertFailsWith<CredentialException.Locked> { wallet.importCredential(issued, emptyList()) }
            assertFailsWith<CredentialException.Locked> { wallet.listCredentials() }
            assertFailsWith<CredentialException.Locked> { wallet.showCredential(id, "en") }
            assertFailsWith<CredentialException.Locked> { wallet.deleteCredential(id) }
            assertFailsWith<CredentialException.Locked> { wallet.presentCredential(id, listOf("given_name"), nonce, audience) }
            assertFailsWith<CredentialException.Locked> { wallet.disclosureHistory() }
            wallet.unlock("2468")
            assertEquals(id, wallet.listCredentials().single().id)
            assertNull(wallet.disclosureHistory().firstOrNull())
        }
    }
}
