import { hueFor, initials } from '../chat/format.ts';

export function Avatar({ id, name, size = 36 }: { id: string; name: string; size?: number }) {
  const hue = hueFor(id);
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.4, background: `hsl(${hue} 55% 30%)` }}
    >
      {initials(name)}
    </span>
  );
}
