// Per-key debouncing: the last call for a key within `ms` wins (diagnostics per document, reloads per object).

/** Returns `run(key, fn)`: fn runs `ms` after the last run() for the same key. */
export function keyedDebounce(ms: number): (key: string, fn: () => void) => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  return (key, fn) => {
    const prev = timers.get(key);
    if (prev) clearTimeout(prev);
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        fn();
      }, ms),
    );
  };
}
