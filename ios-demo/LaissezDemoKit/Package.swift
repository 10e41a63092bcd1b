// swift-tools-version:6.0
// LaissezDemoKit: everything of the iOS demo that needs no Apple UI framework (models, state
// machines, error mapping, QR drawing into luma for tests), so it compiles and is tested on
// Linux. The app target (../App) puts SwiftUI, AVFoundation and the Secure Enclave on top.
//
// The bindings: Sources/Laissez and Sources/LaissezFFI are symlinks to ../../bindings/swift/
// Sources, which scripts/swift-test.sh (and scripts/ios-demo-test.sh) generate from the
// host-built library, so this package compiles the very same generated bindings. (The bindings
// package declares no library product, so it cannot be a package dependency without a change
// in bindings/; with `products: [.library(name: "Laissez", targets: ["Laissez"])]` there, these
// two targets become `.package(path: "../../bindings/swift")`.)
import Foundation
import PackageDescription

// Directory of the host-built liblaissez (Linux/macOS tests). On iOS the app links the
// XCFramework of scripts/build-xcframework.sh instead, so no link flags apply there.
let libDir = ProcessInfo.processInfo.environment["LAISSEZ_LIB_DIR"]
    ?? Context.packageDirectory + "/../../target/debug"
let host: [Platform] = [.linux, .macOS]

let package = Package(
    name: "LaissezDemoKit",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [.library(name: "LaissezDemoKit", targets: ["LaissezDemoKit"])],
    targets: [
        .systemLibrary(name: "LaissezFFI"),
        .target(
            name: "Laissez",
            dependencies: ["LaissezFFI"],
            linkerSettings: [
                .linkedLibrary("laissez", .when(platforms: host)),
                .unsafeFlags(["-L", libDir, "-Xlinker", "-rpath", "-Xlinker", libDir], .when(platforms: host)),
            ]
        ),
        .target(name: "LaissezDemoKit", dependencies: ["Laissez"]),
        .testTarget(name: "LaissezDemoKitTests", dependencies: ["LaissezDemoKit", "Laissez"]),
    ]
)
