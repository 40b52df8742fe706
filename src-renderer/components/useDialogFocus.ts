import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keyboard behaviour of a modal dialog (WAI-ARIA dialog pattern): Tab and Shift+Tab cycle inside
 * it instead of reaching the page behind the backdrop, Escape closes it, and focus returns to
 * whatever had it before the dialog opened (the row or button that opened it).
 */
export function useDialogFocus(dialog: RefObject<HTMLElement | null>, onClose: () => void, active = true): void {
  // Callers pass inline closures; reading the latest from a ref keeps the effect (and the opener it
  // captured) alive for the whole time the dialog is open instead of re-running on every render.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (!active) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        close.current();
        return;
      }
      const el = dialog.current;
      if (e.key !== 'Tab' || !el) return;
      const items = Array.from(el.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((x) => x.offsetParent !== null);
      if (items.length === 0) return;
      const first = items[0]!;
      const last = items[items.length - 1]!;
      const inside = el.contains(document.activeElement);
      if (e.shiftKey && (document.activeElement === first || !inside)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
        e.preventDefault();
        first.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      // the opener may be gone (a deleted row); then focus stays where the browser puts it
      if (opener?.isConnected) opener.focus();
    };
  }, [dialog, active]);
}
