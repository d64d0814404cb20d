import { z } from 'zod';
import { optionalText, requiredText } from '../../platform/http/text-fields.ts';
import type { PracticePack } from '../../practice/pack.ts';

/** The screening decision's form: grounds met, risk of significant harm, then a priority or an outcome, and the reasons (always). */
export function screeningSchema(pack: PracticePack) {
  const grounds = pack.grounds.map((g) => g.code) as [string, ...string[]];
  const priorities = pack.responsePriorities.map((p) => p.code) as [string, ...string[]];
  const outcomes = pack.screening.screenedOutOutcomes.map((o) => o.code) as [string, ...string[]];
  return z
    .object({
      groundsMet: z.array(z.enum(grounds, { error: 'Select the grounds from the list' })).default([]),
      rosh: z.enum(['yes', 'no'], { error: 'Select whether there is a risk of significant harm' }),
      priority: z.enum(priorities, { error: 'Select a response priority' }).optional(),
      outcome: z.enum(outcomes, { error: 'Select what happens to the report' }).optional(),
      rationale: requiredText({ label: 'reasons', message: 'Enter the reasons for your decision', max: 5_000, multiline: true }),
      version: z.coerce.number({ error: 'Reload the report and decide again' }).int().min(1),
    })
    .superRefine((v, ctx) => {
      if (v.rosh === 'yes' && !v.priority) ctx.addIssue({ code: 'custom', path: ['priority'], message: 'Select a response priority' });
      if (v.rosh === 'yes' && v.groundsMet.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['groundsMet'], message: 'Select the grounds that are met: a risk of significant harm rests on at least one' });
      }
      if (v.rosh === 'no' && !v.outcome) ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'Select what happens to the report' });
    })
    .transform((v) => ({
      version: v.version,
      decision: {
        groundsMet: [...new Set(v.groundsMet)],
        riskOfSignificantHarm: v.rosh === 'yes',
        priority: v.rosh === 'yes' ? (v.priority ?? null) : null,
        outcome: v.rosh === 'no' ? (v.outcome ?? null) : null,
        rationale: v.rationale,
      },
    }));
}

export const secondCheckSchema = z
  .object({
    agree: z.enum(['yes', 'no'], { error: 'Select whether you agree the report can be screened out' }),
    note: optionalText({ label: 'note', max: 5_000, multiline: true }),
  })
  .superRefine((v, ctx) => {
    if (v.agree === 'no' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'Enter why the report should be screened again' });
  });
