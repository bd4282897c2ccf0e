import t from 'tap'
import { expired, GIVE_UP_AFTER_MS, isPublicAddress, MAX_RETRY_DELAY_MS, refusedUrl, retryDelay } from '../../src/domain/webhooks.js'

t.test('the first retry comes about the base after the failure, then the wait doubles up to an hour', async (t) => {
  t.equal(retryDelay(1, 1000, 0), 500, 'at the low end of the jitter: half the base')
  t.equal(retryDelay(1, 1000, 0.999999), 1000)
  t.equal(retryDelay(2, 1000, 1 - Number.EPSILON), 2000)
  t.equal(retryDelay(3, 1000, 0.5), 3000, 'between 2 and 4 seconds')
  for (let failures = 1; failures < 40; failures++) {
    for (const random of [0, 0.3, 0.99]) {
      const delay = retryDelay(failures, 1000, random)
      t.ok(delay <= MAX_RETRY_DELAY_MS && delay >= Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** (failures - 1)) / 2, `failure ${failures}, jitter ${random}`)
    }
  }
  t.ok(retryDelay(30, 1000, 0.999999) > MAX_RETRY_DELAY_MS - 10 && retryDelay(30, 1000, 0.999999) <= MAX_RETRY_DELAY_MS, 'never more than an hour')
  t.equal(retryDelay(0, 1000, 0), 500, 'no failure yet counts as the first')
})

t.test('a delivery is given up a day after its event', async (t) => {
  const created = new Date('2026-03-01T10:00:00Z')
  t.notOk(expired(created, new Date(created.getTime() + GIVE_UP_AFTER_MS - 1)))
  t.ok(expired(created, new Date(created.getTime() + GIVE_UP_AFTER_MS)))
})

t.test('only public unicast addresses may receive webhooks', async (t) => {
  for (const address of ['8.8.8.8', '193.191.245.1', '2001:4860:4860::8888']) t.ok(isPublicAddress(address), address)
  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not an address',
    // IPv6 forms that carry an IPv4 address: refused whatever the address, as the network decides where they lead.
    '::127.0.0.1',
    '::7f00:1',
    '::8.8.8.8',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:7f00:1::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  ])
    t.notOk(isPublicAddress(address), address)
})

t.test('a receiver URL is http(s) without credentials', async (t) => {
  t.equal(refusedUrl('https://dossiers.example.be/hooks'), null)
  t.match(refusedUrl('http://127.0.0.1:80@1.1.1.1/'), /user name or password/)
  t.match(refusedUrl('https://user:secret@example.be/'), /user name or password/)
  t.match(refusedUrl('ftp://example.be/'), /only http and https/)
  t.match(refusedUrl('not a url'), /not a URL/)
})
