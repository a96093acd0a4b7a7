// Appends "<passed> <failed> <skipped>" for each jest run to the file named by
// EDU_TEST_SUMMARY, so that a CI script can print one total over every package.
const fs = require('node:fs');

module.exports = class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.EDU_TEST_SUMMARY;
    if (!file) return;
    fs.appendFileSync(
      file,
      `${results.numPassedTests} ${results.numFailedTests} ${results.numPendingTests}\n`,
    );
  }
};
