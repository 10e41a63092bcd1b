import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// The countdown's clock in tests: it reads the wallets' `TestClock`, and each sleep moves that
/// clock instead of waiting. After `sleepsLeft` sleeps it throws, as when the screen goes away.
final class SteppedCountdown: @unchecked Sendable {
    private let lock = NSLock()
    private let clock: TestClock
    private var allowed = 0
    init(_ clock: TestClock) { self.clock = clock }

    /// Lets the countdown sleep `count` more times.
    func allow(_ count: Int) { lock.withLock { allowed = count } }

    var countdownClock: CountdownClock {
        CountdownClock(now: { [clock] in Double(clock.nowUnix()) }, sleep: { [self] seconds in
            try lock.withLock {
                guard allowed > 0 else { throw CancellationError() }
                allowed -= 1
            }
            clock.advance(Int64(seconds.rounded(.up)))
        })
    }
}

/// The static code's countdown: the wallets and the model read one clock, so the core's
/// `acceptedUntil`, the time left on screen and the verifier's window agree.
@MainActor
final class StaticPresentationCountdownTests: DemoTestCase {
    private func verdict(_ model: VerifierModel, _ frames: [QrFrame]) async throws -> VerdictCard {
        model.startScanning()
        for frame in frames { await model.push(frame.luma()) }
        guard case .verdicts(let cards) = model.state.phase, cards.count == 1 else {
            XCTFail("\(model.state.phase)")
            throw Problem.internalError
        }
        return cards[0]
    }

    private func showing(_ model: StaticPresentationModel, line: UInt = #line) throws -> StaticCode {
        guard case .showing(let code) = model.state else {
            XCTFail("\(model.state)", line: line)
            throw Problem.internalError
        }
        return code
    }

    func testTheCodeCountsDownToWhenVerifiersStopAcceptingItThenHidesAndANewOneHasANewWindow() async throws {
        let w = try await world()
        let steps = SteppedCountdown(w.clock)
        let model = StaticPresentationModel(wallet: w.holder, lang: "en", clock: steps.countdownClock)
        await model.open(credentialId: try await w.holder.listCredentials()[0].id)
        model.toggle(claim: 0)
        guard case .choosing(let chosen) = model.state else { return XCTFail("\(model.state)") }
        await model.present()
        let shown = try showing(model)
        // The core's answer: the end of the next two-minute window, two to four minutes ahead.
        XCTAssertEqual(shown.acceptedUntil % 120, 0)
        XCTAssertEqual(shown.secondsLeft, shown.acceptedUntil - w.clock.nowUnix())
        XCTAssertTrue((121...240).contains(shown.secondsLeft), "\(shown.secondsLeft)")

        // Each second the number goes down by one; the code stays the same.
        var seen: [Int64] = []
        let watching = model.observe { if case .showing(let code) = $0 { seen.append(code.secondsLeft) } }
        steps.allow(61)
        await model.countDown()
        watching.cancel()
        XCTAssertEqual(seen, Array((shown.secondsLeft - 61...shown.secondsLeft).reversed()))
        XCTAssertEqual(try showing(model).frames, shown.frames)
        var sample = shown
        sample.secondsLeft = 102
        XCTAssertEqual(sample.timeLeft, "1:42")
        sample.secondsLeft = 5
        XCTAssertEqual(sample.timeLeft, "0:05")

        // In its last second it still says 0:01, and the verifier (same clock) still takes it.
        steps.allow(Int(shown.secondsLeft - 62))
        await model.countDown()
        XCTAssertEqual(try showing(model).timeLeft, "0:01")
        let desk = VerifierModel(wallet: w.verifierWallet, lang: "en")
        await desk.load()
        let last = try await verdict(desk, shown.frames)
        XCTAssertTrue(last.valid, "\(last.reasonCodes)")

        // At acceptedUntil the code is hidden; the verifier refuses it as too old.
        steps.allow(1)
        await model.countDown()
        XCTAssertEqual(model.state, .expired)
        XCTAssertEqual(w.clock.nowUnix(), shown.acceptedUntil)
        desk.done()
        let late = try await verdict(desk, shown.frames)
        XCTAssertEqual(late.reasons, [.stalePresentation])

        // A new code: new frames, the next window, accepted.
        await model.presentAgain()
        let again = try showing(model)
        XCTAssertNotEqual(again.frames, shown.frames)
        XCTAssertEqual(again.acceptedUntil, shown.acceptedUntil + 240)
        XCTAssertEqual(again.secondsLeft, 240)
        desk.done()
        let fresh = try await verdict(desk, again.frames)
        XCTAssertTrue(fresh.valid, "\(fresh.reasonCodes)")

        // Expired again, the person can go back to the claims instead.
        steps.allow(240)
        await model.countDown()
        XCTAssertEqual(model.state, .expired)
        model.back()
        XCTAssertEqual(model.state, .choosing(chosen))
    }
}
