// Mocha reporter: the spec reporter's output, then one plain closing line "N passed, N failed".
// When RC_TEST_COUNTS names a file, the counts are added to it instead (test/run.js prints the total).
const fs = require('node:fs');
const Mocha = require('mocha');

class PlainSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      const file = process.env.RC_TEST_COUNTS;
      if (file) {
        const prev = fs.existsSync(file)
          ? JSON.parse(fs.readFileSync(file, 'utf8'))
          : { passed: 0, failed: 0, skipped: 0 };
        fs.writeFileSync(
          file,
          JSON.stringify({
            passed: prev.passed + passes,
            failed: prev.failed + failures,
            skipped: prev.skipped + pending,
          }),
        );
      } else {
        process.stdout.write(`\n${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}\n`);
      }
    });
  }
}

module.exports = PlainSummary;
