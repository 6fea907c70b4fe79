import { Alert, Badge, Button, Card, Group, Modal, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { personsApi } from '../api/endpoints';
import { keys, useUnits } from '../api/queries';
import type { Involvement, PersonRecord } from '../api/types';
import { applyProblem } from '../lib/forms';
import { notify } from '../lib/notify';
import { contactUnitLabel, MIN_SUMMARY } from '../lib/persons';
import { unitName } from '../lib/units';
import { useSession } from '../session/SessionContext';
import { ActionLabel, Changes } from './AuditParts';
import { confirmAction } from './confirm';
import { DateTime } from './DateTime';
import { ProblemAlert } from './ProblemAlert';
import { Empty, Loading } from './States';

/** Unit names from the unit list, else from the person's contact units, else the number. */
export function usePersonUnitLabel(person: PersonRecord) {
  const { i18n } = useTranslation();
  const units = useUnits();
  return (id: number | null): string => {
    if (id === null) return '';
    const unit = units.data?.find((item) => item.id === id);
    if (unit) return `${unitName(unit, i18n.language)} (${unit.code})`;
    const contact = person.contact_units.find((item) => item.id === id);
    return contact ? contactUnitLabel(contact, i18n.language) : `#${id}`;
  };
}

function RegisterAtUnitModal({ person, onClose }: { person: PersonRecord; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { summary: '' },
    validate: { summary: (value) => (value.trim().length >= MIN_SUMMARY ? null : t('person.reasonTooShort', { min: MIN_SUMMARY })) },
  });
  const register = useMutation({
    mutationFn: (summary: string) => personsApi.registerAtUnit(person.id, summary),
    onSuccess: async () => {
      notify({ color: 'teal', message: t('person.registeredAtUnit') });
      await queryClient.invalidateQueries({ queryKey: keys.involvements(person.id) });
      await queryClient.invalidateQueries({ queryKey: keys.person(person.id) });
      await queryClient.invalidateQueries({ queryKey: keys.personChanges(person.id) });
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  return (
    <Modal opened onClose={onClose} title={t('person.registerAtUnitTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form noValidate data-testid="register-at-unit-form" onSubmit={form.onSubmit((values) => register.mutate(values.summary.trim()))}>
        <Stack gap="md">
          <Text size="sm">{t('person.registerAtUnitBody')}</Text>
          <ProblemAlert error={error} />
          <Textarea
            label={t('person.summary')}
            description={t('person.summaryHint', { min: MIN_SUMMARY })}
            required
            autosize
            minRows={2}
            maxLength={1000}
            data-autofocus
            {...form.getInputProps('summary')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={register.isPending}>
              {t('person.registerAtUnit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The Service history tab: which units served the person and when. */
export function ServiceHistory({ person }: { person: PersonRecord }) {
  const { t } = useTranslation();
  const { session, can } = useSession();
  const queryClient = useQueryClient();
  const unitLabel = usePersonUnitLabel(person);
  const [registering, setRegistering] = useState(false);
  const list = useQuery({ queryKey: keys.involvements(person.id), queryFn: async () => (await personsApi.involvements(person.id)).items });
  const end = useMutation({
    mutationFn: (involvement: Involvement) => personsApi.endInvolvement(person.id, involvement.id),
    onSuccess: async () => {
      notify({ color: 'teal', message: t('person.serviceEnded') });
      await queryClient.invalidateQueries({ queryKey: keys.involvements(person.id) });
      await queryClient.invalidateQueries({ queryKey: keys.person(person.id) });
    },
    onError: (caught) =>
      notify({ color: 'red', title: isApiError(caught) ? caught.title : t('errors.unexpected'), message: isApiError(caught) ? caught.detail : '' }),
  });
  const items = [...(list.data ?? [])].sort((a, b) => (a.started_on === b.started_on ? b.id - a.id : b.started_on.localeCompare(a.started_on)));
  const myUnit = session?.user.unit_id;
  const servedHere = items.some((item) => item.unit_id === myUnit && !item.ended_on);
  return (
    <Card withBorder padding="lg" data-testid="service-history">
      <Group justify="space-between" mb="md" wrap="wrap">
        <Title order={2} fz="h3">
          {t('person.serviceHistory')}
        </Title>
        {can('persons.write') && list.isSuccess && !servedHere ? (
          <Button variant="light" onClick={() => setRegistering(true)} data-testid="register-at-unit">
            {t('person.registerAtUnit')}
          </Button>
        ) : null}
      </Group>
      {list.isLoading ? <Loading /> : null}
      {list.error ? <ProblemAlert error={list.error} /> : null}
      {list.isSuccess && items.length === 0 ? <Empty>{t('person.noService')}</Empty> : null}
      {items.length > 0 ? (
        <Timeline active={-1} bulletSize={16} lineWidth={2}>
          {items.map((item) => (
            <Timeline.Item
              key={item.id}
              color={item.ended_on ? 'gray' : 'teal'}
              title={
                <Group gap="xs" wrap="wrap">
                  <Text fw={600} size="sm">
                    {unitLabel(item.unit_id)}
                  </Text>
                  <Badge variant="light" color={item.ended_on ? 'gray' : 'teal'} tt="none">
                    {item.ended_on ? t('person.ended') : t('person.ongoing')}
                  </Badge>
                  <Badge variant="light" color="blue" tt="none">
                    {t(`involvementKind.${item.kind}`, { defaultValue: item.kind })}
                  </Badge>
                </Group>
              }
              data-testid="involvement"
              data-unit-id={item.unit_id}
            >
              <Text size="sm" c="dimmed">
                {item.ended_on ? t('person.period', { from: item.started_on, to: item.ended_on }) : t('person.since', { from: item.started_on })}
              </Text>
              {item.summary ? <Text size="sm">{item.summary}</Text> : null}
              {item.kind === 'registration' && !item.ended_on && item.unit_id === myUnit && can('persons.write') ? (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  mt={4}
                  loading={end.isPending && end.variables?.id === item.id}
                  onClick={async () => {
                    const ok = await confirmAction({
                      title: t('person.endServiceTitle'),
                      message: t('person.endServiceBody', { unit: unitLabel(item.unit_id) }),
                      confirmLabel: t('person.endService'),
                    });
                    if (ok) end.mutate(item);
                  }}
                >
                  {t('person.endService')}
                </Button>
              ) : null}
            </Timeline.Item>
          ))}
        </Timeline>
      ) : null}
      {registering ? <RegisterAtUnitModal person={person} onClose={() => setRegistering(false)} /> : null}
    </Card>
  );
}

/** The Change history tab: the audit entries of the record. */
export function ChangeHistory({ person }: { person: PersonRecord }) {
  const { t } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: keys.personChanges(person.id),
    queryFn: ({ pageParam }) => personsApi.changes(person.id, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
  const entries = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card withBorder padding="lg" data-testid="change-history">
      <Title order={2} fz="h3" mb="md">
        {t('person.changeHistory')}
      </Title>
      {list.isLoading ? <Loading /> : null}
      {list.error ? <ProblemAlert error={list.error} /> : null}
      {list.isSuccess && entries.length === 0 ? <Empty>{t('person.noChanges')}</Empty> : null}
      {entries.length > 0 ? (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {entries.map((entry) => (
            <Stack
              key={entry.id}
              component="li"
              gap={4}
              py="sm"
              style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
              data-testid="change-row"
              data-action={entry.action}
            >
              <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
                <ActionLabel action={entry.action} />
                <Text size="sm" c="dimmed" ta="right">
                  <DateTime value={entry.at} /> · {entry.actor_username ?? t('audit.system')}
                </Text>
              </Group>
              <Changes entry={entry} />
            </Stack>
          ))}
        </Stack>
      ) : null}
      {list.hasNextPage ? (
        <Group justify="center" mt="md">
          <Button variant="light" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Group>
      ) : null}
      {list.isSuccess ? (
        <Alert variant="light" color="gray" mt="md">
          {t('person.changeHistoryNote')}
        </Alert>
      ) : null}
    </Card>
  );
}
