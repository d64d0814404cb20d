/** The fixed choices on a person's record, with the words pages show for them. */

export const SEX_VALUES = ['female', 'male', 'intersex', 'not_stated', 'not_recorded'] as const;
export type Sex = (typeof SEX_VALUES)[number];
export const SEX_LABELS: Record<Sex, string> = {
  female: 'Female',
  male: 'Male',
  intersex: 'Intersex or another variation of sex characteristics',
  not_stated: 'Not stated',
  not_recorded: 'Not recorded yet',
};

/**
 * Aboriginality must be asked and recorded, never assumed: "not yet asked" is a value of its own,
 * and the default, so a record never silently says "not Aboriginal".
 */
export const INDIGENOUS_STATUS_VALUES = ['aboriginal', 'torres_strait_islander', 'both', 'neither', 'not_yet_asked', 'declined'] as const;
export type IndigenousStatus = (typeof INDIGENOUS_STATUS_VALUES)[number];
export const INDIGENOUS_STATUS_LABELS: Record<IndigenousStatus, string> = {
  aboriginal: 'Aboriginal',
  torres_strait_islander: 'Torres Strait Islander',
  both: 'Both Aboriginal and Torres Strait Islander',
  neither: 'Neither Aboriginal nor Torres Strait Islander',
  not_yet_asked: 'Not yet asked',
  declined: 'Chose not to say',
};

export const INTERPRETER_VALUES = ['yes', 'no', 'not_known'] as const;
export type InterpreterNeed = (typeof INTERPRETER_VALUES)[number];
export const INTERPRETER_LABELS: Record<InterpreterNeed, string> = {
  yes: 'Yes',
  no: 'No',
  not_known: 'Not known',
};

export const NAME_TYPE_VALUES = ['known_as', 'alias', 'previous', 'birth'] as const;
export type NameType = (typeof NAME_TYPE_VALUES)[number];
export const NAME_TYPE_LABELS: Record<NameType, string> = {
  known_as: 'Also known as',
  alias: 'Alias or other spelling',
  previous: 'Previous name',
  birth: 'Name at birth',
};

export function optionItems<T extends string>(values: readonly T[], labels: Record<T, string>, selected?: string | null) {
  return values.map((value) => ({ value, text: labels[value], checked: value === selected, selected: value === selected }));
}
