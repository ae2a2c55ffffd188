// Verification codes as people type them: the same forgiveness as the cloud
// (spaces and dashes dropped, O read as 0, I and l read as 1).

export function normalizeCode(input: string): string {
  return input
    .replace(/[\s-]/g, '')
    .replace(/[Oo]/g, '0')
    .replace(/[Iil]/g, '1');
}

/** Whether the typed text reads as a whole code of `length` digits. */
export function looksComplete(input: string, length = 6): boolean {
  const code = normalizeCode(input);
  return code.length === length && /^\d+$/.test(code);
}
