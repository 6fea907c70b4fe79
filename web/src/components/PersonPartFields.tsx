import { Select, SimpleGrid, TextInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { ADDRESS_KINDS, CONTACT_KINDS, DOCUMENT_TYPES, NAME_KINDS } from '../api/types';

/** The input props of one member of a part (e.g. "number" of documents.0). */
export type PartInput = (field: string) => GetInputPropsReturnType;

export interface NameValues {
  kind: string;
  chinese_name: string;
  family_name_en: string;
  given_names_en: string;
}
export interface DocumentValues {
  doc_type: string;
  number: string;
  issuer: string;
}
export interface ContactValues {
  kind: string;
  value: string;
}
export interface AddressValues {
  kind: string;
  region: string;
  district: string;
  street: string;
  building: string;
  flat: string;
}

export const emptyName = (): NameValues => ({ kind: 'alias', chinese_name: '', family_name_en: '', given_names_en: '' });
export const emptyDocument = (): DocumentValues => ({ doc_type: 'hkid', number: '', issuer: '' });
export const emptyContact = (): ContactValues => ({ kind: 'mobile', value: '' });
export const emptyAddress = (): AddressValues => ({ kind: 'residential', region: '', district: '', street: '', building: '', flat: '' });

export function nameIsEmpty(name: NameValues): boolean {
  return !name.chinese_name.trim() && !name.family_name_en.trim() && !name.given_names_en.trim();
}
export function documentIsEmpty(document: DocumentValues): boolean {
  return !document.number.trim() && !document.issuer.trim();
}
export function contactIsEmpty(contact: ContactValues): boolean {
  return !contact.value.trim();
}
export function addressIsEmpty(address: AddressValues): boolean {
  return !address.region.trim() && !address.district.trim() && !address.street.trim() && !address.building.trim() && !address.flat.trim();
}

/** Trims every text member; leaves out empty optional ones. */
export function trimmed<T extends object>(values: T, optional: readonly string[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === 'key') continue;
    const text = typeof value === 'string' ? value.trim() : value;
    if (optional.includes(key) && text === '') continue;
    out[key] = text;
  }
  return out as T;
}

export function NameFields({ input, autoFocus }: { input: PartInput; autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <Select
        label={t('person.nameKind')}
        allowDeselect={false}
        data={NAME_KINDS.map((kind) => ({ value: kind, label: t(`nameKind.${kind}`) }))}
        {...input('kind')}
      />
      <TextInput label={t('person.chineseName')} maxLength={40} autoComplete="off" data-autofocus={autoFocus || undefined} {...input('chinese_name')} />
      <TextInput label={t('person.familyNameEn')} maxLength={80} autoComplete="off" {...input('family_name_en')} />
      <TextInput label={t('person.givenNamesEn')} maxLength={120} autoComplete="off" {...input('given_names_en')} />
    </SimpleGrid>
  );
}

export function DocumentFields({ input, docType, autoFocus }: { input: PartInput; docType: string; autoFocus?: boolean }) {
  const { t } = useTranslation();
  const hint = docType === 'hkid' ? t('person.hkidHint') : docType === 'twid' ? t('person.twidHint') : undefined;
  const withIssuer = docType !== 'hkid' && docType !== 'twid';
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: withIssuer ? 3 : 2 }} spacing="sm">
      <Select
        label={t('person.docType')}
        allowDeselect={false}
        data={DOCUMENT_TYPES.map((type) => ({ value: type, label: t(`docType.${type}`) }))}
        {...input('doc_type')}
      />
      <TextInput
        label={t('person.docNumber')}
        description={hint}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        maxLength={40}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        data-autofocus={autoFocus || undefined}
        {...input('number')}
      />
      {withIssuer ? <TextInput label={t('person.docIssuer')} maxLength={80} autoComplete="off" {...input('issuer')} /> : null}
    </SimpleGrid>
  );
}

export function ContactFields({ input, kind, autoFocus }: { input: PartInput; kind: string; autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <Select
        label={t('person.contactKind')}
        allowDeselect={false}
        data={CONTACT_KINDS.map((value) => ({ value, label: t(`contactKind.${value}`) }))}
        {...input('kind')}
      />
      <TextInput
        label={t('person.contactValue')}
        type={kind === 'email' ? 'email' : 'tel'}
        maxLength={120}
        autoComplete="off"
        data-autofocus={autoFocus || undefined}
        {...input('value')}
      />
    </SimpleGrid>
  );
}

export function AddressFields({ input, autoFocus }: { input: PartInput; autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <Select
        label={t('person.addressKind')}
        allowDeselect={false}
        data={ADDRESS_KINDS.map((value) => ({ value, label: t(`addressKind.${value}`) }))}
        {...input('kind')}
      />
      <TextInput label={t('person.flat')} maxLength={80} autoComplete="off" data-autofocus={autoFocus || undefined} {...input('flat')} />
      <TextInput label={t('person.building')} maxLength={200} autoComplete="off" {...input('building')} />
      <TextInput label={t('person.street')} maxLength={200} autoComplete="off" {...input('street')} />
      <TextInput label={t('person.district')} maxLength={80} autoComplete="off" {...input('district')} />
      <TextInput label={t('person.region')} maxLength={80} autoComplete="off" {...input('region')} />
    </SimpleGrid>
  );
}
