package app.laissez.demo.android

import android.graphics.Bitmap
import android.graphics.Canvas
import android.graphics.Color
import android.graphics.Paint
import java.io.ByteArrayOutputStream

/**
 * Demo only: a small drawn "photo" (a face-like sketch, 120 x 160) as a JPEG for the desk to
 * sign into the copies it issues. A real desk takes the person's photo with the camera; the
 * core accepts baseline JPEGs up to its size limit.
 */
fun demoPortraitJpeg(): ByteArray {
    val bitmap = Bitmap.createBitmap(120, 160, Bitmap.Config.ARGB_8888)
    val canvas = Canvas(bitmap)
    canvas.drawColor(Color.rgb(200, 215, 230))
    val paint = Paint(Paint.ANTI_ALIAS_FLAG)
    paint.color = Color.rgb(90, 60, 45)
    canvas.drawOval(30f, 30f, 90f, 110f, paint) // head
    canvas.drawRect(20f, 120f, 100f, 160f, paint) // shoulders
    paint.color = Color.WHITE
    canvas.drawCircle(48f, 65f, 5f, paint)
    canvas.drawCircle(72f, 65f, 5f, paint)
    val out = ByteArrayOutputStream()
    bitmap.compress(Bitmap.CompressFormat.JPEG, 80, out)
    bitmap.recycle()
    return out.toByteArray()
}
