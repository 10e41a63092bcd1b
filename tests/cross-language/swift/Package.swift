// swift-tools-version:6.0
// The Swift side of the cross-language tests (../run.sh runs one step at a time through
// scripts/swift-test.sh with LAISSEZ_SWIFT_TEST_PACKAGE pointing here and `--filter`).
//
// Sources/Laissez and Sources/LaissezFFI are symlinks to ../../../bindings/swift/Sources, which
// scripts/swift-test.sh generates from the host-built library (as ios-demo/LaissezDemoKit does).
import Foundation
import PackageDescription

// Directory of the host-built liblaissez; scripts/swift-test.sh passes it in.
let libDir = ProcessInfo.processInfo.environment["LAISSEZ_LIB_DIR"]
    ?? Context.packageDirectory + "/../../../target/debug"

let package = Package(
    name: "CrossLanguage",
    targets: [
        .systemLibrary(name: "LaissezFFI"),
        .target(
            name: "Laissez",
            dependencies: ["LaissezFFI"],
            linkerSettings: [
                .linkedLibrary("laissez"),
                .unsafeFlags(["-L", libDir, "-Xlinker", "-rpath", "-Xlinker", libDir]),
            ]
        ),
        .testTarget(name: "CrossLanguageTests", dependencies: ["Laissez"]),
    ]
)
