/**
 * The UI suites, in the order they run on one workbench page. Add a suite here; keep `themeSuite`
 * last (it switches the workbench to a dark theme).
 */
import type { UiSuite } from '../workbench';
import { chartPaneSuite } from './chartPane';
import { chartsSuite } from './charts';
import { diagnosticsSuite } from './diagnostics';
import { gridColumnsSuite } from './gridColumns';
import { gridSuite } from './grid';
import { gridToolsSuite } from './gridTools';
import { measuresSuite } from './measures';
import { parquetSuite } from './parquet';
import { problemsSuite } from './problems';
import { summariesSuite } from './summaries';
import { themeSuite } from './theme';

export const suites: UiSuite[] = [
  gridSuite,
  gridToolsSuite,
  gridColumnsSuite,
  summariesSuite,
  problemsSuite,
  diagnosticsSuite,
  measuresSuite,
  parquetSuite,
  chartsSuite,
  chartPaneSuite,
  themeSuite,
];
