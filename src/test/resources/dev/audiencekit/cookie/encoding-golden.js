// Generates encoding-golden.jsonl: [id, next, classic] per line, computed by JavaScript itself.
// next    = js-cookie 3's writer of the id, or of JSON.stringify(id) when analytics.js 2.x would not
//           read the raw form back as the same id (JSON.parse on read); see CookieValueEncoder.
// classic = encodeURIComponent(JSON.stringify(id)) (analytics.js 1.x).
// Run: node encoding-golden.js > encoding-golden.jsonl
const write = v => encodeURIComponent(v).replace(/%(2[346BF]|3[AC-F]|40|5[BDE]|60|7[BCD])/g, decodeURIComponent);
const read = v => {
  if (v[0] === '"') v = v.slice(1, -1);
  v = v.replace(/(%[\dA-F]{2})+/gi, decodeURIComponent);
  let p;
  try { p = JSON.parse(v); } catch (e) { return v; }
  if (typeof p === 'string') return p;
  if (typeof p === 'number') return String(p);
  return undefined;
};
let seed = 20240601;
const rnd = () => { seed = (seed + 0x6D2B79F5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const alphabet = [...'aZ09 -_.!~*\'()#$&+/:<=>?@[]^`{|}"\\,;%éß€😀\u00a0\u2028', 'null', 'true', '1e3', '12', '{}', '[]', '"'];
const fixed = ['6f1c2b8e-0d4a-4c8e-9f3a-2b7d1e5c9a01', 'user@x.com', 'null', 'true', 'false', '123', '1e3', ' 5',
  '"x"', '{"a":1}', '[1]', '0123', '-0', '12345678901234567890', '%41', '"', 'a"'];
const ids = [...fixed];
while (ids.length < 1000) {
  let s = '';
  const n = 1 + Math.floor(rnd() * 16);
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  ids.push(s);
}
for (const id of ids) {
  const raw = write(id);
  const next = read(raw) === id ? raw : write(JSON.stringify(id));
  if (read(next) !== id) throw new Error('does not read back: ' + id);
  console.log(JSON.stringify([id, next, encodeURIComponent(JSON.stringify(id))]));
}
