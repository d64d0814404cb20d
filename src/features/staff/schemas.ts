import { z } from 'zod';
import { ROLE_NAMES } from '../../config.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../platform/auth/passwords.ts';
import { choice, requiredText } from '../../platform/http/text-fields.ts';

export const newStaffSchema = z.object({
  displayName: requiredText({ label: 'full name', message: 'Enter their full name', max: 100 }),
  email: requiredText({ label: 'email address', message: 'Enter their email address', max: 320 }).refine(
    (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
    'Enter an email address in the correct format, like name@example.com',
  ),
  role: choice(ROLE_NAMES as unknown as readonly [string, ...string[]], 'Select their role'),
  teamId: z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.uuid({ error: 'Select a team from the list' }).nullable()),
});
export type NewStaff = z.output<typeof newStaffSchema>;

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password').max(PASSWORD_MAX_LENGTH),
    newPassword: z
      .string({ error: 'Enter a new password' })
      .min(PASSWORD_MIN_LENGTH, `Password must be ${PASSWORD_MIN_LENGTH} characters or more`)
      .max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`),
    confirmPassword: z.string({ error: 'Enter the new password again' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: 'The passwords do not match', path: ['confirmPassword'] })
  .refine((v) => v.newPassword !== v.currentPassword, { message: 'Choose a password different from your current one', path: ['newPassword'] });
