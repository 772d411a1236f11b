// Runs the shared backend suite against the in-memory backend.
import { backendSuite } from './backend.suite.js';
import { MemoryBackend } from './memory.js';

backendSuite('memory', async () => new MemoryBackend());
