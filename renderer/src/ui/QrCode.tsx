// A QR code a phone can scan to open the web client. Drawn as a data: URL image, which the
// CSP allows (img-src data:), so nothing is injected as markup.
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { shortLink } from '../../../common/invite.ts';

export function QrCode({ text, size = 168 }: { text: string; size?: number }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { margin: 1, width: size * 2, errorCorrectionLevel: 'M', color: { dark: '#17141b', light: '#ffffff' } })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(undefined));
    return () => {
      live = false;
    };
  }, [text, size]);
  if (!src) return <div className="qr qr-empty" style={{ width: size, height: size }} />;
  // An invite link's fragment (every other address, the host id) is for the app, not for ears.
  return <img className="qr" src={src} width={size} height={size} alt={`QR code for ${shortLink(text)}`} />;
}
