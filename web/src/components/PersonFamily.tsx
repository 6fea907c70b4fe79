import { Anchor, Badge, Button, Card, Group, Modal, Radio, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { randomId } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../api/client';
import { familyApi } from '../api/endpoints';
import { keys } from '../api/queries';
import {
  HOUSEHOLD_KINDS,
  HOUSEHOLD_ROLES,
  RELATIONSHIP_KINDS,
  type FamilyPerson,
  type FamilyRelationship,
  type Household,
  type HouseholdMember,
  type PersonRecord,
} from '../api/types';
import { applyProblem } from '../lib/forms';
import { notify } from '../lib/notify';
import { fullName, inverseRelationship, isHidden, primaryName, today } from '../lib/persons';
import { confirmAction } from './confirm';
import { KnownToDepartment, PersonFacts } from './PersonBits';
import { PersonPicker, type PickedPerson } from './PersonPicker';
import { ProblemAlert } from './ProblemAlert';
import { Empty, Loading } from './States';

/** After a change to the family: the family of everyone shown, and the change history. */
function useFamilyChanged(personId: number) {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: ['persons', 'family'] });
    void queryClient.invalidateQueries({ queryKey: keys.personChanges(personId) });
  };
}

function showProblem(error: unknown, fallback: string) {
  notify({
    color: 'red',
    title: isApiError(error) ? error.title : fallback,
    message: isApiError(error) ? error.errors.map((field) => field.message).join(' ') || error.detail : '',
  });
}

/** A family member by name (a link), or only by number and whom to contact. */
function Member({ person }: { person: FamilyPerson }) {
  const { t } = useTranslation();
  if (isHidden(person)) {
    return (
      <Stack gap={0} data-testid="family-person" data-person-id={person.id} data-access="restricted">
        <Anchor component={Link} to={`/persons/${person.id}`} size="sm" fw={600}>
          {t('person.recordNumber', { id: person.id })}
        </Anchor>
        {person.contact_units && person.contact_units.length > 0 ? (
          <KnownToDepartment units={person.contact_units} />
        ) : (
          <Text size="sm">{t('family.notShown')}</Text>
        )}
      </Stack>
    );
  }
  return (
    <Stack gap={0} data-testid="family-person" data-person-id={person.id} data-access={person.access}>
      <Anchor component={Link} to={`/persons/${person.id}`} size="sm" fw={600}>
        {fullName(person) || t('person.recordNumber', { id: person.id })}
      </Anchor>
      <PersonFacts person={person} />
    </Stack>
  );
}

function memberName(person: FamilyPerson | undefined, id: number, recordLabel: (id: number) => string): string {
  if (!person || isHidden(person)) return recordLabel(id);
  return primaryName(person) || recordLabel(id);
}

function AddRelationshipModal({ person, onClose }: { person: PersonRecord; onClose: () => void }) {
  const { t } = useTranslation();
  const changed = useFamilyChanged(person.id);
  const [error, setError] = useState<unknown>(null);
  const name = primaryName(person) || t('person.recordNumber', { id: person.id });
  const form = useForm({
    initialValues: { related: null as PickedPerson | null, kind: '' as string | null, started_on: '', note: '' },
    validate: {
      related: (value) => (value ? null : t('family.chooseSomeone')),
      kind: (value) => (value ? null : t('validation.required')),
    },
  });
  const add = useMutation({
    mutationFn: (values: typeof form.values) =>
      familyApi.addRelationship(person.id, {
        related_id: values.related?.id ?? 0,
        // The form asks what the other person is to this one; the API records what this one is to them.
        kind: inverseRelationship(values.kind as (typeof RELATIONSHIP_KINDS)[number]),
        ...(values.started_on ? { started_on: values.started_on } : {}),
        ...(values.note.trim() ? { note: values.note.trim() } : {}),
      }),
    onSuccess: async () => {
      await changed();
      notify({ color: 'teal', message: t('family.linked') });
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught, { related_id: 'related' })),
  });
  return (
    <Modal opened onClose={onClose} title={t('family.addRelationshipTitle', { name })} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        noValidate
        data-testid="add-relationship-form"
        onSubmit={form.onSubmit((values) => {
          setError(null);
          add.mutate(values);
        })}
      >
        <Stack gap="md">
          <ProblemAlert error={error} />
          <PersonPicker
            label={t('family.whoLabel')}
            value={form.values.related}
            onChange={(picked) => form.setFieldValue('related', picked)}
            exclude={[person.id]}
            error={typeof form.errors.related === 'string' ? form.errors.related : undefined}
          />
          <Select
            label={form.values.related ? t('family.kindLabelNamed', { other: form.values.related.label, name }) : t('family.kindLabel', { name })}
            description={t('family.kindHint', { name })}
            required
            allowDeselect={false}
            data={RELATIONSHIP_KINDS.map((kind) => ({ value: kind, label: t(`relationshipKind.${kind}`) }))}
            comboboxProps={{ withinPortal: true }}
            data-testid="relationship-kind"
            {...form.getInputProps('kind')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput type="date" label={t('family.startedOn')} {...form.getInputProps('started_on')} />
          </SimpleGrid>
          <Textarea label={t('family.note')} autosize minRows={2} maxLength={500} {...form.getInputProps('note')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending} data-testid="add-relationship-submit">
              {t('family.addRelationship')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

interface OtherMember {
  key: string;
  person: PickedPerson;
  role: string;
}

function CreateHouseholdModal({ person, onClose }: { person: PersonRecord; onClose: () => void }) {
  const { t } = useTranslation();
  const changed = useFamilyChanged(person.id);
  const [error, setError] = useState<unknown>(null);
  const [picking, setPicking] = useState<PickedPerson | null>(null);
  const name = primaryName(person) || t('person.recordNumber', { id: person.id });
  const form = useForm({
    initialValues: { kind: 'living_together', name: '', role: 'head' as string | null, others: [] as OtherMember[] },
  });
  const roleOptions = HOUSEHOLD_ROLES.map((role) => ({ value: role, label: t(`householdRole.${role}`) }));
  const create = useMutation({
    mutationFn: (values: typeof form.values) =>
      familyApi.createHousehold({
        kind: values.kind as (typeof HOUSEHOLD_KINDS)[number],
        ...(values.name.trim() ? { name: values.name.trim() } : {}),
        members: [
          { person_id: person.id, role: (values.role ?? 'head') as (typeof HOUSEHOLD_ROLES)[number] },
          ...values.others.map((other) => ({ person_id: other.person.id, role: other.role as (typeof HOUSEHOLD_ROLES)[number] })),
        ],
      }),
    onSuccess: async () => {
      await changed();
      notify({ color: 'teal', message: t('family.householdCreated') });
      onClose();
    },
    onError: (caught) => {
      // The server numbers the members as sent: 0 is this person, the others follow.
      const aliases: Record<string, string> = { 'members.0.role': 'role' };
      form.values.others.forEach((_other, index) => {
        aliases[`members.${index + 1}.role`] = `others.${index}.role`;
        aliases[`members.${index + 1}.person_id`] = `others.${index}.role`;
      });
      setError(applyProblem(form, caught, aliases));
    },
  });
  const taken = [person.id, ...form.values.others.map((other) => other.person.id)];
  return (
    <Modal opened onClose={onClose} title={t('family.createHouseholdTitle')} size="xl" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        noValidate
        data-testid="create-household-form"
        onSubmit={form.onSubmit((values) => {
          setError(null);
          create.mutate(values);
        })}
      >
        <Stack gap="md">
          <ProblemAlert error={error} />
          <Radio.Group label={t('family.householdKind')} {...form.getInputProps('kind')}>
            <Stack gap={6} mt={6}>
              {HOUSEHOLD_KINDS.map((kind) => (
                <Radio key={kind} value={kind} label={t(`householdKind.${kind}`)} description={t(`householdKindHint.${kind}`)} />
              ))}
            </Stack>
          </Radio.Group>
          <TextInput label={t('family.householdName')} description={t('family.householdNameHint')} maxLength={120} {...form.getInputProps('name')} />
          <Card withBorder padding="sm">
            <Stack gap="sm">
              <Title order={3} fz="h5">
                {t('family.members')}
              </Title>
              <Group justify="space-between" wrap="wrap" gap="xs" align="flex-end" data-testid="household-self">
                <Text size="sm" fw={600} mb={8}>
                  {name}
                </Text>
                <Select label={t('family.roleOf', { name })} data={roleOptions} allowDeselect={false} w={220} comboboxProps={{ withinPortal: true }} {...form.getInputProps('role')} />
              </Group>
              {form.values.others.map((other, index) => (
                <Group key={other.key} justify="space-between" wrap="wrap" gap="xs" align="flex-end" data-testid="household-other" data-person-id={other.person.id}>
                  <Text size="sm" fw={600} mb={8}>
                    {other.person.label}
                  </Text>
                  <Group gap="xs" align="flex-end" wrap="nowrap">
                    <Select
                      label={t('family.roleOf', { name: other.person.label })}
                      data={roleOptions}
                      allowDeselect={false}
                      w={220}
                      comboboxProps={{ withinPortal: true }}
                      {...form.getInputProps(`others.${index}.role`)}
                    />
                    <Button variant="subtle" color="red" size="xs" mb={6} onClick={() => form.removeListItem('others', index)} aria-label={t('family.removeFromList', { name: other.person.label })}>
                      {t('person.remove')}
                    </Button>
                  </Group>
                </Group>
              ))}
              <PersonPicker
                // A fresh, empty search after each member added.
                key={form.values.others.length}
                label={t('family.addToHousehold')}
                value={picking}
                onChange={(picked) => {
                  if (!picked) return setPicking(null);
                  form.insertListItem('others', { key: randomId(), person: picked, role: 'other' });
                  setPicking(null);
                }}
                exclude={taken}
                testId="household-picker"
              />
            </Stack>
          </Card>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="create-household-submit">
              {t('family.createHousehold')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function AddMemberModal({ household, exclude, onClose, personId }: { household: Household; exclude: number[]; onClose: () => void; personId: number }) {
  const { t } = useTranslation();
  const changed = useFamilyChanged(personId);
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { person: null as PickedPerson | null, role: 'other' as string | null, joined_on: today() },
    validate: { person: (value) => (value ? null : t('family.chooseSomeone')) },
  });
  const add = useMutation({
    mutationFn: (values: typeof form.values) =>
      familyApi.addMember(household.id, {
        person_id: values.person?.id ?? 0,
        role: (values.role ?? 'other') as (typeof HOUSEHOLD_ROLES)[number],
        ...(values.joined_on ? { joined_on: values.joined_on } : {}),
      }),
    onSuccess: async () => {
      await changed();
      notify({ color: 'teal', message: t('family.memberAdded') });
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught, { person_id: 'person' })),
  });
  return (
    <Modal opened onClose={onClose} title={t('family.addMemberTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form noValidate data-testid="add-member-form" onSubmit={form.onSubmit((values) => add.mutate(values))}>
        <Stack gap="md">
          <ProblemAlert error={error} />
          <PersonPicker
            label={t('family.whoJoins')}
            value={form.values.person}
            onChange={(picked) => form.setFieldValue('person', picked)}
            exclude={exclude}
            error={typeof form.errors.person === 'string' ? form.errors.person : undefined}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label={t('family.role')}
              data={HOUSEHOLD_ROLES.map((role) => ({ value: role, label: t(`householdRole.${role}`) }))}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('role')}
            />
            <TextInput type="date" label={t('family.joinedOn')} {...form.getInputProps('joined_on')} />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending} data-testid="add-member-submit">
              {t('family.addMember')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function LeaveModal({ household, member, name, personId, onClose }: { household: Household; member: HouseholdMember; name: string; personId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const changed = useFamilyChanged(personId);
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { left_on: today() },
    validate: { left_on: (value) => (value ? null : t('validation.required')) },
  });
  const leave = useMutation({
    mutationFn: (values: typeof form.values) => familyApi.leave(household.id, member.id, values.left_on),
    onSuccess: async () => {
      await changed();
      notify({ color: 'teal', message: t('family.memberLeft', { name }) });
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  return (
    <Modal opened onClose={onClose} title={t('family.leaveTitle', { name })} size="md" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form noValidate data-testid="leave-form" onSubmit={form.onSubmit((values) => leave.mutate(values))}>
        <Stack gap="md">
          <Text size="sm">{t('family.leaveBody', { name })}</Text>
          <ProblemAlert error={error} />
          <TextInput type="date" label={t('family.leftOn')} required data-autofocus {...form.getInputProps('left_on')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={leave.isPending} data-testid="leave-submit">
              {t('family.leave')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RelationshipsCard({ person, relationships, canEdit }: { person: PersonRecord; relationships: FamilyRelationship[]; canEdit: boolean }) {
  const { t } = useTranslation();
  const changed = useFamilyChanged(person.id);
  const [adding, setAdding] = useState(false);
  const recordLabel = (id: number) => t('person.recordNumber', { id });
  const remove = useMutation({
    mutationFn: (link: FamilyRelationship) => familyApi.removeRelationship(person.id, link.id),
    onSuccess: async () => {
      await changed();
      notify({ color: 'teal', message: t('family.unlinked') });
    },
    onError: (caught) => showProblem(caught, t('errors.unexpected')),
  });
  const name = primaryName(person) || recordLabel(person.id);
  return (
    <Card withBorder padding="lg" data-testid="relationships">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} fz="h3">
          {t('family.relationships')}
        </Title>
        {canEdit ? (
          <Button variant="light" onClick={() => setAdding(true)} data-testid="add-relationship">
            {t('family.addRelationship')}
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('family.relationshipsDescription', { name })}
      </Text>
      {relationships.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="no-relationships">
          {t('family.noRelationships')}
        </Text>
      ) : (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {relationships.map((link) => {
            const other = memberName(link.person, link.person.id, recordLabel);
            const kind = t(`relationshipKind.${link.kind}`, { defaultValue: link.kind });
            return (
              <Group
                key={link.id}
                component="li"
                justify="space-between"
                align="flex-start"
                wrap="nowrap"
                gap="sm"
                py="sm"
                style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
                data-testid="relationship"
                data-kind={link.kind}
                data-person-id={link.person.id}
              >
                <Group gap="sm" align="flex-start" wrap="nowrap" style={{ minWidth: 0 }}>
                  <Badge variant="light" color="indigo" tt="none" miw={72} data-testid="relationship-kind-badge">
                    {kind}
                  </Badge>
                  <Stack gap={2} style={{ minWidth: 0 }}>
                    <Member person={link.person} />
                    {link.started_on || link.ended_on ? (
                      <Text size="xs" c="dimmed">
                        {link.ended_on ? t('person.period', { from: link.started_on ?? '…', to: link.ended_on }) : t('person.since', { from: link.started_on })}
                      </Text>
                    ) : null}
                    {link.note ? <Text size="sm">{link.note}</Text> : null}
                  </Stack>
                </Group>
                {canEdit ? (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    loading={remove.isPending && remove.variables?.id === link.id}
                    aria-label={t('family.unlinkNamed', { kind, name: other })}
                    style={{ flexShrink: 0 }}
                    onClick={async () => {
                      const ok = await confirmAction({
                        title: t('family.unlinkTitle'),
                        message: t('family.unlinkBody', { kind, name: other, person: name }),
                        confirmLabel: t('family.unlink'),
                      });
                      if (ok) remove.mutate(link);
                    }}
                    data-testid="remove-relationship"
                  >
                    {t('family.unlink')}
                  </Button>
                ) : null}
              </Group>
            );
          })}
        </Stack>
      )}
      {adding ? <AddRelationshipModal person={person} onClose={() => setAdding(false)} /> : null}
    </Card>
  );
}

function HouseholdCard({ person, household, canEdit }: { person: PersonRecord; household: Household; canEdit: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const [leaving, setLeaving] = useState<HouseholdMember | null>(null);
  const recordLabel = (id: number) => t('person.recordNumber', { id });
  const members = [...household.members].sort((a, b) => Number(Boolean(a.left_on)) - Number(Boolean(b.left_on)) || a.id - b.id);
  const current = members.filter((member) => !member.left_on).map((member) => member.person_id);
  const title = household.name || t('family.householdNumber', { id: household.id });
  return (
    <Card withBorder padding="lg" data-testid="household" data-household-id={household.id}>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Group gap="xs">
          <Title order={3} fz="h4">
            {title}
          </Title>
          <Badge variant="light" color="gray" tt="none">
            {t(`householdKind.${household.kind}`, { defaultValue: household.kind })}
          </Badge>
        </Group>
        {canEdit ? (
          <Button variant="light" size="xs" onClick={() => setAdding(true)} data-testid="add-member" aria-label={t('family.addMemberTo', { name: title })}>
            {t('family.addMember')}
          </Button>
        ) : null}
      </Group>
      <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('family.membersOf', { name: title })} data-testid="household-members">
        {members.map((member) => {
          const memberPerson = member.person ?? ({ id: member.person_id, access: 'restricted' } as FamilyPerson);
          const name = memberName(member.person, member.person_id, recordLabel);
          return (
            <Group
              key={member.id}
              component="li"
              justify="space-between"
              align="flex-start"
              wrap="nowrap"
              gap="sm"
              py="sm"
              style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
              data-testid="household-member"
              data-person-id={member.person_id}
              data-left={member.left_on ? 'true' : 'false'}
            >
              <Group gap="sm" align="flex-start" wrap="nowrap" style={{ minWidth: 0 }}>
                <Badge variant="light" color={member.left_on ? 'gray' : 'teal'} tt="none" miw={72}>
                  {t(`householdRole.${member.role}`, { defaultValue: member.role })}
                </Badge>
                <Stack gap={2} style={{ minWidth: 0 }}>
                  {member.person_id === person.id ? (
                    <Text size="sm" fw={600}>
                      {fullName(person) || recordLabel(person.id)}
                    </Text>
                  ) : (
                    <Member person={memberPerson} />
                  )}
                  <Text size="xs" c="dimmed">
                    {member.left_on
                      ? t('family.leftOnDate', { date: member.left_on })
                      : member.joined_on
                        ? t('person.since', { from: member.joined_on })
                        : t('family.current')}
                  </Text>
                </Stack>
              </Group>
              {canEdit && !member.left_on ? (
                <Button
                  size="xs"
                  variant="subtle"
                  color="orange"
                  style={{ flexShrink: 0 }}
                  onClick={() => setLeaving(member)}
                  aria-label={t('family.leaveNamed', { name })}
                  data-testid="member-leave"
                >
                  {t('family.leave')}
                </Button>
              ) : null}
            </Group>
          );
        })}
      </Stack>
      {adding ? <AddMemberModal household={household} exclude={current} personId={person.id} onClose={() => setAdding(false)} /> : null}
      {leaving ? (
        <LeaveModal
          household={household}
          member={leaving}
          name={leaving.person_id === person.id ? primaryName(person) || recordLabel(person.id) : memberName(leaving.person, leaving.person_id, recordLabel)}
          personId={person.id}
          onClose={() => setLeaving(null)}
        />
      ) : null}
    </Card>
  );
}

/** The Family tab: relationships (from this person's side) and households. */
export function PersonFamily({ person, canEdit }: { person: PersonRecord; canEdit: boolean }) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const family = useQuery({ queryKey: keys.family(person.id), queryFn: () => familyApi.get(person.id) });
  if (family.isLoading) return <Loading />;
  if (family.error) return <ProblemAlert error={family.error} />;
  if (!family.data) return null;
  const households = [...family.data.households].sort((a, b) => b.id - a.id);
  return (
    <Stack gap="lg" data-testid="family">
      <RelationshipsCard person={person} relationships={family.data.relationships} canEdit={canEdit} />
      <Card withBorder padding="lg" data-testid="households">
        <Group justify="space-between" mb="xs" wrap="wrap">
          <Title order={2} fz="h3">
            {t('family.households')}
          </Title>
          {canEdit ? (
            <Button variant="light" onClick={() => setCreating(true)} data-testid="create-household">
              {t('family.createHousehold')}
            </Button>
          ) : null}
        </Group>
        <Text size="sm" c="dimmed" mb="sm">
          {t('family.householdsDescription')}
        </Text>
        {households.length === 0 ? (
          <Empty>{t('family.noHouseholds')}</Empty>
        ) : (
          <Stack gap="md">
            {households.map((household) => (
              <HouseholdCard key={household.id} person={person} household={household} canEdit={canEdit} />
            ))}
          </Stack>
        )}
      </Card>
      {creating ? <CreateHouseholdModal person={person} onClose={() => setCreating(false)} /> : null}
    </Stack>
  );
}
