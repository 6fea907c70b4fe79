import { Anchor, Badge, Card, Group, Progress, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContactUnit, MatchReason, Person, PersonSummary, SearchHit } from '../api/types';
import { birthText, contactUnitLabel, englishName, isRestricted, LIKELY_SCORE, primaryName, reasonLabel } from '../lib/persons';
import i18n from '../i18n';
import { DateTime } from './DateTime';

/** How well a hit matches, as a bar with the number beside it. */
export function ScoreBar({ score }: { score: number }) {
  const { t } = useTranslation();
  const color = score >= LIKELY_SCORE ? 'teal' : score >= 30 ? 'blue' : 'gray';
  return (
    <Group gap="xs" wrap="nowrap" data-testid="score" data-score={score}>
      <Progress.Root size="lg" w={96} style={{ flexShrink: 0 }}>
        <Progress.Section value={score} color={color} aria-label={t('person.scoreLabel', { score })} />
      </Progress.Root>
      <Text size="sm" fw={600} aria-hidden>
        {score}
      </Text>
    </Group>
  );
}

/** The reasons of a match as small labels ("Chinese name: exact"). */
export function ReasonChips({ reasons }: { reasons: MatchReason[] }) {
  const { t } = useTranslation();
  if (reasons.length === 0) return null;
  return (
    <Group gap={6} wrap="wrap" data-testid="reasons" aria-label={t('person.reasons')} role="list">
      {reasons.map((reason) => (
        <Badge
          key={`${reason.field}-${reason.level}`}
          role="listitem"
          variant="light"
          color={reason.level === 'disagree' ? 'red' : reason.level.startsWith('exact') || reason.level === 'agree' ? 'teal' : 'blue'}
          tt="none"
          data-field={reason.field}
          data-level={reason.level}
        >
          {reasonLabel(t, reason)}
        </Badge>
      ))}
    </Group>
  );
}

/** The units to contact about a person the caller may not see. */
export function contactUnitsText(units: ContactUnit[], language: string): string {
  return units.map((unit) => contactUnitLabel(unit, language)).join(i18n.t('person.separator'));
}

/** "Known to the department — contact …", all that a restricted view shows. */
export function KnownToDepartment({ units }: { units: ContactUnit[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Text size="sm" data-testid="known-to-department">
      {t('person.knownContact', { units: contactUnitsText(units, i18n.language) })}
    </Text>
  );
}

/** Full, shared by consent, emergency, or restricted. */
export function AccessBadge({ person }: { person: Person | PersonSummary }) {
  const { t } = useTranslation();
  if (isRestricted(person)) {
    return (
      <Badge color="gray" variant="light" data-testid="access-badge" data-access="restricted">
        {t('person.access.restricted')}
      </Badge>
    );
  }
  if (person.access === 'full') {
    return (
      <Badge color="teal" variant="light" data-testid="access-badge" data-access="full">
        {t('person.access.full')}
      </Badge>
    );
  }
  if (person.access_reason === 'emergency') {
    const until = 'emergency_until' in person ? person.emergency_until : null;
    return (
      <Badge color="red.9" variant="filled" data-testid="access-badge" data-access="emergency" tt="none">
        {until ? (
          <>
            {t('person.access.emergencyUntil')} <DateTime value={until} />
          </>
        ) : (
          t('person.access.emergency')
        )}
      </Badge>
    );
  }
  return (
    <Badge color="blue" variant="light" data-testid="access-badge" data-access="shared">
      {t('person.access.shared')}
    </Badge>
  );
}

/** Sex and date of birth in one line. */
export function PersonFacts({ person }: { person: PersonSummary }) {
  const { t } = useTranslation();
  const facts = [t(`sex.${person.sex}`), t('person.bornOn', { date: birthText(t, person.birth_date, person.birth_precision) })];
  if (person.death_date) facts.push(t('person.diedOn', { date: person.death_date }));
  if (person.district) facts.push(person.district);
  return (
    <Text size="sm" c="dimmed">
      {facts.join(' · ')}
    </Text>
  );
}

/** One search hit or possible duplicate: who it is, how well it matches and why. */
export function HitCard({ hit, actions, headingLevel = 3 }: { hit: SearchHit; actions?: ReactNode; headingLevel?: 2 | 3 | 4 }) {
  const { t } = useTranslation();
  const person = hit.person;
  const Heading = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  if (isRestricted(person)) {
    return (
      <Card withBorder padding="md" data-testid="hit" data-person-id={person.id} data-access="restricted">
        <Stack gap="xs">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Text component={Heading} fw={700} size="md" m={0}>
              <Anchor component={Link} to={`/persons/${person.id}`}>
                {t('person.recordNumber', { id: person.id })}
              </Anchor>
            </Text>
            <AccessBadge person={person} />
          </Group>
          <KnownToDepartment units={person.contact_units} />
          {actions}
        </Stack>
      </Card>
    );
  }
  const aliases = person.names.map((name) => [name.chinese_name, englishName(name)].filter(Boolean).join(' ')).filter(Boolean);
  return (
    <Card withBorder padding="md" data-testid="hit" data-person-id={person.id} data-access={person.access}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs" align="flex-start">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Text component={Heading} fw={700} size="md" m={0}>
              <Anchor component={Link} to={`/persons/${person.id}`}>
                {primaryName(person) || t('person.recordNumber', { id: person.id })}
              </Anchor>
              {person.chinese_name && englishName(person) ? (
                <Text component="span" fw={400} ml="xs">
                  {englishName(person)}
                </Text>
              ) : null}
            </Text>
            <PersonFacts person={person} />
            {aliases.length > 0 ? (
              <Text size="sm">
                {t('person.alsoKnownAs')}: {aliases.join(t('person.separator'))}
              </Text>
            ) : null}
          </Stack>
          <Stack gap={4} align="flex-end">
            <AccessBadge person={person} />
            <ScoreBar score={hit.score} />
          </Stack>
        </Group>
        <ReasonChips reasons={hit.reasons} />
        {actions}
      </Stack>
    </Card>
  );
}
