/**
 * A QR code as an SVG path, made at build time with the `qrcode` library
 * (the encoding, error correction and masking are the library's; this only
 * draws its modules). Imported only by .astro components, which run at build
 * time, so none of it reaches the browser: the page gets a finished <svg>.
 */
import QRCode from 'qrcode';

/** Modules of white around the code: the quiet zone the QR standard asks for. */
export const QUIET_ZONE = 4;

export interface QrDrawing {
  /** Width and height in modules, quiet zone included (the SVG's viewBox). */
  size: number;
  /** One path of every dark module, in modules. */
  path: string;
  /** The QR version (size class) the library chose. */
  version: number;
}

/**
 * Error correction Q (a quarter of the code can be lost) by default: a
 * printed invitation gets folded, smudged and photographed in poor light.
 */
export function qrDrawing(text: string, level: 'M' | 'Q' = 'Q'): QrDrawing {
  const { modules, version } = QRCode.create(text, { errorCorrectionLevel: level });
  const n = modules.size;
  let path = '';
  for (let y = 0; y < n; y++) {
    // Each run of dark modules in a row is one rectangle: a short path.
    for (let x = 0; x < n;) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      let end = x;
      while (end < n && modules.get(y, end)) end++;
      path += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h${end - x}v1h-${end - x}z`;
      x = end;
    }
  }
  return { size: n + 2 * QUIET_ZONE, path, version };
}
