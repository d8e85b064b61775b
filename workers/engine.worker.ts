// The engine worker: the requests of workers/engine-host.ts, answered over comlink.
import { expose } from 'comlink';
import { createEngineApi } from './engine-host';
import { installErrorTransfer } from './error-transfer';

installErrorTransfer();
expose(createEngineApi());
