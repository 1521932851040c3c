// Durable room history. The room talks to the HistoryStore interface only, so the SQLite
// store and the in-memory one (tests, benchmarks) are interchangeable.
export { describeStoreError, StoreError, toStoreError, type StoreErrorKind } from './errors.ts';
export { HISTORY_ID, messageBytes, newHistoryId, type FileInHistory, type HistoryPage, type HistoryStore, type NewMessage } from './history.ts';
export { MemoryHistoryStore } from './memory.ts';
export { inspectHistoryFile, SqliteHistoryStore } from './sqlite.ts';
