// Light and dark themes: the learner's choice is stored; until they choose, the system preference decides.
import { create } from 'zustand';

export type ThemeChoice = 'light' | 'dark' | 'system';
const KEY = 'atlas.theme';

function readChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

function systemTheme(): 'light' | 'dark' {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

interface ThemeState {
  choice: ThemeChoice;
  effective: 'light' | 'dark';
  toggle(): void;
}

export const useTheme = create<ThemeState>((set, get) => ({
  choice: readChoice(),
  effective: readChoice() === 'system' ? systemTheme() : (readChoice() as 'light' | 'dark'),
  toggle() {
    const next = get().effective === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Private browsing can refuse storage; the theme still changes for this visit.
    }
    document.documentElement.dataset.theme = next;
    set({ choice: next, effective: next });
  },
}));

window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => {
  if (useTheme.getState().choice !== 'system') return;
  const effective = systemTheme();
  document.documentElement.dataset.theme = effective;
  useTheme.setState({ effective });
});
