// Practice: a keyboard review session that survives a reload, the statistics charts, and screenshots of both.
import { expect, type Page, test } from './fixtures';
import { screenshot, setTheme, VIEWPORTS } from './screens';

/** Due dates of every reviewed card, straight from IndexedDB. */
async function savedDues(page: Page): Promise<Record<string, string>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, string>>((resolve, reject) => {
        const req = indexedDB.open('gradient-atlas');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const all = db.transaction('cards').objectStore('cards').getAll();
          all.onsuccess = () => {
            db.close();
            resolve(Object.fromEntries(all.result.map((c: { id: string; due: string }) => [c.id, c.due])));
          };
        };
      }),
  );
}

/** Answers the card on screen from the keyboard: Space (or 1 on a predict card) to reveal, then a rating. */
async function reviewOne(page: Page, rating: string) {
  const card = page.getByTestId('review-card');
  await expect(card).toBeVisible();
  const id = await card.getAttribute('data-card');
  const type = await card.getAttribute('class');
  await page.keyboard.press(type?.includes('type-predict') ? '1' : 'Space');
  await expect(page.getByRole('button', { name: /^Good: next review in/ })).toBeVisible();
  await page.keyboard.press(rating);
  await expect(card).not.toHaveAttribute('data-card', id ?? '');
  return id;
}

test('review 5 cards from the keyboard; after a reload the due counts and next dates are kept', async ({ page }) => {
  await page.goto('/practice');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Make it stick');
  const total = page.getByTestId('due-total');
  await expect(total).toContainText('0 due');
  await page.getByTestId('study-all').focus();
  await page.keyboard.press('Enter');
  const ratings = ['3', '3', '4', '1', '3'];
  const reviewed: (string | null)[] = [];
  for (const r of ratings) reviewed.push(await reviewOne(page, r));
  await expect(page.getByTestId('session-counts')).toContainText('5 reviewed');

  // Undo takes back the last rating, and the same card comes back.
  await page.keyboard.press('u');
  await expect(page.getByTestId('review-card')).toHaveAttribute('data-card', reviewed[4] ?? '');
  await expect(page.getByTestId('session-counts')).toContainText('4 reviewed');
  await reviewOne(page, '3');

  await page.getByRole('button', { name: 'End session' }).click();
  const before = await total.textContent();
  const dues = await savedDues(page);
  expect(Object.keys(dues)).toHaveLength(5);
  const deckDue = await page.locator('td.due').allTextContents();

  await page.reload();
  await expect(total).toHaveText(before ?? '');
  expect(await page.locator('td.due').allTextContents()).toEqual(deckDue);
  expect(await savedDues(page)).toEqual(dues);
  // Good and Again on new cards are learning steps (minutes); Easy graduates the card to days.
  const now = await page.evaluate(() => Date.now());
  const soon = Object.values(dues).filter((d) => Date.parse(d) - now < 15 * 60_000);
  expect(soon).toHaveLength(4);
});

test('statistics render with names and summaries', async ({ page }) => {
  await page.goto('/practice?tab=statistics');
  await expect(page.getByRole('tab', { name: 'Statistics' })).toHaveAttribute('aria-selected', 'true');
  for (const name of ['Reviews per day', 'True retention by week', 'Cards due per day', 'Cards by maturity'])
    await expect(page.getByRole('figure', { name })).toBeVisible();
  await expect(page.getByText(/Cards by maturity: 0 new/)).toHaveCount(0);
  await expect(page.getByRole('img', { name: /Cards by maturity: \d+ new/ })).toBeVisible();
  // Tabs work from the keyboard.
  await page.getByRole('tab', { name: 'Statistics' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Problems' })).toBeFocused();
  await expect(page).toHaveURL(/tab=problems/);
});

for (const theme of ['light', 'dark'] as const)
  for (const vp of VIEWPORTS)
    test(`screens: review session and statistics, ${vp.name} ${theme}`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.goto('/practice');
      await page.getByTestId('study-all').click();
      for (const r of ['3', '4', '3']) await reviewOne(page, r);
      const card = page.getByTestId('review-card');
      await page.keyboard.press((await card.getAttribute('class'))?.includes('type-predict') ? '1' : 'Space');
      await expect(page.getByRole('button', { name: /^Easy: next review in/ })).toBeVisible();
      await screenshot(page, `practice-review-${vp.name}-${theme}`);
      await page.getByRole('tab', { name: 'Statistics' }).click();
      await expect(page.getByRole('figure', { name: 'Reviews per day' })).toBeVisible();
      await expect(page.getByText(/3 reviews on 1 of the last/)).toBeVisible();
      await screenshot(page, `practice-stats-${vp.name}-${theme}`);
    });
