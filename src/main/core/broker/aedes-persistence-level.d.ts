declare module 'aedes-persistence-level' {
  /** Wraps a `level` database as an Aedes persistence. */
  const persistence: (db: unknown) => unknown
  export default persistence
}
