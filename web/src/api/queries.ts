/** TanStack Query keys and hooks for data that several screens share. */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { sinceForegroundRequest } from './client';
import { alertsApi, duplicatesApi, formsApi, jobsApi, staffApi, unitsApi } from './endpoints';
import { useSession } from '../session/SessionContext';

export const keys = {
  units: ['units'] as const,
  roles: ['roles'] as const,
  staffList: (filters: unknown) => ['staff', 'list', filters] as const,
  staff: (id: number) => ['staff', 'one', id] as const,
  audit: (filters: unknown) => ['audit', filters] as const,
  jobs: ['jobs'] as const,
  job: (id: number) => ['jobs', id] as const,
  tokens: ['tokens'] as const,
  personSearch: (search: unknown) => ['persons', 'search', search] as const,
  duplicateCheck: (registration: unknown) => ['persons', 'duplicate-check', registration] as const,
  person: (id: number) => ['persons', 'one', id] as const,
  involvements: (id: number) => ['persons', 'involvements', id] as const,
  personChanges: (id: number) => ['persons', 'changes', id] as const,
  alerts: (unreadOnly: boolean) => ['alerts', unreadOnly ? 'unread' : 'all'] as const,
  duplicates: (status: string) => ['duplicates', 'list', status] as const,
  openDuplicateCount: ['duplicates', 'open-count'] as const,
  duplicate: (id: number) => ['duplicates', 'one', id] as const,
  merges: (personId: number) => ['persons', 'merges', personId] as const,
  family: (personId: number) => ['persons', 'family', personId] as const,
  forms: ['forms', 'list'] as const,
  form: (code: string, version: number | null) => ['forms', 'one', code, version] as const,
};

/** Beyond this many open pairs the nav badge shows "99+" (the exact number is read out). */
export const OPEN_COUNT_SHOWN = 99;

/** How often the alert bell asks for new alerts. */
export const ALERT_POLL_MS = 60_000;

/** How often a job the user started and is watching is asked for. */
export const JOB_POLL_MS = 1000;

export function useUnits() {
  const { can } = useSession();
  return useQuery({
    queryKey: keys.units,
    queryFn: async () => (await unitsApi.list()).items,
    enabled: can('units.read'),
    staleTime: 60_000,
  });
}

export function useRoles() {
  const { can } = useSession();
  return useQuery({
    queryKey: keys.roles,
    queryFn: async () => (await staffApi.roles()).items,
    enabled: can('staff.read'),
    staleTime: 5 * 60_000,
  });
}

/**
 * The caller's alerts. Unread ones are polled every minute, but only while the user is at work
 * (a request of theirs in the last poll interval): the server counts every request as activity,
 * and a poll must not keep an unattended session from ending.
 */
export function useAlerts(unreadOnly: boolean, enabled = true) {
  const query = useQuery({
    queryKey: keys.alerts(unreadOnly),
    queryFn: async () => (await alertsApi.list(unreadOnly)).items,
    enabled,
    staleTime: 30_000,
  });
  const { refetch } = query;
  useEffect(() => {
    if (!enabled || !unreadOnly) return undefined;
    const timer = window.setInterval(() => {
      if (sinceForegroundRequest() < ALERT_POLL_MS) void refetch();
    }, ALERT_POLL_MS);
    return () => window.clearInterval(timer);
  }, [enabled, unreadOnly, refetch]);
  return query;
}

/** How many duplicate pairs wait for a decision (for the navigation). */
export function useOpenDuplicateCount() {
  const { can } = useSession();
  return useQuery({
    queryKey: keys.openDuplicateCount,
    queryFn: async () => (await duplicatesApi.countOpen()).open,
    enabled: can('persons.merge'),
    staleTime: 60_000,
  });
}

/**
 * A background job, asked for again every JOB_POLL_MS until it has succeeded or failed. Needs jobs.read;
 * without it (or without an id) nothing is asked for.
 */
export function useJob(id: number | null) {
  const { can } = useSession();
  return useQuery({
    queryKey: keys.job(id ?? 0),
    queryFn: () => jobsApi.get(id ?? 0),
    enabled: id !== null && can('jobs.read'),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : JOB_POLL_MS;
    },
  });
}

/** The latest version of every form definition (needs cases.read). */
export function useForms() {
  const { can } = useSession();
  return useQuery({
    queryKey: keys.forms,
    queryFn: async () => (await formsApi.list()).items,
    enabled: can('cases.read'),
    staleTime: 5 * 60_000,
  });
}

/**
 * One version of a form definition (the latest when `version` is null). A stored version never changes, so a
 * record filled in it is always shown with the questions it was filled in with.
 */
export function useFormDefinition(code: string | null, version: number | null = null) {
  const { can } = useSession();
  return useQuery({
    queryKey: keys.form(code ?? '', version),
    queryFn: () => formsApi.get(code ?? '', version ?? undefined),
    enabled: code !== null && can('cases.read'),
    staleTime: version === null ? 5 * 60_000 : Infinity,
  });
}
