// Image variants with sharp: a 150×150 cover thumbnail and 480/1080/1920-wide WebP renditions (never
// upscaled), a small heavily blurred preview for locked posts, and an optional watermark; profile pictures
// get 400/160 squares instead, cover images 1500×500 and 750×250 banners. Orientation is
// applied from EXIF, then every output is written without metadata (sharp's default).
import sharp, { type Sharp } from 'sharp';

export interface ImageOutput {
  name: string;
  data: Buffer;
  width: number;
  height: number;
}

const WIDTHS = [
  ['w480', 480, 80],
  ['w1080', 1080, 85],
  ['w1920', 1920, 88],
] as const;

function watermarkSvg(text: string, width: number): Buffer {
  const size = Math.max(14, Math.round(width / 40));
  const esc = text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${size * 2}"><text x="${width - size}" y="${Math.round(size * 1.4)}" font-size="${size}" font-family="sans-serif" text-anchor="end" fill="white" fill-opacity="0.6">${esc}</text></svg>`,
  );
}

/** Profile pictures: squares (cover crop, centred on what sharp finds most interesting). */
const AVATAR_SIZES = [
  ['avatar_400', 400],
  ['avatar_160', 160],
] as const;
/** Cover images: 3:1 banners. */
const COVER_SIZES = [
  ['cover_1500', 1500, 500],
  ['cover_750', 750, 250],
] as const;

export type ImagePurpose = 'post' | 'avatar' | 'cover';

export async function imageVariants(
  input: Buffer,
  opts: { watermark?: string; purpose?: ImagePurpose } = {},
): Promise<{ width: number; height: number; outputs: ImageOutput[] }> {
  // Each output is its own pipeline from the original bytes: libvips shrinks JPEG and WebP on load, so a
  // small rendition never decodes the full-size image. rotate() applies the EXIF orientation.
  const meta = await sharp(input, { failOn: 'error' }).metadata();
  if (!meta.width || !meta.height) throw new Error('not a readable image');
  const swapped = (meta.orientation ?? 1) >= 5;
  const info = {
    width: swapped ? meta.height : meta.width,
    height: swapped ? meta.width : meta.height,
  };
  const base = () => sharp(input, { failOn: 'error' }).rotate();
  const outputs: ImageOutput[] = [];
  const push = async (name: string, pipeline: Sharp) => {
    const { data, info: out } = await pipeline.toBuffer({ resolveWithObject: true });
    outputs.push({ name, data, width: out.width, height: out.height });
  };
  await push('thumbnail', base().resize(150, 150, { fit: 'cover' }).webp({ quality: 75 }));
  if (opts.purpose === 'avatar') {
    for (const [name, size] of AVATAR_SIZES)
      await push(
        name,
        base().resize(size, size, { fit: 'cover', position: 'attention' }).webp({ quality: 85 }),
      );
    return { width: info.width, height: info.height, outputs };
  }
  if (opts.purpose === 'cover') {
    for (const [name, w, h] of COVER_SIZES)
      await push(
        name,
        base().resize(w, h, { fit: 'cover', position: 'attention' }).webp({ quality: 85 }),
      );
    return { width: info.width, height: info.height, outputs };
  }
  for (const [name, width, quality] of WIDTHS) {
    let p = base().resize({ width, withoutEnlargement: true });
    if (opts.watermark) {
      const mark = watermarkSvg(opts.watermark, Math.min(width, info.width));
      p = sharp(await p.toBuffer()).composite([{ input: mark, gravity: 'southeast' }]);
    }
    await push(name, p.webp({ quality }));
  }
  const tiny = await base().resize({ width: 64, withoutEnlargement: true }).blur(2).toBuffer();
  const pw = Math.min(480, info.width);
  await push(
    'preview',
    sharp(tiny)
      .resize(pw, Math.max(1, Math.round((pw * info.height) / info.width)), { fit: 'fill' })
      .blur(12)
      .webp({ quality: 50 }),
  );
  return { width: info.width, height: info.height, outputs };
}
