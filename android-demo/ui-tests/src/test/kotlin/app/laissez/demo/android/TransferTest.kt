package app.laissez.demo.android

import androidx.compose.ui.test.onNodeWithContentDescription
import app.laissez.TestIssuer
import app.laissez.TestTrustListSigner
import app.laissez.qrFrames
import app.laissez.trustListMessage
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * Animated transfers between phones, read back from the screen by the test camera: a backup
 * moved to a new phone (with an interruption, and another wallet's words first), and a trust
 * list handed from the coordinator's desk to a verifier (and a forger's list refused).
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class, qualifiers = "w360dp-h640dp-xhdpi")
@GraphicsMode(GraphicsMode.Mode.NATIVE)
class TransferTest : AppUiTest() {
    private val progressPrefix get() = str(R.string.scan_progress, 0, 0).substringBefore("0").trim()

    @Test
    fun aBackupMovesToANewPhoneOnlyWithItsOwnWords() {
        // The old phone: a wallet with a credential, shown as codes for the new one.
        launch()
        val words = compose.holderWithDemoCredential()
        compose.tap(str(R.string.backup_to_phone))
        compose.waitForText(str(R.string.backup_show))
        val backup = codesOnScreen(str(R.string.qr_description))
        scenario!!.close()

        // The new phone: nothing on it. It reads the old one's codes and asks for the words.
        wipePhone()
        launch()
        compose.tap(str(R.string.restore_from_phone))
        compose.waitForText(str(R.string.scan_hint))
        FakeCamera.showAll(backup)
        compose.waitForText(str(R.string.restore_ready))

        // Another wallet's 24 words: refused, nothing restored.
        val otherWords = otherWalletsWords()
        compose.type(str(R.string.recover_words), otherWords)
        compose.type(str(R.string.new_pin), "8642")
        compose.type(str(R.string.pin_again), "8642")
        compose.tap(str(R.string.recover))
        compose.waitForText(str(R.string.error_backup_other_wallet))
        assertFalse(compose.isShown("IOM registration"))

        // Its own words: the credential is on the new phone, opened with the new PIN.
        compose.type(str(R.string.recover_words), words.joinToString(" "))
        compose.type(str(R.string.new_pin), "8642")
        compose.type(str(R.string.pin_again), "8642")
        compose.tap(str(R.string.recover))
        compose.waitForText("IOM registration", timeoutMs = 30_000)
    }

    /**
     * The desk's batch of five copies with a photo (an animated sequence): the person walks away
     * after two codes, the phone says the transfer stopped; all the codes again add the copies.
     * Then one copy, photo included, goes to a verifier, whose scan shows its progress.
     */
    @Test
    fun anInterruptedBatchFromTheDeskIsSaidTheNextFullScanAddsItAndItsPhotoReachesAVerifier() {
        launch()
        compose.onboard("2468")

        // The desk shows its offer; the wallet scans it, accepts, and shows its proof.
        compose.tap(str(R.string.mode_desk))
        compose.tap(str(R.string.desk_make_offer))
        compose.waitForText(str(R.string.desk_offer_shown))
        val offer = codesOnScreen(str(R.string.qr_for_holder))
        compose.tap(str(R.string.mode_holder))
        compose.tap(str(R.string.add_from_desk))
        compose.waitForText(str(R.string.issuance_scan_offer))
        FakeCamera.showAll(offer)
        compose.waitForText(str(R.string.unknown_issuer))
        compose.tap(str(R.string.confirm_untrusted))
        compose.tap(str(R.string.accept))
        compose.waitForText(str(R.string.show_proof))
        val proof = codesOnScreen(str(R.string.qr_for_desk))

        // The desk reads the proof and shows the batch, animated.
        compose.tap(str(R.string.mode_desk))
        compose.waitForText(str(R.string.desk_offer_shown))
        FakeCamera.showAll(proof)
        compose.waitForText(str(R.string.desk_batch_shown))
        val batch = codesOnScreen(str(R.string.qr_for_holder))
        assertTrue("the batch is an animated sequence: ${batch.size} codes", batch.size >= 3)

        // The wallet sees two codes of it, then nothing: progress, then "the transfer stopped".
        compose.tap(str(R.string.mode_holder))
        compose.waitForText(str(R.string.show_proof))
        FakeCamera.showAll(batch.take(2))
        compose.waitForText(progressPrefix, substring = true)
        compose.waitForText(str(R.string.error_transfer_interrupted), timeoutMs = 30_000)
        val added = str(R.string.imported_copies, "", 0).substringBefore(",").trim() // "Added:"
        assertFalse(compose.isShown(added, substring = true))

        // Every code again, from the start: the copies are added.
        FakeCamera.showAll(batch)
        compose.waitForText(added, substring = true, timeoutMs = 30_000)
        assertTrue(compose.allTexts().any { it.startsWith(added) && it.endsWith(str(R.string.imported_copies, "", 5).substringAfter(",")) })

        // The copies carry a signed photo: an answer with it is an animated sequence, and the
        // verifier's scan shows its progress before the green verdict with the photo.
        compose.tap(str(R.string.done))
        compose.verifierWithDemoTrust()
        compose.tap(str(R.string.new_request))
        compose.waitForText(str(R.string.awaiting_answer))
        val request = codesOnScreen().single()
        compose.tap(str(R.string.mode_holder))
        compose.tap(str(R.string.scan_request))
        FakeCamera.show(request)
        compose.waitForText(str(R.string.photo_will_be_shared))
        compose.tap(str(R.string.share))
        compose.tap(str(R.string.share_anyway)) // this holder trusts no registrar: unverified
        compose.waitForText(str(R.string.show_to_verifier))
        val answer = codesOnScreen()
        assertTrue("an answer with a photo is animated: ${answer.size} codes", answer.size >= 2)
        compose.tap(str(R.string.mode_verifier))
        compose.waitForText(str(R.string.awaiting_answer))
        FakeCamera.show(answer.first())
        compose.waitForText(progressPrefix, substring = true)
        FakeCamera.showAll(answer.drop(1))
        compose.waitForText(str(R.string.verdict_valid))
        compose.onNodeWithContentDescription(str(R.string.photo_from_issuer)).assertExists()
    }

    @Test
    fun aVerifierTakesANewTrustListFromTheDeskCodesAndRefusesAForgersList() {
        launch()
        compose.verifierWithDemoTrust()
        val before = trustListNumber()
        compose.tap(str(R.string.new_request))
        compose.waitForText(str(R.string.awaiting_answer))

        // The coordinator's desk shows a newer list (a later second: lists are numbered by time).
        Thread.sleep(1_100)
        compose.tap(str(R.string.mode_desk))
        compose.tap(str(R.string.desk_show_trust_list))
        compose.waitForText(str(R.string.desk_trust_list_shown))
        val list = codesOnScreen(str(R.string.qr_trust_list))

        // The verifier, still waiting for an answer, scans it: the newer list is installed.
        compose.tap(str(R.string.mode_verifier))
        compose.waitForText(str(R.string.awaiting_answer))
        FakeCamera.showAll(list)
        waitFor("a trust list newer than no. $before") { trustListNumber() > before }
        compose.waitForText(str(R.string.awaiting_answer))

        // A list signed by someone else, however new: refused on screen, the list kept.
        val installed = trustListNumber()
        val forged = runBlocking {
            val forger = TestTrustListSigner.create()
            val text = forger.sign((System.currentTimeMillis() / 1000 + 60).toULong(), 30u, listOf(TestIssuer.create("Forged Issuer")), emptyList(), emptyList())
            qrFrames(trustListMessage(text)).map { toLuma(it) }
        }
        FakeCamera.showAll(forged)
        // Its signature does not check against the signer this verifier pinned.
        compose.waitForText(str(R.string.error_trust_list_rejected))
        assertTrue(trustListNumber() == installed)
        compose.waitForText(str(R.string.awaiting_answer))
    }

    private fun waitFor(what: String, condition: () -> Boolean) = try {
        compose.waitUntil(20_000, condition)
    } catch (e: androidx.compose.ui.test.ComposeTimeoutException) {
        throw AssertionError("no $what after 20 s; the screen shows: ${compose.allTexts()}; camera frames not taken: ${FakeCamera.pending}", e)
    }

    /** The number of the verifier's installed trust list, from its "Trust list no. N, M issuers" line. */
    private fun trustListNumber(): Long =
        compose.allTexts().firstNotNullOfOrNull { Regex("""Trust list no\. (\d+)""").find(it)?.groupValues?.get(1)?.toLong() } ?: -1
}
