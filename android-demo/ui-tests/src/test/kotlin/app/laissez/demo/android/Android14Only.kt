package app.laissez.demo.android

import javax.annotation.Priority
import javax.inject.Inject
import org.robolectric.internal.dependency.DependencyResolver
import org.robolectric.pluginapi.Sdk
import org.robolectric.plugins.DefaultSdkProvider

/**
 * Robolectric knows Android 5 to 15 and reads the app package with the newest one it knows (15),
 * which would need a second android-all-instrumented jar (~270 MB) for nothing: the app targets
 * API 34 here (ui-tests-resources.sh) and every test runs on it. This provider (found through
 * META-INF/services, ahead of the default by its priority) knows only Android 14, the one jar
 * Maven fetches for the offline runs.
 */
@Priority(1)
class Android14Only @Inject constructor(resolver: DependencyResolver) : DefaultSdkProvider(resolver) {
    override fun getSdks(): Collection<Sdk> = super.getSdks().filter { it.apiLevel == 34 }
}
