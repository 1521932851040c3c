export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true">
      <defs>
        <linearGradient id="flame-outer" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stopColor="#ffc24a" />
          <stop offset="1" stopColor="#ff5e1a" />
        </linearGradient>
        <linearGradient id="flame-inner" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stopColor="#fff6c8" />
          <stop offset="1" stopColor="#ffd36b" />
        </linearGradient>
      </defs>
      <path d="M32 6 C36 20 50 28 50 42 A18 18 0 0 1 14 42 C14 28 28 20 32 6 Z" fill="url(#flame-outer)" />
      <path d="M32 26 C34 34 41 38 41 45 A9 9 0 0 1 23 45 C23 38 30 34 32 26 Z" fill="url(#flame-inner)" />
    </svg>
  );
}
