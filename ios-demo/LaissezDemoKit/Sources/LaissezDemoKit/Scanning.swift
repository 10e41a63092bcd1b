import Foundation
import Laissez

/// One camera frame's luma (the Y plane of a 420f buffer): `stride` bytes a row.
public struct LumaFrame: Sendable, Equatable {
    public var width: UInt32
    public var height: UInt32
    public var stride: UInt32
    public var pixels: Data

    public init(width: UInt32, height: UInt32, stride: UInt32, pixels: Data) {
        self.width = width
        self.height = height
        self.stride = stride
        self.pixels = pixels
    }
}

/// Where a scan stands: what the scanner overlay shows.
public enum ScanState: Sendable, Equatable {
    /// Waiting for frames.
    case aiming
    /// `frames` frames in a row held no QR code; after `hintAfter` of them the screen says so.
    case noCode(frames: Int)
    /// An animated sequence: `useful` of at least `needed` frames taken.
    case progress(useful: UInt32, needed: UInt32)
    /// Only codes that are not Laissez codes (a web link…).
    case notLaissez
    /// A damaged or newer-version Laissez code.
    case rejected
    /// An answer to one of this verifier's requests, altered on the way: logged as invalid.
    /// Ask the person to show their code again.
    case alteredAnswer
    /// An animated transfer stopped before it completed (the other phone went away): start again.
    case interrupted(useful: UInt32, needed: UInt32)
    /// The camera delivered a frame whose sizes do not fit its buffer.
    case badFrame
    /// A whole message.
    case complete(QrMessage)
}

/// Feeds camera frames to a `QrScanner`, drops frames while one is being decoded, and turns
/// the scanner's updates into a `ScanState`, including an animated transfer that stalls.
@MainActor
final class ScanSession {
    private let scanner = QrScanner()
    private var busy = false
    private var emptyFrames = 0
    private(set) var state: ScanState = .aiming
    /// The text of the last code the scanner rejected, for a verifier to log
    /// (`FieldVerifier.logUnreadableAnswer`); it may hold claims: never log it elsewhere.
    private(set) var rejectedText: String?
    /// The texts of the last foreign (non-Laissez) codes seen: a verifier's identifier.
    private(set) var foreignTexts: [String] = []
    /// Frames in a row without any code after which a started animated transfer counts as
    /// interrupted (about two seconds of camera at 30 fps, decoding every other frame).
    let stallFrames: Int

    init(stallFrames: Int = 30) { self.stallFrames = stallFrames }

    /// Decodes one frame; `nil` when it was dropped because another is still being decoded.
    func push(_ frame: LumaFrame) async -> ScanState? {
        if busy { return nil }
        if case .complete = state { return state }
        busy = true
        defer { busy = false }
        let update: ScanUpdate
        do {
            update = try await scanner.pushLuma(width: frame.width, height: frame.height,
                                                stride: frame.stride, pixels: frame.pixels)
        } catch {
            state = .badFrame
            return state
        }
        return apply(update)
    }

    /// A code's text read by other means (the system's code scanner, a pasted text).
    func push(text: String) -> ScanState { apply(scanner.pushText(text: text)) }

    /// The person left the scanner: an animated transfer in progress is interrupted.
    func stop() -> ScanState {
        if case .progress(let useful, let needed) = state { state = .interrupted(useful: useful, needed: needed) }
        return state
    }

    /// Shows `state` instead of what the scanner said (a verifier's own reading of a code).
    func override(_ replaced: ScanState) -> ScanState {
        state = replaced
        return state
    }

    /// Forgets everything scanned.
    func reset() {
        scanner.reset()
        emptyFrames = 0
        state = .aiming
    }

    private func apply(_ update: ScanUpdate) -> ScanState {
        rejectedText = nil
        foreignTexts = []
        switch update {
        case .nothingFound:
            emptyFrames += 1
            switch state {
            case .progress(let useful, let needed) where emptyFrames >= stallFrames:
                state = .interrupted(useful: useful, needed: needed)
            case .progress, .interrupted:
                break
            default:
                state = .noCode(frames: emptyFrames)
            }
        case .progress(let useful, let needed):
            emptyFrames = 0
            state = .progress(useful: useful, needed: needed)
        case .complete(let message):
            emptyFrames = 0
            state = .complete(message)
        case .notLaissez(let texts):
            emptyFrames = 0
            foreignTexts = texts
            if case .progress = state { break }
            state = .notLaissez
        case .rejected(_, let text):
            emptyFrames = 0
            rejectedText = text.isEmpty ? nil : text
            if case .progress = state { break }
            state = .rejected
        }
        return state
    }
}

extension QrFrame {
    /// The frame drawn as a camera would see it on a screen: `scale` pixels a module, the quiet
    /// zone white, rows padded to `stride` with grey. For tests and the simulator's fake camera.
    public func luma(scale: Int = 4, padding: Int = 13) -> LumaFrame {
        let size = Int(self.size)
        let quiet = Int(quietZone)
        let modules = [UInt8](self.modules)
        let side = (size + 2 * quiet) * scale
        let stride = side + padding
        var pixels = [UInt8](repeating: 0x80, count: stride * side)
        for y in 0..<side {
            let my = y / scale - quiet
            for x in 0..<side {
                let mx = x / scale - quiet
                let dark = (0..<size).contains(mx) && (0..<size).contains(my) && modules[my * size + mx] == 1
                pixels[y * stride + x] = dark ? 0x10 : 0xF0
            }
        }
        return LumaFrame(width: UInt32(side), height: UInt32(side), stride: UInt32(stride), pixels: Data(pixels))
    }

    /// Whether the module at (`x`, `y`) is dark: what a native view draws.
    public func isDark(x: Int, y: Int) -> Bool {
        let size = Int(self.size)
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[modules.startIndex + y * size + x] == 1
    }
}
