import { ActionIcon, Anchor, Button, Card, Drawer, Group, Indicator, Stack, Switch, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../api/client';
import { alertsApi } from '../api/endpoints';
import { useAlerts } from '../api/queries';
import type { StaffAlert } from '../api/types';
import { notify } from '../lib/notify';
import { useSession } from '../session/SessionContext';
import { DateTime } from './DateTime';
import { Icon } from './icons';
import { Empty, Loading } from './States';

function AlertCard({ alert, onOpen }: { alert: StaffAlert; onOpen: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const read = useMutation({
    mutationFn: () => alertsApi.markRead(alert.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['alerts'] }),
    onError: (caught) => notify({ color: 'red', title: isApiError(caught) ? caught.title : t('errors.unexpected'), message: isApiError(caught) ? caught.detail : '' }),
  });
  const params = alert.params;
  const personId = params.person_id ?? (alert.record_id ? Number(alert.record_id) : null);
  const who = params.display_name ? `${params.display_name} (${params.username ?? ''})` : (params.username ?? '');
  const title =
    alert.kind === 'break_glass'
      ? t('alerts.breakGlass', { name: who, id: personId ?? '' })
      : alert.kind === 'case_high_risk'
        ? t('alerts.caseHighRisk', { reference: params.reference ?? '', level: params.risk_level ?? '' })
        : t('alerts.other', { kind: alert.kind });
  return (
    <Card withBorder padding="sm" data-testid="alert" data-alert-id={alert.id} data-read={alert.read_at ? 'true' : 'false'} component="li">
      <Stack gap={6}>
        <Text size="sm" fw={600}>
          {title}
        </Text>
        {params.reason ? (
          <Text size="sm">
            {t('alerts.reason')}: {params.reason}
          </Text>
        ) : null}
        {params.expires_at ? (
          <Text size="sm">
            {t('alerts.until')}: <DateTime value={params.expires_at} />
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          <DateTime value={alert.created_at} />
          {alert.read_at ? (
            <>
              {' · '}
              {t('alerts.readAt')} <DateTime value={alert.read_at} />
            </>
          ) : null}
        </Text>
        <Group gap="xs">
          {personId && can('persons.search') ? (
            <Anchor component={Link} to={`/persons/${personId}`} size="sm" onClick={onOpen}>
              {t('alerts.openRecord', { id: personId })}
            </Anchor>
          ) : null}
          {!alert.read_at ? (
            <Button size="xs" variant="light" loading={read.isPending} onClick={() => read.mutate()} data-testid="mark-read" ml="auto">
              {t('alerts.markRead')}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Card>
  );
}

/** The bell in the header: how many alerts are unread, and a drawer to read them. */
export function AlertsBell() {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const [showRead, setShowRead] = useState(false);
  const unread = useAlerts(true);
  const all = useAlerts(false, opened && showRead);
  const count = unread.data?.length ?? 0;
  const shown = showRead ? all : unread;
  const label = count > 0 ? t('alerts.openWithCount', { count }) : t('alerts.open');
  return (
    <>
      <Indicator label={<span aria-hidden>{count > 9 ? '9+' : count}</span>} size={18} color="red" disabled={count === 0} offset={4}>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="lg"
          aria-label={label}
          title={label}
          onClick={() => {
            open();
            void unread.refetch();
          }}
          data-testid="alerts-bell"
          data-count={count}
          aria-haspopup="dialog"
        >
          <Icon name="bell" size={20} />
        </ActionIcon>
      </Indicator>
      <Drawer
        opened={opened}
        onClose={close}
        position="right"
        title={t('alerts.title')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        data-testid="alerts-drawer"
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('alerts.description')}
          </Text>
          <Switch checked={showRead} onChange={(event) => setShowRead(event.currentTarget.checked)} label={t('alerts.showRead')} />
          {shown.isLoading ? <Loading /> : null}
          {shown.isSuccess && shown.data.length === 0 ? <Empty>{showRead ? t('alerts.none') : t('alerts.noneUnread')}</Empty> : null}
          {shown.data && shown.data.length > 0 ? (
            <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }} data-testid="alerts-list">
              {shown.data.map((alert) => (
                <AlertCard key={alert.id} alert={alert} onOpen={close} />
              ))}
            </Stack>
          ) : null}
        </Stack>
      </Drawer>
    </>
  );
}
