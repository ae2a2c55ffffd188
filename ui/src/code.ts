// Verification codes as people type them: the same forgiveness as the cloud
// (spaces and dashes dropped, letters in capitals, O read as 0, I and L read
// as 1). A cloud's codes are digits, or digits and the letters of Crockford's
// base 32 (no I, L, O or U).

export function normalizeCode(input: string): string {
  return input
    .replace(/[\s-]/g, '')
    .toUpperCase()
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** Whether the typed text reads as a whole code: 4 to 8 characters of the
 * code's alphabet (the cloud's code length is a setting in that range).
 * Leading zeros count. */
export function looksComplete(input: string, letters = false): boolean {
  const code = normalizeCode(input);
  return letters ? /^[0-9A-HJKMNP-TV-Z]{4,8}$/.test(code) : /^\d{4,8}$/.test(code);
}
