import { Button, Card, Group, Input, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { personsApi } from '../api/endpoints';
import { keys } from '../api/queries';
import type { SearchHit } from '../api/types';
import { englishName, isRestricted, primaryName } from '../lib/persons';
import { KnownToDepartment, PersonFacts } from './PersonBits';
import { ProblemAlert } from './ProblemAlert';
import { Loading } from './States';

/** A person chosen in a form: the record number, and how to name them. */
export interface PickedPerson {
  id: number;
  label: string;
}

export function pickedFromHit(hit: SearchHit, recordLabel: (id: number) => string): PickedPerson {
  const person = hit.person;
  if (isRestricted(person)) return { id: person.id, label: recordLabel(person.id) };
  return { id: person.id, label: primaryName(person) || recordLabel(person.id) };
}

/**
 * Finds a person with the client search and chooses one. A person the caller may not see is
 * shown by record number only (with whom to contact) and can still be chosen by that number.
 * No <form> of its own: it lives inside the forms of dialogs.
 */
export function PersonPicker({
  label,
  value,
  onChange,
  exclude = [],
  error,
  testId = 'person-picker',
}: {
  label: string;
  value: PickedPerson | null;
  onChange: (person: PickedPerson | null) => void;
  exclude?: number[];
  error?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const [number, setNumber] = useState('');
  const results = useQuery({
    queryKey: keys.personSearch({ q: query, picker: true }),
    queryFn: () => personsApi.search({ q: query ?? '' }, 10),
    enabled: Boolean(query),
    staleTime: 15_000,
  });
  const recordLabel = (recordId: number) => t('person.recordNumber', { id: recordId });
  const hits = (results.data?.items ?? []).filter((hit) => !exclude.includes(hit.person.id));
  const search = () => {
    if (text.trim()) setQuery(text.trim());
  };

  if (value) {
    return (
      <Input.Wrapper label={label} error={error} data-testid={testId}>
        <Group justify="space-between" wrap="nowrap" mt={4} p="xs" style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4 }}>
          <Text size="sm" fw={600} data-testid="picked" data-person-id={value.id}>
            {value.label}
            {value.label !== recordLabel(value.id) ? (
              <Text component="span" size="xs" c="dimmed" ml="xs">
                {recordLabel(value.id)}
              </Text>
            ) : null}
          </Text>
          <Button size="xs" variant="subtle" onClick={() => onChange(null)} data-testid="pick-again">
            {t('picker.change')}
          </Button>
        </Group>
      </Input.Wrapper>
    );
  }
  const numberValue = Number(number.trim());
  const numberValid = Number.isInteger(numberValue) && numberValue > 0 && !exclude.includes(numberValue);
  return (
    <Stack gap="xs" data-testid={testId} role="group" aria-labelledby={`${id}-label`}>
      <Text size="sm" fw={500} id={`${id}-label`}>
        {label}
      </Text>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput
          label={t('picker.search')}
          placeholder={t('person.searchPlaceholder')}
          type="search"
          autoComplete="off"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              search();
            }
          }}
          error={error}
          style={{ flex: 1 }}
          data-autofocus
          data-testid="picker-search"
        />
        <Button variant="light" onClick={search} data-testid="picker-submit">
          {t('common.search')}
        </Button>
      </Group>
      {query && results.isLoading ? <Loading label={t('person.searching')} /> : null}
      {results.error ? <ProblemAlert error={results.error} /> : null}
      {query && results.isSuccess ? (
        <div aria-live="polite">
          {hits.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="picker-none">
              {t('picker.none')}
            </Text>
          ) : (
            <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('picker.results')}>
              {hits.map((hit) => {
                const person = hit.person;
                const picked = pickedFromHit(hit, recordLabel);
                return (
                  <Card key={person.id} withBorder padding="xs" component="li" data-testid="picker-hit" data-person-id={person.id} data-access={person.access}>
                    <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                      <Stack gap={0} style={{ minWidth: 0 }}>
                        {isRestricted(person) ? (
                          <>
                            <Text size="sm" fw={600}>
                              {recordLabel(person.id)}
                            </Text>
                            <KnownToDepartment units={person.contact_units} />
                          </>
                        ) : (
                          <>
                            <Text size="sm" fw={600}>
                              {[person.chinese_name, englishName(person)].filter(Boolean).join(' ') || recordLabel(person.id)}
                              <Text component="span" size="xs" c="dimmed" ml="xs">
                                {recordLabel(person.id)}
                              </Text>
                            </Text>
                            <PersonFacts person={person} />
                          </>
                        )}
                      </Stack>
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => onChange(picked)}
                        aria-label={t('picker.chooseNamed', { name: picked.label })}
                        data-testid="picker-choose"
                      >
                        {t('picker.choose')}
                      </Button>
                    </Group>
                  </Card>
                );
              })}
            </Stack>
          )}
        </div>
      ) : null}
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput
          label={t('picker.byNumber')}
          description={t('picker.byNumberHint')}
          inputMode="numeric"
          autoComplete="off"
          value={number}
          onChange={(event) => setNumber(event.currentTarget.value.replace(/[^0-9]/g, ''))}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              if (numberValid) onChange({ id: numberValue, label: recordLabel(numberValue) });
            }
          }}
          style={{ flex: 1 }}
          data-testid="picker-number"
        />
        <Button
          variant="default"
          disabled={!numberValid}
          onClick={() => onChange({ id: numberValue, label: recordLabel(numberValue) })}
          data-testid="picker-use-number"
        >
          {t('picker.useNumber')}
        </Button>
      </Group>
    </Stack>
  );
}
