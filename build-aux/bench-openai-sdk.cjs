// bench-openai-sdk.cjs
//
// Copyright 2026 The Natter authors
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The official OpenAI Node SDK reading one streamed chat completion, for
// build-aux/bench-stream.sh: node bench-openai-sdk.cjs BASE_URL
// Prints "<content chunks> <content characters>".

const mod = require('openai');
const OpenAI = mod.default || mod.OpenAI || mod;

async function main () {
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: process.argv[2], maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model: 'gpt-bench',
    messages: [{ role: 'user', content: 'Benchmark' }],
    stream: true,
  });
  let chunks = 0;
  let chars = 0;
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta?.content;
    if (content) {
      chunks++;
      chars += content.length;
    }
  }
  console.log(chunks, chars);
}

main().catch((e) => { console.error(e.message); process.exit(1); });
