import { createServer, connect, type Server, type Socket } from 'node:net'

/** A TCP relay from 127.0.0.1:port to 127.0.0.1:targetPort: a broker that "comes up" on port. */
export class Relay {
  private readonly sockets = new Set<Socket>()
  private readonly pairs = new Set<[Socket, Socket]>()
  private constructor(
    readonly port: number,
    private readonly server: Server,
  ) {}

  static start(port: number, targetPort: number): Promise<Relay> {
    const server = createServer()
    const relay = new Relay(port, server)
    server.on('connection', (client) => {
      const upstream = connect(targetPort, '127.0.0.1')
      for (const s of [client, upstream]) {
        relay.sockets.add(s)
        s.on('close', () => relay.sockets.delete(s))
        s.on('error', () => {
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream).pipe(client)
      const pair: [Socket, Socket] = [client, upstream]
      relay.pairs.add(pair)
      client.on('close', () => relay.pairs.delete(pair))
    })
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve(relay))
    })
  }

  /** Stops carrying bytes on the current connections (a network that silently hangs). */
  freeze(): void {
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream)
      upstream.unpipe(client)
    }
  }

  /** Cuts the current connections; new ones are carried as usual. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy()
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((r) => this.server.close(() => r()))
  }
}
