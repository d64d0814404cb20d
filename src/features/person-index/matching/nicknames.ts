import { foldText } from './fold-text.ts';
import { NICKNAME_GROUPS, SPELLING_GROUPS } from './nickname-groups.ts';

/** Which given names stand for the same name: Bill and William, Kate and Catherine. */
export interface NicknameTable {
  /** The formal names a name can stand for, itself included; the name itself when it is in no group. */
  formalNamesOf(name: string): readonly string[];
  /** True when the two (normalised) names share a group. */
  areNicknames(a: string, b: string): boolean;
}

/** One group a line, names separated by spaces, the formal name first. */
export function parseNicknameGroups(text: string): string[][] {
  return text
    .split('\n')
    .map((line) => line.split(/\s+/).map(foldText).filter((name) => name !== ''))
    .filter((group) => group.length > 1);
}

// Hearth's own groups, and the table made from them alone, are the same for every matcher: built once.
let hearthGroups: string[][] | undefined;
let defaultTable: NicknameTable | undefined;

/**
 * Builds the table from Hearth's groups plus any an organisation adds (its community's names:
 * "Bongani" and "Bongi", say), so the table grows without a code change.
 */
export function createNicknameTable(extraGroups: readonly (readonly string[])[] = []): NicknameTable {
  if (extraGroups.length === 0 && defaultTable !== undefined) return defaultTable;
  hearthGroups ??= [...parseNicknameGroups(NICKNAME_GROUPS), ...parseNicknameGroups(SPELLING_GROUPS)];
  const groups = [...hearthGroups, ...extraGroups.map((group) => group.map(foldText))];
  const groupsByName = new Map<string, number[]>();
  groups.forEach((group, index) => {
    for (const name of new Set(group)) {
      const memberships = groupsByName.get(name);
      if (memberships === undefined) groupsByName.set(name, [index]);
      else memberships.push(index);
    }
  });
  const formalNames = new Map<string, readonly string[]>();
  for (const [name, memberships] of groupsByName) {
    formalNames.set(name, [...new Set(memberships.map((index) => groups[index]?.[0] ?? name))]);
  }
  const table: NicknameTable = {
    formalNamesOf: (name) => formalNames.get(name) ?? [name],
    areNicknames(a, b) {
      if (a === b) return false;
      const groupsOfA = groupsByName.get(a);
      const groupsOfB = groupsByName.get(b);
      if (groupsOfA === undefined || groupsOfB === undefined) return false;
      return groupsOfA.some((group) => groupsOfB.includes(group));
    },
  };
  if (extraGroups.length === 0) defaultTable = table;
  return table;
}
