import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../lib/format';

/** A time in the user's local zone, with the ISO value as tooltip. */
export function DateTime({ value, fallback }: { value: string | null | undefined; fallback?: string }) {
  const { i18n } = useTranslation();
  if (!value) return <>{fallback ?? ''}</>;
  return (
    <time dateTime={value} title={value}>
      {formatDateTime(value, i18n.language)}
    </time>
  );
}
