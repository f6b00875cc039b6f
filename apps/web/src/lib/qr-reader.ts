// Reading a licence's QR symbol in the browser — from a photo or screenshot of it, or from the
// camera's frames — with jsQR, loaded only when someone scans (it stays out of the first load).

type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
let decoder: Promise<Decode> | undefined;
const jsQR = () => (decoder ??= import('jsqr').then((m) => m.default as unknown as Decode));

/** Large photos are read at this size at most: a QR symbol needs a few pixels per module, not megapixels. */
const MAX_SIDE = 1280;

/** The pixels of `source` on a canvas, scaled down to at most MAX_SIDE on its longer side. */
function pixels(source: CanvasImageSource, width: number, height: number): ImageData {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** The text of the QR symbol in an image file; undefined when none can be read. */
export async function readQrFromImage(file: Blob): Promise<string | undefined> {
  const decode = await jsQR();
  const bitmap = await createImageBitmap(file);
  try {
    const image = pixels(bitmap, bitmap.width, bitmap.height);
    return decode(image.data, image.width, image.height)?.data;
  } finally {
    bitmap.close();
  }
}

/** The text of a QR symbol in the video's current frame, if one is readable. */
export async function readQrFromVideo(video: HTMLVideoElement): Promise<string | undefined> {
  if (video.videoWidth === 0) return undefined;
  const decode = await jsQR();
  const image = pixels(video, video.videoWidth, video.videoHeight);
  return decode(image.data, image.width, image.height)?.data;
}
