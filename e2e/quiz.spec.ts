// Quizzes end to end: a concept page's "Check your understanding" section (answer wrong by keyboard, see both
// explanations, try again and answer right), a short-answer reveal with self-grading, and screenshots of a quiz
// result in both themes at both sizes.
import { expect, type Page, test } from './fixtures';
import { setTheme, VIEWPORTS } from './screens';

const PAGE = '/concepts/l1-regularization';
const WRONG = /L1 penalises large weights more heavily/;
const RIGHT = /The L1 gradient has the same size/;

const checkSection = (page: Page) => page.getByRole('region', { name: 'Check your understanding' });

test('a check question answered wrong, then right, with the explanations', async ({ page }) => {
  await page.goto(PAGE);
  const section = checkSection(page);
  await section.scrollIntoViewIfNeeded();
  const question = section.getByRole('group', { name: /Why does an L1 penalty set many weights exactly to zero/ });
  await expect(question.getByRole('radio')).toHaveCount(3);
  const status = section.getByRole('status').first();

  // Checking with nothing chosen asks for a choice.
  await section.getByRole('button', { name: 'Check answer' }).click();
  await expect(status).toHaveText('Pick an option first.');

  // Keyboard: choose the wrong option and press Enter to check.
  await question.getByRole('radio', { name: WRONG }).focus();
  await page.keyboard.press('Space');
  await expect(question.getByRole('radio', { name: WRONG })).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(status).toHaveText('Not quite. The answer is A.');
  // The choice is locked and the focus moves to "Try again".
  const again = section.getByRole('button', { name: 'Try again' });
  await expect(again).toBeFocused();
  await expect(question.getByRole('radio', { name: RIGHT })).toBeDisabled();
  await expect(page).toHaveURL(new RegExp(`${PAGE}$`));
  await expect(section.getByText('The opposite. For weights above 1')).toBeVisible();
  await expect(section.getByText("L2's pull is proportional to")).toBeVisible();
  await expect(section.getByText('✗ Your answer')).toBeVisible();
  await expect(section.getByText('✓ Correct answer')).toBeVisible();
  // The third option's explanation waits until asked for.
  await expect(section.getByText('sparsity in the weights is the whole point')).toBeHidden();
  await section.getByRole('button', { name: 'Explain every option' }).click();
  await expect(section.getByText('sparsity in the weights is the whole point')).toBeVisible();

  // Try again by keyboard, and answer right.
  await again.focus();
  await page.keyboard.press('Enter');
  await expect(question.getByRole('radio').first()).toBeFocused();
  await expect(question.getByRole('radio', { name: WRONG })).not.toBeChecked();
  await expect(status).toHaveText('');
  await question.getByRole('radio', { name: RIGHT }).check();
  await section.getByRole('button', { name: 'Check answer' }).click();
  await expect(status).toHaveText('Correct!');
  await expect(section.getByText('✓ Your answer')).toBeVisible();
  await expect(section.getByText("L2's pull is proportional to")).toBeVisible();
  await expect(section.getByText('The opposite. For weights above 1')).toBeHidden();

  // The section is in the page outline.
  await expect(page.locator('.concept-aside a[href="#check-your-understanding"]')).toHaveCount(1);
});

test('a short answer: write, reveal the model answer and rubric, grade yourself', async ({ page }) => {
  await page.goto(PAGE);
  const section = checkSection(page);
  await section.getByText(/Think it through/).click();
  const short = section.locator('[data-question="reg-choice-sparse"]');
  await expect(short.getByRole('heading', { name: /20,000 bag-of-words features/ })).toBeVisible();
  await short.getByLabel('Your answer').fill('L1, because it zeroes most weights.');
  await short.getByRole('button', { name: 'Reveal the model answer' }).click();
  const reveal = short.getByRole('region', { name: 'Model answer' });
  await expect(reveal).toBeFocused();
  await expect(reveal.getByText(/L1 regularisation\. Its constant pull toward zero/)).toBeVisible();
  await expect(reveal.getByRole('listitem')).toHaveCount(4);
  await expect(short.getByLabel('Your answer')).toHaveValue('L1, because it zeroes most weights.');
  await reveal.getByRole('button', { name: 'I got it' }).click();
  await expect(reveal.getByRole('button', { name: 'I got it' })).toHaveAttribute('aria-pressed', 'true');
  await expect(short.getByRole('status')).toHaveText('Marked as got it.');
});

for (const theme of ['light', 'dark'] as const) {
  for (const vp of VIEWPORTS) {
    test(`screenshot of a quiz result, ${theme}, ${vp.name}`, async ({ page }) => {
      await setTheme(page, theme);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.goto(PAGE);
      const section = checkSection(page);
      const question = section.locator('[data-question="reg-l1-sparse"]');
      await question.getByRole('radio', { name: WRONG }).check();
      await section.getByRole('button', { name: 'Check answer' }).click();
      await expect(section.getByRole('status').first()).toHaveText('Not quite. The answer is A.');
      await section.getByText(/Think it through/).click();
      const short = section.locator('[data-question="reg-choice-sparse"]');
      await short.getByLabel('Your answer').fill('L1: most weights end up exactly zero.');
      await short.getByRole('button', { name: 'Reveal the model answer' }).click();
      await page.evaluate(() => document.fonts.ready);
      // A full-page capture clipped to the section, so the sticky header never lands on top of it.
      await page.evaluate(() => window.scrollTo(0, 0));
      const clip = await section.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x - 8, y: r.y + window.scrollY - 8, width: r.width + 16, height: r.height + 16 };
      });
      await page.screenshot({
        path: `test-results/screenshots/quiz-result-${theme}-${vp.name}.png`,
        fullPage: true,
        clip,
      });
    });
  }
}

test('the Practice page: take a quiz, answer right, and the score is kept', async ({ page }) => {
  await page.goto('/practice');
  await page.getByRole('tab', { name: 'Quizzes' }).click();
  const item = page.locator('.practice-quiz[data-quiz="adam-vs-sgd"]');
  await item.getByRole('button', { name: /Adam against SGD/ }).click();
  const question = item.getByRole('group', { name: /Two weights in the same network/ });
  await question.getByRole('radio', { name: /Both move by roughly/ }).check();
  await item.getByRole('button', { name: 'Check answer' }).first().click();
  await expect(item.getByRole('status').first()).toContainText('Correct');
  await expect(item).toContainText('1 of 10 multiple-choice answered right');
  await page.reload();
  await page.getByRole('tab', { name: 'Quizzes' }).click();
  await expect(page.locator('.practice-quiz[data-quiz="adam-vs-sgd"]')).toContainText(
    '1 of 10 multiple-choice answered right',
  );
});
