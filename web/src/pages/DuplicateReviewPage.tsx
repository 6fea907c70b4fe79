import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  Modal,
  Radio,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../api/client';
import { duplicatesApi, type DuplicateDecision } from '../api/endpoints';
import { keys, useUnits } from '../api/queries';
import type { DuplicateItem, DuplicatePair, MergeRecord, PersonRecord, TakeableField } from '../api/types';
import { DateTime } from '../components/DateTime';
import { MergeItem, PairStatusBadge, UndoMergeModal } from '../components/MergeParts';
import { PageHeader } from '../components/PageHeader';
import { ReasonChips, ScoreBar } from '../components/PersonBits';
import { ProblemAlert } from '../components/ProblemAlert';
import { Loading, NotFound } from '../components/States';
import { applyProblem } from '../lib/forms';
import { formatDateTime } from '../lib/format';
import { notify } from '../lib/notify';
import { addressText, agreementReasons, birthText, contactUnitLabel, englishName, MIN_MERGE_REASON, primaryName } from '../lib/persons';
import { unitName } from '../lib/units';

/** One line of the comparison: a field of both records, and what a merge may take of it. */
interface CompareRow {
  key: string;
  label: string;
  of: (person: PersonRecord) => string[];
  /** The fields a merge takes from the other record when this row is ticked. */
  take?: TakeableField[];
  /** Shown for context only: never marked as a difference. */
  context?: boolean;
}

function same(left: string[], right: string[]): boolean {
  const norm = (values: string[]) => values.map((value) => value.trim().toLowerCase()).filter(Boolean).sort().join('\n');
  return norm(left) === norm(right);
}

/** The record registered first (kept by default). */
function older(left: PersonRecord, right: PersonRecord): PersonRecord {
  if (left.created_at !== right.created_at) return left.created_at < right.created_at ? left : right;
  return left.id < right.id ? left : right;
}

function useCompareRows(): CompareRow[] {
  const { t, i18n } = useTranslation();
  const units = useUnits();
  const unitLabel = (person: PersonRecord) => {
    const unit = units.data?.find((item) => item.id === person.registered_unit_id);
    if (unit) return `${unitName(unit, i18n.language)} (${unit.code})`;
    const contact = person.contact_units.find((item) => item.id === person.registered_unit_id);
    return contact ? contactUnitLabel(contact, i18n.language) : `#${person.registered_unit_id}`;
  };
  const one = (value: string | null | undefined) => (value ? [value] : []);
  return [
    { key: 'chinese_name', label: t('person.chineseName'), of: (p) => one(p.chinese_name), take: ['chinese_name'] },
    { key: 'family_name_en', label: t('person.familyNameEn'), of: (p) => one(p.family_name_en), take: ['family_name_en'] },
    { key: 'given_names_en', label: t('person.givenNamesEn'), of: (p) => one(p.given_names_en), take: ['given_names_en'] },
    { key: 'sex', label: t('person.sex'), of: (p) => [t(`sex.${p.sex}`)], take: ['sex'] },
    {
      key: 'birth_date',
      label: t('person.birthDate'),
      of: (p) => (p.birth_date ? [birthText(t, p.birth_date, p.birth_precision)] : []),
      take: ['birth_date', 'birth_precision'],
    },
    { key: 'death_date', label: t('person.deathDate'), of: (p) => one(p.death_date), take: ['death_date'] },
    {
      key: 'names',
      label: t('person.otherNames'),
      of: (p) => p.names.map((name) => `${[name.chinese_name, englishName(name)].filter(Boolean).join(' ')} (${t(`nameKind.${name.kind}`, { defaultValue: name.kind })})`),
    },
    {
      key: 'documents',
      label: t('person.documents'),
      of: (p) => p.documents.map((document) => `${t(`docType.${document.doc_type}`)} ${document.number ?? document.number_masked}`),
    },
    {
      key: 'contacts',
      label: t('person.contacts'),
      of: (p) => (p.address_hidden ? [t('duplicates.hidden')] : p.contacts.map((contact) => `${t(`contactKind.${contact.kind}`)} ${contact.value}`)),
    },
    {
      key: 'addresses',
      label: t('person.addresses'),
      of: (p) => (p.address_hidden ? [t('duplicates.hidden')] : p.addresses.map((address) => addressText(address))),
    },
    {
      key: 'languages',
      label: t('person.languages'),
      of: (p) => p.languages.map((code) => t(`personLanguage.${code}`, { defaultValue: code })),
    },
    { key: 'registered_unit', label: t('duplicates.registeredBy'), of: (p) => [unitLabel(p)], context: true },
    { key: 'created_at', label: t('duplicates.registeredOn'), of: (p) => [formatDateTime(p.created_at, i18n.language)], context: true },
  ];
}

function Values({ values }: { values: string[] }) {
  if (values.length === 0) return <>—</>;
  return (
    <Stack gap={2}>
      {values.map((value, index) => (
        <Text key={`${index}-${value}`} size="sm">
          {value}
        </Text>
      ))}
    </Stack>
  );
}

/** Both records field by field; the rows that differ are marked (colour and words). */
function Comparison({ left, right, rows, survivorId }: { left: PersonRecord; right: PersonRecord; rows: CompareRow[]; survivorId: number | null }) {
  const { t } = useTranslation();
  const heading = (person: PersonRecord) => (
    <Stack gap={2}>
      <Anchor component={Link} to={`/persons/${person.id}`} fw={700} size="sm">
        {t('person.recordNumber', { id: person.id })}
      </Anchor>
      <Group gap={4}>
        {person.id === older(left, right).id ? (
          <Badge size="sm" variant="light" color="gray" tt="none">
            {t('duplicates.older')}
          </Badge>
        ) : null}
        {person.status === 'merged' ? (
          <Badge size="sm" variant="light" color="gray" tt="none">
            {t('duplicates.mergedRecord')}
          </Badge>
        ) : null}
        {survivorId === person.id ? (
          <Badge size="sm" variant="light" color="teal" tt="none">
            {t('duplicates.kept')}
          </Badge>
        ) : null}
      </Group>
    </Stack>
  );
  return (
    <Table.ScrollContainer minWidth={420} scrollAreaProps={{ viewportProps: { tabIndex: 0, 'aria-label': t('duplicates.compareTitle') } }}>
      <Table withTableBorder withColumnBorders verticalSpacing="xs" data-testid="compare-table">
        <Table.Caption>{t('duplicates.compareCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w="24%">
              <VisuallyHidden>{t('person.field')}</VisuallyHidden>
            </Table.Th>
            <Table.Th scope="col" data-person-id={left.id}>
              {heading(left)}
            </Table.Th>
            <Table.Th scope="col" data-person-id={right.id}>
              {heading(right)}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const leftValues = row.of(left);
            const rightValues = row.of(right);
            const differs = !row.context && !same(leftValues, rightValues);
            const background = differs ? 'yellow.0' : undefined;
            return (
              <Table.Tr key={row.key} data-field={row.key} data-differs={differs ? 'true' : 'false'}>
                <Table.Th scope="row">
                  <Stack gap={2}>
                    <Text size="sm" fw={600}>
                      {row.label}
                    </Text>
                    {differs ? (
                      <Badge size="xs" variant="filled" color="dark.6" tt="none" data-testid="differs">
                        {t('duplicates.differs')}
                      </Badge>
                    ) : null}
                  </Stack>
                </Table.Th>
                <Table.Td bg={background}>
                  <Values values={leftValues} />
                </Table.Td>
                <Table.Td bg={background}>
                  <Values values={rightValues} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function DecisionModal({ pair, decision, onClose }: { pair: DuplicatePair; decision: 'distinct'; onClose: () => void }) {
  const { t } = useTranslation();
  const decide = useDecide(pair);
  const [error, setError] = useState<unknown>(null);
  const form = useForm({ initialValues: { note: '' } });
  return (
    <Modal opened onClose={onClose} title={t('duplicates.distinctTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        noValidate
        data-testid="distinct-form"
        onSubmit={form.onSubmit((values) =>
          decide.mutate(
            { decision, note: values.note.trim() },
            { onSuccess: onClose, onError: (caught) => setError(applyProblem(form, caught)) },
          ),
        )}
      >
        <Stack gap="md">
          <Text size="sm">{t('duplicates.distinctBody')}</Text>
          <ProblemAlert error={error} />
          <Textarea
            label={t('duplicates.note')}
            description={t('duplicates.noteHint')}
            autosize
            minRows={2}
            maxLength={1000}
            data-autofocus
            {...form.getInputProps('note')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={decide.isPending} data-testid="distinct-submit">
              {t('duplicates.distinct')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Records a decision on the pair and keeps the page and the queue up to date. */
function useDecide(pair: DuplicatePair) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ decision, note }: { decision: DuplicateDecision; note?: string }) => duplicatesApi.decide(pair.id, pair.version, decision, note),
    onSuccess: (updated) => {
      queryClient.setQueryData<DuplicateItem>(keys.duplicate(pair.id), (item) => (item ? { ...item, pair: updated } : item));
      void queryClient.invalidateQueries({ queryKey: ['duplicates', 'list'] });
      void queryClient.invalidateQueries({ queryKey: keys.openDuplicateCount });
      notify({ color: 'teal', message: t(`duplicates.decided.${updated.status}`, { defaultValue: t('common.saved') }) });
    },
    onError: (caught) => {
      if (isApiError(caught) && caught.code === 'version_conflict') void queryClient.invalidateQueries({ queryKey: keys.duplicate(pair.id) });
    },
  });
}

interface MergeValues {
  survivor: string;
  take: string[];
  reason: string;
}

function MergeModal({ item, rows, onClose, onMerged }: { item: DuplicateItem; rows: CompareRow[]; onClose: () => void; onMerged: (merge: MergeRecord) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { left, right, pair } = item;
  const [step, setStep] = useState<'form' | 'confirm'>('form');
  const [error, setError] = useState<unknown>(null);
  const form = useForm<MergeValues>({
    initialValues: { survivor: String(older(left, right).id), take: [], reason: '' },
    validate: {
      reason: (value) => (value.trim().length >= MIN_MERGE_REASON ? null : t('person.reasonTooShort', { min: MIN_MERGE_REASON })),
    },
  });
  const survivor = form.values.survivor === String(left.id) ? left : right;
  const merged = survivor === left ? right : left;
  // Only fields that differ and that the merged record has can be taken from it.
  const takeable = rows.filter((row) => row.take && row.of(merged).length > 0 && !same(row.of(survivor), row.of(merged)));
  const taken = takeable.filter((row) => form.values.take.includes(row.key));
  const merge = useMutation({
    mutationFn: () =>
      duplicatesApi.merge(survivor.id, {
        merged_id: merged.id,
        pair_id: pair.id,
        reason: form.values.reason.trim(),
        take_from_merged: taken.flatMap((row) => row.take ?? []),
      }),
    onSuccess: async (record) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['persons'] }),
        queryClient.invalidateQueries({ queryKey: ['duplicates'] }),
      ]);
      notify({ color: 'teal', message: t('merge.done', { merged: record.merged_id, survivor: record.survivor_id }) });
      onMerged(record);
      onClose();
    },
    onError: (caught) => {
      setStep('form');
      setError(applyProblem(form, caught, { merged_id: 'survivor' }));
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('merge.title')} size="xl" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {step === 'form' ? (
        <form
          noValidate
          data-testid="merge-form"
          onSubmit={form.onSubmit(() => {
            setError(null);
            setStep('confirm');
          })}
        >
          <Stack gap="md">
            <ProblemAlert error={error} />
            <Radio.Group
              label={t('merge.survivor')}
              description={t('merge.survivorHint')}
              {...form.getInputProps('survivor')}
              onChange={(value) => {
                form.setFieldValue('survivor', value);
                form.setFieldValue('take', []);
              }}
            >
              <Stack gap={6} mt={6}>
                {[left, right].map((person) => (
                  <Radio
                    key={person.id}
                    value={String(person.id)}
                    data-testid={`survivor-${person.id}`}
                    label={t('merge.keepRecord', { id: person.id, name: primaryName(person) || '—' })}
                    description={
                      <>
                        {t('duplicates.registeredOn')} <DateTime value={person.created_at} />
                        {person.id === older(left, right).id ? ` · ${t('duplicates.older')}` : ''}
                      </>
                    }
                  />
                ))}
              </Stack>
            </Radio.Group>
            <Checkbox.Group
              label={t('merge.takeLabel', { id: merged.id })}
              description={takeable.length === 0 ? t('merge.takeNone') : t('merge.takeHint', { survivor: survivor.id })}
              {...form.getInputProps('take')}
            >
              <Stack gap={6} mt={6} data-testid="take-fields">
                {takeable.map((row) => (
                  <Checkbox
                    key={row.key}
                    value={row.key}
                    data-field={row.key}
                    label={t('merge.takeField', {
                      field: row.label,
                      value: row.of(merged).join(t('person.separator')),
                      current: row.of(survivor).join(t('person.separator')) || '—',
                    })}
                  />
                ))}
              </Stack>
            </Checkbox.Group>
            <Alert variant="light" color="blue" title={t('merge.movesTitle')}>
              <Text size="sm">{t('merge.movesBody', { merged: merged.id, survivor: survivor.id })}</Text>
            </Alert>
            <Textarea
              label={t('merge.reasonLabel')}
              description={t('merge.reasonHint', { min: MIN_MERGE_REASON })}
              required
              autosize
              minRows={2}
              maxLength={2000}
              {...form.getInputProps('reason')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" data-testid="merge-continue">
                {t('common.continue')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack gap="md" data-testid="merge-confirm-step">
          <Alert color="orange" variant="light" title={t('merge.confirmTitle', { merged: merged.id, survivor: survivor.id })}>
            <List size="sm" spacing={4}>
              <List.Item>{t('merge.confirmKept', { id: survivor.id, name: primaryName(survivor) || '—' })}</List.Item>
              <List.Item>{t('merge.confirmMerged', { id: merged.id })}</List.Item>
              <List.Item>
                {taken.length > 0
                  ? t('merge.confirmTaken', { fields: taken.map((row) => row.label).join(t('person.separator')) })
                  : t('merge.confirmTakenNone')}
              </List.Item>
              <List.Item>
                {t('merge.reason')}: {form.values.reason.trim()}
              </List.Item>
            </List>
          </Alert>
          <Text size="sm">{t('merge.confirmUndo')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setStep('form')} data-testid="merge-back">
              {t('merge.back')}
            </Button>
            <Button loading={merge.isPending} onClick={() => merge.mutate()} data-testid="merge-confirm" data-autofocus>
              {t('merge.confirm')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** The merge that settled the pair (found among the merges of its records), with undo. */
function MergeResult({ pair, fresh }: { pair: DuplicatePair; fresh: MergeRecord | null }) {
  const { t } = useTranslation();
  const [undoing, setUndoing] = useState<MergeRecord | null>(null);
  const merges = useQuery({
    queryKey: keys.merges(pair.left_id),
    queryFn: async () => (await duplicatesApi.mergesOf(pair.left_id)).items,
  });
  const others = useQuery({
    queryKey: keys.merges(pair.right_id),
    queryFn: async () => (await duplicatesApi.mergesOf(pair.right_id)).items,
  });
  const all = [...(merges.data ?? []), ...(others.data ?? [])];
  const merge =
    all.find((item) => item.pair_id === pair.id && !item.undone_at) ??
    all.find((item) => !item.undone_at && [pair.left_id, pair.right_id].includes(item.survivor_id) && [pair.left_id, pair.right_id].includes(item.merged_id)) ??
    fresh;
  if (!merge) return merges.isLoading || others.isLoading ? <Loading /> : null;
  return (
    <Card withBorder padding="lg" data-testid="merge-result" data-merge-id={merge.id} data-survivor={merge.survivor_id}>
      <Title order={2} fz="h3" mb="xs">
        {t('merge.resultTitle')}
      </Title>
      <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        <MergeItem merge={merge} onUndo={setUndoing} />
      </Stack>
      <Group mt="sm">
        <Button component={Link} to={`/persons/${merge.survivor_id}`} variant="light" data-testid="open-survivor">
          {t('merge.openSurvivor', { id: merge.survivor_id })}
        </Button>
        <Button component={Link} to={`/persons/${merge.merged_id}`} variant="subtle" data-testid="open-merged">
          {t('merge.openMerged', { id: merge.merged_id })}
        </Button>
      </Group>
      {undoing ? <UndoMergeModal merge={undoing} onClose={() => setUndoing(null)} /> : null}
    </Card>
  );
}

function DecisionInfo({ pair, t }: { pair: DuplicatePair; t: TFunction }) {
  if (!pair.decided_at && !pair.note) return null;
  return (
    <Stack gap={2}>
      {pair.note ? (
        <Text size="sm" data-testid="pair-note">
          {t('duplicates.note')}: {pair.note}
        </Text>
      ) : null}
      {pair.decided_at ? (
        <Text size="xs" c="dimmed">
          {t('duplicates.decidedAt')} <DateTime value={pair.decided_at} />
        </Text>
      ) : null}
    </Stack>
  );
}

/** Two records side by side, the reasons they match, and the decision: different people, later, or merge. */
export function DuplicateReviewPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const pairId = Number(id);
  const valid = Number.isInteger(pairId) && pairId > 0;
  const rows = useCompareRows();
  const [dialog, setDialog] = useState<'distinct' | 'merge' | null>(null);
  const [fresh, setFresh] = useState<MergeRecord | null>(null);
  // Each load is recorded as a view of both records: do not load again without need.
  const query = useQuery({
    queryKey: keys.duplicate(pairId),
    queryFn: () => duplicatesApi.get(pairId),
    enabled: valid,
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: false,
  });
  const item = query.data;
  const decide = useDecide(item?.pair ?? ({ id: pairId, version: 0 } as DuplicatePair));
  if (!valid || (isApiError(query.error) && query.error.status === 404)) return <NotFound />;
  if (query.isLoading) return <Loading />;
  if (query.error) return <ProblemAlert error={query.error} />;
  if (!item) return null;
  const { pair, left, right } = item;
  const open = pair.status === 'open' || pair.status === 'deferred';
  const bothActive = left.status === 'active' && right.status === 'active';
  return (
    <>
      <Anchor component={Link} to="/duplicates" size="sm" mb="xs" display="inline-block">
        {t('duplicates.backToQueue')}
      </Anchor>
      <PageHeader title={t('duplicates.reviewTitle', { id: pair.id })} description={t('duplicates.reviewDescription')} actions={<PairStatusBadge status={pair.status} />} />
      <Stack gap="lg">
        <Card withBorder padding="lg" data-testid="pair-summary">
          <Stack gap="sm">
            <Group gap="lg" wrap="wrap">
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" fw={600}>
                  {t('duplicates.probability')}
                </Text>
                <ScoreBar score={Math.round(pair.probability * 100)} />
              </Group>
              <Text size="sm">
                {t('duplicates.source')}: {t(`duplicateSource.${pair.source}`, { defaultValue: pair.source })}
              </Text>
              <Text size="sm" c="dimmed">
                {t('duplicates.foundOn')} <DateTime value={pair.created_at} />
              </Text>
            </Group>
            <ReasonChips reasons={agreementReasons(pair.agreements)} />
            <DecisionInfo pair={pair} t={t} />
          </Stack>
        </Card>
        <section aria-labelledby="compare-title">
          <Title order={2} fz="h3" mb="sm" id="compare-title">
            {t('duplicates.compareTitle')}
          </Title>
          <Comparison left={left} right={right} rows={rows} survivorId={pair.status === 'merged' ? (left.status === 'merged' ? right.id : left.id) : null} />
        </section>
        {decide.error ? <ProblemAlert error={decide.error} /> : null}
        {open && bothActive ? (
          <Card withBorder padding="lg" data-testid="pair-actions">
            <Title order={2} fz="h3" mb="xs">
              {t('duplicates.decisionTitle')}
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              {t('duplicates.decisionBody')}
            </Text>
            <Group gap="sm" wrap="wrap">
              <Button onClick={() => setDialog('merge')} data-testid="merge">
                {t('duplicates.merge')}
              </Button>
              <Button variant="light" onClick={() => setDialog('distinct')} data-testid="distinct">
                {t('duplicates.distinct')}
              </Button>
              {pair.status === 'open' ? (
                <Button variant="default" loading={decide.isPending} onClick={() => decide.mutate({ decision: 'deferred' })} data-testid="defer">
                  {t('duplicates.defer')}
                </Button>
              ) : (
                <Button variant="default" loading={decide.isPending} onClick={() => decide.mutate({ decision: 'open' })} data-testid="reopen">
                  {t('duplicates.reopen')}
                </Button>
              )}
            </Group>
          </Card>
        ) : null}
        {pair.status === 'distinct' ? (
          <Group>
            <Button variant="default" loading={decide.isPending} onClick={() => decide.mutate({ decision: 'open' })} data-testid="reopen">
              {t('duplicates.reopen')}
            </Button>
          </Group>
        ) : null}
        {pair.status === 'merged' ? <MergeResult pair={pair} fresh={fresh} /> : null}
      </Stack>
      {dialog === 'distinct' ? <DecisionModal pair={pair} decision="distinct" onClose={() => setDialog(null)} /> : null}
      {dialog === 'merge' ? <MergeModal item={item} rows={rows} onClose={() => setDialog(null)} onMerged={setFresh} /> : null}
    </>
  );
}
