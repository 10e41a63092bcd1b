package app.laissez.demo.android

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.viewModels
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Tab
import androidx.compose.material3.TabRow
import androidx.compose.material3.Text
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.lifecycle.compose.collectAsStateWithLifecycle

/** One activity, three modes: the holder's wallet, the field verifier and the demo's registration desk. */
class MainActivity : ComponentActivity() {
    private val demo: DemoViewModel by viewModels()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val camera = (application as PhoneProvider).phone.camera
        setContent {
            CompositionLocalProvider(LocalFrameSource provides camera) {
                MaterialTheme {
                    Surface(Modifier.fillMaxSize().safeDrawingPadding()) {
                        val mode by demo.mode.collectAsStateWithLifecycle()
                        Column {
                            TabRow(selectedTabIndex = mode.ordinal) {
                                Tab(
                                    selected = mode == DemoViewModel.Mode.HOLDER,
                                    onClick = { demo.switchMode(DemoViewModel.Mode.HOLDER) },
                                    text = { Text(stringResource(R.string.mode_holder)) },
                                )
                                Tab(
                                    selected = mode == DemoViewModel.Mode.VERIFIER,
                                    onClick = { demo.switchMode(DemoViewModel.Mode.VERIFIER) },
                                    text = { Text(stringResource(R.string.mode_verifier)) },
                                )
                                Tab(
                                    selected = mode == DemoViewModel.Mode.DESK,
                                    onClick = { demo.switchMode(DemoViewModel.Mode.DESK) },
                                    text = { Text(stringResource(R.string.mode_desk)) },
                                )
                            }
                            when (mode) {
                                DemoViewModel.Mode.HOLDER -> WalletGate(demo, demo.holderGate) { wallet -> HolderScreens(demo, wallet) }
                                DemoViewModel.Mode.VERIFIER -> WalletGate(demo, demo.verifierGate) { wallet -> VerifierScreens(demo, wallet) }
                                // The demo desk has no wallet of its own: its keys come with the first wallet opened.
                                DemoViewModel.Mode.DESK -> DeskScreen(demo)
                            }
                        }
                    }
                }
            }
        }
    }

    override fun onStart() {
        super.onStart()
        demo.movedToForeground()
    }

    // Not on a rotation or other configuration change: the same person is still holding the phone.
    override fun onStop() {
        super.onStop()
        if (!isChangingConfigurations) demo.movedToBackground()
    }
}
