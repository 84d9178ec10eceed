'use strict';
// Browser journeys against a running app. scripts/test starts the app and
// sets APP_URL, TEST_MAILDIR (the SMTP sink's maildir) and ARTIFACTS.

const assert = require('assert/strict');
const { checkAxe, waitForMail, journey, run } = require('./lib');

const APP_URL = (process.env.APP_URL || '').replace(/\/$/, '');
const MAILDIR = process.env.TEST_MAILDIR;
if (!APP_URL || !MAILDIR) {
  console.error('set APP_URL and TEST_MAILDIR (scripts/test does)');
  process.exit(2);
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathOf = (page) => new URL(page.url()).pathname;

journey('register and sign in', async ({ page, step }) => {
  // Unique per run, so the same database can be reused.
  const email = `ada+${Date.now()}@example.test`;
  const password = 'a long and unusual passphrase 42';
  const emailField = page.getByLabel('Email address', { exact: true });
  const passwordField = page.getByLabel('Password', { exact: true });

  await step('landing page', async () => {
    await page.goto(`${APP_URL}/`);
    await checkAxe(page, 'the landing page');
  });

  await step('registration form', async () => {
    // Follow the link a visitor would use; fall back to the URL if it is missing.
    const link = page.getByRole('link', { name: 'Create an account', exact: true }).first();
    if (await link.count()) await link.click();
    else await page.goto(`${APP_URL}/register`);
    await page.getByLabel('Full name', { exact: true }).waitFor();
    await checkAxe(page, 'the registration form');
  });

  await step('account created', async () => {
    await page.getByLabel('Full name', { exact: true }).fill('Ada Parent');
    await emailField.fill(email);
    await passwordField.fill(password);
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await page.getByRole('heading', { name: /Check your email/ }).waitFor();
  });

  await step('email confirmed', async () => {
    const body = await waitForMail(MAILDIR, email, /Confirm your email/, 20000);
    const m = new RegExp(`${escapeRe(APP_URL)}/verify-email\\?token=[^\\s<>"'()\\[\\]]+`).exec(body);
    assert.ok(m, `no ${APP_URL}/verify-email?token=... link in the mail:\n${body}`);
    await page.goto(m[0].replace(/[.,;:!?]+$/, '')); // not a sentence's full stop
    await page.getByRole('button', { name: 'Confirm my email', exact: true }).click();
    // Confirming lands on the sign-in page with a notice.
    await page.getByText('Your email address is confirmed').waitFor();
    assert.equal(pathOf(page), '/login');
    await checkAxe(page, 'the sign-in page');
  });

  await step('wrong password refused', async () => {
    await emailField.fill(email);
    await passwordField.fill('not the right passphrase');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // The message shows twice by design: in the error summary and next to the field.
    await page.getByText('The email or password is not right').first().waitFor();
    // The form keeps what was typed, so only the password needs retyping.
    assert.equal(await emailField.inputValue(), email);
    await checkAxe(page, 'the sign-in page with an error');
  });

  await step('signed in', async () => {
    await emailField.fill(email);
    await passwordField.fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/family');
    await page.getByRole('heading', { level: 1, name: /Your children and cases/ }).waitFor();
    await checkAxe(page, 'the family page');
  });
});

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
