/** Who loses the room when the host stops it; `others` undefined when the count is not known. */
export function stopHostingConsequence(others: number | undefined): string {
  if (others === undefined) return 'Everyone in the room will be disconnected.';
  if (others === 0) return 'Nobody else is in the room right now.';
  return `${others} ${others === 1 ? 'person' : 'people'} will be disconnected.`;
}
