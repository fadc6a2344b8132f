import { onBeforeUnmount, readonly, ref, type Ref } from 'vue';

/**
 * Whether a CSS media query matches now, kept up to date (a tablet gets a keyboard, a window is
 * resized). False where there is no `matchMedia` (tests without a browser).
 */
export function useMediaQuery(query: string): Readonly<Ref<boolean>> {
  const media = typeof matchMedia === 'function' ? matchMedia(query) : undefined;
  const matches = ref(media?.matches ?? false);
  const update = (event: MediaQueryListEvent) => (matches.value = event.matches);
  media?.addEventListener('change', update);
  onBeforeUnmount(() => media?.removeEventListener('change', update));
  return readonly(matches);
}
