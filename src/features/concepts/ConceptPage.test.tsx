// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { conceptStatus, progressSaved } from '../../state/progress';
import ConceptPage from './ConceptPage';

afterEach(async () => {
  cleanup();
  await progressSaved();
});

describe('ConceptPage', () => {
  it('renders a concept with its outline, formulas, connections and a working done button', async () => {
    render(<ConceptPage params={{ id: 'batch-normalization' }} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Batch Normalization' })).toBeTruthy();
    const outline = screen.getByRole('navigation', { name: 'On this page' });
    const items = within(outline)
      .getAllByRole('link')
      .map((a) => a.textContent);
    expect(items).toEqual([
      'Definition',
      'Intuition',
      'Key points',
      'Formulas',
      'In practice',
      'Pitfalls',
      'Check your understanding',
      'Connections',
    ]);
    expect(document.getElementById('formulas')).toBeTruthy();
    expect(document.querySelectorAll('.formula')).toHaveLength(3);
    const usedBy = screen.getByTestId('used-by');
    expect(within(usedBy).getByText('ResNet').closest('a')?.getAttribute('href')).toBe('/concepts/resnet');
    const prereqs = screen.getByTestId('prerequisites');
    expect(within(prereqs).getByText('Backpropagation')).toBeTruthy();
    // Body concept links are router links to concept pages.
    const link = document.querySelector('.concept-body a.concept-link[data-concept="learning-rate"]');
    expect(link?.getAttribute('href')).toBe('/concepts/learning-rate');

    expect(screen.getByTestId('concept-status').textContent).toBe('Not read yet');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Mark as done' }));
    });
    expect(screen.getByTestId('concept-status').textContent).toBe('✓ Done');
    expect(conceptStatus('batch-normalization')).toBe('done');
  });

  it('suggests near matches for an id without a page', async () => {
    render(<ConceptPage params={{ id: 'batch-norm' }} />);
    expect(await screen.findByRole('heading', { level: 1, name: /not in the atlas/ })).toBeTruthy();
    const hits = [...document.querySelectorAll('.missing-hit strong')].map((e) => e.textContent);
    expect(hits[0]).toBe('Batch Normalization');
  });
});
