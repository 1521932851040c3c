// A sentence shared with the terminal marks commands with backticks ("join it … with
// `hearth join`"): on screen they are code, not stray punctuation.
export function CodeSpans({ text }: { text: string }) {
  const parts = text.split('`');
  // An unpaired backtick is shown as it is: only whole pairs become code.
  if (parts.length % 2 === 0) return <>{text}</>;
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}
