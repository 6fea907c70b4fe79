const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(language: string): Intl.DateTimeFormat {
  let found = formatters.get(language);
  if (!found) {
    found = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-Hant-TW', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });
    formatters.set(language, found);
  }
  return found;
}

/** Local date and time for display. */
export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(language).format(date);
}

/** A local calendar day (yyyy-mm-dd from <input type="date">) as the UTC instant of its start. */
export function startOfLocalDay(day: string, addDays = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return date.toISOString();
}

/** Shows a secret in groups of four for reading aloud or typing. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ').trim();
}

/** A random password that meets the server's policy (used as an initial password). */
export function generatePassword(length = 16): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const value of bytes) out += alphabet[value % alphabet.length];
  return out.replace(/(.{4})(?!$)/g, '$1-');
}
