// The object-detection example's Web Worker: trains the detector off the page's thread.
import * as task from './task.mjs';
import { serveInWorker } from '../common/worker.mjs';

serveInWorker(task);
