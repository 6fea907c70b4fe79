import { Anchor, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notify } from '../lib/notify';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../api/client';
import { auditApi, jobsApi, type AuditFilters } from '../api/endpoints';
import { keys, useUnits } from '../api/queries';
import { DateTime } from '../components/DateTime';
import { JobProgressBar, JobResult, JobStatusBadge } from '../components/JobProgress';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Empty, Loading } from '../components/States';
import { useUnitLabel } from '../components/UnitSelect';
import { ActionLabel, Changes } from '../components/AuditParts';
import { actionKey, KNOWN_ACTIONS, RECORD_TYPES } from '../lib/audit';
import { startOfLocalDay } from '../lib/format';
import { useSession } from '../session/SessionContext';

interface FilterValues {
  actor: string;
  action: string;
  record_type: string;
  record_id: string;
  from: string;
  to: string;
}

const EMPTY: FilterValues = { actor: '', action: '', record_type: '', record_id: '', from: '', to: '' };

function toQuery(values: FilterValues): AuditFilters {
  const filters: AuditFilters = {};
  if (values.actor.trim()) filters.actor = values.actor.trim();
  if (values.action) filters.action = values.action;
  if (values.record_type) filters.record_type = values.record_type;
  if (values.record_id.trim()) filters.record_id = values.record_id.trim();
  const from = values.from ? startOfLocalDay(values.from) : undefined;
  const to = values.to ? startOfLocalDay(values.to, 1) : undefined;
  if (from) filters.from = from;
  if (to) filters.to = to;
  return filters;
}

/** Where a record of the trail can be opened, when the caller may. */
function recordPath(type: string, id: string | null, can: (permission: string) => boolean): string | null {
  if (!id) return null;
  if (type === 'staff' && can('staff.read')) return `/staff/${id}`;
  if (type === 'person' && can('persons.search')) return `/persons/${id}`;
  if (type === 'duplicate_pair' && can('persons.merge')) return `/duplicates/${id}`;
  return null;
}

function VerifyPanel() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [jobId, setJobId] = useState<number | null>(null);
  const start = useMutation({
    mutationFn: auditApi.verify,
    onSuccess: (answer) => setJobId(answer.job.id),
    onError: (caught) =>
      notify({ color: 'red', title: isApiError(caught) ? caught.title : t('errors.unexpected'), message: isApiError(caught) ? caught.detail : '' }),
  });
  const job = useQuery({
    queryKey: keys.job(jobId ?? 0),
    queryFn: () => jobsApi.get(jobId ?? 0),
    enabled: jobId !== null && can('jobs.read'),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : 1000;
    },
  });
  const shown = job.data ?? start.data?.job ?? null;
  return (
    <Card withBorder padding="md" mb="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={2} style={{ flex: 1, minWidth: 240 }}>
          <Title order={2} fz="h4">
            {t('audit.verifyTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('audit.verifyDescription')}
          </Text>
        </Stack>
        <Button
          variant="light"
          onClick={() => start.mutate()}
          loading={start.isPending || (shown !== null && (shown.status === 'queued' || shown.status === 'running'))}
          data-testid="verify"
        >
          {t('audit.verify')}
        </Button>
      </Group>
      {shown ? (
        <Stack gap="xs" mt="md" aria-live="polite" data-testid="verify-job">
          <Group gap="sm">
            <JobStatusBadge job={shown} />
            <JobProgressBar job={shown} />
          </Group>
          <JobResult job={shown} />
          {!can('jobs.read') ? (
            <Text size="sm" c="dimmed">
              {t('audit.verifyNoJobs')}
            </Text>
          ) : null}
        </Stack>
      ) : null}
    </Card>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const units = useUnits();
  const unitLabel = useUnitLabel(units.data);
  const [filters, setFilters] = useState<AuditFilters>({});
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const [exporting, setExporting] = useState(false);
  const form = useForm<FilterValues>({
    initialValues: EMPTY,
    validate: {
      to: (value, values) => (value && values.from && value < values.from ? t('audit.toBeforeFrom') : null),
    },
  });
  const list = useInfiniteQuery({
    queryKey: keys.audit(filters),
    queryFn: ({ pageParam }) => auditApi.search(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
  const entries = list.data?.pages.flatMap((page) => page.items) ?? [];
  const toggle = (id: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const exportCsv = async () => {
    setExporting(true);
    try {
      await auditApi.exportCsv(filters);
    } catch (caught) {
      notify({ color: 'red', title: isApiError(caught) ? caught.title : t('errors.unexpected'), message: isApiError(caught) ? caught.detail : '' });
    } finally {
      setExporting(false);
    }
  };

  const actionOptions = [
    { group: t('audit.actionGroups'), items: ['session.', 'unit.', 'staff.', 'me.', 'token.', 'person.', 'duplicate.', 'household.'].map((prefix) => ({ value: prefix, label: t('audit.allOf', { prefix }) })) },
    { group: t('audit.actions'), items: KNOWN_ACTIONS.map((action) => ({ value: action, label: `${t(actionKey(action) ?? action)} (${action})` })) },
  ];

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        description={t('audit.description')}
        actions={
          can('audit.export') ? (
            <Button variant="light" onClick={() => void exportCsv()} loading={exporting} data-testid="export-csv">
              {t('audit.export')}
            </Button>
          ) : null
        }
      />
      <VerifyPanel />
      <form
        noValidate
        role="search"
        aria-label={t('audit.filters')}
        onSubmit={form.onSubmit((values) => {
          setExpanded(new Set());
          setFilters(toQuery(values));
        })}
        onReset={(event) => {
          event.preventDefault();
          form.reset();
          setFilters({});
        }}
      >
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" mb="sm">
          <TextInput label={t('audit.actor')} placeholder={t('audit.actorPlaceholder')} autoCapitalize="none" {...form.getInputProps('actor')} />
          <Select label={t('audit.action')} placeholder={t('common.all')} clearable searchable data={actionOptions} {...form.getInputProps('action')} />
          <Select
            label={t('audit.recordType')}
            placeholder={t('common.all')}
            clearable
            data={RECORD_TYPES.map((type) => ({ value: type, label: t(`recordType.${type}`) }))}
            {...form.getInputProps('record_type')}
          />
          <TextInput label={t('audit.recordId')} {...form.getInputProps('record_id')} />
          <TextInput type="date" label={t('audit.from')} {...form.getInputProps('from')} />
          <TextInput type="date" label={t('audit.to')} {...form.getInputProps('to')} />
        </SimpleGrid>
        <Group gap="sm" mb="lg">
          <Button type="submit">{t('common.search')}</Button>
          <Button type="reset" variant="default">
            {t('common.clear')}
          </Button>
        </Group>
      </form>
      {list.isLoading ? <Loading /> : null}
      {list.error ? <ProblemAlert error={list.error} /> : null}
      {list.isSuccess && entries.length === 0 ? <Empty>{t('audit.empty')}</Empty> : null}
      {entries.length > 0 ? (
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('audit.time')}</Table.Th>
                <Table.Th scope="col">{t('audit.actor')}</Table.Th>
                <Table.Th scope="col">{t('audit.action')}</Table.Th>
                <Table.Th scope="col">{t('audit.record')}</Table.Th>
                <Table.Th scope="col">{t('audit.unit')}</Table.Th>
                <Table.Th scope="col">{t('audit.ip')}</Table.Th>
                <Table.Th scope="col">{t('audit.changes')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => {
                const open = expanded.has(entry.id);
                return (
                  <Fragment key={entry.id}>
                    <Table.Tr data-action={entry.action} data-actor={entry.actor_username ?? ''} data-testid="audit-row">
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <DateTime value={entry.at} />
                      </Table.Td>
                      <Table.Td>
                        {entry.actor_username ?? (entry.actor_token_id !== null ? t('audit.token', { id: entry.actor_token_id }) : t('audit.system'))}
                      </Table.Td>
                      <Table.Td>
                        <ActionLabel action={entry.action} />
                      </Table.Td>
                      <Table.Td>
                        {entry.record_type ? (
                          recordPath(entry.record_type, entry.record_id, can) ? (
                            <Anchor component={Link} to={recordPath(entry.record_type, entry.record_id, can) ?? ''} size="sm">
                              {t(`recordType.${entry.record_type}`, { defaultValue: entry.record_type })} #{entry.record_id}
                            </Anchor>
                          ) : (
                            <Text size="sm">
                              {t(`recordType.${entry.record_type}`, { defaultValue: entry.record_type })} #{entry.record_id}
                            </Text>
                          )
                        ) : null}
                      </Table.Td>
                      <Table.Td>{unitLabel(entry.unit_id)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {entry.client_ip}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => toggle(entry.id)}
                          aria-expanded={open}
                          aria-controls={open ? `changes-${entry.id}` : undefined}
                        >
                          {open ? t('audit.hideChanges') : t('audit.showChanges')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                    {open ? (
                      <Table.Tr id={`changes-${entry.id}`}>
                        <Table.Td colSpan={7} bg="gray.0">
                          <Changes entry={entry} />
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {list.hasNextPage ? (
        <Group justify="center" mt="md">
          <Button variant="light" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Group>
      ) : null}
    </>
  );
}
