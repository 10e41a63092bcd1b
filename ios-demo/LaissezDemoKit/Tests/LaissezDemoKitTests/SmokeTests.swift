import Laissez
import LaissezDemoKit
import XCTest

final class SmokeTests: XCTestCase {
    func testCoreVersionIsThere() {
        XCTAssertFalse(coreVersion().isEmpty)
    }
}
