/** The columns of a registry import file, in the order of ImportColumns() (registry/import_service.cpp). */
export const IMPORT_COLUMNS = [
  'external_ref',
  'chinese_name',
  'family_name_en',
  'given_names_en',
  'aliases',
  'sex',
  'birth_date',
  'birth_precision',
  'death_date',
  'id_type',
  'id_number',
  'id_issuer',
  'phone',
  'email',
  'region',
  'district',
  'street',
  'building',
  'languages',
  'household_ref',
  'household_role',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** One example row of the template: a fictitious person with a test HKID (A123456(3)). */
const EXAMPLE: Record<ImportColumn, string> = {
  external_ref: 'REF-0001',
  chinese_name: '陳大文',
  family_name_en: 'CHAN',
  given_names_en: 'Tai Man',
  aliases: '阿文|Ah Man',
  sex: 'male',
  birth_date: '1980-05-12',
  birth_precision: 'full',
  death_date: '',
  id_type: 'hkid',
  id_number: 'A123456(3)',
  id_issuer: '',
  phone: '91234567',
  email: '',
  region: '香港島',
  district: '東區',
  street: '英皇道 100 號',
  building: '',
  languages: 'yue|en',
  household_ref: 'H-0001',
  household_role: 'head',
};

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The template file: UTF-8 with a byte-order mark (so that spreadsheets read the Chinese right), the header and one example. */
export function importTemplate(): Blob {
  const header = IMPORT_COLUMNS.join(',');
  const example = IMPORT_COLUMNS.map((column) => csvCell(EXAMPLE[column])).join(',');
  return new Blob(['\ufeff', `${header}\r\n${example}\r\n`], { type: 'text/csv;charset=utf-8' });
}

/** Whether a file looks like CSV by its name or type (the server decides). */
export function looksLikeCsv(file: File): boolean {
  return /\.csv$/i.test(file.name) || file.type === 'text/csv' || file.type === 'application/vnd.ms-excel';
}
