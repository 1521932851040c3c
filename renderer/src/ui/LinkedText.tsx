// Text is always text: links are the only markup, and only for http(s) URLs (chat/linkify).
// Used by messages and by the room topic.
import { linkify } from '../chat/linkify.ts';

export function LinkedText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}
