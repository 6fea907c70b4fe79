import { Anchor, Badge, Button, Card, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { duplicatesApi } from '../api/endpoints';
import { keys } from '../api/queries';
import type { DuplicateStatus, MergeRecord } from '../api/types';
import { applyProblem } from '../lib/forms';
import { notify } from '../lib/notify';
import { MIN_MERGE_REASON } from '../lib/persons';
import { useSession } from '../session/SessionContext';
import { DateTime } from './DateTime';
import { ProblemAlert } from './ProblemAlert';
import { Loading } from './States';

const STATUS_COLORS: Record<DuplicateStatus, string> = { open: 'orange', deferred: 'gray', distinct: 'blue', merged: 'teal' };

/** Open, decide later, not the same person, merged. */
export function PairStatusBadge({ status }: { status: DuplicateStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="light" tt="none" data-testid="pair-status" data-status={status}>
      {t(`duplicateStatus.${status}`, { defaultValue: status })}
    </Badge>
  );
}

/** The parts of the record a merge moved, e.g. "identity documents: 1 · contacts: 2". */
export function movedText(t: (key: string, options?: Record<string, unknown>) => string, merge: MergeRecord): string {
  const counts = new Map<string, number>();
  for (const [table, ids] of Object.entries(merge.moved)) {
    if (!Array.isArray(ids) || ids.length === 0) continue;
    const part = table.startsWith('relationships.') ? 'relationships' : table;
    counts.set(part, (counts.get(part) ?? 0) + ids.length);
  }
  if (counts.size === 0) return t('merge.movedNothing');
  return [...counts.entries()]
    .map(([part, n]) => t('merge.movedPart', { part: t(`movedPart.${part}`, { defaultValue: part }), n }))
    .join(t('person.separator'));
}

/** The fields the survivor took from the merged record, by their labels. */
export function takenFields(t: (key: string, options?: Record<string, unknown>) => string, merge: MergeRecord): string[] {
  const after = merge.moved.survivor_after;
  if (!after || typeof after !== 'object') return [];
  return Object.keys(after as Record<string, unknown>).map((field) => t(`mergeField.${field}`, { defaultValue: field }));
}

/** Asks for the reason and undoes a merge: both records come back as they were. */
export function UndoMergeModal({ merge, onClose, onDone }: { merge: MergeRecord; onClose: () => void; onDone?: (merge: MergeRecord) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { reason: '' },
    validate: {
      reason: (value) => (value.trim().length >= MIN_MERGE_REASON ? null : t('person.reasonTooShort', { min: MIN_MERGE_REASON })),
    },
  });
  const undo = useMutation({
    mutationFn: (reason: string) => duplicatesApi.undo(merge.id, reason),
    onSuccess: async (undone) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['persons'] }),
        queryClient.invalidateQueries({ queryKey: ['duplicates'] }),
      ]);
      notify({ color: 'teal', message: t('merge.undone', { survivor: merge.survivor_id, merged: merge.merged_id }) });
      onDone?.(undone);
      onClose();
    },
    onError: (caught) => setError(applyProblem(form, caught)),
  });
  return (
    <Modal opened onClose={onClose} title={t('merge.undoTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form noValidate data-testid="undo-merge-form" onSubmit={form.onSubmit((values) => undo.mutate(values.reason.trim()))}>
        <Stack gap="md">
          <Text size="sm">{t('merge.undoBody', { survivor: merge.survivor_id, merged: merge.merged_id })}</Text>
          <ProblemAlert error={error} />
          <Textarea
            label={t('merge.undoReason')}
            description={t('merge.reasonHint', { min: MIN_MERGE_REASON })}
            required
            autosize
            minRows={2}
            maxLength={2000}
            data-autofocus
            {...form.getInputProps('reason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={undo.isPending} data-testid="undo-merge-submit">
              {t('merge.undo')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** One merge: who was merged into whom, when and why, what moved; undo for data stewards. */
export function MergeItem({ merge, onUndo }: { merge: MergeRecord; onUndo?: (merge: MergeRecord) => void }) {
  const { t } = useTranslation();
  const taken = takenFields(t, merge);
  return (
    <Stack
      gap={4}
      py="sm"
      component="li"
      style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
      data-testid="merge-row"
      data-merge-id={merge.id}
      data-undone={merge.undone_at ? 'true' : 'false'}
    >
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Text size="sm" fw={600}>
          {t('merge.mergedIntoLine', { merged: merge.merged_id, survivor: merge.survivor_id })}{' '}
          <Anchor component={Link} to={`/persons/${merge.survivor_id}`} size="sm">
            {t('merge.openSurvivor', { id: merge.survivor_id })}
          </Anchor>
        </Text>
        {merge.undone_at ? (
          <Badge color="gray" variant="light" tt="none">
            {t('merge.undoneBadge')}
          </Badge>
        ) : (
          <Badge color="teal" variant="light" tt="none">
            {t('merge.inForce')}
          </Badge>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        <DateTime value={merge.merged_at} />
        {merge.undone_at ? (
          <>
            {' · '}
            {t('merge.undoneAt')} <DateTime value={merge.undone_at} />
          </>
        ) : null}
      </Text>
      <Text size="sm">
        {t('merge.reason')}: {merge.reason}
      </Text>
      <Text size="sm" data-testid="merge-moved">
        {t('merge.moved')}: {movedText(t, merge)}
      </Text>
      {taken.length > 0 ? (
        <Text size="sm" data-testid="merge-taken">
          {t('merge.taken')}: {taken.join(t('person.separator'))}
        </Text>
      ) : null}
      {onUndo && !merge.undone_at ? (
        <Group>
          <Button size="xs" variant="light" color="orange" onClick={() => onUndo(merge)} data-testid="undo-merge">
            {t('merge.undo')}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

/** The merges a record took part in; data stewards may undo one. Nothing when there are none. */
export function PersonMerges({ personId, alwaysShow = false }: { personId: number; alwaysShow?: boolean }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [undoing, setUndoing] = useState<MergeRecord | null>(null);
  const merges = useQuery({
    queryKey: keys.merges(personId),
    queryFn: async () => (await duplicatesApi.mergesOf(personId)).items,
    enabled: can('persons.search'),
  });
  if (merges.isLoading) return alwaysShow ? <Loading /> : null;
  if (merges.error) return <ProblemAlert error={merges.error} />;
  const items = [...(merges.data ?? [])].sort((a, b) => b.merged_at.localeCompare(a.merged_at) || b.id - a.id);
  if (items.length === 0 && !alwaysShow) return null;
  return (
    <Card withBorder padding="lg" data-testid="person-merges">
      <Title order={2} fz="h3" mb="xs">
        {t('merge.sectionTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('merge.sectionDescription')}
      </Text>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('merge.none')}
        </Text>
      ) : (
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((merge) => (
            <MergeItem key={merge.id} merge={merge} onUndo={can('persons.merge') ? setUndoing : undefined} />
          ))}
        </Stack>
      )}
      {undoing ? <UndoMergeModal merge={undoing} onClose={() => setUndoing(null)} /> : null}
    </Card>
  );
}
