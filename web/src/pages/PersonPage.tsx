import { Alert, Anchor, Button, Card, Group, List, Modal, Stack, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import { duplicatesApi, exportApi, personsApi } from '../api/endpoints';
import { keys } from '../api/queries';
import type { PersonRecord, RestrictedPerson } from '../api/types';
import { DateTime } from '../components/DateTime';
import { PersonMerges } from '../components/MergeParts';
import { PageHeader } from '../components/PageHeader';
import { PersonConsents } from '../components/PersonConsents';
import { PersonDetails } from '../components/PersonDetails';
import { PersonFamily } from '../components/PersonFamily';
import { ChangeHistory, ServiceHistory } from '../components/PersonHistory';
import { AccessBadge, PersonFacts } from '../components/PersonBits';
import { ProblemAlert } from '../components/ProblemAlert';
import { Loading, NotFound } from '../components/States';
import { applyProblem } from '../lib/forms';
import { notify } from '../lib/notify';
import { contactUnitLabel, englishName, fullName, isRestricted, MIN_EMERGENCY_REASON } from '../lib/persons';
import { useSession } from '../session/SessionContext';

const TABS = ['details', 'family', 'service', 'consents', 'changes', 'merges'] as const;
type Tab = (typeof TABS)[number];

function BackToSearch() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/persons" size="sm" mb="xs" display="inline-block">
      {t('person.backToSearch')}
    </Anchor>
  );
}

function BreakGlassModal({ person, onClose }: { person: RestrictedPerson; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { reason: '' },
    validate: {
      reason: (value) =>
        value.trim().length >= MIN_EMERGENCY_REASON ? null : t('person.reasonTooShort', { min: MIN_EMERGENCY_REASON }),
    },
  });
  const open = useMutation({
    mutationFn: (reason: string) => personsApi.breakGlass(person.id, reason),
    onSuccess: (view) => {
      queryClient.setQueryData(keys.person(person.id), view);
      void queryClient.invalidateQueries({ queryKey: keys.involvements(person.id) });
      void queryClient.invalidateQueries({ queryKey: keys.personChanges(person.id) });
      void queryClient.invalidateQueries({ queryKey: ['persons', 'search'] });
      notify({ color: 'orange', message: t('person.emergencyOpened') });
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  const reason = form.values.reason.trim();
  return (
    <Modal opened onClose={onClose} title={t('person.emergencyTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form noValidate data-testid="break-glass-form" onSubmit={form.onSubmit((values) => open.mutate(values.reason.trim()))}>
        <Stack gap="md">
          <Alert color="red" variant="light" title={t('person.emergencyWarningTitle')}>
            <List size="sm" spacing={4}>
              <List.Item>{t('person.emergencyWarningUse')}</List.Item>
              <List.Item>{t('person.emergencyWarningNotified')}</List.Item>
              <List.Item>{t('person.emergencyWarningTime')}</List.Item>
            </List>
          </Alert>
          <ProblemAlert error={error} />
          <Textarea
            label={t('person.emergencyReason')}
            description={t('person.emergencyReasonHint', { min: MIN_EMERGENCY_REASON, count: reason.length })}
            required
            autosize
            minRows={3}
            maxLength={2000}
            data-autofocus
            {...form.getInputProps('reason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={open.isPending} data-testid="break-glass-submit">
              {t('person.emergencyOpen')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** What a caller outside the need-to-know sees: that the person is known, and whom to contact. */
function RestrictedView({ person }: { person: RestrictedPerson }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [opening, setOpening] = useState(false);
  return (
    <>
      <BackToSearch />
      <PageHeader title={t('person.recordNumber', { id: person.id })} actions={<AccessBadge person={person} />} />
      <Card withBorder padding="lg" data-testid="restricted-view">
        <Stack gap="sm">
          <Title order={2} fz="h3">
            {t('person.knownTitle')}
          </Title>
          <Text size="sm">{t('person.knownBody')}</Text>
          <Text size="sm" fw={600}>
            {t('person.contactLabel')}
          </Text>
          <List size="sm" data-testid="contact-units">
            {person.contact_units.map((unit) => (
              <List.Item key={unit.id}>{contactUnitLabel(unit, i18n.language)}</List.Item>
            ))}
          </List>
          {person.status === 'active' && can('persons.read') ? (
            <Stack gap={4} mt="sm" align="flex-start">
              <Button color="red" variant="light" onClick={() => setOpening(true)} data-testid="break-glass">
                {t('person.emergencyAccess')}
              </Button>
              <Text size="xs" c="dimmed">
                {t('person.emergencyAccessHint')}
              </Text>
            </Stack>
          ) : null}
        </Stack>
      </Card>
      {opening ? <BreakGlassModal person={person} onClose={() => setOpening(false)} /> : null}
    </>
  );
}

function MergedNotice({ id, into }: { id: number; into: number | null }) {
  const { t } = useTranslation();
  return (
    <>
      <BackToSearch />
      <PageHeader title={t('person.recordNumber', { id })} />
      <Alert color="yellow" variant="light" title={into ? t('person.mergedIntoTitle', { id: into }) : t('person.mergedTitle')} data-testid="merged" data-into={into ?? ''} mb="lg">
        {into ? (
          <Anchor component={Link} to={`/persons/${into}`} data-testid="merged-into">
            {t('person.mergedInto', { id: into })}
          </Anchor>
        ) : (
          t('person.mergedBody')
        )}
      </Alert>
      <PersonMerges personId={id} />
    </>
  );
}

/** Downloads of the whole record for a data access request (PDF for the person, JSON for systems). */
function ExportButtons({ person }: { person: PersonRecord }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<'pdf' | 'json' | null>(null);
  const run = async (format: 'pdf' | 'json') => {
    setBusy(format);
    try {
      await exportApi.person(person.id, format);
    } catch (caught) {
      notify({ color: 'red', title: isApiError(caught) ? caught.title : t('errors.unexpected'), message: isApiError(caught) ? caught.detail : '' });
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <Button variant="default" size="sm" loading={busy === 'pdf'} onClick={() => void run('pdf')} data-testid="export-pdf">
        {t('person.exportPdf')}
      </Button>
      <Button variant="default" size="sm" loading={busy === 'json'} onClick={() => void run('json')} data-testid="export-json">
        {t('person.exportJson')}
      </Button>
    </>
  );
}

function RecordView({ person }: { person: PersonRecord }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = TABS.includes(requested as Tab) ? (requested as Tab) : 'details';
  const queryClient = useQueryClient();
  useEffect(() => {
    // When emergency access ends, show what the caller may see without it.
    if (!person.emergency_until) return undefined;
    const left = new Date(person.emergency_until).getTime() - Date.now();
    const timer = window.setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: keys.person(person.id) }),
      Math.min(Math.max(left + 1000, 0), 2_147_000_000),
    );
    return () => window.clearTimeout(timer);
  }, [person.emergency_until, person.id, queryClient]);
  const canEdit = person.access === 'full' && can('persons.write');
  const canRead = can('persons.read');
  const english = englishName(person);
  const merges = useQuery({
    queryKey: keys.merges(person.id),
    queryFn: async () => (await duplicatesApi.mergesOf(person.id)).items,
  });
  const hasMerges = (merges.data?.length ?? 0) > 0;
  return (
    <>
      <BackToSearch />
      {person.access_reason === 'emergency' ? (
        <Alert color="red.9" variant="filled" mb="md" title={t('person.emergencyBannerTitle')} data-testid="emergency-banner" role="status">
          {person.emergency_until ? (
            <>
              {t('person.emergencyBannerUntil')} <DateTime value={person.emergency_until} />
              {'. '}
            </>
          ) : null}
          {t('person.emergencyBannerBody')}
        </Alert>
      ) : null}
      {person.access === 'shared' && person.access_reason === 'consent' ? (
        <Alert color="blue" variant="light" mb="md" data-testid="consent-banner">
          {t('person.sharedBanner')}
        </Alert>
      ) : null}
      <PageHeader
        title={person.chinese_name || english || t('person.recordNumber', { id: person.id })}
        actions={
          <>
            <AccessBadge person={person} />
            {can('persons.export') ? <ExportButtons person={person} /> : null}
          </>
        }
      />
      <Stack gap={2} mt={-12} mb="lg" data-testid="person-header">
        {person.chinese_name && english ? (
          <Text size="lg" fw={500}>
            {english}
          </Text>
        ) : null}
        <PersonFacts person={person} />
        <Text size="xs" c="dimmed">
          {t('person.recordNumber', { id: person.id })}
        </Text>
      </Stack>
      <Tabs
        value={tab}
        onChange={(value) => {
          const next = new URLSearchParams(params);
          if (!value || value === 'details') next.delete('tab');
          else next.set('tab', value);
          setParams(next, { replace: true });
        }}
        keepMounted={false}
      >
        <Tabs.List mb="lg" aria-label={fullName(person)}>
          <Tabs.Tab value="details" data-testid="tab-details">
            {t('person.tabDetails')}
          </Tabs.Tab>
          {canRead ? (
            <Tabs.Tab value="family" data-testid="tab-family">
              {t('person.tabFamily')}
            </Tabs.Tab>
          ) : null}
          {canRead ? (
            <Tabs.Tab value="service" data-testid="tab-service">
              {t('person.tabService')}
            </Tabs.Tab>
          ) : null}
          <Tabs.Tab value="consents" data-testid="tab-consents">
            {t('person.tabConsents')}
          </Tabs.Tab>
          {canRead ? (
            <Tabs.Tab value="changes" data-testid="tab-changes">
              {t('person.tabChanges')}
            </Tabs.Tab>
          ) : null}
          {hasMerges || tab === 'merges' ? (
            <Tabs.Tab value="merges" data-testid="tab-merges">
              {t('person.tabMerges')}
            </Tabs.Tab>
          ) : null}
        </Tabs.List>
        <Tabs.Panel value="details">
          <PersonDetails person={person} canEdit={canEdit} />
        </Tabs.Panel>
        {canRead ? (
          <Tabs.Panel value="family">
            <PersonFamily person={person} canEdit={canEdit} />
          </Tabs.Panel>
        ) : null}
        {canRead ? (
          <Tabs.Panel value="service">
            <ServiceHistory person={person} />
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="consents">
          <PersonConsents person={person} canEdit={canEdit} />
        </Tabs.Panel>
        {canRead ? (
          <Tabs.Panel value="changes">
            <ChangeHistory person={person} />
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="merges">
          <PersonMerges personId={person.id} alwaysShow />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

export function PersonPage() {
  const { id } = useParams();
  const personId = Number(id);
  const valid = Number.isInteger(personId) && personId > 0;
  const query = useQuery({
    queryKey: keys.person(personId),
    queryFn: () => personsApi.get(personId),
    enabled: valid,
    staleTime: 30_000,
  });
  if (!valid || (isApiError(query.error) && query.error.status === 404)) return <NotFound />;
  if (query.isLoading) return <Loading />;
  if (query.error) return <ProblemAlert error={query.error} />;
  const person = query.data;
  if (!person) return null;
  if (person.status !== 'active') return <MergedNotice id={person.id} into={person.merged_into} />;
  if (isRestricted(person)) return <RestrictedView person={person} />;
  return <RecordView person={person} />;
}
