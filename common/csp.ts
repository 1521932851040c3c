// Content Security Policies, in one place. Scripts and styles only from the app itself;
// images may be data: URLs (the QR code). What differs is where the page may connect.

const BASE =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The web client served by a host: it may talk only to the host that served it. */
export const WEB_CLIENT_CSP = `${BASE}; connect-src 'self'`;

/** The desktop app: it joins rooms anywhere on the LAN. */
export const DESKTOP_CSP = `${BASE}; connect-src 'self' ws: wss: http: https:`;
