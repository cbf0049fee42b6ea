/** Page routes as real paths (the box answers index.html for each), changed with the History API. */
import { signal } from '@preact/signals';

export const route = signal(location.pathname + location.search);

export function navigate(to: string, replace = false): void {
  if (to === route.value) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  route.value = to;
}

window.addEventListener('popstate', () => (route.value = location.pathname + location.search));

export const pathOf = (r: string) => r.split('?')[0]!;
