package app.laissez.demo.android

import kotlin.concurrent.thread
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.Description
import org.junit.runners.model.Statement

/** The harness's crash rule really fails a test (plain JUnit, no Robolectric needed). */
class NoUncaughtExceptionsTest {
    private fun run(body: () -> Unit) = NoUncaughtExceptions().apply(
        object : Statement() {
            override fun evaluate() = body()
        },
        Description.createTestDescription(javaClass, "probe"),
    ).evaluate()

    @Test
    fun aCrashOnAnotherThreadFailsTheTest() {
        val failure = assertThrows(AssertionError::class.java) {
            run { thread { throw IllegalStateException("boom in a coroutine") }.join() }
        }
        assertTrue(failure.message!!.contains("boom in a coroutine"))
    }

    @Test
    fun aQuietTestPasses() = run { thread { }.join() }
}
