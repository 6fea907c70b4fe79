import { Badge, Button, Card, Checkbox, Group, Modal, MultiSelect, Radio, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { personsApi, type PartInput as PartBody, type PersonPart } from '../api/endpoints';
import { keys } from '../api/queries';
import type { Person, PersonRecord } from '../api/types';
import { applyProblem } from '../lib/forms';
import { notify } from '../lib/notify';
import { addressText, birthText, englishName, LANGUAGE_CODES, PARTIAL_DATE } from '../lib/persons';
import { confirmAction } from './confirm';
import {
  AddressFields,
  ContactFields,
  DocumentFields,
  emptyAddress,
  emptyContact,
  emptyDocument,
  emptyName,
  NameFields,
  trimmed,
  type PartInput,
} from './PersonPartFields';
import { ProblemAlert } from './ProblemAlert';

/** Keeps the person of the page up to date after a change, and what depends on it. */
export function usePersonUpdate(id: number) {
  const queryClient = useQueryClient();
  return (person: Person) => {
    queryClient.setQueryData(keys.person(id), person);
    void queryClient.invalidateQueries({ queryKey: keys.personChanges(id) });
    void queryClient.invalidateQueries({ queryKey: ['persons', 'search'] });
  };
}

/** Loads the latest version of the record (after "someone else changed it"). */
export function useReloadPerson(id: number) {
  const queryClient = useQueryClient();
  return async () => {
    const latest = await personsApi.get(id);
    queryClient.setQueryData(keys.person(id), latest);
    return latest;
  };
}

function notifyProblem(error: unknown, fallback: string) {
  notify({
    color: 'red',
    title: isApiError(error) ? error.title : fallback,
    message: isApiError(error) ? error.errors.map((field) => field.message).join(' ') || error.detail : '',
  });
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

interface MainValues {
  chinese_name: string;
  family_name_en: string;
  given_names_en: string;
  sex: string;
  birth_date: string;
  estimated: boolean;
  death_date: string;
  languages: string[];
  protected_address: boolean;
}

function mainValues(person: PersonRecord): MainValues {
  return {
    chinese_name: person.chinese_name ?? '',
    family_name_en: person.family_name_en ?? '',
    given_names_en: person.given_names_en ?? '',
    sex: person.sex,
    birth_date: person.birth_date ?? '',
    estimated: person.birth_precision === 'estimated',
    death_date: person.death_date ?? '',
    languages: person.languages,
    protected_address: person.protected_address,
  };
}

function EditMainModal({ person, onClose }: { person: PersonRecord; onClose: () => void }) {
  const { t } = useTranslation();
  const update = usePersonUpdate(person.id);
  const reloadPerson = useReloadPerson(person.id);
  const [version, setVersion] = useState(person.version);
  const [error, setError] = useState<unknown>(null);
  const form = useForm<MainValues>({
    initialValues: mainValues(person),
    validate: {
      chinese_name: (value, values) =>
        value.trim() || values.family_name_en.trim() || values.given_names_en.trim() ? null : t('person.nameRequired'),
      birth_date: (value) => (!value.trim() || PARTIAL_DATE.test(value.trim()) ? null : t('person.birthFormat')),
    },
  });
  const save = useMutation({
    mutationFn: (values: MainValues) =>
      personsApi.update(person.id, {
        version,
        chinese_name: values.chinese_name.trim(),
        family_name_en: values.family_name_en.trim(),
        given_names_en: values.given_names_en.trim(),
        sex: values.sex as PersonRecord['sex'],
        birth_date: values.birth_date.trim(),
        birth_precision: values.estimated ? 'estimated' : '',
        death_date: values.death_date,
        languages: values.languages,
        protected_address: values.protected_address,
      }),
    onSuccess: (updated) => {
      update(updated);
      notify({ color: 'teal', message: t('common.saved') });
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  const reload = async () => {
    const latest = await reloadPerson();
    if (latest.access === 'restricted') return;
    form.setValues(mainValues(latest));
    form.resetDirty(mainValues(latest));
    setVersion(latest.version);
    setError(null);
  };
  return (
    <Modal opened onClose={onClose} title={t('person.editTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        noValidate
        data-testid="person-edit-form"
        onSubmit={form.onSubmit((values) => {
          setError(null);
          save.mutate(values);
        })}
      >
        <Stack gap="md">
          <ProblemAlert error={error} />
          {isApiError(error) && error.code === 'version_conflict' ? (
            <Button variant="light" color="orange" onClick={() => void reload()} data-testid="reload-latest">
              {t('common.reloadLatest')}
            </Button>
          ) : null}
          <TextInput label={t('person.chineseName')} maxLength={40} data-autofocus {...form.getInputProps('chinese_name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label={t('person.familyNameEn')} maxLength={80} {...form.getInputProps('family_name_en')} />
            <TextInput label={t('person.givenNamesEn')} maxLength={120} {...form.getInputProps('given_names_en')} />
          </SimpleGrid>
          <Radio.Group label={t('person.sex')} {...form.getInputProps('sex')}>
            <Group gap="lg" mt={6}>
              {(['female', 'male', 'unknown'] as const).map((sex) => (
                <Radio key={sex} value={sex} label={t(`sex.${sex}`)} />
              ))}
            </Group>
          </Radio.Group>
          <Group align="flex-end" gap="md" wrap="wrap">
            <TextInput
              label={t('person.birthDate')}
              description={t('person.birthHint')}
              placeholder={t('person.birthPlaceholder')}
              w={{ base: '100%', sm: 260 }}
              {...form.getInputProps('birth_date')}
            />
            <Checkbox label={t('person.estimated')} mb={8} {...form.getInputProps('estimated', { type: 'checkbox' })} />
          </Group>
          <TextInput type="date" label={t('person.deathDate')} w={{ base: '100%', sm: 260 }} {...form.getInputProps('death_date')} />
          <MultiSelect
            label={t('person.languages')}
            searchable
            data={LANGUAGE_CODES.map((code) => ({ value: code, label: t(`personLanguage.${code}`) }))}
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('languages')}
          />
          <Switch
            label={t('person.protectedAddress')}
            description={t('person.protectedAddressHint')}
            {...form.getInputProps('protected_address', { type: 'checkbox' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function languageLabel(t: (key: string, options?: Record<string, unknown>) => string, code: string): string {
  return t(`personLanguage.${code}`, { defaultValue: code });
}

function MainCard({ person, canEdit }: { person: PersonRecord; canEdit: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  return (
    <Card withBorder padding="lg" data-testid="person-main">
      <Group justify="space-between" mb="md" wrap="wrap">
        <Title order={2} fz="h3">
          {t('person.personalDetails')}
        </Title>
        {canEdit ? (
          <Button variant="light" onClick={() => setEditing(true)} data-testid="person-edit">
            {t('common.edit')}
          </Button>
        ) : null}
      </Group>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
        <Fact label={t('person.chineseName')}>{person.chinese_name || '—'}</Fact>
        <Fact label={t('person.englishName')}>{englishName(person) || '—'}</Fact>
        <Fact label={t('person.sex')}>{t(`sex.${person.sex}`)}</Fact>
        <Fact label={t('person.birthDate')} testId="fact-birth">
          {birthText(t, person.birth_date, person.birth_precision)}
        </Fact>
        {person.death_date ? <Fact label={t('person.deathDate')}>{person.death_date}</Fact> : null}
        <Fact label={t('person.languages')}>
          {person.languages.length > 0 ? person.languages.map((code) => languageLabel(t, code)).join(t('person.separator')) : '—'}
        </Fact>
        <Fact label={t('person.protectedAddress')}>{person.protected_address ? t('common.yes') : t('common.no')}</Fact>
      </SimpleGrid>
      {editing ? <EditMainModal person={person} onClose={() => setEditing(false)} /> : null}
    </Card>
  );
}

interface PartSpec<V extends object> {
  part: PersonPart;
  title: string;
  addLabel: string;
  addTitle: string;
  empty: () => V;
  optional?: readonly string[];
  fields: (input: PartInput, values: V) => ReactNode;
  validate?: (values: V) => Partial<Record<keyof V & string, string | null>>;
}

function AddPartModal<V extends object>({ person, spec, onClose }: { person: PersonRecord; spec: PartSpec<V>; onClose: () => void }) {
  const { t } = useTranslation();
  const update = usePersonUpdate(person.id);
  const reloadPerson = useReloadPerson(person.id);
  const [error, setError] = useState<unknown>(null);
  const form = useForm<V>({ initialValues: spec.empty(), validate: (values) => spec.validate?.(values) ?? {} });
  const add = useMutation({
    mutationFn: (values: V) => personsApi.addPart(person.id, spec.part, person.version, trimmed(values, spec.optional) as unknown as PartBody),
    onSuccess: (updated) => {
      update(updated);
      notify({ color: 'teal', message: t('common.saved') });
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  return (
    <Modal opened onClose={onClose} title={spec.addTitle} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        noValidate
        data-testid={`add-${spec.part}-form`}
        onSubmit={form.onSubmit((values) => {
          setError(null);
          add.mutate(values);
        })}
      >
        <Stack gap="md">
          <ProblemAlert error={error} />
          {isApiError(error) && error.code === 'version_conflict' ? (
            <Button
              variant="light"
              color="orange"
              onClick={() => {
                void reloadPerson().then(() => setError(null));
              }}
              data-testid="reload-latest"
            >
              {t('common.reloadLatest')}
            </Button>
          ) : null}
          {spec.fields((field) => form.getInputProps(field as never), form.values)}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending}>
              {spec.addLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

interface PartItem {
  id: number;
}

function PartCard<V extends object, I extends PartItem>({
  person,
  spec,
  items,
  canEdit,
  render,
  itemName,
  hidden,
}: {
  person: PersonRecord;
  spec: PartSpec<V>;
  items: I[];
  canEdit: boolean;
  render: (item: I) => ReactNode;
  itemName: (item: I) => string;
  hidden?: string;
}) {
  const { t } = useTranslation();
  const update = usePersonUpdate(person.id);
  const reloadPerson = useReloadPerson(person.id);
  const [adding, setAdding] = useState(false);
  const remove = useMutation({
    mutationFn: (item: I) => personsApi.removePart(person.id, spec.part, item.id, person.version),
    onSuccess: (updated) => {
      update(updated);
      notify({ color: 'teal', message: t('common.saved') });
    },
    onError: (caught) => {
      notifyProblem(caught, t('errors.unexpected'));
      if (isApiError(caught) && caught.code === 'version_conflict') void reloadPerson();
    },
  });
  return (
    <Card withBorder padding="lg" data-testid={`part-${spec.part}`}>
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} fz="h4">
          {spec.title}
        </Title>
        {canEdit && !hidden ? (
          <Button variant="light" size="xs" onClick={() => setAdding(true)} data-testid={`add-${spec.part}`}>
            {spec.addLabel}
          </Button>
        ) : null}
      </Group>
      {hidden ? (
        <Text size="sm" c="dimmed" data-testid="address-hidden">
          {hidden}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('person.noneRecorded')}
        </Text>
      ) : (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((item) => (
            <Group
              key={item.id}
              component="li"
              justify="space-between"
              wrap="nowrap"
              py={6}
              gap="sm"
              style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
              data-part-id={item.id}
            >
              <div style={{ minWidth: 0 }}>{render(item)}</div>
              {canEdit ? (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  loading={remove.isPending && remove.variables?.id === item.id}
                  aria-label={t('person.removeNamed', { name: itemName(item) })}
                  onClick={async () => {
                    const ok = await confirmAction({
                      title: t('person.removeTitle'),
                      message: t('person.removeBody', { name: itemName(item) }),
                      confirmLabel: t('person.remove'),
                    });
                    if (ok) remove.mutate(item);
                  }}
                >
                  {t('person.remove')}
                </Button>
              ) : null}
            </Group>
          ))}
        </Stack>
      )}
      {adding ? <AddPartModal person={person} spec={spec} onClose={() => setAdding(false)} /> : null}
    </Card>
  );
}

/** The Details tab: main fields, names, documents, contacts and addresses. */
export function PersonDetails({ person, canEdit }: { person: PersonRecord; canEdit: boolean }) {
  const { t } = useTranslation();
  const hidden = person.address_hidden ? t('person.addressHidden') : undefined;
  const required = (value: string) => (value.trim() ? null : t('validation.required'));
  return (
    <Stack gap="lg">
      <MainCard person={person} canEdit={canEdit} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <PartCard
          person={person}
          canEdit={canEdit}
          items={person.names}
          spec={{
            part: 'names',
            title: t('person.otherNames'),
            addLabel: t('person.addName'),
            addTitle: t('person.addNameTitle'),
            empty: emptyName,
            fields: (input) => <NameFields input={input} autoFocus />,
            validate: (values) => ({
              chinese_name: values.chinese_name.trim() || values.family_name_en.trim() || values.given_names_en.trim() ? null : t('person.nameRequired'),
            }),
          }}
          itemName={(name) => [name.chinese_name, englishName(name)].filter(Boolean).join(' ')}
          render={(name) => (
            <Group gap="xs" wrap="wrap">
              <Badge variant="light" color="gray" tt="none">
                {t(`nameKind.${name.kind}`)}
              </Badge>
              <Text size="sm">{[name.chinese_name, englishName(name)].filter(Boolean).join(' ')}</Text>
            </Group>
          )}
        />
        <PartCard
          person={person}
          canEdit={canEdit}
          items={person.documents}
          spec={{
            part: 'documents',
            title: t('person.documents'),
            addLabel: t('person.addDocument'),
            addTitle: t('person.addDocumentTitle'),
            empty: emptyDocument,
            optional: ['issuer'],
            fields: (input, values) => <DocumentFields input={input} docType={values.doc_type} autoFocus />,
            validate: (values) => ({ number: required(values.number) }),
          }}
          itemName={(document) => `${t(`docType.${document.doc_type}`)} ${document.number ?? document.number_masked}`}
          render={(document) => (
            <Stack gap={0}>
              <Text size="sm" fw={600}>
                {t(`docType.${document.doc_type}`)}
              </Text>
              <Text size="sm" ff="monospace" data-testid="document-number">
                {document.number ?? document.number_masked}
              </Text>
              {document.issuer ? (
                <Text size="xs" c="dimmed">
                  {t('person.docIssuer')}: {document.issuer}
                </Text>
              ) : null}
            </Stack>
          )}
        />
        <PartCard
          person={person}
          canEdit={canEdit}
          items={person.contacts}
          hidden={hidden}
          spec={{
            part: 'contacts',
            title: t('person.contacts'),
            addLabel: t('person.addContact'),
            addTitle: t('person.addContactTitle'),
            empty: emptyContact,
            fields: (input, values) => <ContactFields input={input} kind={values.kind} autoFocus />,
            validate: (values) => ({ value: required(values.value) }),
          }}
          itemName={(contact) => contact.value}
          render={(contact) => (
            <Text size="sm">
              <Text component="span" size="sm" fw={600}>
                {t(`contactKind.${contact.kind}`)}
              </Text>{' '}
              {contact.value}
            </Text>
          )}
        />
        <PartCard
          person={person}
          canEdit={canEdit}
          items={person.addresses}
          hidden={hidden}
          spec={{
            part: 'addresses',
            title: t('person.addresses'),
            addLabel: t('person.addAddress'),
            addTitle: t('person.addAddressTitle'),
            empty: emptyAddress,
            fields: (input) => <AddressFields input={input} autoFocus />,
            validate: (values) => ({
              street: values.street.trim() || values.district.trim() || values.building.trim() ? null : t('person.addressRequired'),
            }),
          }}
          itemName={(address) => addressText(address)}
          render={(address) => (
            <Stack gap={0}>
              <Text size="sm" fw={600}>
                {t(`addressKind.${address.kind}`)}
              </Text>
              <Text size="sm">{addressText(address)}</Text>
            </Stack>
          )}
        />
      </SimpleGrid>
    </Stack>
  );
}
