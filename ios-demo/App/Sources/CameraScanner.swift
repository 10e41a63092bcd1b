import AVFoundation
import LaissezDemoKit
import SwiftUI

/// The back camera in 420f (bi-planar, full range): each frame's Y plane (the luma the QR
/// decoder wants, no colour conversion) goes to `onFrame` as width, height, bytesPerRow, bytes.
/// A frame is dropped while the previous one is still being decoded.
final class CameraScanner: NSObject, AVCaptureVideoDataOutputSampleBufferDelegate, @unchecked Sendable {
    let session = AVCaptureSession()
    private let queue = DispatchQueue(label: "org.laissez.camera")
    private let lock = NSLock()
    private var inFlight = false
    private let onFrame: @Sendable (LumaFrame) async -> Void

    init(onFrame: @escaping @Sendable (LumaFrame) async -> Void) {
        self.onFrame = onFrame
        super.init()
    }

    /// Asks for camera access, configures and starts the session; false when refused or absent.
    func start() async -> Bool {
        guard await AVCaptureDevice.requestAccess(for: .video),
              let device = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back),
              let input = try? AVCaptureDeviceInput(device: device) else { return false }
        return await withCheckedContinuation { continuation in
            queue.async { [self] in
                session.beginConfiguration()
                session.sessionPreset = .hd1280x720
                if session.inputs.isEmpty, session.canAddInput(input) { session.addInput(input) }
                if session.outputs.isEmpty {
                    let output = AVCaptureVideoDataOutput()
                    output.videoSettings = [
                        kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_420YpCbCr8BiPlanarFullRange,
                    ]
                    output.alwaysDiscardsLateVideoFrames = true
                    output.setSampleBufferDelegate(self, queue: queue)
                    if session.canAddOutput(output) { session.addOutput(output) }
                }
                if (try? device.lockForConfiguration()) != nil {
                    if device.isFocusModeSupported(.continuousAutoFocus) { device.focusMode = .continuousAutoFocus }
                    if device.isLowLightBoostSupported { device.automaticallyEnablesLowLightBoostWhenAvailable = true }
                    device.unlockForConfiguration()
                }
                session.commitConfiguration()
                session.startRunning()
                continuation.resume(returning: true)
            }
        }
    }

    func stop() { queue.async { [session] in session.stopRunning() } }

    func captureOutput(_ output: AVCaptureOutput, didOutput sampleBuffer: CMSampleBuffer,
                       from connection: AVCaptureConnection) {
        guard let buffer = CMSampleBufferGetImageBuffer(sampleBuffer),
              CVPixelBufferGetPixelFormatType(buffer) == kCVPixelFormatType_420YpCbCr8BiPlanarFullRange else { return }
        lock.lock()
        if inFlight { lock.unlock(); return }
        inFlight = true
        lock.unlock()
        CVPixelBufferLockBaseAddress(buffer, .readOnly)
        let width = CVPixelBufferGetWidthOfPlane(buffer, 0)
        let height = CVPixelBufferGetHeightOfPlane(buffer, 0)
        let stride = CVPixelBufferGetBytesPerRowOfPlane(buffer, 0)
        var frame: LumaFrame?
        if let base = CVPixelBufferGetBaseAddressOfPlane(buffer, 0) {
            frame = LumaFrame(width: UInt32(width), height: UInt32(height), stride: UInt32(stride),
                              pixels: Data(bytes: base, count: stride * height))
        }
        CVPixelBufferUnlockBaseAddress(buffer, .readOnly)
        guard let frame else { return release() }
        Task { [onFrame] in
            await onFrame(frame)
            self.release()
        }
    }

    private func release() {
        lock.lock()
        inFlight = false
        lock.unlock()
    }
}

/// The camera preview, full screen behind the scan overlay.
struct CameraPreview: UIViewRepresentable {
    let session: AVCaptureSession

    final class PreviewView: UIView {
        override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }
        var previewLayer: AVCaptureVideoPreviewLayer { layer as! AVCaptureVideoPreviewLayer } // swiftlint:disable:this force_cast
    }

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        view.previewLayer.session = session
        view.previewLayer.videoGravity = .resizeAspectFill
        return view
    }

    func updateUIView(_ uiView: PreviewView, context: Context) {}
}
