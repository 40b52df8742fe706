// CI outside this project's own machines: put the real-file corpus where the tests look for it
// (../shared/fixtures/market beside the repository), downloaded from the public repositories
// named in its README at the commits named there, and checked byte for byte. The files are
// never copied into this repository.
//
//   node scripts/fetch-market-corpus.mjs [target folder]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = resolve(process.argv[2] ?? join(root, '..', 'shared', 'fixtures', 'market'));

const FILES = [
  { path: 'binance-spot/BTCUSDT-1h-2024-12.csv', repo: 'ginghong/backtest_jup', commit: '45593f6', source: 'data/BTCUSDT-1h-2024-12.csv', sha256: '5cfc1d6f1cc9391b2990dc3138c69050dc4efec2af92077231741a0e463ab5a3' },
  { path: 'binance-futures/LINKUSDT-1m-2023-02.csv', repo: 'owlacar-dotcom/isda', commit: '28f61be', source: 'LINKUSDT-1m-2023-02.csv', sha256: '1d74355ca2f54321118ecfd72f6826ad4101305efb41169dcc83ae50643ecd12' },
  { path: 'cryptodatadownload/BTCUSDT_Binance_futures_data_day.csv', repo: 'IngiOrn/crypto_data', commit: '547bb14', source: 'BTCUSDT_Binance_futures_data_day.csv', sha256: '71e1f784b5ba0e50706659b465f7e223e30eebb9783ee146ece6850bf8aecf9f' },
  { path: 'cryptodatadownload-legacy/Binance_BTCUSDT_d.csv', repo: 'LinuxFan2718/crypto-trading', commit: '87011e2', source: 'Binance_BTCUSDT_d.csv', sha256: 'b5344c5e123821ab03ee25beacdad4698b5e3fa11b1c35c04bebd21ff49c713c' },
  { path: 'freqtrade/ETH_BTC-5m.json', repo: 'freqtrade/freqtrade', commit: '65a516e', source: 'tests/testdata/ETH_BTC-5m.json', sha256: 'a5adc2e6df5e901febbba9a4a1a10775835b235dd69f35c340a17af9d5932c15' },
  { path: 'yahoo/nvda-1999-2014.txt', repo: 'mementum/backtrader', commit: 'b853d7c', source: 'datas/nvda-1999-2014.txt', sha256: 'd16ee01711b8a39085a2c3a5d9840bb0ef43091a9e2909e5c819c3020a3ac28f' },
  { path: 'tradingview/BINANCE_SOLUSDT, 15.csv', repo: 'simulakr/Feature-Importance-ML-in-Trading', commit: '26ac826', source: 'BINANCE_SOLUSDT, 15.csv', sha256: 'bca4b7acf8e6cdef2b2372095ec1b355c5898336f1e137d114265c8fa873ec5f' },
  { path: 'metatrader4/EURUSD60.csv', repo: 'dmitriiweb/tapy', commit: '6149677', source: 'EURUSD60.csv', sha256: '0314570570b44e2d70d7b7766d3c97d239466a90df7a9961b10bc47f60a35156' },
];

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const failures = [];
for (const f of FILES) {
  const out = join(target, f.path);
  if (existsSync(out) && sha256(readFileSync(out)) === f.sha256) continue;
  // github.com's raw route resolves the abbreviated commits the corpus README records.
  const url = `https://github.com/${f.repo}/raw/${f.commit}/${f.source.split('/').map(encodeURIComponent).join('/')}`;
  try {
    const res = await fetch(url, { redirect: 'follow' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const got = sha256(bytes);
    if (got !== f.sha256) throw new Error(`sha256 ${got}, expected ${f.sha256}`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, bytes);
    console.error(`corpus: ${f.path} (${bytes.length} bytes)`);
  } catch (e) {
    failures.push(`${f.path} from ${url}: ${e.message}`);
  }
}
if (failures.length) {
  console.error(`corpus: ${failures.length} file(s) could not be fetched:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.error(`corpus: ${FILES.length} files in ${target}`);
