package app.laissez

import com.sun.jna.NativeLibrary
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

class CoreVersionTest {
    @Test
    fun `coreVersion returns the crate version`() {
        // Goes through JNA into Rust: fails if the library is missing, stale or a different build.
        assertEquals("0.1.0", coreVersion())
    }

    @Test
    fun `library loads from jna library path`() {
        // Surefire sets jna.library.path; check it is used, so a stray system copy cannot mask a bad path.
        val dir = System.getProperty("jna.library.path")
        val lib = File(dir ?: "", "liblaissez.so")
        assertTrue(lib.isFile, "liblaissez.so not found in jna.library.path=$dir")
        val loaded = File(NativeLibrary.getInstance("laissez").file.path)
        assertEquals(lib.canonicalFile, loaded.canonicalFile)
    }
}
