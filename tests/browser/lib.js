'use strict';
// Helpers for the browser journeys: launch Debian's Chromium, run axe, read
// mails from the SMTP sink's maildir, and a tiny sequential journey runner.

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');

const ARTIFACTS = process.env.ARTIFACTS || path.join(__dirname, 'artifacts');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Debian's chromium (never a downloaded browser). AxeBuilder needs a page
// from browser.newContext(), not browser.newPage().
async function launch() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext();
  return { browser, context };
}

// The widths every new page is checked at: a laptop and a small phone.
const WIDE = { width: 1280, height: 720 };
const NARROW = { width: 390, height: 844 };

// axe at 1280 and at 390 px, with a screenshot of the narrow page.
async function checkAxeBoth(page, label) {
  await checkAxe(page, `${label} (1280 px)`);
  await page.setViewportSize(NARROW);
  try {
    await checkAxe(page, `${label} (390 px)`);
    await page.screenshot({ path: path.join(ARTIFACTS, `${slug(label)}-390.png`), fullPage: true });
  } finally {
    await page.setViewportSize(WIDE);
  }
}

// Fail with a readable list when axe finds any WCAG 2.x A/AA violation.
async function checkAxe(page, label) {
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  if (violations.length === 0) return;
  const lines = violations.map((v) => {
    const targets = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
    const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : '';
    return `  - ${v.id} [${v.impact}] ${v.help}: ${targets}${more}`;
  });
  throw new Error(`axe found ${violations.length} violation(s) on ${label} (${page.url()}):\n${lines.join('\n')}`);
}

// ---- mail ---------------------------------------------------------------

// Split a raw message (a latin1 string, so bytes survive) into headers and body.
function parseMessage(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers = {};
  // Unfold continuation lines, then keep the first value of each header.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) {
      const name = line.slice(0, i).trim().toLowerCase();
      if (!(name in headers)) headers[name] = line.slice(i + 1).trim();
    }
  }
  return { headers, body };
}

// Header parameter such as boundary="..." or charset=utf-8.
function headerParam(value, name) {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value || '');
  return m ? (m[1] !== undefined ? m[1] : m[2]) : null;
}

function decodeQuotedPrintable(s) {
  const bytes = s.replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1');
}

function decodeBody(body, headers) {
  const cte = (headers['content-transfer-encoding'] || '7bit').toLowerCase();
  let buf;
  if (cte === 'base64') buf = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (cte === 'quoted-printable') buf = decodeQuotedPrintable(body);
  else buf = Buffer.from(body, 'latin1');
  const charset = (headerParam(headers['content-type'], 'charset') || 'utf-8').toLowerCase();
  return buf.toString(charset === 'us-ascii' || charset === 'iso-8859-1' ? 'latin1' : 'utf8');
}

// RFC 2047 encoded words, e.g. =?utf-8?b?...?= in a Subject.
function decodeWords(value) {
  return (value || '').replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=(\s+(?==\?))?/g, (_, cs, enc, text) => {
    const buf = enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64')
      : decodeQuotedPrintable(text.replace(/_/g, ' '));
    return buf.toString(/^(us-ascii|iso-8859-1)$/i.test(cs) ? 'latin1' : 'utf8');
  });
}

// The text/plain part: the body itself, or found inside multipart/* parts.
function textPart(headers, body) {
  const type = (headers['content-type'] || 'text/plain').toLowerCase();
  if (!type.startsWith('multipart/')) {
    return type.startsWith('text/plain') ? decodeBody(body, headers) : null;
  }
  const boundary = headerParam(headers['content-type'], 'boundary');
  if (!boundary) return null;
  const parts = body.split(`--${boundary}`).slice(1); // drop the preamble
  for (const part of parts) {
    if (part.startsWith('--')) break; // closing delimiter
    const p = parseMessage(part.replace(/^[ \t]*\r?\n/, ''));
    const text = textPart(p.headers, p.body);
    if (text !== null) return text;
  }
  return null;
}

function readMails(maildir) {
  const mails = [];
  for (const sub of ['new', 'cur']) {
    const dir = path.join(maildir, sub);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      const { headers, body } = parseMessage(fs.readFileSync(file, 'latin1'));
      mails.push({ file, mtime: fs.statSync(file).mtimeMs, headers, body,
        to: decodeWords(headers.to), subject: decodeWords(headers.subject) });
    }
  }
  return mails.sort((a, b) => b.mtime - a.mtime); // newest first
}

// Poll the maildir until a mail to `toAddress` with a matching subject shows
// up; return its decoded text/plain body.
async function waitForMail(maildir, toAddress, subjectRegex, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  const want = toAddress.toLowerCase();
  for (;;) {
    const mails = readMails(maildir);
    const hit = mails.find((m) => m.to.toLowerCase().includes(want) && subjectRegex.test(m.subject));
    if (hit) {
      const text = textPart(hit.headers, hit.body);
      if (text === null) throw new Error(`mail "${hit.subject}" to ${toAddress} has no text/plain part`);
      return text;
    }
    if (Date.now() > deadline) {
      const seen = mails.map((m) => `  - to ${m.to}: ${m.subject}`).join('\n') || '  (none)';
      throw new Error(`no mail to ${toAddress} with subject ${subjectRegex} within ${timeoutMs} ms; mails seen:\n${seen}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---- runner -------------------------------------------------------------

const journeys = [];
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

// Register a journey: fn({ page, step }) where step(name, fn) runs one part of
// it and screenshots the page afterwards.
function journey(name, fn) {
  journeys.push({ name, fn });
}

// Run the journeys one after another, each in a fresh browser context.

// The second factor. The demo staff accounts share one TOTP secret
// (src/auth/second_factor/mod.rs, DEMO_SECRET); codes are RFC 6238, computed
// here with HMAC-SHA1 as an authenticator app does.
const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

// The six-digit code for time step `step` (unix seconds / 30).
function totpCode(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(value).padStart(6, '0');
}

// A code works once: the journeys sign the same demo account in often, so
// each sign-in takes the next unused step (the server accepts one either
// side of now), waiting for the clock when all three are used.
const lastStep = new Map();
async function nextCode(email, secret) {
  const now = () => Math.floor(Date.now() / 30000);
  const step = Math.max((lastStep.get(email) ?? 0) + 1, now());
  while (step > now() + 1) await new Promise((r) => setTimeout(r, 500));
  lastStep.set(email, step);
  return totpCode(secret, step);
}

// After the password: answer the code step if it is asked (staff always,
// families who turned it on), with a code from `secret`.
async function answerSecondFactor(page, email, secret = DEMO_TOTP_SECRET) {
  await page.waitForURL((url) => url.pathname !== '/login');
  if (new URL(page.url()).pathname !== '/login/code') return;
  await page.getByLabel('Code', { exact: true }).fill(await nextCode(email, secret));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/login/code');
}

async function run() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const { browser, context: first } = await launch();
  let passed = 0;
  let failed = 0;
  try {
    for (const [i, j] of journeys.entries()) {
      const context = i === 0 ? first : await browser.newContext();
      context.setDefaultTimeout(15000);
      context.setDefaultNavigationTimeout(30000);
      const page = await context.newPage();
      await page.setViewportSize(WIDE);
      // The wizard asks before leaving typing unsaved; a journey that means to leave says yes.
      page.on('dialog', (d) => (d.type() === 'beforeunload' ? d.accept() : d.dismiss()));
      const shot = (suffix) => page.screenshot({ path: path.join(ARTIFACTS, `${slug(j.name)}-${suffix}.png`), fullPage: true });
      let n = 0;
      let current = '';
      const step = async (stepName, fn) => {
        current = stepName;
        await fn();
        n += 1;
        await shot(`${n}-${slug(stepName)}`);
      };
      try {
        await j.fn({ page, step });
        passed += 1;
        console.log(`ok - ${j.name}`);
      } catch (err) {
        failed += 1;
        await shot('FAILED').catch(() => {});
        const [firstLine, ...rest] = String(err && err.message ? err.message : err).split('\n');
        console.log(`not ok - ${j.name}: [step ${n + 1} "${current}" at ${page.url()}] ${firstLine}`);
        for (const line of rest) console.log(`    ${line}`);
      } finally {
        await context.close().catch(() => {});
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

module.exports = {
  launch, checkAxe, checkAxeBoth, waitForMail, journey, run, ARTIFACTS,
  answerSecondFactor, totpCode, nextCode, DEMO_TOTP_SECRET,
};
