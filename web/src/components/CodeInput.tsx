import { TextInput, type TextInputProps } from '@mantine/core';

/** A 6-digit one-time code field: numeric keyboard on phones and one-time-code autofill. */
export function CodeInput(props: TextInputProps) {
  return (
    <TextInput
      autoComplete="one-time-code"
      inputMode="numeric"
      pattern="[0-9]{6}"
      maxLength={6}
      required
      {...props}
    />
  );
}
