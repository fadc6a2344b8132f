import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/**
 * The current time, refreshed every `everyMs`: what depends on "today" (the sidebar's sections)
 * moves on at midnight without a reload, and when the tab comes back after a night asleep.
 */
export function useNow(everyMs = 60_000): Ref<Date> {
  const now = ref(new Date());
  const tick = () => (now.value = new Date());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(tick, everyMs);
    document.addEventListener('visibilitychange', tick);
  });
  onBeforeUnmount(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', tick);
  });
  return now;
}
