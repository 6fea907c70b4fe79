import { Alert, Button, Card, Group, List, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { personsApi, type PersonSearch } from '../api/endpoints';
import { keys } from '../api/queries';
import { PageHeader } from '../components/PageHeader';
import { HitCard } from '../components/PersonBits';
import { ProblemAlert } from '../components/ProblemAlert';
import { Empty, Loading } from '../components/States';
import { applyProblem } from '../lib/forms';
import { PARTIAL_DATE } from '../lib/persons';
import { useSession } from '../session/SessionContext';

const FIELDS = ['q', 'birth_date', 'district', 'phone'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

function fromParams(params: URLSearchParams): Values {
  return { q: params.get('q') ?? '', birth_date: params.get('birth_date') ?? '', district: params.get('district') ?? '', phone: params.get('phone') ?? '' };
}

function RegisterButton({ variant = 'filled' }: { variant?: 'filled' | 'light' }) {
  const { t } = useTranslation();
  const { can } = useSession();
  if (!can('persons.write')) return null;
  return (
    <Button component={Link} to="/persons/new" variant={variant} data-testid="person-register">
      {t('person.register')}
    </Button>
  );
}

function ImportButton() {
  const { t } = useTranslation();
  const { can } = useSession();
  if (!can('persons.import')) return null;
  return (
    <Button component={Link} to="/persons/import" variant="default" data-testid="person-import">
      {t('person.import')}
    </Button>
  );
}

function SearchHelp() {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="lg" data-testid="search-help">
      <Title order={2} fz="h4" mb="xs">
        {t('person.helpTitle')}
      </Title>
      <List size="sm" spacing={4}>
        <List.Item>{t('person.helpName')}</List.Item>
        <List.Item>{t('person.helpDocument')}</List.Item>
        <List.Item>{t('person.helpBirth')}</List.Item>
        <List.Item>{t('person.helpPhone')}</List.Item>
        <List.Item>{t('person.helpCombine')}</List.Item>
      </List>
    </Card>
  );
}

export function PersonSearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const current = useMemo(() => fromParams(params), [params]);
  const search: PersonSearch = useMemo(() => {
    const out: PersonSearch = {};
    for (const field of FIELDS) if (current[field].trim()) out[field] = current[field].trim();
    return out;
  }, [current]);
  const hasSearch = Object.keys(search).length > 0;
  const form = useForm<Values>({
    initialValues: current,
    validate: {
      birth_date: (value) => (!value.trim() || PARTIAL_DATE.test(value.trim()) ? null : t('person.birthFormat')),
    },
  });
  useEffect(() => {
    // Back and forward change the address: show what it asks for.
    form.setValues(current);
    form.resetDirty(current);
    setError(null);
  }, [current]);

  const results = useQuery({
    queryKey: keys.personSearch(search),
    queryFn: () => personsApi.search(search),
    enabled: hasSearch,
    staleTime: 15_000,
  });
  useEffect(() => {
    if (results.error) setError(applyProblem(form, results.error));
  }, [results.error]);

  const hits = results.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('person.searchTitle')}
        description={t('person.searchDescription')}
        actions={
          <>
            <ImportButton />
            <RegisterButton />
          </>
        }
      />
      <form
        noValidate
        role="search"
        aria-label={t('person.searchLabel')}
        data-testid="person-search-form"
        onSubmit={form.onSubmit((values) => {
          setError(null);
          const next = new URLSearchParams();
          for (const field of FIELDS) if (values[field].trim()) next.set(field, values[field].trim());
          setParams(next);
        })}
      >
        <Stack gap="sm" mb="lg">
          <TextInput
            label={t('person.searchBox')}
            placeholder={t('person.searchPlaceholder')}
            type="search"
            size="md"
            autoComplete="off"
            data-testid="person-search-box"
            {...form.getInputProps('q')}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput label={t('person.birthDate')} placeholder={t('person.birthPlaceholder')} autoComplete="off" {...form.getInputProps('birth_date')} />
            <TextInput label={t('person.district')} autoComplete="off" {...form.getInputProps('district')} />
            <TextInput label={t('person.phone')} type="tel" autoComplete="off" {...form.getInputProps('phone')} />
          </SimpleGrid>
          <Group gap="sm">
            <Button type="submit" data-testid="person-search-submit">
              {t('common.search')}
            </Button>
            {hasSearch ? (
              <Button variant="default" onClick={() => setParams(new URLSearchParams())}>
                {t('common.clear')}
              </Button>
            ) : null}
          </Group>
        </Stack>
      </form>
      <ProblemAlert error={error} />
      {!hasSearch ? <SearchHelp /> : null}
      {hasSearch && results.isLoading ? <Loading label={t('person.searching')} /> : null}
      {hasSearch && results.isSuccess ? (
        <section aria-labelledby="person-results-title" data-testid="person-results">
          <Group justify="space-between" mb="sm" wrap="wrap">
            <Title order={2} fz="h4" id="person-results-title" aria-live="polite">
              {hits.length === 0 ? t('person.noResultsTitle') : t('person.resultCount', { count: hits.length })}
            </Title>
          </Group>
          {results.data.truncated ? (
            <Alert color="yellow" variant="light" mb="sm" data-testid="truncated">
              {t('person.truncated')}
            </Alert>
          ) : null}
          {hits.length === 0 ? (
            <Stack align="center" gap="sm">
              <Empty>{t('person.noResults')}</Empty>
              <RegisterButton variant="light" />
            </Stack>
          ) : (
            <Stack gap="sm">
              {hits.map((hit) => (
                <HitCard key={hit.person.id} hit={hit} />
              ))}
            </Stack>
          )}
        </section>
      ) : null}
    </>
  );
}
