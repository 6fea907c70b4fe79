/** TanStack Query keys and hooks for data that several screens share. */
import { useQuery } from '@tanstack/react-query';
import { staffApi, unitsApi } from './endpoints';
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
};

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
