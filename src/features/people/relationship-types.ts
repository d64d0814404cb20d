/**
 * A relationship row reads "person IS <type> OF related person". Each type has the words for both
 * directions, so the child's page and the parent's page each say what the other is to them.
 */
export const RELATIONSHIP_TYPE_VALUES = [
  'parent',
  'step_parent',
  'grandparent',
  'sibling',
  'half_sibling',
  'step_sibling',
  'aunt_or_uncle',
  'carer',
  'foster_carer',
  'partner',
  'household_member',
  'professional',
  'friend',
  'other',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPE_VALUES)[number];

interface RelationshipWords {
  /** What the person is to the related person: "Parent". */
  readonly label: string;
  /** What the related person is to the person: "Child". */
  readonly inverse: string;
  readonly hint?: string;
}

export const RELATIONSHIP_TYPES: Record<RelationshipType, RelationshipWords> = {
  parent: { label: 'Parent', inverse: 'Child', hint: 'Birth or adoptive mother or father' },
  step_parent: { label: 'Step-parent', inverse: 'Step-child' },
  grandparent: { label: 'Grandparent', inverse: 'Grandchild' },
  sibling: { label: 'Sibling', inverse: 'Sibling' },
  half_sibling: { label: 'Half-sibling', inverse: 'Half-sibling' },
  step_sibling: { label: 'Step-sibling', inverse: 'Step-sibling' },
  aunt_or_uncle: { label: 'Aunt or uncle', inverse: 'Niece or nephew' },
  carer: { label: 'Carer', inverse: 'Cared for', hint: 'Kinship or other informal carer' },
  foster_carer: { label: 'Foster carer', inverse: 'Child in foster care' },
  partner: { label: 'Partner', inverse: 'Partner', hint: 'Including a former partner, with an end date' },
  household_member: { label: 'Household member', inverse: 'Household member', hint: 'Lives in the same home' },
  professional: { label: 'Professional', inverse: 'Works with', hint: 'Teacher, doctor, caseworker from another agency' },
  friend: { label: 'Friend', inverse: 'Friend' },
  other: { label: 'Other', inverse: 'Other', hint: 'Say what in the notes' },
};

/** The words for a relationship seen from one side. `personIsSubject`: the row's person is the one we describe. */
export function relationshipLabel(type: string, describesRowPerson: boolean): string {
  if (!Object.hasOwn(RELATIONSHIP_TYPES, type)) return type; // not a key like 'constructor'
  const words = RELATIONSHIP_TYPES[type as RelationshipType];
  return describesRowPerson ? words.label : words.inverse;
}
