// Prints every skipped test by name (they say which server they need), then one plain closing
// line ("jest: N passed, N failed, N skipped") that CI tooling can read.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = [];
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === 'pending' || test.status === 'todo') skipped.push(test.fullName);
      }
    }
    for (const name of skipped) process.stdout.write(`\nskipped: ${name}`);
    const count = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${count} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
