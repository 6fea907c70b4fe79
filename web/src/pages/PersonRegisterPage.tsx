import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Fieldset,
  Group,
  Modal,
  MultiSelect,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { randomId, useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../api/client';
import { personsApi, type Registration } from '../api/endpoints';
import { keys, useUnits } from '../api/queries';
import type { SearchHit, Sex } from '../api/types';
import { PageHeader } from '../components/PageHeader';
import {
  AddressFields,
  addressIsEmpty,
  ContactFields,
  contactIsEmpty,
  DocumentFields,
  documentIsEmpty,
  emptyAddress,
  emptyContact,
  emptyDocument,
  emptyName,
  NameFields,
  nameIsEmpty,
  trimmed,
  type AddressValues,
  type ContactValues,
  type DocumentValues,
  type NameValues,
} from '../components/PersonPartFields';
import { contactUnitsText, HitCard, ReasonChips, ScoreBar } from '../components/PersonBits';
import { ProblemAlert } from '../components/ProblemAlert';
import { useUnitLabel } from '../components/UnitSelect';
import { applyProblem } from '../lib/forms';
import { notify } from '../lib/notify';
import { birthText, englishName, hitIds, isRestricted, LANGUAGE_CODES, MIN_OVERRIDE_REASON, PARTIAL_DATE } from '../lib/persons';
import { useSession } from '../session/SessionContext';

type Keyed<T> = T & { key: string };

interface Values {
  chinese_name: string;
  family_name_en: string;
  given_names_en: string;
  sex: string;
  birth_date: string;
  estimated: boolean;
  languages: string[];
  protected_address: boolean;
  names: Keyed<NameValues>[];
  documents: Keyed<DocumentValues>[];
  contacts: Keyed<ContactValues>[];
  addresses: Keyed<AddressValues>[];
}

const PARTS = ['names', 'documents', 'contacts', 'addresses'] as const;
type Part = (typeof PARTS)[number];

const keyed = <T,>(value: T): Keyed<T> => ({ ...value, key: randomId() });

const initialValues = (): Values => ({
  chinese_name: '',
  family_name_en: '',
  given_names_en: '',
  sex: '',
  birth_date: '',
  estimated: false,
  languages: [],
  protected_address: false,
  names: [],
  documents: [keyed(emptyDocument())],
  contacts: [keyed(emptyContact())],
  addresses: [keyed(emptyAddress())],
});

/** The body to send, without the rows left empty; `rows` maps each sent row back to its row in the form. */
function toRegistration(values: Values): { body: Registration; rows: Record<Part, number[]> } {
  const rows: Record<Part, number[]> = { names: [], documents: [], contacts: [], addresses: [] };
  const keep = <T,>(part: Part, items: T[], empty: (item: T) => boolean) =>
    items.filter((item, index) => {
      if (empty(item)) return false;
      rows[part].push(index);
      return true;
    });
  const body: Registration = {
    chinese_name: values.chinese_name.trim(),
    family_name_en: values.family_name_en.trim(),
    given_names_en: values.given_names_en.trim(),
    sex: (values.sex || 'unknown') as Sex,
    birth_date: values.birth_date.trim(),
    ...(values.estimated ? { birth_precision: 'estimated' as const } : {}),
    languages: values.languages,
    protected_address: values.protected_address,
    names: keep('names', values.names, nameIsEmpty).map((name) => trimmed(name)),
    documents: keep('documents', values.documents, documentIsEmpty).map((document) => trimmed(document, ['issuer'])),
    contacts: keep('contacts', values.contacts, contactIsEmpty).map((contact) => trimmed(contact)),
    addresses: keep('addresses', values.addresses, addressIsEmpty).map((address) => trimmed(address)),
  };
  return { body, rows };
}

/** The server names a row by its place in what was sent ("documents.0.number"): find it in the form. */
function rowAliases(error: unknown, rows: Record<Part, number[]>): Record<string, string> {
  if (!isApiError(error)) return {};
  const aliases: Record<string, string> = {};
  for (const problem of error.errors) {
    const match = /^(names|documents|contacts|addresses)\.(\d+)\.(.+)$/.exec(problem.field);
    if (!match) continue;
    const row = rows[match[1] as Part][Number(match[2])];
    if (row !== undefined) aliases[problem.field] = `${match[1]}.${row}.${match[3]}`;
  }
  return aliases;
}

/** Whether enough is typed to look for existing records: a name and a date of birth or an identity number. */
function readyForCheck(values: Values): boolean {
  const named = Boolean(values.chinese_name.trim() || values.family_name_en.trim() || values.given_names_en.trim());
  const born = PARTIAL_DATE.test(values.birth_date.trim());
  const documented = values.documents.some((document) => document.number.trim().length >= 6);
  return named && (born || documented);
}

/** The duplicate check only reads; a half-typed part (e.g. a phone number) should not stop it. */
async function checkDuplicates(body: Registration, signal: AbortSignal) {
  try {
    return await personsApi.duplicateCheck(body, signal);
  } catch (error) {
    if (!isApiError(error) || error.status !== 422) throw error;
    const bare: Registration = { ...body, names: [], documents: [], contacts: [], addresses: [] };
    return personsApi.duplicateCheck(bare, signal);
  }
}

function precisionOf(text: string, estimated: boolean): string | null {
  const value = text.trim();
  if (!PARTIAL_DATE.test(value)) return null;
  if (estimated) return 'estimated';
  return value.length === 10 ? 'full' : value.length === 7 ? 'year_month' : 'year';
}

function Section({ title, description, children, testId }: { title: string; description?: string; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder padding="lg" component="section" aria-label={title} data-testid={testId}>
      <Title order={2} fz="h4" mb={description ? 4 : 'sm'}>
        {title}
      </Title>
      {description ? (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      ) : null}
      {children}
    </Card>
  );
}

/** Repeatable rows (documents, contacts …) with add and remove. */
function Rows<T extends { key: string }>({
  form,
  part,
  legend,
  addLabel,
  removeLabel,
  empty,
  render,
}: {
  form: UseFormReturnType<Values>;
  part: Part;
  legend: (n: number) => string;
  addLabel: string;
  removeLabel: (n: number) => string;
  empty: () => Omit<T, 'key'>;
  render: (index: number, row: T) => ReactNode;
}) {
  const rows = form.values[part] as unknown as T[];
  return (
    <Stack gap="sm">
      {rows.map((row, index) => (
        <Fieldset key={row.key} legend={legend(index + 1)} variant="filled" data-testid={`${part}-row`}>
          <Stack gap="xs">
            {render(index, row)}
            <Group justify="flex-end">
              <Button variant="subtle" color="red" size="xs" onClick={() => form.removeListItem(part, index)}>
                {removeLabel(index + 1)}
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      ))}
      <Group>
        <Button variant="light" size="sm" onClick={() => form.insertListItem(part, keyed(empty()) as never)} data-testid={`add-${part}`}>
          {addLabel}
        </Button>
      </Group>
    </Stack>
  );
}

/** "Possible existing records" while the form is filled in. */
function PossibleDuplicates({ values }: { values: Values }) {
  const { t } = useTranslation();
  const ready = readyForCheck(values);
  const [debounced] = useDebouncedValue(ready ? JSON.stringify(toRegistration(values).body) : null, 600);
  const check = useQuery({
    queryKey: keys.duplicateCheck(debounced),
    queryFn: ({ signal }) => checkDuplicates(JSON.parse(debounced ?? '{}') as Registration, signal),
    enabled: debounced !== null,
    staleTime: 60_000,
    retry: false,
  });
  const hits = debounced !== null ? (check.data?.items ?? []) : [];
  return (
    <Card withBorder padding="lg" component="aside" aria-labelledby="possible-duplicates-title" data-testid="possible-duplicates" className="register-aside">
      <Title order={2} fz="h4" mb="xs" id="possible-duplicates-title">
        {t('person.possibleTitle')}
      </Title>
      <div aria-live="polite">
        {!ready ? (
          <Text size="sm" c="dimmed">
            {t('person.possibleWaiting')}
          </Text>
        ) : check.isFetching && hits.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('person.possibleChecking')}
          </Text>
        ) : hits.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="possible-none">
            {check.isError ? t('person.possibleUnavailable') : t('person.possibleNone')}
          </Text>
        ) : (
          <Stack gap="sm">
            <Text size="sm" fw={600} data-testid="possible-count">
              {t('person.possibleFound', { count: hits.length })}
            </Text>
            {hits.map((hit) => (
              <HitCard key={hit.person.id} hit={hit} headingLevel={3} />
            ))}
          </Stack>
        )}
      </div>
    </Card>
  );
}

/** The 409 answer: each candidate beside what was typed, then "open it" or "this is a different person". */
function DuplicateReview({
  values,
  candidates,
  pending,
  error,
  onClose,
  onOverride,
}: {
  values: Values;
  candidates: SearchHit[];
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onOverride: (reason: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [different, setDifferent] = useState(false);
  const form = useForm({
    initialValues: { reason: '' },
    validate: {
      reason: (value) =>
        value.trim().length >= MIN_OVERRIDE_REASON ? null : t('person.reasonTooShort', { min: MIN_OVERRIDE_REASON }),
    },
  });
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    setProblem(applyProblem(form, error, { 'duplicate_override.reason': 'reason' }));
  }, [error]);
  const typedName = [values.family_name_en.trim(), values.given_names_en.trim()].filter(Boolean).join(' ');
  const typedDistricts = values.addresses.map((address) => address.district.trim()).filter(Boolean).join(t('person.separator'));
  const rows: { label: string; typed: string; of: (hit: SearchHit) => string }[] = [
    { label: t('person.chineseName'), typed: values.chinese_name.trim(), of: (hit) => (isRestricted(hit.person) ? '' : (hit.person.chinese_name ?? '')) },
    { label: t('person.englishName'), typed: typedName, of: (hit) => (isRestricted(hit.person) ? '' : englishName(hit.person)) },
    { label: t('person.sex'), typed: values.sex ? t(`sex.${values.sex}`) : '', of: (hit) => (isRestricted(hit.person) ? '' : t(`sex.${hit.person.sex}`)) },
    {
      label: t('person.birthDate'),
      typed: values.birth_date.trim() ? birthText(t, values.birth_date.trim(), values.estimated ? 'estimated' : null) : '',
      of: (hit) => (isRestricted(hit.person) ? '' : birthText(t, hit.person.birth_date, hit.person.birth_precision)),
    },
    { label: t('person.district'), typed: typedDistricts, of: (hit) => (isRestricted(hit.person) ? '' : (hit.person.district ?? '')) },
  ];
  const dash = '—';
  return (
    <Modal opened onClose={onClose} title={t('person.duplicatesTitle')} size="xl" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="md" data-testid="duplicate-review">
        <Text size="sm">{t('person.duplicatesBody')}</Text>
        <Table.ScrollContainer
          minWidth={220 + 200 * (candidates.length + 1)}
          scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': t('person.duplicatesTitle') } }}
        >
          <Table withTableBorder withColumnBorders verticalSpacing="xs" data-testid="duplicate-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('person.field')}</VisuallyHidden>
                </Table.Th>
                <Table.Th scope="col" bg="blue.0">
                  {t('person.youTyped')}
                </Table.Th>
                {candidates.map((hit) => (
                  <Table.Th scope="col" key={hit.person.id} data-candidate={hit.person.id}>
                    {t('person.recordNumber', { id: hit.person.id })}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, rowIndex) => (
                <Table.Tr key={row.label}>
                  <Table.Th scope="row">{row.label}</Table.Th>
                  <Table.Td bg="blue.0">{row.typed || dash}</Table.Td>
                  {candidates.map((hit) =>
                    isRestricted(hit.person) ? (
                      rowIndex === 0 ? (
                        <Table.Td key={hit.person.id} rowSpan={rows.length} data-testid="candidate-restricted">
                          {t('person.knownContact', { units: contactUnitsText(hit.person.contact_units, i18n.language) })}
                        </Table.Td>
                      ) : null
                    ) : (
                      <Table.Td key={hit.person.id}>{row.of(hit) || dash}</Table.Td>
                    ),
                  )}
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Th scope="row">{t('person.match')}</Table.Th>
                <Table.Td bg="blue.0">{dash}</Table.Td>
                {candidates.map((hit) => (
                  <Table.Td key={hit.person.id}>
                    <Stack gap={6}>
                      <ScoreBar score={hit.score} />
                      <ReasonChips reasons={hit.reasons} />
                    </Stack>
                  </Table.Td>
                ))}
              </Table.Tr>
              <Table.Tr>
                <Table.Td />
                <Table.Td bg="blue.0" />
                {candidates.map((hit) => (
                  <Table.Td key={hit.person.id}>
                    <Button component={Link} to={`/persons/${hit.person.id}`} variant="light" size="xs" data-testid="open-candidate">
                      {t('person.openThis')}
                    </Button>
                  </Table.Td>
                ))}
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {different ? (
          <form
            noValidate
            data-testid="override-form"
            onSubmit={form.onSubmit((override) => onOverride(override.reason.trim()))}
          >
            <Stack gap="sm">
              <ProblemAlert error={problem} />
              <Textarea
                label={t('person.overrideReason')}
                description={t('person.overrideHint', { min: MIN_OVERRIDE_REASON })}
                required
                autosize
                minRows={2}
                maxLength={1000}
                data-autofocus
                {...form.getInputProps('reason')}
              />
              <Group justify="flex-end">
                <Button variant="default" onClick={onClose}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={pending} data-testid="override-submit">
                  {t('person.overrideSubmit')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('person.backToForm')}
            </Button>
            <Button variant="light" color="orange" onClick={() => setDifferent(true)} data-testid="different-person">
              {t('person.differentPerson')}
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}

export function PersonRegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { session } = useSession();
  const units = useUnits();
  const unitLabel = useUnitLabel(units.data);
  const [error, setError] = useState<unknown>(null);
  const [candidates, setCandidates] = useState<SearchHit[] | null>(null);
  const [overrideError, setOverrideError] = useState<unknown>(null);
  const form = useForm<Values>({
    initialValues: initialValues(),
    validate: {
      chinese_name: (value, values) =>
        value.trim() || values.family_name_en.trim() || values.given_names_en.trim() ? null : t('person.nameRequired'),
      sex: (value) => (value ? null : t('validation.required')),
      birth_date: (value) => (!value.trim() || PARTIAL_DATE.test(value.trim()) ? null : t('person.birthFormat')),
      documents: {
        number: (value, values, path) => {
          const row = values.documents[Number(path.split('.')[1])];
          return row && !documentIsEmpty(row) && !value.trim() ? t('validation.required') : null;
        },
      },
      addresses: {
        street: (_value, values, path) => {
          const row = values.addresses[Number(path.split('.')[1])];
          return row && !addressIsEmpty(row) && !row.street.trim() && !row.district.trim() && !row.building.trim()
            ? t('person.addressRequired')
            : null;
        },
      },
    },
  });

  const create = useMutation({
    mutationFn: (override: { reason: string; reviewed_ids: number[] } | null) => {
      const { body } = toRegistration(form.values);
      return personsApi.create(override ? { ...body, duplicate_override: override } : body);
    },
    onSuccess: async (person) => {
      await queryClient.invalidateQueries({ queryKey: ['persons'] });
      queryClient.setQueryData(keys.person(person.id), person);
      notify({ color: 'teal', message: t('person.registered', { name: person.chinese_name || englishName(person) }) });
      setCandidates(null);
      navigate(`/persons/${person.id}`);
    },
    onError: (caught, override) => {
      if (isApiError(caught) && caught.code === 'possible_duplicates') {
        setCandidates(Array.isArray(caught.extra.candidates) ? (caught.extra.candidates as SearchHit[]) : []);
        setOverrideError(override ? caught : null);
        return;
      }
      const onOverride = Boolean(override) && isApiError(caught) && caught.errors.some((field) => field.field.startsWith('duplicate_override'));
      if (onOverride) {
        setOverrideError(caught);
        return;
      }
      setCandidates(null);
      setError(applyProblem(form, caught, rowAliases(caught, toRegistration(form.values).rows)));
    },
  });

  const precision = precisionOf(form.values.birth_date, form.values.estimated);
  return (
    <>
      <Anchor component={Link} to="/persons" size="sm" mb="xs" display="inline-block">
        {t('person.backToSearch')}
      </Anchor>
      <PageHeader
        title={t('person.registerTitle')}
        description={t('person.registerDescription', { unit: session ? unitLabel(session.user.unit_id) : '' })}
      />
      <form
        noValidate
        data-testid="person-register-form"
        onSubmit={form.onSubmit(
          () => {
            setError(null);
            setOverrideError(null);
            create.mutate(null);
          },
          () => setError(null),
        )}
      >
        <div className="register-layout">
          <Section title={t('person.namesSection')} testId="section-names">
            <Stack gap="sm">
              <TextInput
                label={t('person.chineseName')}
                maxLength={40}
                autoComplete="off"
                w={{ base: '100%', sm: '50%' }}
                {...form.getInputProps('chinese_name')}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput label={t('person.familyNameEn')} maxLength={80} autoComplete="off" {...form.getInputProps('family_name_en')} />
                <TextInput label={t('person.givenNamesEn')} maxLength={120} autoComplete="off" {...form.getInputProps('given_names_en')} />
              </SimpleGrid>
              <Text size="sm" c="dimmed">
                {t('person.namesHint')}
              </Text>
              <Rows<Keyed<NameValues>>
                form={form}
                part="names"
                legend={(n) => t('person.otherNameN', { n })}
                addLabel={t('person.addName')}
                removeLabel={(n) => t('person.removeOtherNameN', { n })}
                empty={emptyName}
                render={(index) => <NameFields input={(field) => form.getInputProps(`names.${index}.${field}`)} />}
              />
            </Stack>
          </Section>
          <Section title={t('person.birthSection')} testId="section-birth">
            <Stack gap="sm">
              <Radio.Group label={t('person.sex')} required {...form.getInputProps('sex')}>
                <Group gap="lg" mt={6}>
                  {(['female', 'male', 'unknown'] as const).map((sex) => (
                    <Radio key={sex} value={sex} label={t(`sex.${sex}`)} />
                  ))}
                </Group>
              </Radio.Group>
              <TextInput
                label={t('person.birthDate')}
                description={t('person.birthHint')}
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                placeholder={t('person.birthPlaceholder')}
                autoComplete="off"
                w={{ base: '100%', sm: 320 }}
                {...form.getInputProps('birth_date')}
              />
              <Group gap="md" wrap="wrap">
                <Checkbox label={t('person.estimated')} {...form.getInputProps('estimated', { type: 'checkbox' })} />
                {precision ? (
                  <Badge variant="light" color="gray" tt="none" data-testid="birth-precision">
                    {t(`birthPrecision.${precision}`)}
                  </Badge>
                ) : null}
              </Group>
            </Stack>
          </Section>
          <PossibleDuplicates values={form.values} />
          <Section title={t('person.documentsSection')} description={t('person.documentsHint')} testId="section-documents">
            <Rows<Keyed<DocumentValues>>
              form={form}
              part="documents"
              legend={(n) => t('person.documentN', { n })}
              addLabel={t('person.addDocument')}
              removeLabel={(n) => t('person.removeDocumentN', { n })}
              empty={emptyDocument}
              render={(index, row) => <DocumentFields docType={row.doc_type} input={(field) => form.getInputProps(`documents.${index}.${field}`)} />}
            />
          </Section>
          <Section title={t('person.contactsSection')} testId="section-contacts">
            <Rows<Keyed<ContactValues>>
              form={form}
              part="contacts"
              legend={(n) => t('person.contactN', { n })}
              addLabel={t('person.addContact')}
              removeLabel={(n) => t('person.removeContactN', { n })}
              empty={emptyContact}
              render={(index, row) => <ContactFields kind={row.kind} input={(field) => form.getInputProps(`contacts.${index}.${field}`)} />}
            />
          </Section>
          <Section title={t('person.addressesSection')} testId="section-addresses">
            <Stack gap="sm">
              <Rows<Keyed<AddressValues>>
                form={form}
                part="addresses"
                legend={(n) => t('person.addressN', { n })}
                addLabel={t('person.addAddress')}
                removeLabel={(n) => t('person.removeAddressN', { n })}
                empty={emptyAddress}
                render={(index) => <AddressFields input={(field) => form.getInputProps(`addresses.${index}.${field}`)} />}
              />
              <Switch
                label={t('person.protectedAddress')}
                description={t('person.protectedAddressHint')}
                data-testid="protected-address"
                {...form.getInputProps('protected_address', { type: 'checkbox' })}
              />
            </Stack>
          </Section>
          <Section title={t('person.languagesSection')} testId="section-languages">
            <MultiSelect
              label={t('person.languages')}
              placeholder={form.values.languages.length === 0 ? t('person.languagesPlaceholder') : undefined}
              searchable
              data={LANGUAGE_CODES.map((code) => ({ value: code, label: t(`personLanguage.${code}`) }))}
              nothingFoundMessage={t('common.nothingFound')}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('languages')}
            />
          </Section>
          <Stack gap="sm">
            <ProblemAlert error={error} />
            {Object.keys(form.errors).length > 0 && !error ? (
              <Alert color="red" variant="light" role="alert" data-testid="form-has-errors">
                {t('person.fixErrors')}
              </Alert>
            ) : null}
            <Group justify="flex-end">
              <Button component={Link} to="/persons" variant="default">
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending && candidates === null} data-testid="person-register-submit">
                {t('person.registerSubmit')}
              </Button>
            </Group>
          </Stack>
        </div>
      </form>
      {candidates ? (
        <DuplicateReview
          values={form.values}
          candidates={candidates}
          pending={create.isPending}
          error={overrideError}
          onClose={() => {
            setCandidates(null);
            setOverrideError(null);
          }}
          onOverride={(reason) => {
            setOverrideError(null);
            create.mutate({ reason, reviewed_ids: hitIds(candidates) });
          }}
        />
      ) : null}
    </>
  );
}
