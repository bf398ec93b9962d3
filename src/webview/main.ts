/** The export editor's webview script: builds the grid and connects it to the host. */
import { Grid } from './grid';
import { listen, post } from './host';

const grid = new Grid(document.getElementById('app')!);
listen((m) => grid.receive(m));
post({ type: 'ready' });
