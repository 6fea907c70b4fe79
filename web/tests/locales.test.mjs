// The two locale files must offer exactly the same keys, with non-empty texts and the same
// {{placeholders}}, so that nothing a person sees is missing in either language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const load = (name) => JSON.parse(readFileSync(new URL(`../src/i18n/${name}.json`, import.meta.url), 'utf8'));
const zh = load('zh-Hant');
const en = load('en');

function flatten(object, prefix = '', out = new Map()) {
  for (const [key, value] of Object.entries(object)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object') flatten(value, path, out);
    else out.set(path, value);
  }
  return out;
}

const zhKeys = flatten(zh);
const enKeys = flatten(en);

test('zh-Hant and en have exactly the same keys', () => {
  const onlyZh = [...zhKeys.keys()].filter((key) => !enKeys.has(key));
  const onlyEn = [...enKeys.keys()].filter((key) => !zhKeys.has(key));
  assert.deepEqual({ onlyZh, onlyEn }, { onlyZh: [], onlyEn: [] });
});

test('every text is a non-empty string', () => {
  for (const [name, keys] of [['zh-Hant', zhKeys], ['en', enKeys]]) {
    for (const [key, value] of keys) {
      assert.equal(typeof value, 'string', `${name}: ${key} is not a string`);
      assert.ok(value.trim().length > 0, `${name}: ${key} is empty`);
    }
  }
});

test('both languages use the same placeholders', () => {
  const placeholders = (text) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();
  for (const [key, value] of zhKeys) {
    const other = enKeys.get(key);
    if (typeof other !== 'string') continue;
    assert.deepEqual(placeholders(value), placeholders(other), `placeholders differ for ${key}`);
  }
});

test('no plural suffixes (the key sets would differ between languages)', () => {
  const plural = [...enKeys.keys(), ...zhKeys.keys()].filter((key) => /_(zero|one|two|few|many|other)$/.test(key));
  assert.deepEqual(plural, []);
});
