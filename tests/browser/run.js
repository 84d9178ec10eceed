'use strict';
// Browser journeys against a running app. scripts/test starts the app and
// sets APP_URL, TEST_MAILDIR (the SMTP sink's maildir) and ARTIFACTS.

const assert = require('assert/strict');
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { checkAxe, checkAxeBoth, waitForMail, journey, run, ARTIFACTS, answerSecondFactor, nextCode } = require('./lib');

const APP_URL = (process.env.APP_URL || '').replace(/\/$/, '');
const MAILDIR = process.env.TEST_MAILDIR;
if (!APP_URL || !MAILDIR) {
  console.error('set APP_URL and TEST_MAILDIR (scripts/test does)');
  process.exit(2);
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathOf = (page) => new URL(page.url()).pathname;

// Register a family account through the site, confirm its email from the
// mail and sign in, landing on /family. `beforeSignIn` runs as extra steps on
// the sign-in page, before the right password is given.
async function registerAndSignIn(page, step, { name, email, password, beforeSignIn = async () => {} }) {
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
    await page.getByLabel('Full name', { exact: true }).fill(name);
    await emailField.fill(email);
    await passwordField.fill(password);
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await page.getByRole('heading', { name: /Check your email/ }).waitFor();
    await checkAxe(page, 'the check-your-email page');
  });

  const confirm = page.getByRole('button', { name: 'Confirm my email', exact: true });
  await step('confirm-email page', async () => {
    const body = await waitForMail(MAILDIR, email, /Confirm your email/, 20000);
    const m = new RegExp(`${escapeRe(APP_URL)}/verify-email\\?token=[^\\s<>"'()\\[\\]]+`).exec(body);
    assert.ok(m, `no ${APP_URL}/verify-email?token=... link in the mail:\n${body}`);
    await page.goto(m[0].replace(/[.,;:!?]+$/, '')); // not a sentence's full stop
    await confirm.waitFor();
    await checkAxe(page, 'the confirm-email page');
  });

  await step('email confirmed', async () => {
    await confirm.click();
    // Confirming lands on the sign-in page with a notice.
    await page.getByText('Your email address is confirmed').waitFor();
    assert.equal(pathOf(page), '/login');
    await checkAxe(page, 'the sign-in page');
  });

  await beforeSignIn({ emailField, passwordField });

  await step('signed in', async () => {
    await emailField.fill(email);
    await passwordField.fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/family');
    await page.getByRole('heading', { level: 1, name: /Your children and cases/ }).waitFor();
    await checkAxe(page, 'the family page');
  });
}

// Unique per run, so the same database can be reused.
const uniqueEmail = (who) => `${who}+${Date.now()}@example.test`;

journey('register and sign in', async ({ page, step }) => {
  const email = uniqueEmail('ada');
  await registerAndSignIn(page, step, {
    name: 'Ada Parent',
    email,
    password: 'a long and unusual passphrase 42',
    beforeSignIn: async ({ emailField, passwordField }) => {
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
    },
  });
});

journey('family opens and pays for a case', async ({ page, step }) => {
  await registerAndSignIn(page, step, {
    name: 'Grace Okafor',
    email: uniqueEmail('grace'),
    password: 'another long passphrase for grace 7',
  });
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const link = (name) => page.getByRole('link', { name, exact: true });
  const label = (name) => page.getByLabel(name, { exact: true });

  // 1. A child.
  await step('add a child form', async () => {
    await link('Add a child').click();
    await label('First name').waitFor();
    await checkAxe(page, 'the add-a-child form');
  });

  await step('child added', async () => {
    await label('First name').fill('Mila');
    await label('Last name').fill('Okafor');
    await label('Date of birth').fill('2016-05-04');
    await page.getByRole('radio', { name: 'Female', exact: true }).check();
    // Each guardian says who they are to the child and confirms it.
    await page.locator('#relationship-parent').check();
    await page.locator('#confirm_guardian').check();
    await button('Save').click();
    await page.waitForURL((url) => url.pathname === '/family');
    await h1('Your children and cases').waitFor();
    await page.getByRole('heading', { level: 2, name: /Mila Okafor/ }).waitFor();
    await checkAxe(page, 'the family page with a child');
  });

  // 2. A new case and its basic information.
  await step('new case form', async () => {
    await link('Open a new case').click();
    await h1('Open a new case').waitFor();
    // The only child is chosen already.
    assert.ok(await page.getByRole('radio', { name: /Mila Okafor/ }).isChecked(), 'the only child is not pre-selected');
    await checkAxe(page, 'the new-case form');
  });

  await step('basic information form', async () => {
    // The safety screen comes with the choice of child: nothing urgent here.
    await page.locator('#emergency-no').check();
    await page.locator('#decision_soon-no').check();
    await button('Start the case').click();
    await h1('Basic information').waitFor();
    await checkAxe(page, 'the basic information form');
  });

  // 3. Where the records are. The step list is the form's own buttons, so
  // going there by it saves what was typed (the review shows it below).
  await step('records page', async () => {
    await label('Phone number, with country code (needed before you submit)').fill('(415) 555-0100');
    await label("Your child's diagnosis (needed before you submit)").fill("Crohn's disease, diagnosed in 2025");
    await page.getByRole('navigation', { name: 'Case steps' }).getByRole('button', { name: 'Where the records are' }).click();
    await h1("Where your child's records are").waitFor();
    await checkAxeBoth(page, 'the records page with its release');
  });

  // Each location is added with its signed release.
  const signRelease = async () => {
    await label('Your full name, as your signature').fill('Grace Okafor');
    await page.getByRole('radio', { name: 'Parent', exact: true }).check();
    await page.getByRole('checkbox', { name: /^I authorize this release/ }).check();
  };
  const addLocation = async (facility, records, language) => {
    await label('Hospital, clinic or doctor').fill(facility);
    await label('Which records they hold').fill(records);
    if (language) await label('Language of the records').fill(language);
    await signRelease();
    await button('Add this location').click();
    await page.getByRole('heading', { level: 2, name: facility, exact: true }).waitFor();
    await page.getByText('Signed by Grace Okafor').first().waitFor();
  };

  // The notice, not the language field's hint (which says the same).
  const translationNotice = page.getByRole('note').filter({ hasText: 'Records must be in English' });

  await step('first record location', async () => {
    assert.equal(await label('Language of the records').inputValue(), 'English');
    await addLocation("Valley Children's Clinic", 'Colonoscopy and pathology reports');
    assert.equal(await translationNotice.count(), 0, 'translation notice shown for records in English');
    await checkAxe(page, 'the records page with one location');
  });

  await step('record location in Spanish', async () => {
    await addLocation('Hospital Infantil de Guadalajara', 'Endoscopy report from 2024', 'Spanish');
    await translationNotice.waitFor();
    await checkAxe(page, 'the records page with a location in Spanish');
  });

  // Continuing with a location typed but not finished: it is not lost.
  await step('location typed but not added', async () => {
    await label('Hospital, clinic or doctor').fill('Lab Partners');
    await button('Continue').click();
    await page.getByRole('heading', { name: 'This location was not added yet' }).waitFor();
    assert.equal(await label('Hospital, clinic or doctor').inputValue(), 'Lab Partners', 'what was typed is kept');
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.className), 'error-summary',
      'focus moves to the error summary');
    await checkAxeBoth(page, 'the records page with a location not added');
  });

  // 4. Questions: at most 5.
  const count = (n) => page.getByRole('status').filter({ hasText: `${n} of 5` });
  await step('questions page', async () => {
    await button('Continue without adding it').click();
    await h1('Your questions for the specialist').waitFor();
    await count(0).waitFor();
    await checkAxeBoth(page, 'the questions page');
  });

  const questions = [
    'Is the current dose of infliximab right for her weight?',
    'Should she have an MRI of the small bowel before changing treatment?',
    'Is surgery something we should consider in the next year?',
    'What diet changes, if any, would help her symptoms?',
    'How often should she have blood tests while on this treatment?',
  ];
  const question = label('Your question');
  for (const [i, text] of questions.entries()) {
    await step(`question ${i + 1} added`, async () => {
      await question.fill(text);
      await button('Add question').click();
      await count(i + 1).waitFor();
      await page.getByText(text, { exact: true }).waitFor(); // in its own textarea now
      await checkAxe(page, `the questions page with ${i + 1} question(s)`);
    });
  }

  await step('sixth question refused', async () => {
    const sixth = 'Is there anything else we should ask?';
    await question.fill(sixth);
    await button('Add question').click();
    await page.getByRole('alert').filter({ hasText: 'at most 5 questions' }).waitFor();
    // What was typed is kept, so nothing is lost.
    assert.equal(await question.inputValue(), sixth);
    await count(5).waitFor();
    await checkAxe(page, 'the questions page refusing a sixth question');
  });

  // 5. Specialist request. (Continuing would try the sixth question again:
  // the parent leaves it out first.)
  await step('specialist page', async () => {
    await question.fill('');
    await button('Continue').click();
    await h1('Would you like a particular specialist?').waitFor();
    await checkAxe(page, 'the specialist page');
  });

  // 6. Review, consents and submit.
  await step('review page', async () => {
    await page.getByRole('radio', { name: 'No preference: let the team choose', exact: true }).check();
    await button('Save and continue').click();
    await h1('Review and pay').waitFor();
    await page.getByText("Crohn's disease, diagnosed in 2025").waitFor(); // saved by the step list
    await page.getByText('release signed by Grace Okafor').first().waitFor();
    await checkAxe(page, 'the review page');
  });

  await step('consents missing', async () => {
    await button('Submit and pay $900').click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await h1('Review and pay').waitFor();
    await checkAxe(page, 'the review page with errors');
  });

  // 7. Payment.
  await step('payment page', async () => {
    for (const start of ['This is not a medical emergency', 'The records are in English', 'No insurance claim',
      "Once the specialist's review starts", 'I can ask at most 5 questions']) {
      await page.getByRole('checkbox', { name: new RegExp(`^${escapeRe(start)}`) }).check();
    }
    await button('Submit and pay $900').click();
    // On failure (e.g. the payment service unreachable) the review page comes
    // back with a message: fail with it rather than a timeout.
    const problem = page.locator('#payment');
    await h1('Pay the case fee: $900').or(problem).waitFor();
    if (await problem.count()) assert.fail(`submitting did not reach the payment page: ${await problem.innerText()}`);
    // With Stripe keys, wait for the card field: localstripe's fake Stripe.js
    // mounts plain inputs named by their placeholders (axe accepts those).
    if (!(await page.getByText('TEST MODE').count())) {
      await page.locator('#card-element input[placeholder="number"]').waitFor();
    }
    await checkAxe(page, 'the payment page');
  });

  await step('paid', async () => {
    if (await page.getByText('TEST MODE').count()) {
      // No Stripe keys: the app's test gateway.
      await button('Pay $900 (test)').click();
    } else {
      const card = (field) => page.locator(`#card-element input[placeholder="${field}"]`);
      await card('number').fill('4242424242424242');
      await card('exp_month').fill('12');
      await card('exp_year').fill('30'); // two digits; localstripe prefixes "20"
      await card('cvc').fill('123');
      await card('postal_code').fill('94110');
      await button('Pay $900').click();
    }
    // A failed payment comes back to the payment page with an error summary.
    const failed = page.locator('.error-summary, #card-errors:not(:empty)');
    await h1(/^Case SO-/).or(failed).first().waitFor();
    if (await failed.count()) assert.fail(`the payment did not go through: ${await failed.first().innerText()}`);
    await page.getByRole('status').filter({ hasText: 'Payment received' }).waitFor();
    await page.locator('main .status', { hasText: /^Submitted$/ }).waitFor();
    await page.getByText('The case was submitted and the fee was paid.').waitFor();
    await checkAxe(page, 'the case page after payment');
  });

  await step('receipt', async () => {
    await link('Receipt').click();
    await h1('Receipt').waitFor();
    await page.locator('main').getByText('$900', { exact: false }).first().waitFor();
    await checkAxe(page, 'the receipt');
  });
});

// Staff accounts come from `second-opinion seed-demo` (scripts/test runs it
// before starting the app), as do sample cases in every state.
const DEMO_PASSWORD = 'demo-password-1';

// Write a tiny but well-formed one-page PDF to `file`, as a scan would be.
function writeScanPdf(file) {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) pdf += `${String(at).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  fs.writeFileSync(file, pdf, 'latin1');
  return file;
}

journey('coordinator takes a case to review', async ({ page, step }) => {
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const label = (name) => page.getByLabel(name, { exact: true });
  const flash = (text) => page.getByRole('status').filter({ hasText: text });
  const status = (name) => page.locator('main .status', { hasText: new RegExp(`^${escapeRe(name)}$`) });
  // One card per record source, in the order the family listed them.
  const source = (i) => page.locator('section[aria-labelledby="records"] .card').nth(i);
  const markAs = async (i, value, reason) => {
    // By value: the option labels are sentences that may be reworded.
    await page.getByLabel('Mark as').nth(i).selectOption(value.toLowerCase());
    if (reason !== undefined) await page.getByLabel('Reason, if unavailable').nth(i).fill(reason);
    // The button's name also says which source, in visually hidden text.
    await page.getByRole('button', { name: /^Update\b/ }).nth(i).click();
  };
  let caseNumber = '';

  await step('sign-in page', async () => {
    await page.goto(`${APP_URL}/login`);
    await label('Email address').waitFor();
    await checkAxe(page, 'the sign-in page');
  });

  await step('case queue', async () => {
    await label('Email address').fill('coordinator@demo.test');
    await label('Password').fill(DEMO_PASSWORD);
    await button('Sign in').click();
    await answerSecondFactor(page, 'coordinator@demo.test');
    await page.waitForURL((url) => url.pathname === '/coordinator');
    await h1('Case queue').waitFor();
    await page.getByRole('list', { name: 'Active cases by state' }).getByText('Submitted').waitFor();
    await page.locator('table').getByRole('link', { name: /^SO-/ }).first().waitFor();
    await checkAxe(page, 'the case queue');
  });

  await step('queue filtered to submitted cases', async () => {
    await label('State').selectOption({ label: 'Submitted' });
    await button('Show cases').click();
    await page.waitForURL((url) => url.searchParams.get('state') === 'submitted');
    await page.locator('table').waitFor();
    const states = await page.locator('table tbody td .status').allInnerTexts();
    assert.ok(states.length > 0, 'no submitted case in the queue (did seed-demo run?)');
    assert.deepEqual([...new Set(states.map((s) => s.trim()))], ['Submitted'], 'the filter let other states through');
    await checkAxe(page, 'the queue filtered to submitted cases');
  });

  await step('case workspace', async () => {
    const first = page.locator('table').getByRole('link', { name: /^SO-/ }).first();
    caseNumber = (await first.innerText()).trim();
    await first.click();
    await h1(`Case ${caseNumber}`).waitFor();
    await status('Submitted').waitFor();
    await checkAxe(page, 'the case workspace');
  });

  await step('case taken', async () => {
    await button('Take this case').click();
    await flash('You are the coordinator of this case.').waitFor();
    await h1(`Case ${caseNumber}`).waitFor();
    await status('Collecting records').waitFor();
    assert.equal(await button('Take this case').count(), 0, '"Take this case" still offered to its coordinator');
    await checkAxe(page, 'the workspace of a taken case');
  });

  await step('document uploaded', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'second-opinion-upload-'));
    try {
      await page.getByLabel(/^Upload documents/).first()
        .setInputFiles(writeScanPdf(path.join(dir, 'scan.pdf')));
      // Not /^Upload/: the file input itself is a button named by its label.
      await page.getByRole('button', { name: /^Upload to / }).first().click();
      await flash('Uploaded scan.pdf').waitFor();
    } finally {
      // Only now: Chromium may read the file when the form is sent.
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await source(0).getByRole('link', { name: 'scan.pdf', exact: true }).waitFor();
    await checkAxe(page, 'the workspace after an upload');
  });

  await step('first source digitized', async () => {
    await markAs(0, 'Digitized');
    await source(0).getByText('Status: Received and digitized').waitFor();
    await checkAxe(page, 'the workspace with a digitized source');
  });

  await step('unavailable without a reason refused', async () => {
    await markAs(1, 'Unavailable');
    await source(1).getByText('Say why the records are unavailable.').waitFor();
    await source(1).getByText(/^Status: (?!Unavailable)/).waitFor(); // nothing was saved
    await checkAxe(page, 'the workspace refusing "unavailable" without a reason');
  });

  await step('second source unavailable', async () => {
    await markAs(1, 'Unavailable', 'Clinic closed');
    await source(1).getByText('Status: Unavailable (Clinic closed)').waitFor();
    await checkAxe(page, 'the workspace with an unavailable source');
  });

  await step('records complete', async () => {
    await button('Records complete: ready for review').click();
    await status('Records complete').waitFor();
    await page.getByRole('heading', { name: 'Choose the specialist' }).waitFor();
    await checkAxe(page, 'the workspace with records complete');
  });

  await step('sent to the specialist', async () => {
    await page.getByRole('group', { name: /^Specialists accepting cases/ }).getByRole('radio').first().check();
    await button('Send to the specialist…').click();
    // A confirmation that says what will happen; nothing changed yet.
    await h1(/^Send case SO-.* to .*\?$/).waitFor();
    await page.getByText(/questions and records freeze/).waitFor();
    await checkAxe(page, 'the confirmation before sending to the specialist');
    await button('Yes, send to the specialist').click();
    await flash('The case was sent to the specialist').waitFor();
    await status('With the specialist').waitFor();
    await page.locator('section[aria-labelledby="records"]').getByText('Records are frozen').waitFor();
    assert.equal(await page.getByLabel('Mark as').count(), 0, 'the frozen checklist can still be changed');
    await checkAxe(page, 'the workspace of a case with the specialist');
  });

  await step('signed out', async () => {
    await button('Sign out').click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByText('You are signed out.').waitFor();
    await checkAxe(page, 'the sign-in page after signing out');
  });
});

// The demo case "With the specialist" (assigned to specialist@demo.test by
// seed-demo) is signed here, then read, printed and followed up by the family.
journey('specialist signs an opinion; the family reads, prints and follows up', async ({ page, step }) => {
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const link = (name) => page.getByRole('link', { name, exact: true });
  const label = (name) => page.getByLabel(name, { exact: true });
  const flash = (text) => page.getByRole('status').filter({ hasText: text });
  const badge = (name) => ({ hasText: new RegExp(`^${escapeRe(name)}$`) });
  const status = (name) => page.locator('main .status', badge(name));
  const row = (name) => page.locator('table tbody tr').filter({ has: page.locator('.status', badge(name)) });
  const answerFields = page.getByRole('textbox', { name: /^Question \d+: / });
  const outcomeLabel = 'Agrees with the diagnosis; recommends different or additional treatment';
  const outcomeSentence = 'The specialist agrees with the diagnosis, and recommends different or additional treatment.';
  const summary = 'The diagnosis is right. A change of treatment is worth discussing with your doctor.';
  // A numbered list, as specialists write them: it must keep its shape on screen and on paper.
  const recommendationItems = ['Review the treatment plan with your gastroenterologist within a month.',
    'Repeat the blood tests in 8 weeks.', 'Call the clinic if the pain comes back.'];
  const recommendations = `Three steps:\n${recommendationItems.map((r, i) => `${i + 1}. ${r}`).join('\n')}`;
  const answerFor = (n) => `Answer ${n} from the specialist: the records support this, and here is why in plain words.`;
  let caseNumber = '';
  let questionCount = 0;

  const signIn = async (email, landing) => {
    await label('Email address').fill(email);
    await label('Password').fill(DEMO_PASSWORD);
    await button('Sign in').click();
    await answerSecondFactor(page, email);
    await page.waitForURL((url) => url.pathname === landing);
  };
  const signWithPassword = async () => {
    await label('Your password, to sign').fill(DEMO_PASSWORD);
    await button('Sign and send to the family').click();
  };

  // 1. The specialist's assigned case and the opinion form.
  await step('sign-in page', async () => {
    await page.goto(`${APP_URL}/login`);
    await label('Email address').waitFor();
    await checkAxe(page, 'the sign-in page');
  });

  // The seeded case is overdue, so it sorts first among those in review
  // (the coordinator journey may have sent this specialist another one).
  const inReview = row('With the specialist');
  await step('assigned cases', async () => {
    await signIn('specialist@demo.test', '/specialist');
    await h1('Assigned cases').waitFor();
    await page.getByRole('region', { name: 'Cases waiting for you' }).waitFor();
    assert.ok(await inReview.count() > 0, 'no case "With the specialist" assigned to specialist@demo.test (did seed-demo run on a fresh database?)');
    await checkAxe(page, 'the specialist\'s assigned cases');
  });

  await step('specialist case page', async () => {
    const open = inReview.first().getByRole('link', { name: /^SO-/ });
    caseNumber = (await open.innerText()).trim();
    await open.click();
    await h1(`Case ${caseNumber}`).waitFor();
    await status('With the specialist').waitFor();
    await page.getByRole('heading', { level: 2, name: 'The child' }).waitFor();
    await page.locator('section[aria-labelledby="child-h"]').getByText(/^(Mila|Leo), \d+ years/).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Records' }).waitFor();
    await page.getByRole('heading', { level: 3, name: "Valley Children's Clinic" }).waitFor();
    questionCount = await answerFields.count();
    assert.ok(questionCount > 0, 'the opinion form has no "Question N: ..." answer fields');
    for (let i = 0; i < questionCount; i += 1) {
      assert.equal(await answerFields.nth(i).inputValue(), '', `answer ${i + 1} is not empty before writing`);
    }
    await page.getByRole('group', { name: 'Outcome' }).getByRole('radio', { name: outcomeLabel, exact: true }).waitFor();
    for (const name of ['Summary for the family', 'Recommendations', 'Notes for the primary care provider (optional)']) {
      await label(name).waitFor();
    }
    await button('Save draft').waitFor();
    await button('Save and preview').waitFor();
    await checkAxe(page, 'the specialist\'s case page');
  });

  // 2. A draft, a refused signature, then the signed opinion.
  await step('draft saved', async () => {
    await answerFields.first().fill(answerFor(1));
    await button('Save draft').click();
    await flash('Draft saved.').waitFor();
    await h1(`Case ${caseNumber}`).waitFor();
    assert.equal(await answerFields.first().inputValue(), answerFor(1), 'the saved answer was not kept');
    await checkAxe(page, 'the specialist\'s case page with a saved draft');
  });

  await step('preview of the draft', async () => {
    await button('Save and preview').click();
    await h1(/^Preview/).waitFor();
    await page.getByText(answerFor(1), { exact: true }).waitFor();
    await checkAxe(page, 'the preview of a draft');
  });

  await step('signing refused with answers missing', async () => {
    await signWithPassword();
    const summaryBox = page.locator('.error-summary');
    await summaryBox.filter({ hasText: 'before signing' }).waitFor();
    await h1(`Case ${caseNumber}`).waitFor();
    await status('With the specialist').waitFor(); // not signed
    assert.equal(await answerFields.first().inputValue(), answerFor(1), 'the first answer was lost');
    if (questionCount > 1) {
      await summaryBox.getByText(`Answer question 2 before signing.`).waitFor();
    }
    await checkAxe(page, 'the specialist\'s case page refusing to sign');
  });

  await step('preview of the complete opinion', async () => {
    for (let i = 0; i < questionCount; i += 1) await answerFields.nth(i).fill(answerFor(i + 1));
    await page.getByRole('radio', { name: outcomeLabel, exact: true }).check();
    await label('Summary for the family').fill(summary);
    await label('Recommendations').fill(recommendations);
    await button('Save and preview').click();
    await h1(/^Preview/).waitFor();
    await page.getByText(outcomeSentence, { exact: true }).waitFor();
    for (let i = 0; i < questionCount; i += 1) await page.getByText(answerFor(i + 1), { exact: true }).waitFor();
    await checkAxe(page, 'the preview of the complete opinion');
  });

  await step('opinion signed', async () => {
    await signWithPassword();
    await page.waitForURL((url) => url.pathname === '/specialist');
    await flash('The opinion is signed').waitFor();
    await row('Opinion ready').filter({ hasText: caseNumber }).waitFor();
    await checkAxe(page, 'the assigned cases after signing');
  });

  await step('specialist signed out', async () => {
    await button('Sign out').click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByText('You are signed out.').waitFor();
    await checkAxe(page, 'the sign-in page after signing out');
  });

  // 3. The family reads it.
  await step('family page', async () => {
    await signIn('family@demo.test', '/family');
    await h1('Your children and cases').waitFor();
    await link(`Case ${caseNumber}`).waitFor();
    await checkAxe(page, 'the family page');
  });

  await step('family case page', async () => {
    await link(`Case ${caseNumber}`).click();
    await h1(`Case ${caseNumber}`).waitFor();
    await status('Opinion ready').waitFor();
    await checkAxe(page, 'the family case page with the opinion ready');
  });

  await step('everything about the case as one zip', async () => {
    await page.getByText(/^One file with the signed opinion/).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link('Download everything (zip)').click()]);
    const name = download.suggestedFilename();
    assert.match(name, new RegExp(`^${escapeRe(caseNumber)}-\\d{4}-\\d{2}-\\d{2}\\.zip$`), `the archive is named ${name}`);
    const file = path.join(ARTIFACTS, 'case-archive.zip');
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'the download is a zip file');
    // The signed opinion and the index are in it (names are stored in the clear in a zip's directory).
    for (const entry of ['/index.html', '/opinion.html', '/opinion.txt', '/messages.txt']) {
      assert.ok(bytes.includes(Buffer.from(entry)), `the archive lacks ${entry}`);
    }
    await h1(`Case ${caseNumber}`).waitFor();
    await checkAxe(page, 'the family case page after downloading the archive');
  });

  await step('opinion page', async () => {
    await link('Read the second opinion').click();
    await h1(/^Second opinion for/).waitFor();
    await page.getByText(caseNumber).first().waitFor();
    await page.getByText(outcomeSentence, { exact: true }).waitFor();
    for (let i = 0; i < questionCount; i += 1) await page.getByText(answerFor(i + 1), { exact: true }).waitFor();
    await page.getByText(summary, { exact: true }).waitFor();
    const items = page.locator('section[aria-labelledby="recs-h"] ol li');
    assert.deepEqual(await items.allInnerTexts(), recommendationItems, 'the numbered list lost its shape on screen');
    // The header: the child with date of birth, the specialist, the institution, the records reviewed.
    const header = page.locator('.opinion-header');
    for (const fact of [/born /, /Dr\. Sam Specialist, MD, board certified, Pediatric cardiology/, /Benioff/, /Valley Children's Clinic/]) {
      await header.getByText(fact).first().waitFor();
    }
    await checkAxeBoth(page, 'the opinion page');
  });

  // 4. Printed: a clean document with every answer, and no navigation.
  await step('opinion printed to PDF', async () => {
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('nav.site-nav').isVisible(), false, 'the navigation shows in print');
    for (const name of ['Send the question', 'Ask for help with a visit or referral', 'Print or save as PDF']) {
      assert.equal(await button(name).isVisible(), false, `the "${name}" button shows in print`);
    }
    const pdf = path.join(ARTIFACTS, 'opinion.pdf');
    // The page's own @page rules (margins, page numbers, the case number's footer).
    await page.pdf({ path: pdf, format: 'Letter', preferCSSPageSize: true });
    const raw = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const text = raw.replace(/\s+/g, ' ');
    for (const want of [outcomeSentence, summary, caseNumber, 'Records reviewed', "Valley Children's Clinic",
      ...recommendationItems.map((r, i) => `${i + 1}. ${r}`),
      ...Array.from({ length: questionCount }, (_, i) => answerFor(i + 1))]) {
      assert.ok(text.includes(want), `the printed opinion lacks "${want}"; its text:\n${text}`);
    }
    // Every page carries its number and the case number.
    const pages = raw.split('\f').filter((p) => p.trim());
    assert.ok(pages.length >= 1);
    pages.forEach((p, i) => {
      assert.ok(p.includes(`Page ${i + 1} of ${pages.length}`), `printed page ${i + 1} has no page number:\n${p}`);
      assert.ok(p.includes(`Case ${caseNumber}`), `printed page ${i + 1} has no case number:\n${p}`);
    });
    for (const unwanted of ['Sign out', 'Send the question', 'Clarifying questions']) {
      assert.ok(!text.includes(unwanted), `the printed opinion shows "${unwanted}"`);
    }
    await checkAxe(page, 'the opinion page as printed');
    // The step's screenshot shows the page as printed.
  });

  // 5. A clarifying question, then 6. help with a referral.
  await step('clarifying question sent', async () => {
    await page.emulateMedia({ media: 'screen' });
    const clarifies = label('Which of your questions does this clarify?');
    await clarifies.selectOption({ index: 1 }); // the first question, after "Choose a question"
    const ask = 'Could you say more about what the records show?';
    await label('Your clarifying question').fill(ask);
    await button('Send the question').click();
    await flash('Your question was sent').waitFor();
    await h1(/^Second opinion for/).waitFor();
    await page.getByRole('status').filter({ hasText: '2 of 3 left' }).waitFor();
    await page.locator('.card').filter({ hasText: ask }).getByText('About question 1:').waitFor();
    await checkAxe(page, 'the opinion page after a clarifying question');
  });

  await step('referral help asked', async () => {
    await button('Ask for help with a visit or referral').click();
    await flash('Your request was sent').waitFor();
    await h1(/^Second opinion for/).waitFor();
    await checkAxe(page, 'the opinion page after asking for referral help');
  });
});

// The care team after the opinion, on the seeded delivered case: the
// specialist reads a PDF in the page and suggests a re-review; the
// coordinator prices it (a refusal keeps what was typed); the family sees
// the fee; the clinician calls (two attempts); the coordinator closes with
// a reason while something is still open. Screenshots at 1280 and 390 px.
journey('care team runs a delivered case to a justified close', async ({ page, step }) => {
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const label = (name) => page.getByLabel(name, { exact: true });
  const flash = (text) => page.getByRole('status').filter({ hasText: text });
  const badge = (name) => ({ hasText: new RegExp(`^${escapeRe(name)}$`) });
  const signIn = async (email, landing) => {
    await page.context().clearCookies();
    await page.goto(`${APP_URL}/login`);
    await label('Email address').fill(email);
    await label('Password').fill(DEMO_PASSWORD);
    await button('Sign in').click();
    await answerSecondFactor(page, email);
    await page.waitForURL((url) => url.pathname === landing);
  };
  // The page at a desktop's width and on a phone, for the README.
  const phoneShot = async (name) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(ARTIFACTS, `desktop-${name}.png`) });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(ARTIFACTS, `phone-${name}.png`) });
    await checkAxe(page, `${name} at 390 px`);
    await page.setViewportSize({ width: 1280, height: 720 });
  };
  let caseNumber = '';
  let casePath = '';

  await step('specialist opens a PDF in the records viewer', async () => {
    await signIn('specialist@demo.test', '/specialist');
    // The seeded delivered case: the oldest on the delivered list, which is
    // newest first (another journey may have just delivered one).
    const delivered = page.getByRole('region', { name: 'Cases delivered in the last 30 days' });
    const row = delivered.locator('tbody tr').filter({ has: page.locator('.status', badge('Opinion ready')) }).last();
    const open = row.getByRole('link', { name: /^SO-/ });
    caseNumber = (await open.innerText()).trim();
    await open.click();
    await h1(`Case ${caseNumber}`).waitFor();
    casePath = new URL(page.url()).pathname.replace(/^\/specialist/, '');
    // Translations first, then the originals.
    const names = await page.locator('section[aria-labelledby="records-h"] li > a').allInnerTexts();
    assert.ok(names.indexOf('imaging-report-english-translation.pdf') < names.indexOf('informe-de-imagenes.pdf'),
      `translation not listed before its original: ${names}`);
    await page.getByRole('link', { name: 'clinic-notes-and-labs.pdf', exact: true }).click();
    await h1('clinic-notes-and-labs.pdf').waitFor();
    await page.locator('[data-page-count]').filter({ hasText: '3 pages' }).waitFor();
    await page.locator('canvas.viewer-page[aria-label="Page 3 of 3"]').waitFor(); // drawn one after another
    assert.equal(await page.locator('canvas.viewer-page').count(), 3, 'pdf.js did not draw the three pages');
    await page.getByRole('link', { name: /^Download/ }).waitFor();
    await checkAxe(page, 'the records viewer');
    await phoneShot('records-viewer');
  });

  await step('specialist suggests a pathology re-review', async () => {
    await page.goto(`${APP_URL}/specialist${casePath}`);
    await page.getByRole('radio', { name: 'Pathology re-review', exact: true }).check();
    await label('Why (the coordinator reads this; the family gets the coordinator\'s words)')
      .fill('The biopsy slides deserve a second read by our pathologist.');
    await button('Send to the coordinator').click();
    await flash('Sent to the care coordinator').waitFor();
    await page.getByText('Waiting for the coordinator to price it.').waitFor();
    await checkAxe(page, 'the specialist\'s case page with a suggestion');
  });

  await step('queue flags the fee to price and finds the case by its number', async () => {
    await signIn('coordinator@demo.test', '/coordinator');
    await label('Needs').selectOption({ label: 'Fee to price' });
    await button('Show cases').click();
    const row = page.locator('table tbody tr').filter({ hasText: caseNumber });
    await row.locator('.flag', { hasText: 'Fee to price' }).waitFor();
    await checkAxe(page, 'the queue filtered to fees to price');
    await page.goto(`${APP_URL}/coordinator`);
    await label('Search by case number or child\'s name').fill(caseNumber.slice(-6));
    await button('Show cases').click();
    await page.locator('table tbody tr').filter({ hasText: caseNumber }).waitFor();
    assert.equal(await page.locator('table tbody tr').count(), 1, 'the number search found other cases');
    await phoneShot('coordinator-queue');
  });

  await step('pricing refused keeps what was typed', async () => {
    await page.locator('table').getByRole('link', { name: caseNumber, exact: true }).click();
    await h1(`Case ${caseNumber}`).waitFor();
    await page.getByText('To price.').waitFor();
    await label('Amount in US dollars').fill('three hundred');
    await label('Reason, for the family').fill('A pathologist re-reads the biopsy slides.');
    await label('Business days the opinion\'s due date moves once paid').fill('2');
    await button('Ask the family').first().click();
    await page.locator('.error-summary').getByText(/Enter an amount between/).waitFor();
    assert.equal(await label('Reason, for the family').inputValue(), 'A pathologist re-reads the biopsy slides.');
    assert.equal(await label('Amount in US dollars').inputValue(), 'three hundred');
    await checkAxe(page, 'the workspace refusing a fee');
  });

  await step('fee asked of the family', async () => {
    await label('Amount in US dollars').fill('300');
    await button('Ask the family').first().click();
    await flash('The family was asked about the additional fee.').waitFor();
    await page.getByText(/The family was asked for \$300: waiting for the family's decision/).waitFor();
    await checkAxe(page, 'the workspace with a fee asked');
  });

  await step('family sees the fee, its reason and the date it moves', async () => {
    await signIn('family@demo.test', '/family');
    await page.goto(`${APP_URL}/family${casePath}`);
    const fee = page.locator('section[aria-labelledby="fees"] .card').filter({ hasText: 'Pathology re-review' });
    await fee.getByText('A pathologist re-reads the biopsy slides.').waitFor();
    await fee.getByText('The opinion will be due 2 business days later.').waitFor();
    await fee.getByRole('link', { name: 'Pay $300' }).waitFor();
    await checkAxe(page, 'the family case page with a fee');
    await phoneShot('family-fee');
  });

  await step('clinician sees the phone and logs a first attempt', async () => {
    await signIn('clinician@demo.test', '/clinician');
    const card = page.locator('article.call-card').filter({ hasText: caseNumber });
    await card.getByRole('link', { name: '+1 (415) 555-0123' }).waitFor();
    await card.getByText('Weekdays after 5 pm').waitFor();
    await checkAxe(page, 'the clinician\'s call list');
    await phoneShot('clinician-calls');
    await card.getByRole('link', { name: `Case ${caseNumber}`, exact: true }).click();
    await h1(`Case ${caseNumber}`).waitFor();
    await page.getByText('The signed opinion').click();
    await page.getByText('The diagnosis is well supported by the records.').waitFor();
    await page.getByRole('radio', { name: 'No answer', exact: true }).check();
    await label('Notes').fill('Rang at 5:30 pm, no answer.');
    await button('Log the attempt').click();
    await flash('Attempt logged.').waitFor();
    await checkAxe(page, 'the clinician\'s case view after an attempt');
  });

  await step('clinician completes the call', async () => {
    await page.getByRole('radio', { name: 'Talked it through (call completed)', exact: true }).check();
    await label('Notes').fill('Went through the opinion with the parent.');
    await button('Log the attempt').click();
    await flash('Call logged as completed.').waitFor();
    await page.getByText('Rang at 5:30 pm, no answer.').waitFor();
    await page.getByText('Went through the opinion with the parent.').waitFor();
  });

  await step('close refused without a reason while something is open', async () => {
    await signIn('coordinator@demo.test', '/coordinator');
    await page.goto(`${APP_URL}/coordinator${casePath}`);
    const checklist = page.locator('ul.checklist');
    await checklist.getByText('An additional fee is waiting for the family\'s decision.').waitFor();
    assert.equal(await checklist.getByText('follow-up call has not been completed').count(), 0, 'the call is done');
    await page.getByRole('heading', { name: 'Who did what' }).waitFor();
    await page.getByText('Dr. Lee Clinician completed the follow-up call with the family.').waitFor();
    await checkAxe(page, 'the workspace of a delivered case');
    await phoneShot('coordinator-workspace');
    await button('Close the case…').click();
    await h1(`Close case ${caseNumber}?`).waitFor();
    await page.getByRole('region', { name: 'Still open' }).waitFor();
    await button('Close it anyway').click();
    await page.locator('.error-summary').getByText(/write why the case should close anyway/).waitFor();
    await checkAxe(page, 'the close confirmation refusing without a reason');
  });

  await step('closed with a written reason', async () => {
    await label('Why close it anyway').fill('The family declined the re-review by phone.');
    await button('Close it anyway').click();
    await flash('The case is closed.').waitFor();
    await page.locator('main .status', badge('Closed')).waitFor();
    await page.getByText('The family declined the re-review by phone.').first().waitFor();
    await checkAxe(page, 'the workspace of a closed case');
  });
});

// The demo family's draft case, paid with a card whose bank asks for 3-D
// Secure: localstripe's stand-in for Stripe.js shows the bank's check, the
// family passes it, the server asks Stripe and the case is submitted. Then
// the receipt, and the admin's page of payments to look at.
journey('family pays with 3-D Secure and keeps the receipt', async ({ page, step }) => {
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const label = (name) => page.getByLabel(name, { exact: true });
  const signIn = async (email, landing) => {
    await page.goto(`${APP_URL}/login`);
    await label('Email address').fill(email);
    await label('Password').fill(DEMO_PASSWORD);
    await button('Sign in').click();
    await answerSecondFactor(page, email);
    await page.waitForURL((url) => url.pathname === landing);
  };

  await step('the draft case', async () => {
    await signIn('family@demo.test', '/family');
    await page.locator('.case-list li', { hasText: 'Draft' }).first().getByRole('link', { name: /^Case SO-/ }).click();
    await h1(/^Case SO-/).waitFor();
    await page.getByRole('link', { name: 'Continue the case', exact: true }).click();
    await h1('Basic information').waitFor();
  });

  await step('review and submit', async () => {
    const url = new URL(page.url());
    await page.goto(`${APP_URL}${url.pathname.replace(/\/details$/, '/review')}`);
    await h1('Review and pay').waitFor();
    for (const start of ['This is not a medical emergency', 'The records are in English', 'No insurance claim',
      "Once the specialist's review starts", 'I can ask at most 5 questions']) {
      await page.getByRole('checkbox', { name: new RegExp(`^${escapeRe(start)}`) }).check();
    }
    await button('Submit and pay $900').click();
    await h1('Pay the case fee: $900').waitFor();
    assert.equal(await page.getByText('TEST MODE').count(), 0, 'this journey needs Stripe (localstripe)');
    await page.locator('#card-element input[placeholder="number"]').waitFor();
  });

  await step('the bank asks to confirm', async () => {
    const card = (field) => page.locator(`#card-element input[placeholder="${field}"]`);
    await card('number').fill('4000002500003155'); // 3-D Secure required
    await card('exp_month').fill('12');
    await card('exp_year').fill('30');
    await card('cvc').fill('123');
    await card('postal_code').fill('94110');
    await button('Pay $900').click();
    await page.getByText('Your bank asks you to confirm this payment').waitFor();
    await checkAxe(page, 'the payment page asking for 3-D Secure');
  });

  await step('confirmed with the bank', async () => {
    await button('Confirm the payment with my bank').click();
    // localstripe's stand-in for the bank's window.
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await page.getByRole('status').filter({ hasText: 'Payment received' }).waitFor();
    await page.locator('main .status', { hasText: /^Submitted$/ }).waitFor();
  });

  await step('the receipt', async () => {
    await page.getByRole('link', { name: 'Receipt', exact: true }).last().click();
    await h1(/^Receipt R-/).waitFor();
    for (const text of ['born ', 'Visa ending in 3155', 'medical record review and written consultation', 'Tax ID']) {
      await page.locator('main').getByText(text, { exact: false }).first().waitFor();
    }
    await checkAxe(page, 'the receipt');
  });

  await step('the payment statement', async () => {
    await page.goto(`${APP_URL}/family`);
    await page.getByRole('link', { name: String(new Date().getFullYear()), exact: true }).first().click();
    await h1(/^Payment statement for/).waitFor();
    await checkAxe(page, 'the payment statement');
  });

  await step('the admin sees payments to look at', async () => {
    await page.context().clearCookies();
    await signIn('admin@demo.test', '/admin');
    await page.getByRole('link', { name: 'Payments', exact: true }).click();
    await h1('Payments to look at').waitFor();
    await checkAxe(page, 'the admin payments page');
  });
});

// The demo family writes to their care team with a file; the coordinator
// files it with the records, replies, and prints a records release letter;
// the family reads the reply and chooses fewer emails.
journey('the family and their care team write to each other', async ({ page, step }) => {
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const link = (name) => page.getByRole('link', { name, exact: true });
  const label = (name) => page.getByLabel(name, { exact: true });
  const flash = (text) => page.getByRole('status').filter({ hasText: text });
  const signIn = async (email, landing) => {
    await page.context().clearCookies();
    await page.goto(`${APP_URL}/login`);
    await label('Email address').fill(email);
    await label('Password').fill(DEMO_PASSWORD);
    await button('Sign in').click();
    await answerSecondFactor(page, email);
    await page.waitForURL((url) => url.pathname === landing);
  };
  const message = 'Mila had a new ultrasound on Monday. The report is attached.';
  const reply = 'Thank you. We have added the report to the records.';
  let casePath = '';

  await step('the care team by name', async () => {
    await signIn('family@demo.test', '/family');
    await checkAxeBoth(page, 'the family dashboard');
    await page.locator('.case-list li', { has: page.locator('.status', { hasText: /^Collecting records$/ }) })
      .first().getByRole('link', { name: /^Case SO-/ }).click();
    await h1(/^Case SO-/).waitFor();
    casePath = new URL(page.url()).pathname;
    const team = page.locator('section[aria-labelledby="team-heading"]');
    await team.getByText('Casey Coordinator').waitFor();
    await team.getByText('Dr. Lee Clinician').waitFor();
    await team.getByRole('link', { name: '(800) 941-1383' }).waitFor();
    await page.getByText(/is collecting your child's records/).waitFor();
    await checkAxeBoth(page, 'the family case page with the care team');
  });

  await step('a message with a file', async () => {
    await page.getByRole('link', { name: /^Messages with your care team/ }).click();
    await h1('Messages with your care team').waitFor();
    await checkAxeBoth(page, 'the family messages page');
    await label('Your message').fill(message);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'second-opinion-message-'));
    try {
      await label('Attach a file (optional)').setInputFiles(writeScanPdf(path.join(dir, 'ultrasound.pdf')));
      await button('Send').click();
      await flash('Your message was sent.').waitFor();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await page.locator('.thread').getByText(message).waitFor();
    await page.locator('.thread').getByRole('link', { name: 'ultrasound.pdf' }).waitFor();
    await checkAxeBoth(page, 'the family messages page with a message');
  });

  await step('the coordinator sees it and files the report', async () => {
    await signIn('coordinator@demo.test', '/coordinator');
    const unread = page.getByRole('link', { name: /^1 new message/ });
    await unread.first().waitFor();
    await checkAxe(page, 'the queue with an unread message');
    await unread.first().click();
    await h1(/^Messages with the family/).waitFor();
    await page.getByText(message).waitFor();
    await checkAxeBoth(page, 'the coordinator messages page');
    await page.getByRole('button', { name: /^File it/ }).first().click();
    await flash("The file is now with the case's records.").waitFor();
    await page.getByRole('link', { name: 'ultrasound.pdf' }).first().waitFor();
  });

  await step('the coordinator replies', async () => {
    await link('Messages with the family').click();
    await label('Your reply').fill(reply);
    await button('Send the reply').click();
    await flash('Reply sent.').waitFor();
    await page.getByText(reply).waitFor();
  });

  await step('the release letter, printed', async () => {
    await page.getByRole('link', { name: /^Back to case/ }).click();
    await page.getByText(/Release: signed by/).first().waitFor();
    await page.getByRole('link', { name: /^Print the authorization letter/ }).first().click();
    await h1('Authorization to release medical records').waitFor();
    await checkAxeBoth(page, 'the release letter');
    await page.emulateMedia({ media: 'print' });
    const pdf = path.join(ARTIFACTS, 'release-letter.pdf');
    await page.pdf({ path: pdf, format: 'Letter', preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    assert.equal(text.split('\f').filter((p) => p.trim()).length, 1, 'the letter is one page');
    for (const want of ['Authorization to release medical records', 'Dana Family', 'Second opinion', 'Page 1 of 1']) {
      assert.ok(text.includes(want), `the printed letter lacks "${want}":\n${text}`);
    }
  });

  await step('the family reads the reply', async () => {
    await signIn('family@demo.test', '/family');
    await page.getByText('You have a new message from your care team.').first().waitFor();
    await page.goto(`${APP_URL}${casePath}/messages`);
    await page.getByText(reply).waitFor();
    await page.goto(`${APP_URL}/family`);
    assert.equal(await page.getByText('You have a new message from your care team.').count(), 0, 'still unread');
  });

  await step('fewer emails', async () => {
    await link('Account').click();
    await link('Choose which emails you get about your cases').click();
    await h1('Emails about your cases').waitFor();
    await checkAxeBoth(page, 'the email settings page');
    await page.getByRole('radio', { name: /^Only when I need to do something/ }).check();
    await button('Save').click();
    await flash('Your email choice is saved.').waitFor();
    assert.ok(await page.getByRole('radio', { name: /^Only when I need to do something/ }).isChecked());
  });
});

// After the opinion: the clinician schedules the call, the specialist keeps
// their profile and rereads what they signed, the family sees it all, shares
// the opinion with their child's doctor and opens a follow-on case.
journey('after the opinion: the call, sharing with the doctor, a follow-on case', async ({ page, step }) => {
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const link = (name) => page.getByRole('link', { name, exact: true });
  const label = (name) => page.getByLabel(name, { exact: true });
  const flash = (text) => page.getByRole('status').filter({ hasText: text });
  const signIn = async (email, landing) => {
    await page.context().clearCookies();
    await page.goto(`${APP_URL}/login`);
    await label('Email address').fill(email);
    await label('Password').fill(DEMO_PASSWORD);
    await button('Sign in').click();
    await answerSecondFactor(page, email);
    await page.waitForURL((url) => url.pathname === landing);
  };
  let shareLink = '';
  let dateOfBirth = '';

  await step('the clinician schedules the call', async () => {
    await signIn('clinician@demo.test', '/clinician');
    await page.getByLabel('Tell the family the call is at (Pacific time)').first().fill('2031-03-04T10:30');
    await page.getByRole('button', { name: /^Schedule/ }).first().click();
    await flash('Call scheduled').waitFor();
    await checkAxeBoth(page, 'the clinician follow-ups page');
  });

  await step('the clinician reads a family\'s messages', async () => {
    await page.getByRole('link', { name: /^Messages/ }).first().click();
    await h1(/^Messages with the family/).waitFor();
    await checkAxeBoth(page, 'the clinician messages page');
  });

  await step('the specialist keeps their profile', async () => {
    await signIn('specialist@demo.test', '/specialist');
    await link('Your profile').click();
    await h1('Your profile').waitFor();
    await checkAxeBoth(page, 'the specialist profile page');
    await label('Clinical focus').fill('Heart conditions in children, from murmurs to congenital heart disease.');
    await button('Save').click();
    await flash('Your profile is saved.').waitFor();
  });

  await step('the specialist rereads what they signed', async () => {
    await link('Assigned cases').click();
    await page.locator('table tbody tr', { has: page.locator('.status', { hasText: /^Opinion ready$/ }) })
      .first().getByRole('link', { name: /^SO-/ }).click();
    await link('Read the opinion as you signed it').click();
    await h1('The opinion you signed').waitFor();
    await page.locator('.opinion-header').getByText(/Records reviewed/).waitFor();
    await checkAxeBoth(page, 'the specialist signed opinion page');
  });

  await step('the family sees the call and what followed', async () => {
    await signIn('family@demo.test', '/family');
    await page.locator('.case-list li', { hasText: /Your follow-up call with the staff doctor is scheduled for/ })
      .first().getByRole('link', { name: /^Case SO-/ }).click();
    await page.getByRole('heading', { level: 2, name: 'After the opinion' }).waitFor();
    await page.getByText(/^Scheduled for/).waitFor();
    await page.getByText(/Your follow-up call with the staff doctor was scheduled for/).waitFor(); // the timeline
    await checkAxeBoth(page, 'the family case page after the opinion');
  });

  await step('a link for the child\'s doctor', async () => {
    await link('Read, print or share the second opinion').click();
    const title = await h1(/^Second opinion for/).innerText();
    dateOfBirth = title.includes('Mila') ? '2016-05-04' : '2019-09-12';
    await button('Make a link for my child\'s doctor').click();
    await flash('A link for your child\'s doctor is ready below.').waitFor();
    shareLink = await label('The link for your child\'s doctor (copy it now; it is not shown again)').inputValue();
    assert.ok(shareLink.startsWith(`${APP_URL}/shared/`), shareLink);
    await checkAxeBoth(page, 'the opinion page with a new share link');
  });

  await step('the doctor opens it with the date of birth', async () => {
    const doctor = await page.context().browser().newContext();
    try {
      const other = await doctor.newPage();
      await other.setViewportSize({ width: 1280, height: 720 });
      await other.goto(shareLink);
      await other.getByRole('heading', { level: 1, name: 'A second opinion shared with you' }).waitFor();
      await checkAxeBoth(other, 'the shared opinion unlock page');
      const dob = other.getByLabel("The patient's date of birth", { exact: true });
      await dob.fill('2000-01-01');
      await other.getByRole('button', { name: 'Open the opinion', exact: true }).click();
      await other.getByText('That date of birth does not match').first().waitFor();
      await checkAxeBoth(other, 'the shared opinion unlock page with a wrong date');
      await dob.fill(dateOfBirth);
      await other.getByRole('button', { name: 'Open the opinion', exact: true }).click();
      await other.getByRole('heading', { level: 1, name: /^Second opinion for/ }).waitFor();
      await other.getByText(/Read-only/).waitFor();
      await checkAxeBoth(other, 'the shared opinion');
      await other.screenshot({ path: path.join(ARTIFACTS, 'shared-opinion.png'), fullPage: true });
    } finally {
      await doctor.close();
    }
    await page.reload();
    await page.getByText('Opened 1 time:').waitFor();
  });

  await step('a withdrawn link no longer opens', async () => {
    await page.getByRole('button', { name: /^Withdraw this link/ }).first().click();
    await flash('The link is withdrawn').waitFor();
    const doctor = await page.context().browser().newContext();
    try {
      const other = await doctor.newPage();
      await other.setViewportSize({ width: 1280, height: 720 });
      const res = await other.goto(shareLink);
      assert.equal(res.status(), 410);
      await other.getByRole('heading', { level: 1, name: 'This link no longer works' }).waitFor();
      await checkAxeBoth(other, 'the withdrawn share link page');
    } finally {
      await doctor.close();
    }
  });

  await step('a follow-on case, confirmed first', async () => {
    await page.getByRole('link', { name: 'Back to the case', exact: true }).click();
    await link('Open a new case with the new information').click();
    await h1('Open a new case for new information?').waitFor();
    await page.getByText(/The new case is a new \$900 case/).waitFor();
    await page.getByText(/We will ask for Dr\. Sam Specialist/).waitFor();
    await checkAxeBoth(page, 'the follow-on confirmation page');
    await page.locator('#emergency-no').check();
    await page.locator('#decision_soon-no').check();
    await button('Open the new case').click();
    await h1('Basic information').waitFor();
    await flash('A new case is open, linked to the earlier one').waitFor();
    assert.notEqual(await page.getByLabel("Your child's diagnosis (needed before you submit)").inputValue(), '',
      'the diagnosis is copied');
  });

  await step('the admin\'s specialist directory', async () => {
    await signIn('admin@demo.test', '/admin');
    await link('Specialists').click();
    await h1('Specialist directory').waitFor();
    await checkAxeBoth(page, 'the admin specialist directory');
  });

  await step('the admin\'s reports: on time, where cases wait, records, movement, money', async () => {
    await link('Reports').click();
    await h1('Reports').waitFor();
    await page.getByRole('img', { name: /Bar chart of opinions/ }).waitFor();
    // The reports of records, movement and money, each with its chart and table.
    for (const heading of ['How long do records take to collect?', 'How do cases move from state to state?',
      'What does the program take and give back?']) {
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
    }
    await page.getByRole('img', { name: /Stacked bar chart of cases entering each state/ }).waitFor();
    await page.getByRole('table', { name: 'Money by month of the range' }).waitFor();
    await checkAxeBoth(page, 'the admin reports page');
  });

  await step('the admin\'s settings: holidays and the case fee', async () => {
    await link('Settings').click();
    await h1('Settings').waitFor();
    await checkAxeBoth(page, 'the admin settings page');
    // A refused form is re-rendered with its error summary: axe that too.
    await page.getByRole('button', { name: 'Add the holiday', exact: true }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await checkAxe(page, 'the admin settings page with an error');
  });

  await step('the admin\'s settings: an additional fee default from today', async () => {
    await page.getByLabel('Pathology re-review').check();
    await page.getByLabel('Amount in dollars').fill('400');
    await page.getByLabel('From', { exact: true }).fill(new Date().toLocaleDateString('en-CA', { timeZone: 'America/Los_Angeles' }));
    await button('Schedule the default').click();
    await flash('the pricing form suggests $400 for a pathology re-review').waitFor();
    await page.getByRole('table', { name: 'Defaults in effect today' }).getByText('$400').waitFor();
  });

  await step('the admin\'s settings: the partner\'s name set, refused, then the configuration again', async () => {
    await page.getByRole('link', { name: 'Change help line', exact: true }).click();
    await h1('Help line').waitFor();
    await page.getByLabel('New value').fill('call us');
    await button('Save').click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.equal(await page.getByLabel('New value').inputValue(), 'call us', 'the typed text stays');
    await checkAxeBoth(page, 'a refused program setting');
    await link('Back to settings').click();
    await page.getByRole('link', { name: 'Change the partner that coordinates care', exact: true }).click();
    await h1('The partner that coordinates care').waitFor();
    await page.getByText('From the server\'s configuration (PROGRAM_PARTNER)').waitFor();
    await page.getByLabel('New value').fill('Kinder Care Partners');
    await button('Save').click();
    await flash('The partner that coordinates care is now set here').waitFor();
    const row = page.getByRole('row', { name: /The partner that coordinates care/ });
    await row.getByText('Kinder Care Partners').waitFor();
    await row.getByText(/Set by/).waitFor();
    await checkAxeBoth(page, 'the admin settings page with a program setting');
    // Back to the configuration, so the journeys after this one read the seed's names.
    await page.getByRole('link', { name: 'Change the partner that coordinates care', exact: true }).click();
    await button('Use the configuration\'s value again').click();
    await flash('comes from the configuration again').waitFor();
    await page.getByRole('row', { name: /The partner that coordinates care/ }).getByText('Included Health').waitFor();
  });
});

// Once a case is in review the child's name and date of birth are frozen:
// the family's edit page says why, and only a coordinator corrects them,
// with a reason on record. Last, so no other journey sees the corrected name.
journey('a frozen child: the family is told why, a coordinator corrects it', async ({ page, step }) => {
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const label = (name) => page.getByLabel(name, { exact: true });
  const signIn = async (email, landing) => {
    await page.goto(`${APP_URL}/login`);
    await label('Email address').fill(email);
    await label('Password').fill(DEMO_PASSWORD);
    await button('Sign in').click();
    await answerSecondFactor(page, email);
    await page.waitForURL((url) => url.pathname === landing);
  };

  await step('child details, frozen', async () => {
    await signIn('family@demo.test', '/family');
    await page.getByRole('link', { name: /^Edit details/ }).first().click();
    await h1("Edit child's details").waitFor();
    await page.locator('.notice', { hasText: 'can no longer be changed here' }).waitFor();
    await checkAxe(page, "the frozen child's edit page");
  });

  await step('a change of name refused', async () => {
    await label('First name').fill('Milla');
    await button('Save').click();
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    assert.equal(await label('First name').inputValue(), 'Milla', 'what was typed is kept');
    await checkAxe(page, "the child's edit page with the refusal");
  });

  await step('an error page, signed in', async () => {
    await page.goto(`${APP_URL}/family/cases/00000000-0000-4000-8000-000000000000`);
    await h1('Page not found').waitFor();
    await button('Sign out').waitFor();
    await checkAxe(page, 'the not-found page, signed in');
  });

  await step('correction form', async () => {
    await button('Sign out').click();
    await page.waitForURL((url) => url.pathname === '/login');
    await signIn('coordinator@demo.test', '/coordinator');
    await label('State').selectOption('in_review'); // by value: labels are reworded
    await button('Show cases').click();
    await page.locator('table').getByRole('link', { name: /^SO-/ }).first().click();
    await page.getByRole('link', { name: 'Correct the name or date of birth' }).click();
    await h1("Correct the child's name or date of birth").waitFor();
    await checkAxe(page, 'the correction form');
  });

  await step('a correction needs a reason', async () => {
    await label('First name').fill('Milla');
    await button('Correct the details').click();
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    await checkAxe(page, 'the correction form with a missing reason');
  });

  await step('corrected', async () => {
    await label('Reason for the correction').fill('The mother called: the name was misspelled.');
    await button('Correct the details').click();
    await page.getByRole('status').filter({ hasText: "The child's details were corrected" }).waitFor();
    await page.getByText('Milla').first().waitFor();
    await checkAxe(page, 'the workspace after the correction');
  });
});

journey('accountability: who has seen the case, the audit trail, break-glass', async ({ page, step }) => {
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const label = (name) => page.getByLabel(name, { exact: true });
  const signIn = async (email, landing) => {
    await page.goto(`${APP_URL}/login`);
    await label('Email address').fill(email);
    await label('Password').fill(DEMO_PASSWORD);
    await button('Sign in').click();
    await answerSecondFactor(page, email);
    await page.waitForURL((url) => url.pathname === landing);
  };
  const signOut = async () => {
    await button('Sign out').click();
    await page.waitForURL((url) => url.pathname === '/login');
  };

  await step("who has seen the child's case", async () => {
    await signIn('family@demo.test', '/family');
    await page.locator('.case-list li', { has: page.locator('.status', { hasText: /^Collecting records$/ }) })
      .first().getByRole('link', { name: /^Case SO-/ }).click();
    await page.getByRole('link', { name: "Who has seen your child's case" }).click();
    await h1("Who has seen your child's case").waitFor();
    await checkAxeBoth(page, "the family's who-has-seen page");
    await signOut();
  });

  await step('the audit trail, filtered', async () => {
    await signIn('admin@demo.test', '/admin');
    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await h1('Audit trail').waitFor();
    await checkAxe(page, 'the audit trail');
    await label('Person (email address)').fill('coordinator@demo.test');
    await button('Show').click();
    await page.locator('table').getByText('coordinator@demo.test').first().waitFor();
    await checkAxe(page, 'the audit trail by person');
    await label('Person (email address)').fill('nobody@demo.test');
    await button('Show').click();
    await page.getByRole('alert').filter({ hasText: 'No account has that email address.' }).waitFor();
    assert.equal(await label('Person (email address)').inputValue(), 'nobody@demo.test', 'what was typed is kept');
    await checkAxe(page, 'the audit trail with a refused filter');
    await page.goto(`${APP_URL}/admin/audit/break-glass`);
    await h1('Emergency openings to review').waitFor();
    await checkAxe(page, 'the break-glass review list');
    await signOut();
  });

  await step('break-glass needs a reason', async () => {
    await signIn('clinician@demo.test', '/clinician');
    await page.getByRole('link', { name: /^Open a case not assigned to you/ }).click();
    await h1('Open a case in an emergency').waitFor();
    await checkAxeBoth(page, 'the break-glass form');
    await button('Open the case').click();
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    await checkAxe(page, 'the break-glass form refused');
  });
});

// A new staff member can reach nothing before enrolling a second factor:
// the admin adds them, they choose a password from the emailed link, enrol
// an authenticator (the QR code is drawn; the key is typed here), keep their
// recovery codes, and later sign in with one of them.
journey('a new staff member enrols a second factor and uses a recovery code', async ({ page, step }) => {
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const label = (name) => page.getByLabel(name, { exact: true });
  const email = uniqueEmail('new-coordinator');
  const password = 'a long staff passphrase for enrolment';
  let secret = '';
  let codes = [];

  await step('the admin adds a coordinator', async () => {
    await page.context().clearCookies();
    await page.goto(`${APP_URL}/login`);
    await label('Email address').fill('admin@demo.test');
    await label('Password').fill(DEMO_PASSWORD);
    await button('Sign in').click();
    await answerSecondFactor(page, 'admin@demo.test');
    await page.waitForURL((url) => url.pathname === '/admin');
    await label('Full name').fill('Nia New');
    await label('Email address').fill(email);
    await label('Role').selectOption('coordinator');
    await button('Create account').click();
    await page.getByText(email).first().waitFor();
    await page.context().clearCookies();
  });

  await step('the new coordinator chooses a password and must enrol', async () => {
    const body = await waitForMail(MAILDIR, email, /staff account/, 20000);
    const m = new RegExp(`${escapeRe(APP_URL)}/password-reset/new\\?token=[^\\s<>"'()\\[\\]]+`).exec(body);
    assert.ok(m, `no password link in the mail:\n${body}`);
    await page.goto(m[0].replace(/[.,;:!?]+$/, ''));
    await label('New password').fill(password);
    await button('Save my new password').click();
    await page.waitForURL((url) => url.pathname === '/login');
    await label('Email address').fill(email);
    await label('Password').fill(password);
    await button('Sign in').click();
    await page.waitForURL((url) => url.pathname === '/account/second-factor');
    await h1('Two-step sign-in').waitFor();
    await page.goto(`${APP_URL}/coordinator`);
    assert.equal(pathOf(page), '/account/second-factor', 'nothing but enrolment');
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.locator('svg').waitFor();
    const box = await qr.boundingBox();
    assert.ok(box && box.width >= 150, 'the QR code renders');
    secret = (await page.locator('code.secret').innerText()).replace(/\s/g, '');
    await checkAxeBoth(page, 'the second-factor enrolment page');
  });

  await step('a wrong code is refused, the right one enrols', async () => {
    await label('Code from the app').fill('000000');
    await button('Turn on two-step sign-in').click();
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    await checkAxe(page, 'the enrolment page refused');
    await label('Code from the app').fill(await nextCode(email, secret));
    await button('Turn on two-step sign-in').click();
    await h1('Your recovery codes').waitFor();
    codes = await page.locator('.recovery-codes code').allInnerTexts();
    assert.equal(codes.length, 10);
    await checkAxeBoth(page, 'the recovery codes');
    await page.getByRole('link', { name: /continue/ }).click();
    await h1('Case queue').waitFor();
  });

  await step('a recovery code signs in once', async () => {
    await page.context().clearCookies();
    await page.goto(`${APP_URL}/login`);
    await label('Email address').fill(email);
    await label('Password').fill(password);
    await button('Sign in').click();
    await page.waitForURL((url) => url.pathname === '/login/code');
    await checkAxeBoth(page, 'the sign-in code step');
    await label('Code').fill(codes[0]);
    await button('Sign in').click();
    await page.waitForURL((url) => url.pathname === '/coordinator');
    await page.getByText('You signed in with a recovery code. You have 9 left.').waitFor();
  });
});

// Two guardians on one child (issue 14): the demo parent invites the other
// parent by email; the invitee opens the link from the mail, registers
// (the link survives it), signs in, accepts and sees the case; the inviter
// removes them, and their next request for the case is not found.
journey('a second guardian is invited, accepts, and is removed', async ({ page, step }) => {
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const link = (name) => page.getByRole('link', { name, exact: true });
  const label = (name) => page.getByLabel(name, { exact: true });
  const flash = (text) => page.getByRole('status').filter({ hasText: text });
  const signIn = async (email, password, landing) => {
    await page.context().clearCookies();
    await page.goto(`${APP_URL}/login`);
    await label('Email address').fill(email);
    await label('Password').fill(password);
    await button('Sign in').click();
    await page.waitForURL((url) => url.pathname === landing);
  };
  const email = uniqueEmail('noa');
  const password = 'the other parent has a long passphrase 9';
  let guardiansPath = '';
  let casePath = '';

  await step('the guardians page', async () => {
    await signIn('family@demo.test', DEMO_PASSWORD, '/family');
    const card = page.locator('section.card', { has: page.locator('.case-list li') }).first();
    casePath = new URL(await card.getByRole('link', { name: /^Case SO-/ }).first().getAttribute('href'), APP_URL).pathname;
    await card.getByRole('link', { name: /^Parents and guardians/ }).click();
    await h1(/^Parents and guardians of /).waitFor();
    guardiansPath = pathOf(page);
    await checkAxeBoth(page, 'the guardians page');
  });

  await step('the invitation is sent', async () => {
    await label('Their email address').fill('not an address');
    await button('Send the invitation').click();
    await page.locator('.error-summary').waitFor();
    assert.equal(await label('Their email address').inputValue(), 'not an address');
    await checkAxe(page, 'the guardians page with an error');
    await label('Their email address').fill(email);
    await button('Send the invitation').click();
    await flash('We sent the invitation').waitFor();
    await page.getByText(`Invitation sent to ${email}`).waitFor();
    await checkAxe(page, 'the guardians page with an open invitation');
  });

  await step('the link from the mail, signed out', async () => {
    const body = await waitForMail(MAILDIR, email, /invited to follow a child/, 20000);
    assert.ok(!/Mila|Okafor/.test(body), `the invitation names the child:\n${body}`);
    const m = new RegExp(`${escapeRe(APP_URL)}/family/invitation\\?token=[0-9a-f]+`).exec(body);
    assert.ok(m, `no invitation link in the mail:\n${body}`);
    await page.context().clearCookies();
    await page.goto(m[0]);
    await h1('An invitation to share a child\'s second opinion').waitFor();
    await checkAxeBoth(page, 'the invitation page, signed out');
  });

  await step('registered from the invitation', async () => {
    await page.locator('#main').getByRole('link', { name: 'Create an account', exact: true }).click();
    await label('Full name').fill('Noa Okafor');
    await label('Email address').fill(email);
    await label('Password').fill(password);
    await button('Create account').click();
    await page.getByRole('heading', { name: /Check your email/ }).waitFor();
    await link('Go to sign in').click();
    await label('Email address').fill(email);
    await label('Password').fill(password);
    await button('Sign in').click();
    await page.waitForURL((url) => url.pathname === '/family/invitation');
    await button('Accept the invitation').waitFor();
    await checkAxeBoth(page, 'the accept page');
  });

  await step('put off, the invitation waits on their dashboard', async () => {
    await page.goto(`${APP_URL}/family`);
    await page.getByText('invited you to follow their child\'s case with them').waitFor();
    await checkAxeBoth(page, 'the dashboard with a pending invitation');
    await link('See the invitation').click();
    await page.waitForURL((url) => /^\/family\/invitations\/[0-9a-f-]{36}$/.test(url.pathname));
    await button('Accept the invitation').waitFor();
    await checkAxe(page, 'the invitation opened from the dashboard');
  });

  await step('accepted, and the case is theirs to see', async () => {
    await button('Accept the invitation').click();
    await page.getByText('Confirm that you are this child\'s parent or legal guardian.').first().waitFor();
    await checkAxe(page, 'the accept page with an error');
    await page.locator('#relationship-parent').check();
    await page.locator('#confirm_guardian').check();
    await button('Accept the invitation').click();
    await page.waitForURL((url) => url.pathname === '/family');
    await flash('You now share').waitFor();
    await page.goto(`${APP_URL}${casePath}`);
    await h1(/^Case SO-/).waitFor();
    await checkAxe(page, 'the case page, for the second guardian');
  });

  await step('the inviter removes them', async () => {
    await signIn('family@demo.test', DEMO_PASSWORD, '/family');
    await page.goto(`${APP_URL}${guardiansPath}`);
    await page.locator('.guardian-list strong').getByText('Noa Okafor').waitFor();
    await page.getByRole('button', { name: /^Remove/ }).click();
    await h1('Remove Noa Okafor?').waitFor();
    await checkAxeBoth(page, 'the remove confirmation');
    await button('Remove them').click();
    await flash('Noa Okafor no longer shares').waitFor();
    await checkAxe(page, 'the guardians page after removal');
  });

  await step('their access ended', async () => {
    await signIn(email, password, '/family');
    const res = await page.goto(`${APP_URL}${casePath}`);
    assert.equal(res.status(), 404);
    await checkAxe(page, 'the not-found page for a removed guardian');
  });
});

// A Spanish-speaking parent: the switch on the first page, registration,
// a child and a new case in Spanish; then the demo family, in Spanish, reads
// a case, its opinion (which says it is written in English and offers an
// interpreter) and a receipt. Last, so the demo family's choice of Spanish
// (kept on the account) can't change another journey's pages; it is set
// back to English at the end.
journey('en español: register, open a case, read the opinion and a receipt', async ({ page, step }) => {
  const h1 = (name) => page.getByRole('heading', { level: 1, name });
  const button = (name) => page.getByRole('button', { name, exact: true });
  const link = (name) => page.getByRole('link', { name, exact: true });
  const submit = page.locator('main form button[type="submit"]').first();
  const email = uniqueEmail('lucia');
  const password = 'una frase larga y poco comun 42';

  await step('switch to Spanish', async () => {
    await page.goto(`${APP_URL}/register`);
    await button('Español').click();
    await h1('Crear una cuenta').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    await checkAxeBoth(page, 'es registration form');
  });

  await step('registered in Spanish', async () => {
    await page.locator('#full_name').fill('Lucía Hernández');
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await button('Crear cuenta').click();
    await page.getByRole('heading', { name: /Revise su correo/ }).waitFor();
    await checkAxe(page, 'es check-your-email page');
  });

  await step('email confirmed and signed in', async () => {
    const body = await waitForMail(MAILDIR, email, /Confirme su correo/, 20000);
    const m = new RegExp(`${escapeRe(APP_URL)}/verify-email\\?token=[^\\s<>"'()\\[\\]]+`).exec(body);
    assert.ok(m, `no verify link in the Spanish mail:\n${body}`);
    await page.goto(m[0].replace(/[.,;:!?]+$/, ''));
    await submit.click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await submit.click();
    await page.waitForURL((url) => url.pathname === '/family');
    await h1('Sus hijos y sus casos').waitFor();
    await checkAxeBoth(page, 'es family page');
  });

  await step('child added in Spanish', async () => {
    await link('Agregar un hijo').click();
    await page.locator('#first_name').fill('Sofía');
    await page.locator('#last_name').fill('Hernández');
    await page.locator('#date_of_birth').fill('2017-02-14');
    await page.locator('#sex-female').check();
    await page.locator('#relationship-parent').check();
    await page.locator('#confirm_guardian').check();
    await button('Guardar').click();
    await page.waitForURL((url) => url.pathname === '/family');
    await page.getByRole('heading', { level: 2, name: /Sofía Hernández/ }).waitFor();
    await page.getByText('8 años').or(page.getByText('9 años')).first().waitFor();
  });

  await step('case opened in Spanish', async () => {
    await link('Abrir un caso nuevo').click();
    await h1('Abrir un caso nuevo').waitFor();
    await checkAxeBoth(page, 'es new case and safety screen');
    await page.locator('#emergency-no').check();
    await page.locator('#decision_soon-no').check();
    await button('Empezar el caso').click();
    await page.waitForURL((url) => url.pathname.endsWith('/details'));
    // The case page says what is left, in Spanish.
    await page.goto(page.url().replace(/\/details$/, ''));
    await h1(/^Caso SO-/).waitFor();
    await page.getByText('Falta esto antes de poder enviarlo:').waitFor();
    await checkAxeBoth(page, 'es draft case page');
  });

  // The wizard, step by step, in Spanish, to a paid case.
  const label = (name) => page.getByLabel(name, { exact: true });
  await step('basic information in Spanish', async () => {
    await page.goto(`${page.url()}/details`);
    await h1('Datos básicos').waitFor();
    await checkAxeBoth(page, 'es basic information');
    await label('Número de teléfono, con código de país (necesario antes de enviar)').fill('+52 33 1234 5678');
    await label('El diagnóstico de su hijo (necesario antes de enviar)').fill('Enfermedad de Crohn, desde 2025');
    await page.getByRole('navigation', { name: 'Pasos del caso' })
      .getByRole('button', { name: 'Dónde están los expedientes' }).click();
    await h1('Dónde están los expedientes de su hijo').waitFor();
    await checkAxeBoth(page, 'es records page');
  });

  await step('a record location and its release in Spanish', async () => {
    await label('Hospital, clínica o médico').fill('Hospital Civil de Guadalajara');
    await label('Qué expedientes tienen').fill('Informe de colonoscopia');
    await label('Su nombre completo, como firma').fill('Lucía Hernández');
    await page.getByRole('radio', { name: 'Madre o padre', exact: true })
      .or(page.locator('input[name="release_relationship"][value="parent"]')).first().check();
    await page.getByRole('checkbox', { name: /^Autorizo esta entrega/ }).check();
    await button('Agregar este lugar').click();
    await page.getByRole('heading', { level: 2, name: 'Hospital Civil de Guadalajara', exact: true }).waitFor();
    await page.getByText('Firmada por Lucía Hernández').waitFor();
    await page.getByRole('status').filter({ hasText: 'Se agregó el lugar de expedientes' }).waitFor();
    await checkAxe(page, 'es records page with a location');
    await button('Continuar').click();
  });

  await step('a question in Spanish', async () => {
    await h1('Sus preguntas para el especialista').waitFor();
    await label('Su pregunta').fill('¿Es correcta la dosis para su peso?');
    await button('Agregar pregunta').click();
    await page.getByRole('status').filter({ hasText: '1 de 5' }).waitFor();
    await checkAxeBoth(page, 'es questions page');
    await button('Continuar').click();
    await h1('¿Desea un especialista en particular?').waitFor();
    await checkAxe(page, 'es specialist page');
    await button('Guardar y continuar').click();
  });

  await step('review refused, then paid, in Spanish', async () => {
    await h1('Revisar y pagar').waitFor();
    await button('Enviar y pagar $900').click();
    await page.getByRole('alert').filter({ hasText: 'Confirme que esto no es una emergencia médica.' }).waitFor();
    await checkAxeBoth(page, 'es review page with errors');
    for (const box of await page.locator('input[type="checkbox"][name^="consent_"]').all()) await box.check();
    await button('Enviar y pagar $900').click();
    await h1('Pagar la tarifa del caso: $900').waitFor();
    await checkAxe(page, 'es payment page');
    if (await page.getByText('MODO DE PRUEBA', { exact: false }).count()) {
      await button('Pagar $900 (prueba)').click();
    } else {
      const card = (field) => page.locator(`#card-element input[placeholder="${field}"]`);
      await card('number').fill('4242424242424242');
      await card('exp_month').fill('12');
      await card('exp_year').fill('30');
      await card('cvc').fill('123');
      await card('postal_code').fill('94110');
      await button('Pagar $900').click();
    }
    const failed = page.locator('.error-summary, #card-errors:not(:empty)');
    await h1(/^Caso SO-/).or(failed).first().waitFor();
    if (await failed.count()) assert.fail(`the Spanish payment did not go through: ${await failed.first().innerText()}`);
    await page.getByRole('status').filter({ hasText: 'Recibimos el pago.' }).waitFor();
    await page.locator('main .status', { hasText: /^Enviado$/ }).waitFor();
    await checkAxeBoth(page, 'es case page after payment');
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  });

  await step('demo family reads a delivered case in Spanish', async () => {
    await page.goto(`${APP_URL}/login`);
    await page.locator('#email').fill('family@demo.test');
    await page.locator('#password').fill(DEMO_PASSWORD);
    await submit.click();
    await page.waitForURL((url) => url.pathname === '/family');
    // The visitor's cookie still says Spanish; the switch is there only if not.
    if (await button('Español').count()) await button('Español').click();
    await h1('Sus hijos y sus casos').waitFor();
    const delivered = page.locator('li', { has: page.locator('.status', { hasText: /^Opinión lista$/ }) }).first();
    await delivered.getByRole('link', { name: /^Caso SO-/ }).click();
    await h1(/^Caso SO-/).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Después de la opinión' }).waitFor();
    await checkAxeBoth(page, 'es delivered case page');
  });

  await step('the opinion in Spanish', async () => {
    await link('Leer, imprimir o compartir la segunda opinión').click();
    await h1(/^Segunda opinión para/).waitFor();
    await page.getByText('El especialista escribe la opinión en inglés').waitFor();
    await page.getByText('puede conseguir un intérprete para la llamada', { exact: false }).first().waitFor();
    await checkAxeBoth(page, 'es opinion page');
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'es-opinion-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  });

  await step('a receipt in Spanish', async () => {
    await link('Volver al caso').click();
    await link('Recibo').first().click();
    await h1(/^Recibo R-/).waitFor();
    await page.getByText('cuenta de ahorros para la salud (HSA)', { exact: false }).waitFor();
    await checkAxeBoth(page, 'es receipt');
    // Back to English: the demo family is shared with the other journeys.
    await button('English').click();
    await h1(/^Receipt R-/).waitFor();
  });
});

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
