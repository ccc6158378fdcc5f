#!/usr/bin/env node
// Scoring benchmark, fhirpath.js side (benchmarks/bench_scoring.py drives it).
//
//   node bench.js RESPONSES.jsonl SCORES_OUT.jsonl [--native]
//
// RESPONSES.jsonl: first line {"instruments": {"<id>": [["variable"|"score"|"flag", name, expression], ...]}},
// then one line per response: ["<instrument id>", {QuestionnaireResponse}].
// For each response it evaluates the instrument's expressions in order, as Koers's scoring does
// (each variable visible to later expressions as %name, %resource = the response), timing only
// the evaluation (not reading or parsing the line). It writes one line per response to
// SCORES_OUT: [{score name: [result]}, [flags]], and prints a JSON summary on stdout.
// Decimal arithmetic is fhirpath.js's preciseMath (decimal.js) unless --native is given.
'use strict';

const fs = require('fs');
const readline = require('readline');
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');

const [input, output] = process.argv.slice(2, 4);
const native = process.argv.includes('--native');
if (!input || !output) {
  console.error('usage: node bench.js RESPONSES.jsonl SCORES_OUT.jsonl [--native]');
  process.exit(2);
}

function encode(value) {
  if (value instanceof fhirpath.FP_Decimal) {
    return {$decimal: value.toString()};
  }
  if (typeof value === 'bigint') {
    return {$decimal: value.toString()};
  }
  return value;
}

async function main() {
  const rl = readline.createInterface({input: fs.createReadStream(input), crlfDelay: Infinity});
  const out = fs.createWriteStream(output);
  let instruments = null;
  const durations = [];
  let errors = 0;
  let buffer = [];
  for await (const line of rl) {
    if (!line) {
      continue;
    }
    const parsed = JSON.parse(line);
    if (instruments === null) {
      instruments = {};
      for (const [id, steps] of Object.entries(parsed.instruments)) {
        instruments[id] = steps.map(([kind, name, expression]) => [
          kind, name, fhirpath.compile(expression, r4, {preciseMath: !native, keepDecimalTypes: true}),
        ]);
      }
      continue;
    }
    const [id, resource] = parsed;
    const steps = instruments[id];
    const scores = {};
    const flags = [];
    let failed = null;
    const start = process.hrtime.bigint();
    try {
      const env = {resource};
      for (const [kind, name, fn] of steps) {
        const result = fn(resource, env);
        if (kind === 'variable') {
          env[name] = result;
        } else if (kind === 'score') {
          scores[name] = result;
        } else if (result.length && result[0] === true) {
          flags.push(name);
        }
      }
    } catch (error) {
      failed = String(error && error.message || error);
    }
    durations.push(Number(process.hrtime.bigint() - start));
    if (failed) {
      errors += 1;
      buffer.push(JSON.stringify({error: failed}));
    } else {
      const encoded = {};
      for (const [name, result] of Object.entries(scores)) {
        encoded[name] = result.map(encode);
      }
      buffer.push(JSON.stringify([encoded, flags]));
    }
    if (buffer.length >= 4096) {
      if (!out.write(buffer.join('\n') + '\n')) {
        await new Promise((resolve) => out.once('drain', resolve));
      }
      buffer = [];
    }
  }
  if (buffer.length) {
    out.write(buffer.join('\n') + '\n');
  }
  await new Promise((resolve) => out.end(resolve));
  const sorted = Float64Array.from(durations).sort();
  const total = durations.reduce((a, b) => a + b, 0);
  const pick = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
  console.log(JSON.stringify({
    engine: 'fhirpath.js ' + fhirpath.version + (native ? ' (native numbers)' : ' (preciseMath)'),
    node: process.version,
    responses: durations.length,
    errors,
    seconds: total / 1e9,
    per_second: durations.length / (total / 1e9),
    p50_us: pick(0.5) / 1e3,
    p95_us: pick(0.95) / 1e3,
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
