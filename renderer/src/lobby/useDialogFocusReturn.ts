// Where focus goes when a join's dialog (the password, a changed identity) is cancelled: back
// to what started the join. The Dialog returns focus to what had it when it opened, but by
// then the join's button was disabled while the room was asked ("Checking…"), which drops
// focus to the page: a keyboard user would start again from the top.
import { useEffect, useRef } from 'react';

export function useDialogFocusReturn(open: boolean): { remember(): void } {
  const origin = useRef<HTMLElement | null>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) {
      wasOpen.current = true;
      return;
    }
    if (!wasOpen.current) return;
    wasOpen.current = false;
    // Runs after the dialog unmounted (and the page stopped being inert). Only when focus was
    // lost: a dialog that led somewhere else (the room) leaves focus to it.
    const target = origin.current;
    if (target?.isConnected && (document.activeElement === null || document.activeElement === document.body)) target.focus();
  }, [open]);
  return {
    remember: () => {
      origin.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    },
  };
}
