// One-off check (not committed): run the "Promote a release" template from the Create page as guest.
const { chromium } = require('playwright-core');
const APP = 'http://localhost:3000';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  try {
    await page.goto(APP);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByRole('link', { name: 'checkout', exact: true }).waitFor({ timeout: 60000 });
    await page.goto(`${APP}/create/templates/default/promote-release`);
    const service = page.getByRole('combobox').first();
    await service.waitFor({ timeout: 60000 });
    await service.click();
    await service.fill('ledger');
    await page.getByRole('option', { name: /ledger/ }).first().click();
    await page.getByRole('textbox', { name: /Release version/ }).fill('2.6.0');
    await page.getByRole('textbox', { name: /Reason/ }).fill('template check from the Create page');
    await page.screenshot({ path: '/tmp/template-form.png' });
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText(/succeeded|Deployment/).first().waitFor({ timeout: 120000 });
    await page.waitForTimeout(3000);
    await page.screenshot({ path: '/tmp/template-done.png', fullPage: true });
    console.log('template run finished');
  } catch (e) {
    await page.screenshot({ path: '/tmp/template-fail.png', fullPage: true });
    console.error('FAILED', e.message);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
})();
