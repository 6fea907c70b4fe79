import { Badge, Box, Button, Group, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notify } from '../lib/notify';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { unitsApi } from '../api/endpoints';
import { keys, useUnits } from '../api/queries';
import type { Unit, UnitKind } from '../api/types';
import { confirmAction } from '../components/confirm';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Empty, Loading } from '../components/States';
import { UnitSelect } from '../components/UnitSelect';
import { applyProblem } from '../lib/forms';
import { kindsAllowedUnder, unitName, unitTree } from '../lib/units';
import { useSession } from '../session/SessionContext';

const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

function useUnitValidators() {
  const { t } = useTranslation();
  return {
    code: (value: string) =>
      !value.trim() ? t('validation.required') : CODE_PATTERN.test(value.trim()) ? null : t('units.codeFormat'),
    name: (value: string) => (value.trim() ? null : t('validation.required')),
  };
}

function CreateUnitModal({ opened, onClose, units }: { opened: boolean; onClose: () => void; units: Unit[] }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const validators = useUnitValidators();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { parent_id: '' as string, kind: '' as string, code: '', name_zh: '', name_en: '' },
    validate: {
      kind: (value) => (value ? null : t('validation.required')),
      code: validators.code,
      name_zh: validators.name,
      name_en: validators.name,
    },
  });
  const parent = units.find((unit) => String(unit.id) === form.values.parent_id) ?? null;
  const kinds = kindsAllowedUnder(parent ? parent.kind : null);
  const create = useMutation({
    mutationFn: unitsApi.create,
    onSuccess: async (unit) => {
      await queryClient.invalidateQueries({ queryKey: keys.units });
      notify({ color: 'teal', message: t('units.created', { name: unitName(unit, i18n.language) }) });
      form.reset();
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  const submit = form.onSubmit((values) => {
    setError(null);
    create.mutate({
      parent_id: values.parent_id ? Number(values.parent_id) : null,
      kind: values.kind as UnitKind,
      code: values.code.trim(),
      name_zh: values.name_zh.trim(),
      name_en: values.name_en.trim(),
    });
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('units.createTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit} noValidate data-testid="unit-create-form">
        <Stack gap="md">
          <ProblemAlert error={error} />
          <UnitSelect
            units={units.filter((unit) => unit.active)}
            label={t('units.parent')}
            description={t('units.parentHint')}
            placeholder={t('units.topLevel')}
            clearable
            {...form.getInputProps('parent_id')}
            onChange={(value) => {
              form.setFieldValue('parent_id', value ?? '');
              form.setFieldValue('kind', '');
            }}
          />
          <Select
            label={t('units.kind')}
            required
            data={kinds.map((kind) => ({ value: kind, label: t(`unitKind.${kind}`) }))}
            {...form.getInputProps('kind')}
          />
          <TextInput label={t('units.code')} description={t('units.codeHint')} required maxLength={40} {...form.getInputProps('code')} />
          <TextInput label={t('units.nameZh')} required maxLength={120} lang="zh-Hant" {...form.getInputProps('name_zh')} />
          <TextInput label={t('units.nameEn')} required maxLength={200} lang="en" {...form.getInputProps('name_en')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('units.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function VersionConflict({ error, onReload }: { error: unknown; onReload: () => void }) {
  const { t } = useTranslation();
  if (!isApiError(error) || error.code !== 'version_conflict') return <ProblemAlert error={error} />;
  return (
    <Stack gap="xs">
      <ProblemAlert error={error} />
      <Button variant="light" color="orange" onClick={onReload} data-testid="reload-latest">
        {t('common.reloadLatest')}
      </Button>
    </Stack>
  );
}

function EditUnitModal({ unit, onClose }: { unit: Unit; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const validators = useUnitValidators();
  const [error, setError] = useState<unknown>(null);
  const [base, setBase] = useState(unit);
  const form = useForm({
    initialValues: { code: unit.code, name_zh: unit.name_zh, name_en: unit.name_en },
    validate: { code: validators.code, name_zh: validators.name, name_en: validators.name },
  });
  const update = useMutation({
    mutationFn: (values: typeof form.values) =>
      unitsApi.update(base.id, {
        version: base.version,
        code: values.code.trim(),
        name_zh: values.name_zh.trim(),
        name_en: values.name_en.trim(),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.units });
      notify({ color: 'teal', message: t('common.saved') });
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  const reload = async () => {
    const latest = await unitsApi.get(base.id);
    setBase(latest);
    form.setValues({ code: latest.code, name_zh: latest.name_zh, name_en: latest.name_en });
    form.resetDirty();
    setError(null);
    await queryClient.invalidateQueries({ queryKey: keys.units });
  };
  return (
    <Modal opened onClose={onClose} title={t('units.editTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setError(null);
          update.mutate(values);
        })}
      >
        <Stack gap="md">
          <VersionConflict error={error} onReload={() => void reload()} />
          <TextInput label={t('units.code')} required maxLength={40} {...form.getInputProps('code')} />
          <TextInput label={t('units.nameZh')} required maxLength={120} lang="zh-Hant" {...form.getInputProps('name_zh')} />
          <TextInput label={t('units.nameEn')} required maxLength={200} lang="en" {...form.getInputProps('name_en')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={update.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function UnitsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const units = useUnits();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Unit | null>(null);
  const rows = useMemo(() => unitTree(units.data ?? []), [units.data]);
  const manage = can('units.manage');
  const otherLanguage = i18n.language === 'en' ? 'zh-Hant' : 'en';

  const toggle = useMutation({
    mutationFn: (unit: Unit) => unitsApi.update(unit.id, { version: unit.version, active: !unit.active }),
    onSuccess: async (unit) => {
      await queryClient.invalidateQueries({ queryKey: keys.units });
      notify({ color: 'teal', message: unit.active ? t('units.activated') : t('units.deactivated') });
    },
    onError: async (caught) => {
      if (isApiError(caught) && caught.code === 'version_conflict') {
        await queryClient.invalidateQueries({ queryKey: keys.units });
        notify({ color: 'orange', title: caught.title, message: t('units.conflictReloaded') });
      } else {
        notify({ color: 'red', title: isApiError(caught) ? caught.title : t('errors.unexpected'), message: isApiError(caught) ? caught.detail : '' });
      }
    },
  });

  const askToggle = async (unit: Unit) => {
    if (unit.active) {
      const ok = await confirmAction({
        title: t('units.deactivateTitle'),
        message: t('units.deactivateBody', { name: unitName(unit, i18n.language) }),
        confirmLabel: t('units.deactivate'),
      });
      if (!ok) return;
    }
    toggle.mutate(unit);
  };

  return (
    <>
      <PageHeader
        title={t('units.title')}
        description={t('units.description')}
        actions={
          manage ? (
            <Button onClick={() => setCreating(true)} data-testid="unit-create">
              {t('units.create')}
            </Button>
          ) : null
        }
      />
      {units.isLoading ? <Loading /> : null}
      {units.error ? <ProblemAlert error={units.error} /> : null}
      {units.data && rows.length === 0 ? <Empty>{t('units.empty')}</Empty> : null}
      {rows.length > 0 ? (
        <Table.ScrollContainer minWidth={800}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="units-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('units.name')}</Table.Th>
                <Table.Th scope="col">{t('units.code')}</Table.Th>
                <Table.Th scope="col">{t('units.kind')}</Table.Th>
                <Table.Th scope="col">{t('units.status')}</Table.Th>
                {manage ? <Table.Th scope="col">{t('common.actions')}</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ unit, depth }) => (
                <Table.Tr key={unit.id} data-code={unit.code}>
                  <Table.Td>
                    <Box pl={depth * 24}>
                      <Text size="sm" fw={depth === 0 ? 700 : 500}>
                        {unitName(unit, i18n.language)}
                      </Text>
                      <Text size="xs" c="dimmed" lang={otherLanguage}>
                        {unitName(unit, otherLanguage)}
                      </Text>
                    </Box>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {unit.code}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`unitKind.${unit.kind}`, { defaultValue: unit.kind })}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge color={unit.active ? 'teal' : 'gray'} variant="light">
                      {unit.active ? t('units.active') : t('units.inactive')}
                    </Badge>
                  </Table.Td>
                  {manage ? (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="light" onClick={() => setEditing(unit)} aria-label={t('units.editNamed', { name: unitName(unit, i18n.language) })}>
                          {t('common.edit')}
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color={unit.active ? 'red' : 'teal'}
                          onClick={() => void askToggle(unit)}
                          aria-label={t(unit.active ? 'units.deactivateNamed' : 'units.activateNamed', { name: unitName(unit, i18n.language) })}
                        >
                          {unit.active ? t('units.deactivate') : t('units.activate')}
                        </Button>
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {manage ? <CreateUnitModal opened={creating} onClose={() => setCreating(false)} units={units.data ?? []} /> : null}
      {editing ? <EditUnitModal unit={editing} onClose={() => setEditing(null)} /> : null}
    </>
  );
}

