// swift-tools-version:6.0
// Swift package around the UniFFI bindings, for tests: scripts/swift-test.sh generates
// Sources/Laissez/Laissez.swift and Sources/LaissezFFI/{LaissezFFI.h,module.modulemap}
// from the host-built library, then runs `swift test` here.
// Tools 6.0 means Swift 6 language mode: the generated code compiles cleanly in it, and the
// tests then check that the binding surface is Sendable-correct.
import Foundation
import PackageDescription

// Directory of the host-built liblaissez; the script passes it in, the default is the
// workspace's debug build.
let libDir = ProcessInfo.processInfo.environment["LAISSEZ_LIB_DIR"]
    ?? Context.packageDirectory + "/../../target/debug"

let package = Package(
    name: "Laissez",
    targets: [
        // The generated C header and module map of the library's FFI symbols.
        .systemLibrary(name: "LaissezFFI"),
        .target(
            name: "Laissez",
            dependencies: ["LaissezFFI"],
            linkerSettings: [
                .linkedLibrary("laissez"),
                // rpath as well: macOS strips DYLD_LIBRARY_PATH before xctest runs (SIP).
                .unsafeFlags(["-L", libDir, "-Xlinker", "-rpath", "-Xlinker", libDir]),
            ]
        ),
        .testTarget(name: "LaissezTests", dependencies: ["Laissez"]),
    ]
)
