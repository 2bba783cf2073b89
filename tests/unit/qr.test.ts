/**
 * The invitation's QR code: drawn from the library's modules, with a quiet
 * zone, and read back by a decoder (jsQR) to the same address.
 */
import jsQR from 'jsqr';
import { describe, expect, test } from 'vitest';
import { QUIET_ZONE, qrDrawing } from '../../src/lib/qr.ts';

/** Paints the path's rectangles ("Mx yhNv1h-Nz") into RGBA pixels, `scale` per module, white elsewhere. */
function paint(drawing: { size: number; path: string }, scale: number): { data: Uint8ClampedArray; width: number } {
  const width = drawing.size * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const [, x, y, w] of drawing.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
      for (let px = Number(x) * scale; px < (Number(x) + Number(w)) * scale; px++) {
        const i = (py * width + px) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
    }
  }
  return { data, width };
}

describe('QR code', () => {
  for (const address of ['https://clara.riverbend-clinic.example.org/es/', 'http://localhost:4410/en/']) {
    test(`decodes to ${address}`, () => {
      const drawing = qrDrawing(address);
      const { data, width } = paint(drawing, 4);
      expect(jsQR(data, width, width)?.data).toBe(address);
    });
  }

  test('the path is only rectangles of whole modules, with a quiet zone of four all round', () => {
    const drawing = qrDrawing('https://clara.riverbend-clinic.example.org/en/');
    expect(drawing.path).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
    const xs = [...drawing.path.matchAll(/M(\d+) (\d+)h(\d+)/g)].flatMap(([, x, y, w]) => [
      Number(x),
      Number(y),
      Number(x) + Number(w),
    ]);
    expect(Math.min(...xs)).toBe(QUIET_ZONE);
    expect(Math.max(...xs)).toBe(drawing.size - QUIET_ZONE);
    // Version 4 (33 modules) holds such an address at level Q.
    expect(drawing.size).toBe(21 + 4 * (drawing.version - 1) + 2 * QUIET_ZONE);
  });

  test('level M makes a code no larger than level Q', () => {
    const text = 'https://clara.riverbend-clinic.example.org/en/';
    expect(qrDrawing(text, 'M').size).toBeLessThanOrEqual(qrDrawing(text, 'Q').size);
  });
});
