import Laissez
import LaissezDemoKit
import SwiftUI

/// QR frames drawn natively from their module matrices (no bitmap scaling blur), black on white
/// with the quiet zone, at full screen brightness while shown. Several frames (an animated
/// sequence) loop at `fps`. QR codes are never mirrored, whatever the layout direction.
struct QrCodeView: View {
    let frames: [QrFrame]
    var fps: Double = 6
    @State private var index = 0
    @State private var savedBrightness: CGFloat?

    var body: some View {
        TimelineView(.periodic(from: .now, by: 1 / fps)) { context in
            let frame = frames[frameIndex(context.date)]
            Canvas { graphics, size in
                let side = Int(frame.size) + 2 * Int(frame.quietZone)
                let module = min(size.width, size.height) / CGFloat(side)
                graphics.fill(Path(CGRect(origin: .zero, size: size)), with: .color(.white))
                var dark = Path()
                let quiet = Int(frame.quietZone)
                for y in 0..<Int(frame.size) {
                    for x in 0..<Int(frame.size) where frame.isDark(x: x, y: y) {
                        dark.addRect(CGRect(x: CGFloat(x + quiet) * module, y: CGFloat(y + quiet) * module,
                                            width: module, height: module))
                    }
                }
                graphics.fill(dark, with: .color(.black))
            }
            .aspectRatio(1, contentMode: .fit)
            .accessibilityLabel(Text("qr.accessibility \(frameIndex(context.date) + 1) \(frames.count)"))
        }
        .environment(\.layoutDirection, .leftToRight)
        .onAppear {
            savedBrightness = UIScreen.main.brightness
            UIScreen.main.brightness = 1
        }
        .onDisappear {
            if let savedBrightness { UIScreen.main.brightness = savedBrightness }
        }
    }

    private func frameIndex(_ date: Date) -> Int {
        frames.count <= 1 ? 0 : Int(date.timeIntervalSinceReferenceDate * fps) % frames.count
    }
}

/// The camera with the scan state over it: aiming hint, animated-transfer progress, problems.
struct ScannerView: View {
    let state: ScanState
    let onFrame: @Sendable (LumaFrame) async -> Void
    let onClose: () -> Void
    @State private var camera: CameraScanner?
    @State private var cameraRefused = false

    var body: some View {
        ZStack(alignment: .bottom) {
            if let camera { CameraPreview(session: camera.session).ignoresSafeArea() } else { Color.black.ignoresSafeArea() }
            VStack(spacing: 12) {
                if cameraRefused { Text("scan.camera_refused") }
                ScanStateText(state: state)
                Button("common.close", action: onClose).buttonStyle(.borderedProminent)
            }
            .padding()
            .frame(maxWidth: .infinity)
            .background(.regularMaterial)
        }
        .task {
            let scanner = CameraScanner(onFrame: onFrame)
            camera = scanner
            cameraRefused = !(await scanner.start())
        }
        .onDisappear { camera?.stop() }
    }
}

struct ScanStateText: View {
    let state: ScanState

    var body: some View {
        switch state {
        case .aiming, .complete: Text("scan.aim")
        case .noCode(let frames): Text(frames > 60 ? "scan.no_code" : "scan.aim")
        case .progress(let useful, let needed):
            VStack {
                ProgressView(value: Double(useful), total: Double(max(needed, useful)))
                Text("scan.progress \(Int(useful)) \(Int(needed))")
            }
        case .notLaissez: Text("scan.not_laissez")
        case .rejected: Text("scan.rejected")
        case .alteredAnswer: Text("scan.altered_answer").foregroundColor(.red)
        case .interrupted: Text("scan.interrupted")
        case .badFrame: Text("scan.bad_frame")
        }
    }
}
