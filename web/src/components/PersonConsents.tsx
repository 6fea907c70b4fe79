import { Badge, Button, Card, Group, Modal, Radio, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { personsApi } from '../api/endpoints';
import { useUnits } from '../api/queries';
import type { PersonConsent, PersonRecord } from '../api/types';
import { applyProblem } from '../lib/forms';
import { notify } from '../lib/notify';
import { confirmAction } from './confirm';
import { usePersonUpdate, useReloadPerson } from './PersonDetails';
import { usePersonUnitLabel } from './PersonHistory';
import { ProblemAlert } from './ProblemAlert';
import { UnitSelect } from './UnitSelect';

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function AddConsentModal({ person, onClose }: { person: PersonRecord; onClose: () => void }) {
  const { t } = useTranslation();
  const units = useUnits();
  const update = usePersonUpdate(person.id);
  const reloadPerson = useReloadPerson(person.id);
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { with: 'unit', unit_id: '' as string | null, given_on: today(), note: '' },
    validate: {
      unit_id: (value, values) => (values.with === 'unit' && !value ? t('validation.required') : null),
      given_on: (value) => (value ? null : t('validation.required')),
    },
  });
  const add = useMutation({
    mutationFn: (values: typeof form.values) =>
      personsApi.addConsent(person.id, {
        version: person.version,
        unit_id: values.with === 'unit' && values.unit_id ? Number(values.unit_id) : null,
        scope: 'share_record',
        given_on: values.given_on,
        ...(values.note.trim() ? { note: values.note.trim() } : {}),
      }),
    onSuccess: (updated) => {
      update(updated);
      notify({ color: 'teal', message: t('person.consentRecorded') });
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  return (
    <Modal opened onClose={onClose} title={t('person.addConsentTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form noValidate data-testid="add-consent-form" onSubmit={form.onSubmit((values) => add.mutate(values))}>
        <Stack gap="md">
          <Text size="sm">{t('person.addConsentBody')}</Text>
          <ProblemAlert error={error} />
          {isApiError(error) && error.code === 'version_conflict' ? (
            <Button variant="light" color="orange" onClick={() => void reloadPerson().then(() => setError(null))} data-testid="reload-latest">
              {t('common.reloadLatest')}
            </Button>
          ) : null}
          <Radio.Group label={t('person.consentWith')} {...form.getInputProps('with')}>
            <Stack gap={6} mt={6}>
              <Radio value="unit" label={t('person.consentOneUnit')} />
              <Radio value="all" label={t('person.consentAllUnits')} />
            </Stack>
          </Radio.Group>
          {form.values.with === 'unit' ? (
            <UnitSelect units={units.data ?? []} label={t('person.consentUnit')} required {...form.getInputProps('unit_id')} />
          ) : null}
          <TextInput label={t('person.consentScope')} value={t('consentScope.share_record')} readOnly disabled />
          <TextInput type="date" label={t('person.consentGivenOn')} required {...form.getInputProps('given_on')} />
          <Textarea label={t('person.consentNote')} autosize minRows={2} maxLength={1000} {...form.getInputProps('note')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending}>
              {t('person.addConsent')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The Consents tab: with whom the person agreed to share the record. */
export function PersonConsents({ person, canEdit }: { person: PersonRecord; canEdit: boolean }) {
  const { t } = useTranslation();
  const update = usePersonUpdate(person.id);
  const reloadPerson = useReloadPerson(person.id);
  const unitLabel = usePersonUnitLabel(person);
  const [adding, setAdding] = useState(false);
  const withdraw = useMutation({
    mutationFn: (consent: PersonConsent) => personsApi.withdrawConsent(person.id, consent.id, person.version),
    onSuccess: (updated) => {
      update(updated);
      notify({ color: 'teal', message: t('person.consentWithdrawn') });
    },
    onError: (caught) => {
      notify({ color: 'red', title: isApiError(caught) ? caught.title : t('errors.unexpected'), message: isApiError(caught) ? caught.detail : '' });
      if (isApiError(caught) && caught.code === 'version_conflict') void reloadPerson();
    },
  });
  const consents = [...person.consents].sort((a, b) => b.given_on.localeCompare(a.given_on) || b.id - a.id);
  const withWhom = (consent: PersonConsent) => (consent.unit_id === null ? t('person.consentAllUnits') : unitLabel(consent.unit_id));
  return (
    <Card withBorder padding="lg" data-testid="consents">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} fz="h3">
          {t('person.consents')}
        </Title>
        {canEdit ? (
          <Button variant="light" onClick={() => setAdding(true)} data-testid="add-consent">
            {t('person.addConsent')}
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {t('person.consentsDescription')}
      </Text>
      {consents.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="no-consents">
          {t('person.noConsents')}
        </Text>
      ) : (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {consents.map((consent) => (
            <Group
              key={consent.id}
              component="li"
              justify="space-between"
              align="flex-start"
              wrap="nowrap"
              gap="sm"
              py="sm"
              style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
              data-testid="consent-row"
              data-withdrawn={consent.withdrawn_on ? 'true' : 'false'}
            >
              <Stack gap={4} style={{ minWidth: 0 }}>
                <Group gap="xs" wrap="wrap">
                  <Text size="sm" fw={600}>
                    {withWhom(consent)}
                  </Text>
                  {consent.withdrawn_on ? (
                    <Badge color="gray" variant="light" tt="none">
                      {t('person.consentWithdrawnOn', { date: consent.withdrawn_on })}
                    </Badge>
                  ) : (
                    <Badge color="teal" variant="light" tt="none">
                      {t('person.consentInForce')}
                    </Badge>
                  )}
                </Group>
                <Text size="sm" c="dimmed">
                  {t(`consentScope.${consent.scope}`, { defaultValue: consent.scope })} · {t('person.consentGivenOn')} {consent.given_on}
                </Text>
                {consent.note ? <Text size="sm">{consent.note}</Text> : null}
              </Stack>
              {canEdit && !consent.withdrawn_on ? (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  loading={withdraw.isPending && withdraw.variables?.id === consent.id}
                  aria-label={t('person.withdrawNamed', { name: withWhom(consent) })}
                  onClick={async () => {
                    const ok = await confirmAction({
                      title: t('person.withdrawTitle'),
                      message: t('person.withdrawBody', { name: withWhom(consent) }),
                      confirmLabel: t('person.withdraw'),
                    });
                    if (ok) withdraw.mutate(consent);
                  }}
                >
                  {t('person.withdraw')}
                </Button>
              ) : null}
            </Group>
          ))}
        </Stack>
      )}
      {adding ? <AddConsentModal person={person} onClose={() => setAdding(false)} /> : null}
    </Card>
  );
}
