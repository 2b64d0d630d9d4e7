/** Contour lines of a loss bowl with a descent step: the atlas is a map of gradients. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true" className="logo">
      <defs>
        <linearGradient id="logo-g" x1="0" y1="1" x2="1" y2="0">
          <stop offset="0" stopColor="var(--accent-a)" />
          <stop offset="1" stopColor="var(--accent-b)" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill="var(--logo-bg)" />
      <g fill="none" stroke="url(#logo-g)" strokeWidth="2">
        <ellipse cx="16" cy="17.5" rx="11" ry="7" />
        <ellipse cx="16" cy="17.5" rx="6.5" ry="4" />
      </g>
      <circle cx="16" cy="17.5" r="1.7" fill="var(--logo-fg)" />
      <path d="M6.5 6.5 L13.5 14" stroke="var(--logo-fg)" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}
