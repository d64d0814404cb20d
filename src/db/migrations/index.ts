import type { Migration } from 'kysely';
import * as organisationsAndStaff from './0001-organisations-and-staff.ts';
import * as people from './0002-people.ts';
import * as storyAndAudit from './0003-story-and-audit.ts';
import * as staffAdministration from './0004-staff-administration.ts';
import * as personIndex from './0005-person-index.ts';
import * as matchingModels from './0006-matching-models.ts';
import * as nameSpellings from './0007-name-spellings.ts';
import * as mergesMoveStoryEvents from './0008-merges-move-story-events.ts';
import * as personIndexLookups from './0009-person-index-lookups.ts';
import * as lookupsPlannedPerCall from './0010-person-index-lookups-planned-per-call.ts';
import * as nameSpellingsByKind from './0011-name-spellings-by-kind.ts';
import * as personIndexKeysAsNumbers from './0012-person-index-keys-as-numbers.ts';
import * as reports from './0013-reports.ts';

/** Every migration, in order. Names are permanent once released: add new ones, never edit old ones. */
export const migrations: Record<string, Migration> = {
  '0001-organisations-and-staff': organisationsAndStaff,
  '0002-people': people,
  '0003-story-and-audit': storyAndAudit,
  '0004-staff-administration': staffAdministration,
  '0005-person-index': personIndex,
  '0006-matching-models': matchingModels,
  '0007-name-spellings': nameSpellings,
  '0008-merges-move-story-events': mergesMoveStoryEvents,
  '0009-person-index-lookups': personIndexLookups,
  '0010-person-index-lookups-planned-per-call': lookupsPlannedPerCall,
  '0011-name-spellings-by-kind': nameSpellingsByKind,
  '0012-person-index-keys-as-numbers': personIndexKeysAsNumbers,
  '0013-reports': reports,
};
