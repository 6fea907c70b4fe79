import type { TFunction } from 'i18next';
import type {
  BirthPrecision,
  ContactUnit,
  FamilyPerson,
  MatchReason,
  Person,
  PersonAddress,
  PersonSummary,
  RelationshipKind,
  RestrictedPerson,
  SearchHit,
} from '../api/types';

/** Field codes of the match reasons (registry/matching.cpp), each with a label `matchField.<code>`. */
export const MATCH_FIELDS = ['document', 'chinese_name', 'english_name', 'birth_date', 'phone', 'district', 'sex'] as const;
/** Levels of agreement of a match reason, each with a label `matchLevel.<code>`. */
export const MATCH_LEVELS = [
  'exact',
  'partial',
  'given_name',
  'similar',
  'swapped_order',
  'romanisation',
  'near',
  'compatible',
  'same_year',
  'disagree',
  'missing',
  // Levels of the batch record linkage (registry/linkage.cpp).
  'exact_rare',
  'exact_uncommon',
  'exact_common',
  'exact_frequent',
  'alias',
  'given_only',
  'variant',
  'swapped',
  'surname_only',
  'close',
  'agree',
] as const;

/** Languages offered in the forms (ISO 639 codes), each with a label `personLanguage.<code>`. */
export const LANGUAGE_CODES = ['yue', 'cmn', 'en', 'nan', 'hak', 'ami', 'tl', 'id', 'vi', 'th', 'ur', 'ne', 'hi'] as const;

/** Scores at or above this are likely the same person (registry/matching.hpp). */
export const LIKELY_SCORE = 45;

/** Minimum lengths of the written reasons the server asks for. */
export const MIN_OVERRIDE_REASON = 10;
export const MIN_SUMMARY = 10;
export const MIN_EMERGENCY_REASON = 20;
/** Merging, undoing a merge and importing accepted duplicates (registry::kMinimumReason). */
export const MIN_MERGE_REASON = 10;

/** A date of birth as typed: a full date, a year and month, or a year. */
export const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

export function isRestricted(person: Person | PersonSummary | RestrictedPerson): person is RestrictedPerson {
  return person.access === 'restricted';
}

/** Whether a family member is shown only by number (and whom to contact). */
export function isHidden(person: FamilyPerson): person is Exclude<FamilyPerson, PersonSummary> {
  return person.access === 'restricted';
}

export function englishName(person: { family_name_en: string | null; given_names_en: string | null }): string {
  return [person.family_name_en, person.given_names_en].filter(Boolean).join(' ');
}

/** The name to show first: the Chinese name, else the English one. */
export function primaryName(person: { chinese_name: string | null; family_name_en: string | null; given_names_en: string | null }): string {
  return person.chinese_name || englishName(person);
}

/** Both names, e.g. "陳國強 CHAN Kwok Keung". */
export function fullName(person: { chinese_name: string | null; family_name_en: string | null; given_names_en: string | null }): string {
  return [person.chinese_name, englishName(person)].filter(Boolean).join(' ');
}

export function contactUnitLabel(unit: ContactUnit, language: string): string {
  const name = language === 'en' ? unit.name_en : unit.name_zh;
  if (unit.code && name) return `${unit.code} ${name}`;
  return unit.code ?? name ?? `#${unit.id}`;
}

export function reasonLabel(t: TFunction, reason: MatchReason): string {
  return t('person.reason', {
    field: t(`matchField.${reason.field}`, { defaultValue: reason.field }),
    level: t(`matchLevel.${reason.level}`, { defaultValue: reason.level }),
  });
}

/** A date of birth with what is known of it, e.g. "1975-03 (year and month only)". */
export function birthText(t: TFunction, date: string | null, precision: BirthPrecision | null): string {
  if (!date) return t('person.unknownBirth');
  if (!precision || precision === 'full') return date;
  return t('person.birthWithPrecision', { date, precision: t(`birthPrecision.${precision}`) });
}

export function addressText(address: PersonAddress): string {
  return [address.flat, address.building, address.street, address.district, address.region].filter(Boolean).join(', ');
}

export function hitIds(hits: readonly SearchHit[]): number[] {
  return hits.map((hit) => hit.person.id);
}

/** The reasons of a duplicate pair ("chinese_name:exact") as match reasons. */
export function agreementReasons(agreements: readonly string[]): MatchReason[] {
  return agreements
    .map((agreement) => {
      const colon = agreement.indexOf(':');
      return colon < 0 ? { field: agreement, level: '' } : { field: agreement.slice(0, colon), level: agreement.slice(colon + 1) };
    })
    .filter((reason) => reason.level !== 'missing');
}

/** "A is <kind> of B" read from B's side (registry/family_store.cpp InverseRelationship). */
export function inverseRelationship(kind: RelationshipKind): RelationshipKind {
  const inverse: Partial<Record<RelationshipKind, RelationshipKind>> = {
    parent: 'child',
    child: 'parent',
    guardian: 'ward',
    ward: 'guardian',
    carer: 'cared_for',
    cared_for: 'carer',
  };
  return inverse[kind] ?? kind;
}

/** Today in the local calendar, as yyyy-mm-dd. */
export function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
