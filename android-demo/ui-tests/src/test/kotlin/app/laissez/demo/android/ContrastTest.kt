package app.laissez.demo.android

import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** The contrast formula the verdict screens are checked with, against WCAG's own examples. */
class ContrastTest {
    @Test
    fun blackOnWhiteIs21AndAColourWithItselfIs1() {
        assertEquals(21.0, contrastRatio(0xFF000000.toInt(), 0xFFFFFFFF.toInt()), 0.01)
        assertEquals(1.0, contrastRatio(0xFF336699.toInt(), 0xFF336699.toInt()), 0.0001)
    }

    @Test
    fun theAaThresholdFallsBetweenTheGreysWcagNames() {
        // #767676 on white is the lightest grey that passes 4.5:1; #777777 just fails.
        assertTrue(contrastRatio(0xFF767676.toInt(), 0xFFFFFFFF.toInt()) >= 4.5)
        assertTrue(contrastRatio(0xFF777777.toInt(), 0xFFFFFFFF.toInt()) < 4.5)
    }
}
