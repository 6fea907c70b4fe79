import { Alert, Anchor, Button, Card, Group, Modal, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title, Select } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notify } from '../lib/notify';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { isApiError } from '../api/client';
import { staffApi } from '../api/endpoints';
import { keys, useRoles, useUnits } from '../api/queries';
import type { Role, Staff, Unit } from '../api/types';
import { confirmAction } from '../components/confirm';
import { CopyField } from '../components/CopyField';
import { DateTime } from '../components/DateTime';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { StaffBadges } from '../components/StaffBadges';
import { Loading, NotFound } from '../components/States';
import { UnitSelect, useUnitLabel } from '../components/UnitSelect';
import { applyProblem } from '../lib/forms';
import { useSession } from '../session/SessionContext';

const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function roleName(roles: Role[] | undefined, code: string, language: string): string {
  const role = roles?.find((item) => item.code === code);
  if (!role) return code;
  return language === 'en' ? role.name_en : role.name_zh;
}

function notifyError(error: unknown, fallback: string) {
  notify({
    color: 'red',
    title: isApiError(error) ? error.title : fallback,
    message: isApiError(error) ? error.errors.map((field) => field.message).join(' ') || error.detail : '',
  });
}

function ProfileCard({ staff, units, canManage }: { staff: Staff; units: Unit[]; canManage: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { display_name: staff.display_name, email: staff.email ?? '', unit_id: String(staff.unit_id) },
    validate: {
      display_name: (value) => (value.trim() ? null : t('validation.required')),
      email: (value) => (!value.trim() || EMAIL_PATTERN.test(value.trim()) ? null : t('staff.emailFormat')),
      unit_id: (value) => (value ? null : t('validation.required')),
    },
  });
  const [version, setVersion] = useState(staff.version);
  useEffect(() => {
    // Another action (lock, reset …) changed the record: take its version and untouched values.
    if (!form.isDirty()) {
      form.setValues({ display_name: staff.display_name, email: staff.email ?? '', unit_id: String(staff.unit_id) });
      form.resetDirty({ display_name: staff.display_name, email: staff.email ?? '', unit_id: String(staff.unit_id) });
      setVersion(staff.version);
    }
  }, [staff]);
  const save = useMutation({
    mutationFn: () =>
      staffApi.update(staff.id, {
        version,
        display_name: form.values.display_name.trim(),
        email: form.values.email.trim(),
        unit_id: Number(form.values.unit_id),
      }),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.staff(staff.id), updated);
      void queryClient.invalidateQueries({ queryKey: ['staff', 'list'] });
      form.resetDirty({ display_name: updated.display_name, email: updated.email ?? '', unit_id: String(updated.unit_id) });
      setVersion(updated.version);
      notify({ color: 'teal', message: t('common.saved') });
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  const reload = async () => {
    const latest = await staffApi.get(staff.id);
    form.setValues({ display_name: latest.display_name, email: latest.email ?? '', unit_id: String(latest.unit_id) });
    form.resetDirty({ display_name: latest.display_name, email: latest.email ?? '', unit_id: String(latest.unit_id) });
    setVersion(latest.version);
    setError(null);
    queryClient.setQueryData(keys.staff(staff.id), latest);
  };
  return (
    <Card withBorder padding="lg">
      <Title order={2} fz="h3" mb="md">
        {t('staff.profile')}
      </Title>
      <form
        noValidate
        onSubmit={form.onSubmit(() => {
          setError(null);
          save.mutate();
        })}
      >
        <Stack gap="md">
          <ProblemAlert error={error} />
          {isApiError(error) && error.code === 'version_conflict' ? (
            <Button variant="light" color="orange" onClick={() => void reload()} data-testid="reload-latest">
              {t('common.reloadLatest')}
            </Button>
          ) : null}
          <TextInput label={t('staff.username')} value={staff.username} readOnly disabled />
          <TextInput label={t('staff.displayName')} required maxLength={100} readOnly={!canManage} {...form.getInputProps('display_name')} />
          <TextInput label={t('staff.email')} type="email" maxLength={200} readOnly={!canManage} {...form.getInputProps('email')} />
          <UnitSelect units={units} label={t('staff.unit')} required readOnly={!canManage} {...form.getInputProps('unit_id')} />
          {canManage ? (
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                {t('common.save')}
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
    </Card>
  );
}

function RolesCard({ staff, units, isSelf }: { staff: Staff; units: Unit[]; isSelf: boolean }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const roles = useRoles();
  const unitLabel = useUnitLabel(units);
  const [error, setError] = useState<unknown>(null);
  const canAssign = can('roles.assign') && !isSelf;
  const form = useForm({
    initialValues: { role: '', unit_id: '' },
    validate: {
      role: (value) => (value ? null : t('validation.required')),
      unit_id: (value) => (value ? null : t('validation.required')),
    },
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: keys.staff(staff.id) });
    await queryClient.invalidateQueries({ queryKey: ['staff', 'list'] });
  };
  const grant = useMutation({
    mutationFn: () => staffApi.grantRole(staff.id, form.values.role, Number(form.values.unit_id)),
    onSuccess: async () => {
      notify({ color: 'teal', message: t('staff.roleGranted') });
      form.reset();
      await refresh();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  const revoke = useMutation({
    mutationFn: (assignmentId: number) => staffApi.revokeRole(staff.id, assignmentId),
    onSuccess: async () => {
      notify({ color: 'teal', message: t('staff.roleRevoked') });
      await refresh();
    },
    onError: (caught) => notifyError(caught, t('errors.unexpected')),
  });
  return (
    <Card withBorder padding="lg">
      <Title order={2} fz="h3" mb="md">
        {t('staff.roles')}
      </Title>
      {staff.roles.length === 0 ? (
        <Text c="dimmed" size="sm" mb="md">
          {t('staff.noRoles')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420} mb="md">
          <Table verticalSpacing="xs" data-testid="role-assignments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('staff.role')}</Table.Th>
                <Table.Th scope="col">{t('staff.roleUnit')}</Table.Th>
                <Table.Th scope="col">{t('staff.grantedAt')}</Table.Th>
                {canAssign ? <Table.Th scope="col">{t('common.actions')}</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {staff.roles.map((assignment) => (
                <Table.Tr key={assignment.id} data-role={assignment.role}>
                  <Table.Td>{roleName(roles.data, assignment.role, i18n.language)}</Table.Td>
                  <Table.Td>{unitLabel(assignment.unit_id)}</Table.Td>
                  <Table.Td>
                    <DateTime value={assignment.granted_at} />
                  </Table.Td>
                  {canAssign ? (
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        loading={revoke.isPending && revoke.variables === assignment.id}
                        aria-label={t('staff.revokeNamed', { role: roleName(roles.data, assignment.role, i18n.language) })}
                        onClick={async () => {
                          const ok = await confirmAction({
                            title: t('staff.revokeTitle'),
                            message: t('staff.revokeBody', {
                              role: roleName(roles.data, assignment.role, i18n.language),
                              unit: unitLabel(assignment.unit_id),
                              name: staff.display_name,
                            }),
                            confirmLabel: t('staff.revoke'),
                          });
                          if (ok) revoke.mutate(assignment.id);
                        }}
                      >
                        {t('staff.revoke')}
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canAssign ? (
        <form
          noValidate
          data-testid="grant-role-form"
          onSubmit={form.onSubmit(() => {
            setError(null);
            grant.mutate();
          })}
        >
          <Stack gap="sm">
            <Title order={3} fz="h4">
              {t('staff.grantTitle')}
            </Title>
            <ProblemAlert error={error} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('staff.role')}
                required
                searchable
                data={(roles.data ?? []).map((role) => ({
                  value: role.code,
                  label: i18n.language === 'en' ? role.name_en : role.name_zh,
                }))}
                {...form.getInputProps('role')}
              />
              <UnitSelect units={units} label={t('staff.roleUnit')} required {...form.getInputProps('unit_id')} />
            </SimpleGrid>
            <Group justify="flex-end">
              <Button type="submit" loading={grant.isPending}>
                {t('staff.grant')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Card>
  );
}

function LockModal({ staff, onClose }: { staff: Staff; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { reason: '' },
    validate: { reason: (value) => (value.trim() ? null : t('validation.required')) },
  });
  const lock = useMutation({
    mutationFn: () => staffApi.lock(staff.id, form.values.reason.trim()),
    onSuccess: async (updated) => {
      queryClient.setQueryData(keys.staff(staff.id), updated);
      await queryClient.invalidateQueries({ queryKey: ['staff', 'list'] });
      notify({ color: 'teal', message: t('staff.lockedNotice', { name: staff.display_name }) });
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  return (
    <Modal opened onClose={onClose} title={t('staff.lockTitle', { name: staff.display_name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        noValidate
        data-testid="lock-form"
        onSubmit={form.onSubmit(() => {
          setError(null);
          lock.mutate();
        })}
      >
        <Stack gap="md">
          <Text size="sm">{t('staff.lockBody')}</Text>
          <ProblemAlert error={error} />
          <Textarea label={t('staff.lockReason')} required autosize minRows={2} maxLength={500} data-autofocus {...form.getInputProps('reason')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={lock.isPending}>
              {t('staff.lock')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ActionsCard({ staff, isSelf }: { staff: Staff; isSelf: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [temporary, setTemporary] = useState<string | null>(null);
  const [locking, setLocking] = useState(false);
  const update = (updated: Staff) => {
    queryClient.setQueryData(keys.staff(staff.id), updated);
    void queryClient.invalidateQueries({ queryKey: ['staff', 'list'] });
  };
  const reset = useMutation({
    mutationFn: () => staffApi.resetPassword(staff.id),
    onSuccess: async (answer) => {
      setTemporary(answer.temporary_password);
      await queryClient.invalidateQueries({ queryKey: keys.staff(staff.id) });
    },
    onError: (caught) => notifyError(caught, t('errors.unexpected')),
  });
  const unlock = useMutation({
    mutationFn: () => staffApi.unlock(staff.id),
    onSuccess: (updated) => {
      update(updated);
      notify({ color: 'teal', message: t('staff.unlockedNotice', { name: staff.display_name }) });
    },
    onError: (caught) => notifyError(caught, t('errors.unexpected')),
  });
  const resetTotp = useMutation({
    mutationFn: () => staffApi.resetTotp(staff.id),
    onSuccess: (updated) => {
      update(updated);
      notify({ color: 'teal', message: t('staff.totpResetNotice') });
    },
    onError: (caught) => notifyError(caught, t('errors.unexpected')),
  });
  const throttled = Boolean(staff.locked_until && new Date(staff.locked_until).getTime() > Date.now());
  return (
    <Card withBorder padding="lg">
      <Title order={2} fz="h3" mb="md">
        {t('staff.actions')}
      </Title>
      {isSelf ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('staff.selfNote')}
        </Text>
      ) : null}
      <Group gap="sm">
        <Button
          variant="light"
          loading={reset.isPending}
          data-testid="reset-password"
          onClick={async () => {
            const ok = await confirmAction({
              title: t('staff.resetPasswordTitle'),
              message: t('staff.resetPasswordBody', { name: staff.display_name }),
              confirmLabel: t('staff.resetPassword'),
            });
            if (ok) reset.mutate();
          }}
        >
          {t('staff.resetPassword')}
        </Button>
        {staff.status === 'locked' || throttled ? (
          <Button variant="light" color="teal" loading={unlock.isPending} onClick={() => unlock.mutate()} data-testid="unlock">
            {t('staff.unlock')}
          </Button>
        ) : null}
        {staff.status === 'active' && !isSelf ? (
          <Button variant="light" color="red" onClick={() => setLocking(true)} data-testid="lock">
            {t('staff.lock')}
          </Button>
        ) : null}
        {staff.totp_enabled && !isSelf ? (
          <Button
            variant="light"
            color="orange"
            loading={resetTotp.isPending}
            data-testid="reset-totp"
            onClick={async () => {
              const ok = await confirmAction({
                title: t('staff.resetTotpTitle'),
                message: t('staff.resetTotpBody', { name: staff.display_name }),
                confirmLabel: t('staff.resetTotp'),
              });
              if (ok) resetTotp.mutate();
            }}
          >
            {t('staff.resetTotp')}
          </Button>
        ) : null}
      </Group>
      {locking ? <LockModal staff={staff} onClose={() => setLocking(false)} /> : null}
      <Modal
        opened={temporary !== null}
        onClose={() => setTemporary(null)}
        title={t('staff.temporaryPasswordTitle')}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack gap="md" data-testid="temporary-password-dialog">
          <Text size="sm">{t('staff.temporaryPasswordBody', { name: staff.display_name })}</Text>
          {temporary ? <CopyField value={temporary} label={t('staff.temporaryPassword')} testId="temporary-password" /> : null}
          <Group justify="flex-end">
            <Button onClick={() => setTemporary(null)}>{t('common.done')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

export function StaffDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const staffId = Number(id);
  const { session, can } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const units = useUnits();
  const unitLabel = useUnitLabel(units.data);
  const query = useQuery({
    queryKey: keys.staff(staffId),
    queryFn: () => staffApi.get(staffId),
    enabled: Number.isInteger(staffId) && staffId > 0,
  });
  const initialPassword = (location.state as { initialPassword?: string } | null)?.initialPassword ?? null;

  if (!Number.isInteger(staffId) || staffId <= 0 || (isApiError(query.error) && query.error.status === 404)) return <NotFound />;
  if (query.isLoading) return <Loading />;
  if (query.error) return <ProblemAlert error={query.error} />;
  const staff = query.data;
  if (!staff) return null;
  const isSelf = session?.user.id === staff.id;

  return (
    <>
      <Anchor component={Link} to="/staff" size="sm" mb="xs" display="inline-block">
        {t('staff.backToList')}
      </Anchor>
      <PageHeader title={staff.display_name} description={`${staff.username} · ${unitLabel(staff.unit_id)}`} />
      <Stack gap="lg">
        {initialPassword ? (
          <Alert
            color="blue"
            title={t('staff.initialPasswordTitle')}
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={() => navigate(location.pathname, { replace: true, state: null })}
          >
            <Stack gap="xs">
              <Text size="sm">{t('staff.initialPasswordBody')}</Text>
              <CopyField value={initialPassword} label={t('staff.initialPassword')} />
            </Stack>
          </Alert>
        ) : null}
        <Card withBorder padding="lg">
          <Stack gap="xs">
            <StaffBadges staff={staff} />
            <Text size="sm">
              {t('staff.lastSignIn')}: <DateTime value={staff.last_sign_in_at} fallback={t('staff.never')} />
            </Text>
            <Text size="sm">
              {t('staff.createdAt')}: <DateTime value={staff.created_at} />
            </Text>
            {staff.status === 'locked' && staff.locked_reason ? (
              <Text size="sm" data-testid="locked-reason">
                {t('staff.lockedReason')}: {staff.locked_reason}
              </Text>
            ) : null}
            {staff.locked_until && new Date(staff.locked_until).getTime() > Date.now() ? (
              <Text size="sm">
                {t('staff.throttledUntil')}: <DateTime value={staff.locked_until} />
              </Text>
            ) : null}
          </Stack>
        </Card>
        {can('staff.manage') ? <ActionsCard staff={staff} isSelf={isSelf} /> : null}
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <ProfileCard key={staff.id} staff={staff} units={units.data ?? []} canManage={can('staff.manage')} />
          <RolesCard staff={staff} units={units.data ?? []} isSelf={isSelf} />
        </SimpleGrid>
      </Stack>
    </>
  );
}
