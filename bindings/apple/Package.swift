// swift-tools-version:5.9
// The Laissez core for iOS apps: the XCFramework built by scripts/build-xcframework.sh (a
// static library per platform with the LaissezFFI C module) and the generated Swift bindings.
// Add this folder to an Xcode project as a local package and `import Laissez`.
import PackageDescription

let package = Package(
    name: "Laissez",
    platforms: [.iOS(.v15)],
    products: [
        .library(name: "Laissez", targets: ["Laissez"]),
    ],
    targets: [
        .binaryTarget(name: "LaissezFFI", path: "Laissez.xcframework"),
        .target(
            name: "Laissez",
            dependencies: ["LaissezFFI"],
            path: "Sources/Laissez"
        ),
    ]
)
