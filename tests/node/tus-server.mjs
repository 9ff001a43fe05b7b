// The official tus server (@tus/server + @tus/file-store) as an independent peer for the
// tus client's tests.  Usage: node tus-server.mjs DIRECTORY [EXPIRY_MS]
// Listens on 127.0.0.1, port 0, and prints one line: {"port": N}.
// POST /_expire removes expired uploads now (tests of the expiration extension).
import http from 'node:http'
import { Server } from '@tus/server'
import { FileStore } from '@tus/file-store'

const directory = process.argv[2]
const expiry = Number(process.argv[3] || 0)
if (!directory) {
  console.error('usage: node tus-server.mjs DIRECTORY [EXPIRY_MS]')
  process.exit(2)
}
const options = { directory }
if (expiry > 0) options.expirationPeriodInMilliseconds = expiry
const tus = new Server({ path: '/files', datastore: new FileStore(options) })

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/_expire') {
    tus.cleanUpExpiredUploads().then(
      (n) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(JSON.stringify({ removed: n })) },
      (e) => { res.writeHead(500); res.end(String(e)) },
    )
    return
  }
  tus.handle(req, res)
})
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }))
})
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0))
