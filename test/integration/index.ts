// The integration suite's entry, loaded by VS Code's extension host as extensionTestsPath
// (code-server here, @vscode/test-electron where VS Code can be downloaded).
// esbuild bundles it into out/test/integration/index.js with mocha left external.
import { mocha } from './mochaGlobals'; // must stay first: defines describe/it for the suites below

// The suites, one static import each (add yours here):
import './activation.test';
import './connections.test';
import './addConnection.test';
import './workspaceConnections.test';
import './fakeWarehouses.test';
import './tree.test';
import './runQuery.test';
import './languageServer.test';
import './analysisPanels.test';
import './categoryBudget.test';
import './healthWatch.test';
import './queryHistory.test';
import './notebook.test';
import './exportResult.test';

/** Runs the suites; rejects when any test or hook fails, or when no test ran at all. */
export function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
        const skipped = stats.pending ? `, ${stats.pending} skipped` : '';
        // Read back by test/harness/runIntegration.mjs and scripts/test.mjs.
        console.log(`integration: ${stats.passes} passed, ${stats.failures} failed${skipped}`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
        else if (stats.passes === 0) reject(new Error('The integration suite ran no test.'));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
