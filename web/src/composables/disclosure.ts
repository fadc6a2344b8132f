import { nextTick, onBeforeUnmount, ref, watch, type Ref } from 'vue';

/**
 * A button that shows details beside it (the usage lines): open on a tap or Enter; closed by
 * Escape (focus back on the button), a tap elsewhere, or Tab leaving it. Bind `root` to the element
 * holding both, `toggle` to the button, and `close(true)` to Escape and `onFocusOut` to focusout.
 */
export function useDisclosure(): {
  open: Ref<boolean>;
  root: Ref<HTMLElement | undefined>;
  toggle: Ref<HTMLButtonElement | undefined>;
  close: (returnFocus: boolean) => Promise<void>;
  onFocusOut: (event: FocusEvent) => void;
} {
  const open = ref(false);
  const root = ref<HTMLElement>();
  const toggle = ref<HTMLButtonElement>();

  async function close(returnFocus: boolean): Promise<void> {
    if (!open.value) return;
    open.value = false;
    if (returnFocus) {
      await nextTick();
      toggle.value?.focus();
    }
  }
  function onPointerDown(event: PointerEvent): void {
    if (!root.value?.contains(event.target as Node)) void close(false);
  }
  function onFocusOut(event: FocusEvent): void {
    if (event.relatedTarget && !root.value?.contains(event.relatedTarget as Node)) void close(false);
  }
  // Captured: a tap on another control closes the details before that control acts.
  watch(open, (now) => (now ? document.addEventListener('pointerdown', onPointerDown, true) : document.removeEventListener('pointerdown', onPointerDown, true)));
  onBeforeUnmount(() => document.removeEventListener('pointerdown', onPointerDown, true));

  return { open, root, toggle, close, onFocusOut };
}
