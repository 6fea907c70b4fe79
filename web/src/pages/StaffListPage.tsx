import { Anchor, Button, Group, Modal, PasswordInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notify } from '../lib/notify';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { staffApi, type StaffFilters } from '../api/endpoints';
import { keys, useUnits } from '../api/queries';
import type { Locale, Unit } from '../api/types';
import { DateTime } from '../components/DateTime';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { StaffBadges } from '../components/StaffBadges';
import { Empty, Loading } from '../components/States';
import { UnitSelect, useUnitLabel } from '../components/UnitSelect';
import { MIN_PASSWORD_LENGTH } from '../components/ChangePasswordForm';
import { generatePassword } from '../lib/format';
import { applyProblem } from '../lib/forms';
import { useSession } from '../session/SessionContext';

const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function CreateStaffModal({ opened, onClose, units }: { opened: boolean; onClose: () => void; units: Unit[] }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: {
      username: '',
      display_name: '',
      email: '',
      unit_id: '',
      password: '',
      locale: (i18n.language === 'en' ? 'en' : 'zh-Hant') as string,
    },
    validate: {
      username: (value) =>
        !value.trim() ? t('validation.required') : USERNAME_PATTERN.test(value.trim().toLowerCase()) ? null : t('staff.usernameFormat'),
      display_name: (value) => (value.trim() ? null : t('validation.required')),
      email: (value) => (!value.trim() || EMAIL_PATTERN.test(value.trim()) ? null : t('staff.emailFormat')),
      unit_id: (value) => (value ? null : t('validation.required')),
      password: (value) => (value.length >= MIN_PASSWORD_LENGTH ? null : t('password.tooShort', { min: MIN_PASSWORD_LENGTH })),
    },
  });
  const create = useMutation({
    mutationFn: () =>
      staffApi.create({
        username: form.values.username.trim().toLowerCase(),
        display_name: form.values.display_name.trim(),
        email: form.values.email.trim(),
        unit_id: Number(form.values.unit_id),
        password: form.values.password,
        locale: form.values.locale as Locale,
      }),
    onSuccess: async (staff) => {
      await queryClient.invalidateQueries({ queryKey: ['staff'] });
      notify({ color: 'teal', message: t('staff.created', { name: staff.display_name }) });
      const initialPassword = form.values.password;
      form.reset();
      onClose();
      navigate(`/staff/${staff.id}`, { state: { initialPassword } });
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('staff.createTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        noValidate
        data-testid="staff-create-form"
        onSubmit={form.onSubmit(() => {
          setError(null);
          create.mutate();
        })}
      >
        <Stack gap="md">
          <ProblemAlert error={error} />
          <TextInput
            label={t('staff.username')}
            description={t('staff.usernameHint')}
            required
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={64}
            {...form.getInputProps('username')}
          />
          <TextInput label={t('staff.displayName')} required maxLength={100} autoComplete="off" {...form.getInputProps('display_name')} />
          <TextInput label={t('staff.email')} type="email" maxLength={200} autoComplete="off" {...form.getInputProps('email')} />
          <UnitSelect units={units} label={t('staff.unit')} required {...form.getInputProps('unit_id')} />
          <Group align="flex-end" gap="sm" wrap="nowrap">
            <PasswordInput
              style={{ flex: 1 }}
              label={t('staff.initialPassword')}
              description={t('staff.initialPasswordHint', { min: MIN_PASSWORD_LENGTH })}
              required
              autoComplete="new-password"
              visibilityToggleButtonProps={{ 'aria-label': t('common.showPassword') }}
              {...form.getInputProps('password')}
            />
            <Button variant="light" onClick={() => form.setFieldValue('password', generatePassword())} data-testid="generate-password">
              {t('staff.generatePassword')}
            </Button>
          </Group>
          <Select
            label={t('staff.locale')}
            required
            allowDeselect={false}
            data={[
              { value: 'zh-Hant', label: '繁體中文' },
              { value: 'en', label: 'English' },
            ]}
            {...form.getInputProps('locale')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('staff.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function StaffListPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const units = useUnits();
  const unitLabel = useUnitLabel(units.data);
  const [text, setText] = useState('');
  const [unitId, setUnitId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [q] = useDebouncedValue(text.trim(), 300);
  const filters: StaffFilters = { q, unit_id: unitId ? Number(unitId) : null, status };
  const list = useInfiniteQuery({
    queryKey: keys.staffList(filters),
    queryFn: ({ pageParam }) => staffApi.list(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
  const staff = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('staff.title')}
        description={t('staff.description')}
        actions={
          can('staff.manage') ? (
            <Button onClick={() => setCreating(true)} data-testid="staff-create">
              {t('staff.create')}
            </Button>
          ) : null
        }
      />
      <Group gap="sm" align="flex-end" mb="md" wrap="wrap" role="search" aria-label={t('staff.filters')}>
        <TextInput
          label={t('staff.search')}
          placeholder={t('staff.searchPlaceholder')}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          type="search"
          w={{ base: '100%', sm: 260 }}
        />
        <UnitSelect
          units={units.data ?? []}
          label={t('staff.unit')}
          placeholder={t('common.all')}
          clearable
          value={unitId}
          onChange={setUnitId}
          w={{ base: '100%', sm: 320 }}
        />
        <Select
          label={t('staff.statusLabel')}
          placeholder={t('common.all')}
          clearable
          value={status}
          onChange={setStatus}
          data={[
            { value: 'active', label: t('staff.status.active') },
            { value: 'locked', label: t('staff.status.locked') },
          ]}
          w={{ base: '100%', sm: 160 }}
        />
      </Group>
      {list.isLoading ? <Loading /> : null}
      {list.error ? <ProblemAlert error={list.error} /> : null}
      {list.isSuccess && staff.length === 0 ? <Empty>{t('staff.empty')}</Empty> : null}
      {staff.length > 0 ? (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="staff-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('staff.displayName')}</Table.Th>
                <Table.Th scope="col">{t('staff.username')}</Table.Th>
                <Table.Th scope="col">{t('staff.unit')}</Table.Th>
                <Table.Th scope="col">{t('staff.statusLabel')}</Table.Th>
                <Table.Th scope="col">{t('staff.lastSignIn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {staff.map((member) => (
                <Table.Tr key={member.id} data-username={member.username}>
                  <Table.Td>
                    <Anchor component={Link} to={`/staff/${member.id}`} fw={600}>
                      {member.display_name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {member.username}
                    </Text>
                  </Table.Td>
                  <Table.Td>{unitLabel(member.unit_id)}</Table.Td>
                  <Table.Td>
                    <StaffBadges staff={member} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={member.last_sign_in_at} fallback={t('staff.never')} />
                  </Table.Td>
                </Table.Tr>
              ))}
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
      {can('staff.manage') ? <CreateStaffModal opened={creating} onClose={() => setCreating(false)} units={units.data ?? []} /> : null}
    </>
  );
}
