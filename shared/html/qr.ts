/** A QR code as inline SVG, rendered on the server (no script, no style): a paste's link, an authenticator's otpauth:// URI. */
import { renderSVG } from 'uqr';

export function qrSvg(text: string): string {
  return renderSVG(text, { ecc: 'M', border: 2, pixelSize: 4 });
}
