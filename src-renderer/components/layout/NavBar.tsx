import { useRef, type KeyboardEvent } from 'react';
import { PAGES, type PageId } from '../../pages/routes.js';

/** Side navigation; arrow keys move between entries, Alt+1…5 jump from anywhere (see App). */
export function NavBar({ current, onNavigate }: { current: PageId; onNavigate: (p: PageId) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent, i: number) => {
    const delta = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    refs.current[(i + delta + PAGES.length) % PAGES.length]?.focus();
  };
  return (
    <nav className="nav" aria-label="Pages">
      <div className="brand" aria-hidden="true">
        <img src="./favicon.svg" alt="" width={22} height={22} /> Candela
      </div>
      <ul>
        {PAGES.map((p, i) => (
          <li key={p.id}>
            <button
              ref={(el) => {
                refs.current[i] = el;
              }}
              className={p.id === current ? 'nav-item active' : 'nav-item'}
              aria-current={p.id === current ? 'page' : undefined}
              onClick={() => onNavigate(p.id)}
              onKeyDown={(e) => onKeyDown(e, i)}
              title={`${p.label} (Alt+${p.key})`}
            >
              <span>{p.label}</span>
              <kbd>Alt+{p.key}</kbd>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
