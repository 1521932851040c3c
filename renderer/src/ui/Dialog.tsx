import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

const FIELDS = 'input:not([disabled]):not([type="hidden"]), textarea:not([disabled]), select:not([disabled])';
// A disclosure's summary takes the focus natively (a fingerprint's "Full fingerprint"), with no tabindex.
const FOCUSABLE = `${FIELDS}, button:not([disabled]), a[href], summary, [tabindex]:not([tabindex="-1"])`;

/**
 * The one modal dialog. It lives in its own element under <body> so that everything else
 * on the page can be made inert while it is open: screen readers, Tab and clicks then
 * reach only the dialog, whatever part of the page opened it.
 */
export function Dialog({
  title,
  onClose,
  children,
  footer,
  className,
}: {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  className?: string;
}) {
  const titleId = useId();
  const [host] = useState(() => document.createElement('div'));
  const panel = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useLayoutEffect(() => {
    const openedFrom = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    document.body.append(host);
    const madeInert = makeOthersInert(host);
    return () => {
      for (const element of madeInert) element.inert = false;
      host.remove();
      if (openedFrom?.isConnected) openedFrom.focus();
    };
  }, [host]);

  useEffect(() => {
    const dialog = panel.current;
    if (!dialog) return;
    const first = dialog.querySelector<HTMLElement>(FIELDS) ?? dialog.querySelector<HTMLElement>(FOCUSABLE) ?? dialog;
    first.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close.current();
    } else if (event.key === 'Tab' && panel.current) {
      // Portals pass React events up to whatever opened the dialog (a drawer with its own trap).
      event.stopPropagation();
      keepTabInside(panel.current, event);
    }
  };

  return createPortal(
    <div className="scrim">
      <div
        ref={panel}
        className={className ? `dialog ${className}` : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        {footer && <div className="actions">{footer}</div>}
      </div>
    </div>,
    host,
  );
}

/** Marks every sibling of `keep` (and of its ancestors) inert; returns those it changed, to undo exactly that. */
function makeOthersInert(keep: HTMLElement): HTMLElement[] {
  const changed: HTMLElement[] = [];
  for (let node: HTMLElement | null = keep; node && node !== document.body; node = node.parentElement) {
    for (const sibling of Array.from(node.parentElement?.children ?? [])) {
      if (sibling !== node && sibling instanceof HTMLElement && !sibling.inert) {
        sibling.inert = true;
        changed.push(sibling);
      }
    }
  }
  return changed;
}

/** Keep Tab inside a modal (a dialog, the room's drawer): from the last focusable back to the first, and round the other way. */
export function keepTabInside(dialog: HTMLElement, event: KeyboardEvent) {
  const focusable = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (element) => element.offsetParent !== null || element === document.activeElement,
  );
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) {
    event.preventDefault();
    return;
  }
  const active = document.activeElement;
  if (event.shiftKey && (active === first || active === dialog)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}
