import Foundation
import Laissez
import XCTest

final class CoreVersionTests: XCTestCase {
    // coreVersion() is the crate version, so it must equal [workspace.package] version in
    // the workspace Cargo.toml (read here, so a version bump does not break the test).
    func testCoreVersionIsTheWorkspaceVersion() throws {
        let cargoToml = URL(fileURLWithPath: #filePath)
            .appendingPathComponent("../../../../../Cargo.toml").standardized
        let text = try String(contentsOf: cargoToml, encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("version = \"") })
        let expected = line.split(separator: "\"")[1]
        XCTAssertEqual(coreVersion(), String(expected))
    }
}
