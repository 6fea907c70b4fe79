import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Unit } from '../api/types';
import { unitName, unitTree } from '../lib/units';

interface Props extends Omit<SelectProps, 'data'> {
  units: readonly Unit[];
  /** Only units for which this is true may be chosen (others are left out). */
  include?: (unit: Unit) => boolean;
}

/** A unit picker that shows the organisation tree by indentation in its list. */
export function UnitSelect({ units, include, ...props }: Props) {
  const { t, i18n } = useTranslation();
  const { data, depth } = useMemo(() => {
    const rows = unitTree(units).filter((row) => !include || include(row.unit));
    return {
      data: rows.map((row) => ({
        value: String(row.unit.id),
        label: `${unitName(row.unit, i18n.language)} (${row.unit.code})`,
      })),
      depth: new Map(rows.map((row) => [String(row.unit.id), row.depth])),
    };
  }, [units, include, i18n.language]);
  return (
    <Select
      searchable
      data={data}
      nothingFoundMessage={t('common.nothingFound')}
      renderOption={({ option }) => <span style={{ paddingLeft: (depth.get(option.value) ?? 0) * 16 }}>{option.label}</span>}
      comboboxProps={{ withinPortal: true }}
      {...props}
    />
  );
}

export function useUnitLabel(units: readonly Unit[] | undefined) {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const byId = new Map((units ?? []).map((unit) => [unit.id, unit]));
    return (id: number | null | undefined): string => {
      if (id === null || id === undefined) return '';
      const unit = byId.get(id);
      return unit ? unitName(unit, i18n.language) : `#${id}`;
    };
  }, [units, i18n.language]);
}
