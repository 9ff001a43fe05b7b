// Upload one file to a tus server with tus-js-client (the reference tus client), as an
// independent peer for the intake server's tests.
//
//   node tus-upload.mjs ENDPOINT TOKEN FILE SHA256 [options]
//     --chunk BYTES        PATCH size (default 262144)
//     --stop-after BYTES   abort once this many bytes are acknowledged (prints the URL)
//     --resume URL         continue an earlier upload (HEAD, then PATCH from its offset)
//     --retries            retry after errors (0.2 s .. 3 s), e.g. while the server restarts
//
// Prints one JSON line per event on stdout: {"event":"created","url":...},
// {"event":"progress","sent":N}, {"event":"stopped","url":...,"sent":N},
// {"event":"done","url":...,"size":N}, or {"event":"error","message":...} (exit 1).
import fs from 'node:fs'
import path from 'node:path'
import * as tus from 'tus-js-client'

const [endpoint, token, file, sha256, ...rest] = process.argv.slice(2)
if (!sha256) {
  console.error('usage: node tus-upload.mjs ENDPOINT TOKEN FILE SHA256 [options]')
  process.exit(2)
}
const opt = (name) => {
  const i = rest.indexOf(name)
  return i >= 0 ? rest[i + 1] : undefined
}
const chunkSize = Number(opt('--chunk') || 262144)
const stopAfter = Number(opt('--stop-after') || 0)
const resume = opt('--resume')
const retries = rest.includes('--retries')
const say = (obj) => console.log(JSON.stringify(obj))
const size = fs.statSync(file).size

const upload = new tus.Upload(fs.createReadStream(file), {
  endpoint,
  uploadUrl: resume || null,
  chunkSize,
  uploadSize: size,
  headers: { Authorization: `Bearer ${token}` },
  metadata: { sha256, filename: path.basename(file), filetype: 'video/mp4' },
  retryDelays: retries ? [200, 500, 1000, 2000, 3000, 3000, 3000, 3000, 3000] : null,
  removeFingerprintOnSuccess: true,
  onUploadUrlAvailable() {
    say({ event: 'created', url: upload.url })
  },
  onChunkComplete(_chunk, sent) {
    say({ event: 'progress', sent })
    if (stopAfter && sent >= stopAfter && sent < size) {
      upload.abort(false).then(() => say({ event: 'stopped', url: upload.url, sent }))
    }
  },
  onSuccess() {
    say({ event: 'done', url: upload.url, size })
  },
  onError(err) {
    say({ event: 'error', message: String(err && err.message ? err.message : err) })
    process.exitCode = 1
  },
})
upload.start()
