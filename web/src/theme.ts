import {
  createTheme,
  darken,
  DEFAULT_THEME,
  defaultVariantColorsResolver,
  parseThemeColor,
  type CSSVariablesResolver,
  type VariantColorsResolver,
} from '@mantine/core';

/**
 * Mantine's light and subtle variants draw text in shade 6, which is below the WCAG AA
 * contrast ratio on their tinted backgrounds; use shade 9 for the text instead.
 */
const NEUTRAL = new Set(['gray', 'dark']);

/** Text colour of a light/subtle element of a palette colour: shade 9, darkened for the pale hues. */
function readable(color: string): string {
  const shades = DEFAULT_THEME.colors[color];
  if (!shades) return 'var(--mantine-color-text)';
  if (NEUTRAL.has(color)) return shades[8];
  return darken(shades[9], 0.3);
}

const variantColorResolver: VariantColorsResolver = (input) => {
  const defaults = defaultVariantColorsResolver(input);
  if (input.variant !== 'light' && input.variant !== 'subtle') return defaults;
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor || !parsed.color) return defaults;
  const text = readable(parsed.color);
  return { ...defaults, color: text, hoverColor: text };
};

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 6 },
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", Roboto, "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'sm',
  focusRing: 'auto',
  cursorType: 'pointer',
  headings: { fontWeight: '700' },
  variantColorResolver,
  components: {
    Button: { defaultProps: { size: 'sm' } },
  },
});

/** Dimmed text and placeholders dark enough for AA contrast. */
export const cssVariablesResolver: CSSVariablesResolver = (current) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': current.colors.gray[7],
    '--mantine-color-placeholder': current.colors.gray[7],
    '--mantine-primary-color-light-color': readable(current.primaryColor),
    // Field error messages and the text of a field in error: red 6 is below AA on white.
    '--mantine-color-error': current.colors.red[9],
    ...Object.fromEntries(Object.keys(DEFAULT_THEME.colors).map((color) => [`--mantine-color-${color}-light-color`, readable(color)])),
  },
  dark: {},
});
