#!/usr/bin/env node
// Scoring benchmark, fhirpath.js side. benchmarks/bench_scoring.py starts it once and sends it
// one JSON line per request on stdin; it answers each with one JSON line on stdout.
//
//   {"instruments": {"<id>": [["variable"|"score"|"flag", name, expression], ...]}}
//       -> {"ok": true}            (compiles every expression, in both number modes)
//   {"input": "chunk.jsonl", "output": "scores.jsonl", "native": false}
//       -> {"responses": n, "errors": e, "ns": total}
//
// Each input line is ["<instrument id>", {QuestionnaireResponse}]. For each response it
// evaluates the instrument's expressions in order, as Koers's scoring does (each variable
// visible to later expressions as %name, %resource = the response), timing only that (not
// reading or parsing the line), and writes [{score name: [result]}, [flags], nanoseconds] to the
// output. Decimal arithmetic is fhirpath.js's preciseMath (decimal.js) unless "native" is true
// (JavaScript numbers, fhirpath.js's default).
'use strict';

const fs = require('fs');
const readline = require('readline');
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');

let instruments = null;
const compiled = {precise: {}, native: {}};

function steps(id, native) {
  const mode = native ? 'native' : 'precise';
  if (!compiled[mode][id]) {
    compiled[mode][id] = instruments[id].map(([kind, name, expression]) => [
      kind, name, fhirpath.compile(expression, r4, {preciseMath: !native, keepDecimalTypes: true}),
    ]);
  }
  return compiled[mode][id];
}

function encode(value) {
  if (value instanceof fhirpath.FP_Decimal || typeof value === 'bigint') {
    return {$decimal: value.toString()};
  }
  return value;
}

async function runChunk({input, output, native}) {
  const rl = readline.createInterface({input: fs.createReadStream(input), crlfDelay: Infinity});
  const out = fs.createWriteStream(output);
  let responses = 0;
  let errors = 0;
  let total = 0n;
  let buffer = [];
  for await (const line of rl) {
    if (!line) {
      continue;
    }
    const [id, resource] = JSON.parse(line);
    const evaluators = steps(id, native);
    const scores = {};
    const flags = [];
    let failed = null;
    const start = process.hrtime.bigint();
    try {
      const env = {resource};
      for (const [kind, name, fn] of evaluators) {
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
    const ns = process.hrtime.bigint() - start;
    total += ns;
    responses += 1;
    if (failed) {
      errors += 1;
      buffer.push(JSON.stringify({error: failed, ns: Number(ns)}));
    } else {
      const encoded = {};
      for (const [name, result] of Object.entries(scores)) {
        encoded[name] = result.map(encode);
      }
      buffer.push(JSON.stringify([encoded, flags, Number(ns)]));
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
  return {responses, errors, ns: Number(total)};
}

async function main() {
  const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
  for await (const line of rl) {
    if (!line.trim()) {
      continue;
    }
    const request = JSON.parse(line);
    let answer;
    try {
      if (request.instruments) {
        instruments = request.instruments;
        for (const id of Object.keys(instruments)) {
          steps(id, false);
          steps(id, true);
        }
        answer = {ok: true, fhirpath: fhirpath.version, node: process.version};
      } else {
        answer = await runChunk(request);
      }
    } catch (error) {
      answer = {error: String(error && error.stack || error)};
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
