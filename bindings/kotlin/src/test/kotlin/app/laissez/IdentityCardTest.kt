package app.laissez

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * Identity cards (MOSIP Claim 169 codes, issue 16): a card scanned into the holder's wallet,
 * listed and shown with labels, its issuer trusted only from the trust list; its own code shown
 * to a field verifier, whose verdict says possession is not proven; bad codes as typed errors.
 */
class IdentityCardTest {
    @TempDir
    lateinit var dir: File

    private suspend fun newWallet(name: String) =
        createWallet(File(dir, name).absolutePath, "2468", WalletOptions(insecureTestKdf(), null, null)).wallet

    @Test
    fun `a card is kept, shown whole and verified with possession not proven`() = runTest {
        val holder = newWallet("holder.db")
        val verifier = FieldVerifier(newWallet("verifier.db"))
        val registry = TestCardIssuer.create("Civil Registry of Kenya", "KEN")
        val text = registry.card("Amina Yusuf Abdi", "3918592438", 365u, null)
        assertTrue(isIdentityCardCode(text))
        assertFalse(isIdentityCardCode("https://example.org"))

        val kept = holder.importIdentityCard(text)
        assertEquals(IdentityCardIssuer.Unverified("Civil Registry of Kenya"), kept.issuer)
        assertFalse(kept.hasFace)
        val signer = TestTrustListSigner.create()
        val list = signer.sign(1uL, 30u, emptyList(), emptyList(), listOf(registry))
        holder.importIssuerTrustList(list, signer.publicJwk())
        assertEquals(IdentityCardIssuer.Trusted("Civil Registry of Kenya"), holder.identityCards().single().issuer)
        val detail = holder.identityCard(kept.id, "fr")
        val name = detail.fields.single { it.path == "fullName" }
        assertEquals("Nom complet" to "\"Amina Yusuf Abdi\"", name.label to name.valueJson)
        assertNull(detail.face)

        val frame = holder.showIdentityCardCode(kept.id)
        assertEquals(text, frame.text)
        assertEquals(kept.id, holder.disclosureHistory().single().credentialId)

        verifier.importTrustList(list, signer.publicJwk())
        val verdict = verifier.verifyClaim169(frame.text, "en")
        assertTrue(verdict.valid, verdict.reasonCodes.toString())
        assertEquals(CredentialFormat.CLAIM169, verdict.format)
        assertTrue(verdict.possessionNotProven)
        assertEquals("Civil Registry of Kenya", verdict.issuerName)

        holder.deleteIdentityCard(kept.id)
        assertTrue(holder.identityCards().isEmpty())
        assertFailsWith<IdentityCardException.NotFound> { holder.identityCard(kept.id, "en") }
    }

    @Test
    fun `bad codes are typed errors and an unknown issuer shows no claims`() = runTest {
        val holder = newWallet("holder.db")
        val verifier = FieldVerifier(newWallet("verifier.db"))
        val registry = TestCardIssuer.create("Civil Registry of Kenya", "KEN")
        val text = registry.card("Amina Yusuf Abdi", "3918592438", 365u, null)
        for (bad in listOf("", "hello", text.substring(0, text.length / 2))) {
            assertFailsWith<IdentityCardException.Unreadable>(bad) { holder.importIdentityCard(bad) }
        }
        holder.importIdentityCard(text)
        assertFailsWith<IdentityCardException.AlreadyKept> { holder.importIdentityCard(text) }
        assertFailsWith<IdentityCardException.NotFound> { holder.showIdentityCardCode("nope") }
        assertFailsWith<IdentityCardException.NotFound> { holder.deleteIdentityCard("nope") }
        assertTrue(holder.disclosureHistory().isEmpty())
        assertTrue(holder.importIdentityCard(registry.card("Amina Yusuf Abdi", "3918592438", 0u, null)).outsideValidity)

        val signer = TestTrustListSigner.create()
        val other = TestCardIssuer.create("Another registry", "KEN")
        verifier.importTrustList(signer.sign(1uL, 30u, emptyList(), emptyList(), listOf(other)), signer.publicJwk())
        val verdict = verifier.verifyClaim169(text, "en")
        assertFalse(verdict.valid)
        assertEquals(listOf("unknown_issuer"), verdict.reasonCodes)
        assertTrue(verdict.claims.isEmpty())
        assertFailsWith<VerifierException.UnexpectedMessage> { verifier.verifyClaim169("LZ1:ABC", "en") }
    }
}
