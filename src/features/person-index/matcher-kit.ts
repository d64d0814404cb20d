import { createMatcher, DEFAULT_MODEL, nameTermsOfQuery, nameTermsOfRecord } from './matching/index.ts';
import type { MatcherKit } from './service.ts';

/** The person index's matcher: Hearth's own (see docs/decisions/0010-person-matching.md). */
export const matcherKit: MatcherKit = {
  matcher: (model = DEFAULT_MODEL, frequencies) => createMatcher(model, frequencies),
  recordTerms: nameTermsOfRecord,
  queryTerms: nameTermsOfQuery,
};
