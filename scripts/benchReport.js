/*
 * `yarn bench --report FILE`: the suites append each result as a JSON line
 * to a file named by BENCH_RECORD_FILE (see packages/test-utils/src/bench/
 * benchRecord.ts); this module creates that file, marks where each suite
 * begins, and turns the records into one self-contained HTML page: a bar
 * chart of each path's p50 and p95 for ours, the catalog peer and the bare
 * server, where each side's mean request spends its time, then the targets
 * and every result line. No external assets.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const RECORD_FILE_VARIABLE = 'BENCH_RECORD_FILE';

/** Takes `--report FILE` (or `--report=FILE`) out of the arguments. */
function takeReportFlag(argv) {
  const rest = [];
  let reportFile;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--report') {
      reportFile = inline ?? argv[++i];
      if (!reportFile) {
        throw new Error('--report needs a file name');
      }
    } else {
      rest.push(argv[i]);
    }
  }
  return { reportFile, argv: rest };
}

/** Points the suites (through the environment they inherit) at a new record file. */
function startRecording() {
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'immutable-releases-bench-'),
  );
  const file = path.join(dir, 'records.jsonl');
  fs.writeFileSync(file, '');
  process.env[RECORD_FILE_VARIABLE] = file;
  const append = record =>
    fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
  return {
    startSuite(suiteFile) {
      append({ type: 'suite', file: suiteFile });
    },
    writeReport(reportFile, run) {
      const records = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(line => JSON.parse(line));
      fs.writeFileSync(reportFile, renderReport(records, run));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const escape = text =>
  String(text).replace(
    /[&<>"]/g,
    c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]),
  );

/** As the result lines print numbers: three significant digits, whole from 100. */
function formatMeasure(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return String(value ?? '-');
  }
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** A connection string's password is nobody's business in a report. */
const withoutPasswords = text =>
  text.replace(/\/\/([^:/@]+):[^@/]*@/g, '//$1:***@');

const SIDES = [
  { key: 'ours', label: 'ours', color: '#1f5fa8' },
  { key: 'peer', label: 'catalog read (peer)', color: '#c0702a' },
  { key: 'bare', label: 'bare server', color: '#5a8f3c' },
];
const ROW = 18;
const LABEL_WIDTH = 150;
const BAR_WIDTH = 420;

/**
 * One path's bars, on a scale of its own (the paths differ tenfold): the
 * darker part of each bar reaches p50, the lighter part p95.
 */
function latencyChart(record) {
  const sides = SIDES.filter(side => record[side.key]);
  const max = Math.max(...sides.map(side => record[side.key].p95)) || 1;
  const width = x => Math.max(1, (x / max) * BAR_WIDTH);
  const rows = sides
    .map((side, i) => {
      const { p50, p95 } = record[side.key];
      const y = i * ROW;
      return [
        `<text x="0" y="${y + 13}">${escape(side.label)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${width(p95)}" height="${
          ROW - 6
        }" fill="${side.color}" opacity="0.35"/>`,
        `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${width(p50)}" height="${
          ROW - 6
        }" fill="${side.color}"/>`,
        `<text x="${LABEL_WIDTH + width(p95) + 6}" y="${
          y + 13
        }">p50 ${formatMeasure(p50)} · p95 ${formatMeasure(p95)} ms</text>`,
      ].join('');
    })
    .join('');
  return chartFigure({
    path: record.path,
    width: LABEL_WIDTH + BAR_WIDTH + 170,
    rows: sides.length,
    description: 'p50 and p95 in milliseconds',
    svg: rows,
  });
}

/** A path's chart: its name, then its rows of bars as one SVG, then `after`. */
function chartFigure({ path: name, width, rows, description, svg, after }) {
  return `<figure><figcaption>${escape(name)}</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${
    rows * ROW
  }" role="img" aria-label="${escape(`${name}: ${description}`)}">${svg}</svg>${
    after ?? ''
  }</figure>`;
}

const PARTS = [
  { name: 'permission', label: 'permission calls', color: '#8e44ad' },
  { name: 'catalog', label: 'catalog calls', color: '#c0392b' },
  { name: 'other-calls', label: 'other calls', color: '#7f8c8d' },
  { name: 'database', label: 'database statements', color: '#27ae60' },
  {
    name: 'server',
    label:
      'the rest of serving it (HTTP stack, token, validation, code, answer)',
    color: '#2980b9',
  },
  {
    name: 'outside-server',
    label: 'outside the server (client, sockets)',
    color: '#bdc3c7',
  },
];

const msOf = (parts, name) => parts.find(part => part.name === name)?.ms ?? 0;

/**
 * Where one path's mean request spends its time, for each side: one bar
 * each, its parts stacked in the order of PARTS, on the path's own scale.
 */
function timePartsChart(record) {
  const sides = SIDES.filter(side => record[side.key]);
  const max = Math.max(...sides.map(side => record[side.key].total)) || 1;
  const scale = ms => (ms / max) * BAR_WIDTH;
  const rows = sides
    .map((side, i) => {
      const { total, parts, requests } = record[side.key];
      const y = i * ROW;
      let x = LABEL_WIDTH;
      const segments = PARTS.map(part => {
        const ms = msOf(parts, part.name);
        const segment = `<rect x="${x}" y="${y + 3}" width="${scale(
          ms,
        )}" height="${ROW - 6}" fill="${part.color}"><title>${escape(
          part.label,
        )}: ${formatMeasure(ms)} ms</title></rect>`;
        x += scale(ms);
        return segment;
      }).join('');
      return [
        `<text x="0" y="${y + 13}">${escape(side.label)}</text>`,
        segments,
        `<text x="${x + 6}" y="${y + 13}">${formatMeasure(
          total,
        )} ms (mean of ${requests})</text>`,
      ].join('');
    })
    .join('');
  const shares = sides
    .map(side => {
      const { parts } = record[side.key];
      return `${escape(side.label)}: ${PARTS.map(
        part => `${escape(part.name)} ${formatMeasure(msOf(parts, part.name))}`,
      ).join(' · ')} ms`;
    })
    .join('<br>');
  return chartFigure({
    path: record.path,
    width: LABEL_WIDTH + BAR_WIDTH + 190,
    rows: sides.length,
    description: "where the mean request's milliseconds go",
    svg: rows,
    after: `<p class="parts">${shares}</p>`,
  });
}

function verdictOf(record) {
  if (record.type === 'not-measured') {
    return 'not measured (not counted)';
  }
  if (record.type === 'target') {
    return record.holds ? 'pass' : 'fail';
  }
  return record.holds ? 'met' : 'missed';
}

function table(headers, rows) {
  return `<table><thead><tr>${headers
    .map(h => `<th>${escape(h)}</th>`)
    .join('')}</tr></thead><tbody>${rows
    .map(
      row => `<tr>${row.map(cell => `<td>${escape(cell)}</td>`).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

function suiteSection(suite) {
  const of = type => suite.records.filter(record => record.type === type);
  const verdicts = [
    ...of('target'),
    ...of('not-measured'),
    ...of('informational'),
  ];
  const timeParts = of('time-parts');
  return `<section><h2>${escape(suite.file)}</h2>
${of('latencies').map(latencyChart).join('\n')}
${
  timeParts.length > 0
    ? `<h3>Where the time goes: the mean request, in milliseconds</h3>
<p class="legend">${PARTS.map(
        part =>
          `<span style="background:${part.color}"></span>${escape(part.label)}`,
      ).join('')}</p>
<p>Recorded in the backend's process, in one more round of each side after the measured ones: the calls a request made to other plugins over HTTP and the database statements it ran (a millisecond spent on two counts once, for the first in this list), the rest of the time it was served, and the client's time outside it.</p>
${timeParts.map(timePartsChart).join('\n')}`
    : ''
}
${
  verdicts.length > 0
    ? `<h3>Targets (counted) and informational bounds</h3>${table(
        ['line', 'measured', 'condition', 'verdict'],
        verdicts.map(v => [
          `${v.type === 'informational' ? 'info' : 'target'}.${v.name}`,
          v.type === 'not-measured' ? '-' : formatMeasure(v.value),
          v.condition,
          verdictOf(v),
        ]),
      )}`
    : ''
}
<details><summary>Every result line</summary>${table(
    ['line', 'value', 'unit', 'ratio to bare'],
    of('metric').map(m => [
      m.name,
      formatMeasure(m.value),
      m.unit,
      m.ratio === undefined ? '-' : formatMeasure(m.ratio),
    ]),
  )}</details></section>`;
}

function renderReport(records, run) {
  const suites = [];
  for (const record of records) {
    if (record.type === 'suite' || suites.length === 0) {
      suites.push({ file: record.file ?? 'suite', records: [] });
    }
    if (record.type !== 'suite') {
      suites[suites.length - 1].records.push(record);
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>yarn bench: ${run.holding} of ${run.targets} targets hold</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; max-width: 60em; }
figure { margin: 0.6em 0; } figcaption { font-weight: 600; }
svg text { font: 12px system-ui, sans-serif; fill: #222; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
.parts { font-size: 12px; color: #555; margin: 0.2em 0 0.8em; }
.legend span { display: inline-block; width: 1em; height: 0.8em; margin: 0 0.3em 0 1em; }
</style></head><body>
<h1>yarn bench: ${run.holding} of ${run.targets} targets hold</h1>
<p>${escape(run.startedAt)} · ${
    run.args.some(arg => arg.startsWith('--pg')) ||
    process.env.BENCH_POSTGRES_URL
      ? 'PostgreSQL'
      : 'SQLite'
  } · <code>yarn bench ${escape(
    withoutPasswords(run.args.join(' ')),
  )}</code> · node ${escape(process.version)}, ${os.cpus().length} CPUs</p>
<p class="legend">Each bar: dark to p50, light to p95, in milliseconds, on a scale of its path's own.${SIDES.map(
    side =>
      `<span style="background:${side.color}"></span>${escape(side.label)}`,
  ).join('')}</p>
${suites.map(suiteSection).join('\n')}
</body></html>
`;
}

module.exports = { takeReportFlag, startRecording, renderReport };
