package app.laissez.demo

/**
 * One 8-bit grey camera frame: on Android the Y plane of a CameraX `ImageProxy`
 * (`planes[0]`: [width], [height], `rowStride` as [rowStride], the buffer's bytes).
 */
class LumaFrame(val width: Int, val height: Int, val rowStride: Int, val bytes: ByteArray)
