import { Badge, Button, Checkbox, Group, Modal, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notify } from '../lib/notify';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { tokensApi } from '../api/endpoints';
import { keys, useUnits } from '../api/queries';
import { PERMISSIONS, type ApiToken, type CreatedApiToken, type Unit } from '../api/types';
import { confirmAction } from '../components/confirm';
import { CopyField } from '../components/CopyField';
import { DateTime } from '../components/DateTime';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Empty, Loading } from '../components/States';
import { UnitSelect, useUnitLabel } from '../components/UnitSelect';
import { startOfLocalDay } from '../lib/format';
import { applyProblem } from '../lib/forms';
import { useSession } from '../session/SessionContext';

function permissionLabel(t: (key: string, options?: Record<string, unknown>) => string, permission: string) {
  return t(`permission.${permission.replace('.', '_')}`, { defaultValue: permission });
}

function CreateTokenModal({ opened, onClose, units, onCreated }: { opened: boolean; onClose: () => void; units: Unit[]; onCreated: (token: CreatedApiToken) => void }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const own = PERMISSIONS.filter((permission) => session?.user.permissions.includes(permission));
  const today = new Date();
  const minDate = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate() + 0).padStart(2, '0')}`;
  const form = useForm({
    initialValues: { name: '', unit_id: session ? String(session.user.unit_id) : '', scopes: [] as string[], expires: '' },
    validate: {
      name: (value) => (value.trim() ? null : t('validation.required')),
      unit_id: (value) => (value ? null : t('validation.required')),
      scopes: (value) => (value.length > 0 ? null : t('tokens.scopesRequired')),
      expires: (value) => (!value || value > minDate ? null : t('tokens.expiryFuture')),
    },
  });
  const create = useMutation({
    mutationFn: () => {
      const expires = form.values.expires ? startOfLocalDay(form.values.expires) : undefined;
      return tokensApi.create({
        name: form.values.name.trim(),
        unit_id: Number(form.values.unit_id),
        scopes: form.values.scopes,
        ...(expires ? { expires_at: expires } : {}),
      });
    },
    onSuccess: async (token) => {
      await queryClient.invalidateQueries({ queryKey: keys.tokens });
      form.reset();
      onClose();
      onCreated(token);
    },
    onError: (caught) => setError(applyProblem(form, caught, { expires_at: 'expires' })),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('tokens.createTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        noValidate
        data-testid="token-create-form"
        onSubmit={form.onSubmit(() => {
          setError(null);
          create.mutate();
        })}
      >
        <Stack gap="md">
          <ProblemAlert error={error} />
          <TextInput label={t('tokens.name')} description={t('tokens.nameHint')} required maxLength={100} {...form.getInputProps('name')} />
          <UnitSelect units={units} label={t('tokens.unit')} required {...form.getInputProps('unit_id')} />
          <Checkbox.Group label={t('tokens.scopes')} description={t('tokens.scopesHint')} required {...form.getInputProps('scopes')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
              {own.map((permission) => (
                <Checkbox key={permission} value={permission} label={`${permissionLabel(t, permission)} (${permission})`} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <TextInput type="date" label={t('tokens.expires')} description={t('tokens.expiresHint')} {...form.getInputProps('expires')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('tokens.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function tokenState(token: ApiToken): 'revoked' | 'expired' | 'active' {
  if (token.revoked_at) return 'revoked';
  if (token.expires_at && new Date(token.expires_at).getTime() <= Date.now()) return 'expired';
  return 'active';
}

export function TokensPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const units = useUnits();
  const unitLabel = useUnitLabel(units.data);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: async () => (await tokensApi.list()).items });
  const revoke = useMutation({
    mutationFn: tokensApi.revoke,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.tokens });
      notify({ color: 'teal', message: t('tokens.revoked') });
    },
    onError: (caught) =>
      notify({ color: 'red', title: isApiError(caught) ? caught.title : t('errors.unexpected'), message: isApiError(caught) ? caught.detail : '' }),
  });
  return (
    <>
      <PageHeader
        title={t('tokens.title')}
        description={t('tokens.description')}
        actions={
          <Button onClick={() => setCreating(true)} data-testid="token-create">
            {t('tokens.create')}
          </Button>
        }
      />
      {tokens.isLoading ? <Loading /> : null}
      {tokens.error ? <ProblemAlert error={tokens.error} /> : null}
      {tokens.data && tokens.data.length === 0 ? <Empty>{t('tokens.empty')}</Empty> : null}
      {tokens.data && tokens.data.length > 0 ? (
        <Table.ScrollContainer minWidth={860}>
          <Table striped verticalSpacing="sm" data-testid="tokens-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('tokens.name')}</Table.Th>
                <Table.Th scope="col">{t('tokens.prefix')}</Table.Th>
                <Table.Th scope="col">{t('tokens.unit')}</Table.Th>
                <Table.Th scope="col">{t('tokens.scopes')}</Table.Th>
                <Table.Th scope="col">{t('tokens.lastUsed')}</Table.Th>
                <Table.Th scope="col">{t('tokens.expires')}</Table.Th>
                <Table.Th scope="col">{t('tokens.state')}</Table.Th>
                <Table.Th scope="col">{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((token) => {
                const state = tokenState(token);
                return (
                  <Table.Tr key={token.id} data-name={token.name}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {token.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t('tokens.createdAt')}: <DateTime value={token.created_at} />
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        ow_{token.prefix}_…
                      </Text>
                    </Table.Td>
                    <Table.Td>{unitLabel(token.unit_id)}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {token.scopes.map((scope) => (
                          <Badge key={scope} variant="light" color="gray" tt="none" title={scope}>
                            {permissionLabel(t, scope)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <DateTime value={token.last_used_at} fallback={t('tokens.neverUsed')} />
                    </Table.Td>
                    <Table.Td>
                      <DateTime value={token.expires_at} fallback={t('tokens.noExpiry')} />
                    </Table.Td>
                    <Table.Td>
                      <Badge color={state === 'active' ? 'teal' : 'gray'} variant="light">
                        {t(`tokens.states.${state}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {state === 'active' ? (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={t('tokens.revokeNamed', { name: token.name })}
                          loading={revoke.isPending && revoke.variables === token.id}
                          onClick={async () => {
                            const ok = await confirmAction({
                              title: t('tokens.revokeTitle'),
                              message: t('tokens.revokeBody', { name: token.name }),
                              confirmLabel: t('tokens.revoke'),
                            });
                            if (ok) revoke.mutate(token.id);
                          }}
                        >
                          {t('tokens.revoke')}
                        </Button>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} units={units.data ?? []} onCreated={setCreated} />
      <Modal opened={created !== null} onClose={() => setCreated(null)} title={t('tokens.createdTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack gap="md" data-testid="token-created">
          <Text size="sm">{t('tokens.createdBody')}</Text>
          {created ? <CopyField value={created.token} label={t('tokens.token')} testId="token-value" /> : null}
          <Group justify="flex-end">
            <Button onClick={() => setCreated(null)}>{t('common.done')}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
