#!/usr/bin/env node
// Renders media/icon.svg to media/icon.png (256×256) with Debian Chromium through playwright-core.
// Run it after editing the SVG: `node scripts/renderIcon.js`.
const path = require('node:path');
const { chromium } = require('playwright-core');

(async () => {
  const root = path.join(__dirname, '..');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 256, height: 256 } });
    await page.goto(`file://${path.join(root, 'media', 'icon.svg')}`);
    await page.screenshot({ path: path.join(root, 'media', 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
})();
