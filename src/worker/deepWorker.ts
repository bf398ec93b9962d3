/**
 * The second validation thread: runs the deep rules (JSON attributes, entitlement arrays, duplicate
 * transactions) on batches of field ranges over the shared bytes, while the loading thread goes on.
 */
import { parentPort } from 'node:worker_threads';
import { DeepValidator } from '../core/validate/deep';
import { portEndpoint, serve } from '../protocol/channel';
import { deepLink } from '../protocol/deepWorker';

const port = parentPort;
if (!port) throw new Error('deepWorker must run in a worker thread');

let validator: DeepValidator | null = null;
let streamed = false;
const link = serve(
  deepLink,
  portEndpoint(port),
  { finish: () => (validator ? validator.report() : { problems: [], tallies: [] }) },
  (m) => {
    if (m.type === 'setup') {
      validator = new DeepValidator(m.setup);
      streamed = m.setup.streamed === true;
    } else {
      const { data, bytes } = m.batch;
      validator!.run(m.batch);
      // the array goes back to be filled again (fresh arrays each time cost page faults and GC), and
      // so does a streamed batch's copy of its rows (the table's shared bytes stay where they are)
      if (streamed && !(bytes.buffer instanceof SharedArrayBuffer))
        link.send({ type: 'spent', data, bytes }, [data.buffer as ArrayBuffer, bytes.buffer]);
      else link.send({ type: 'spent', data }, [data.buffer as ArrayBuffer]);
    }
  },
);
