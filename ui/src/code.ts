// Verification codes as people type them: the same forgiveness as the cloud
// (spaces and dashes dropped, O read as 0, I and l read as 1).

export function normalizeCode(input: string): string {
  return input
    .replace(/[\s-]/g, '')
    .replace(/[Oo]/g, '0')
    .replace(/[Iil]/g, '1');
}

/** Whether the typed text reads as a whole code: 4 to 8 digits (the cloud's
 * code length is a setting in that range). Leading zeros count. */
export function looksComplete(input: string): boolean {
  return /^\d{4,8}$/.test(normalizeCode(input));
}
