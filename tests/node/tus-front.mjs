// The official tus server (@tus/server + @tus/file-store) in front of qmintake, the way
// an office runs media on a standard tus server: it asks qmintake's hook endpoint (tusd's
// HTTP hook format) before creating an upload and after finishing one.
//
//   node tus-front.mjs DIRECTORY HOOK_URL
//   node tus-front.mjs s3://BUCKET HOOK_URL ENDPOINT      (@tus/s3-store; AWS_* variables)
// HOOK_URL "-": no hooks (the plain official server, for benchmarks).
// Listens on 127.0.0.1, port 0, path /files, and prints one line: {"port": N}.
import http from 'node:http'
import path from 'node:path'
import { Server } from '@tus/server'
import { FileStore } from '@tus/file-store'

const [directory, hookUrl, endpoint] = process.argv.slice(2)
if (!hookUrl) {
  console.error('usage: node tus-front.mjs DIRECTORY|s3://BUCKET HOOK_URL [S3_ENDPOINT]')
  process.exit(2)
}
const bucket = directory.startsWith('s3://') ? directory.slice(5) : ''

async function datastore() {
  if (!bucket) return new FileStore({ directory })
  const { S3Store } = await import('@tus/s3-store')
  return new S3Store({
    partSize: 8 * 1024 * 1024,
    s3ClientConfig: {
      bucket,
      endpoint,
      region: process.env.AWS_REGION || 'us-east-1',
      forcePathStyle: true,
      credentials: {
        accessKeyId: process.env.AWS_ACCESS_KEY_ID,
        secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
      },
    },
  })
}

function storageOf(upload) {
  if (!bucket) return { Type: 'filestore', Path: path.resolve(directory, upload.id) }
  const s = upload.storage || {}
  return { Type: 's3store', Bucket: s.bucket || bucket, Key: s.path || upload.id }
}

function header(req, name) {
  const h = req && req.headers
  if (!h) return ''
  return (typeof h.get === 'function' ? h.get(name) : h[name.toLowerCase()]) || ''
}

async function hook(type, req, upload, storage) {
  if (hookUrl === '-') return
  const auth = header(req, 'authorization')
  const event = {
    Upload: {
      ID: upload.id || '',
      Size: upload.size,
      Offset: upload.offset || 0,
      MetaData: upload.metadata || {},
      Storage: storage || null,
    },
    HTTPRequest: { Method: req && req.method, Header: auth ? { Authorization: [auth] } : {} },
  }
  const res = await fetch(hookUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ Type: type, Event: event }),
  })
  if (!res.ok) throw { status_code: 502, body: `intake hook answered ${res.status}` }
  const answer = await res.json()
  const r = answer.HTTPResponse
  if (answer.RejectUpload || (r && r.StatusCode >= 400)) {
    throw { status_code: r.StatusCode, body: r.Body }
  }
}

const tus = new Server({
  path: '/files',
  datastore: await datastore(),
  async onUploadCreate(req, upload) {
    await hook('pre-create', req, upload)
    return {}
  },
  async onUploadFinish(req, upload) {
    await hook('post-finish', req, upload, storageOf(upload))
    return {}
  },
})

const server = http.createServer((req, res) => tus.handle(req, res))
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }))
})
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0))
