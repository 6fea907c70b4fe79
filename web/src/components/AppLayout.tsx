import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, Anchor, VisuallyHidden } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { notify } from '../lib/notify';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, useLocation } from 'react-router';
import { OPEN_COUNT_SHOWN, useOpenDuplicateCount, useUnits } from '../api/queries';
import { useSession } from '../session/SessionContext';
import { IdleWarning } from '../session/IdleWarning';
import { AlertsBell } from './AlertsBell';
import { Icon, type IconName } from './icons';
import { LanguageSwitch } from './LanguageSwitch';
import { useUnitLabel } from './UnitSelect';

export interface NavItem {
  to: string;
  label: string;
  icon: IconName;
  permission: string | null;
}

export const NAV_ITEMS: NavItem[] = [
  { to: '/persons', label: 'nav.persons', icon: 'persons', permission: 'persons.search' },
  { to: '/persons/import', label: 'nav.import', icon: 'upload', permission: 'persons.import' },
  { to: '/duplicates', label: 'nav.duplicates', icon: 'duplicates', permission: 'persons.merge' },
  { to: '/units', label: 'nav.units', icon: 'units', permission: 'units.read' },
  { to: '/staff', label: 'nav.staff', icon: 'staff', permission: 'staff.read' },
  { to: '/roles', label: 'nav.roles', icon: 'roles', permission: 'staff.read' },
  { to: '/audit', label: 'nav.audit', icon: 'audit', permission: 'audit.read' },
  { to: '/jobs', label: 'nav.jobs', icon: 'jobs', permission: 'jobs.read' },
  { to: '/tokens', label: 'nav.tokens', icon: 'tokens', permission: 'tokens.manage' },
  { to: '/settings/forms', label: 'nav.forms', icon: 'forms', permission: 'cases.read' },
  { to: '/account', label: 'nav.account', icon: 'account', permission: null },
];

/** The item of the current page: the longest one whose path starts the address. */
function activeItem(items: NavItem[], pathname: string): string | null {
  let best: string | null = null;
  for (const item of items) {
    if ((pathname === item.to || pathname.startsWith(`${item.to}/`)) && (best === null || item.to.length > best.length)) best = item.to;
  }
  return best;
}

/** The number of duplicate pairs waiting for a decision, beside the menu item. */
function OpenDuplicatesBadge() {
  const { t } = useTranslation();
  const open = useOpenDuplicateCount();
  const count = open.data ?? 0;
  if (count === 0) return null;
  return (
    <Badge size="sm" variant="filled" color="red.9" data-testid="open-duplicates" data-count={count}>
      <span aria-hidden="true">{count > OPEN_COUNT_SHOWN ? `${OPEN_COUNT_SHOWN}+` : count}</span>
      <VisuallyHidden>{t('duplicates.openCount', { n: count })}</VisuallyHidden>
    </Badge>
  );
}

export function SignOutButton() {
  const { t } = useTranslation();
  const { signOut } = useSession();
  return (
    <Button
      variant="subtle"
      color="gray"
      size="sm"
      leftSection={<Icon name="signOut" size={18} />}
      data-testid="sign-out"
      onClick={() => {
        signOut().catch(() => notify({ color: 'red', message: t('errors.unexpected') }));
      }}
    >
      {t('app.signOut')}
    </Button>
  );
}

export function SkipLink() {
  const { t } = useTranslation();
  return (
    <Anchor href="#main" className="skip-link">
      {t('app.skipToContent')}
    </Anchor>
  );
}

export function ProductName() {
  const { t } = useTranslation();
  return (
    <Text component="span" fw={700} size="lg" c="blue.9" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
      {t('app.productName')}
    </Text>
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { session, can } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  // Below the "sm" breakpoint the navigation slides away; keep it out of the tab order then.
  const narrow = useMediaQuery('(max-width: 47.99em)') ?? false;
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);
  const units = useUnits();
  const unitLabel = useUnitLabel(units.data);

  useEffect(() => {
    close();
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [location.pathname, close]);

  if (!session) return null;
  const items = NAV_ITEMS.filter((item) => item.permission === null || can(item.permission));
  const active = activeItem(items, location.pathname);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('app.closeMenu') : t('app.openMenu')}
              aria-expanded={opened}
              aria-controls="app-navigation"
            />
            <ProductName />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Stack gap={0} visibleFrom="md" align="flex-end" data-testid="current-user">
              <Text size="sm" fw={600}>
                {session.user.display_name}
              </Text>
              <Text size="xs" c="dimmed">
                {unitLabel(session.user.unit_id)}
              </Text>
            </Stack>
            <AlertsBell />
            <LanguageSwitch />
            <SignOutButton />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" id="app-navigation" aria-label={t('nav.label')} inert={narrow && !opened}>
        <Stack gap={4}>
          <Stack gap={0} hiddenFrom="md" mb="sm" px="sm">
            <Text size="sm" fw={600}>
              {session.user.display_name}
            </Text>
            <Text size="xs" c="dimmed">
              {unitLabel(session.user.unit_id)}
            </Text>
          </Stack>
          {items.map((item) => (
            <NavLink
              key={item.to}
              component={RouterNavLink}
              to={item.to}
              label={t(item.label)}
              leftSection={<Icon name={item.icon} />}
              active={item.to === active}
              // A shorter item (/persons) must not also claim the page of a longer one (/persons/import).
              end={item.to !== active}
              rightSection={item.to === '/duplicates' ? <OpenDuplicatesBadge /> : undefined}
              data-testid={`nav-${item.to.slice(1)}`}
            />
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main id="main" ref={mainRef} tabIndex={-1} style={{ outline: 'none' }}>
        {children}
      </AppShell.Main>
      <IdleWarning />
    </AppShell>
  );
}
