import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, accountName: string): string {
  return generateURI({ issuer: 'Hearth', label: accountName, secret });
}

/** An SVG QR code of the enrolment URI, drawn on the server so the page needs no script. */
export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', margin: 2, width: 200, errorCorrectionLevel: 'M' });
}

/**
 * Checks a 6-digit code, allowing one 30-second step of clock drift either way. A code already used
 * (its time step at or before `lastTimeStep`) is refused, so an overheard code cannot be replayed.
 * Returns the time step it matched, to be stored, or undefined.
 */
export async function verifyTotp(secret: string, code: string, lastTimeStep: number | null): Promise<number | undefined> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const result = await verify({
    secret,
    token,
    epochTolerance: 30,
    ...(lastTimeStep === null ? {} : { afterTimeStep: lastTimeStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
