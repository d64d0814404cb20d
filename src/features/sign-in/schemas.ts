import { z } from 'zod';
import { requiredText } from '../../platform/http/text-fields.ts';
import { PASSWORD_MAX_LENGTH } from '../../platform/auth/passwords.ts';

/** Only a path inside Hearth: never another site (an open redirect) or a protocol-relative URL. */
export function safeReturnTo(value: unknown): string {
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' &&
    first.length <= 2000 &&
    /^\/(?![/\\])[^\s]*$/.test(first) &&
    !first.startsWith('/sign-in') &&
    !first.startsWith('/sign-out')
    ? first
    : '/';
}

export const signInForm = z.object({
  email: requiredText({ label: 'email address', message: 'Enter your email address', max: 320 }),
  password: z
    .string({ error: 'Enter your password' })
    .min(1, 'Enter your password')
    .max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`),
});

export const codeForm = z.object({
  code: requiredText({ label: 'code', message: 'Enter the 6-digit code from your authenticator app', max: 20 }).refine(
    (v) => /^\d{6}$/.test(v.replace(/\s+/g, '')),
    'The code must be 6 digits, like 123456',
  ),
});
