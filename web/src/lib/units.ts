import type { Unit } from '../api/types';

export interface TreeRow {
  unit: Unit;
  depth: number;
}

/** Orders a flat unit list as a depth-first tree: each parent followed by its children, by code. */
export function unitTree(units: readonly Unit[]): TreeRow[] {
  const ids = new Set(units.map((unit) => unit.id));
  const children = new Map<number | null, Unit[]>();
  for (const unit of units) {
    // A unit whose parent is not visible is shown at the top.
    const parent = unit.parent_id !== null && ids.has(unit.parent_id) ? unit.parent_id : null;
    const list = children.get(parent) ?? [];
    list.push(unit);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  const rows: TreeRow[] = [];
  const seen = new Set<number>();
  const visit = (parent: number | null, depth: number) => {
    for (const unit of children.get(parent) ?? []) {
      if (seen.has(unit.id)) continue;
      seen.add(unit.id);
      rows.push({ unit, depth });
      visit(unit.id, depth + 1);
    }
  };
  visit(null, 0);
  return rows;
}

export function unitName(unit: Pick<Unit, 'name_zh' | 'name_en'>, language: string): string {
  return language === 'en' ? unit.name_en : unit.name_zh;
}

/** Which kinds may be placed under a parent of the given kind (mirrors the server's rule). */
export function kindsAllowedUnder(parentKind: string | null): string[] {
  switch (parentKind) {
    case null:
      return ['department', 'county', 'ngo'];
    case 'department':
      return ['region', 'district', 'service_unit'];
    case 'region':
      return ['district', 'service_unit'];
    case 'district':
      return ['service_unit'];
    case 'county':
      return ['township_office', 'service_unit'];
    case 'township_office':
      return ['service_unit'];
    case 'ngo':
      return ['service_unit'];
    default:
      return [];
  }
}
