// The spoken-commands example's Web Worker: trains and evaluates off the page's thread.
import * as task from './task.mjs';
import { serveInWorker } from '../common/worker.mjs';

serveInWorker(task);
