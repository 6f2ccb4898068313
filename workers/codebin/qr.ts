/** A QR code of a paste's URL as inline SVG, rendered on the server (no script, no style). */
import { renderSVG } from 'uqr';

export function qrSvg(url: string): string {
  return renderSVG(url, { ecc: 'M', border: 2, pixelSize: 4 });
}
