#!/usr/bin/env python3
# tests/fuzz/make-seeds.py
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/TARGET/:
# real-looking wire data of every dialect, SillyTavern chats, templates,
# lorebooks and CHARX archives, plus inputs over 16 KB and deeply nested
# ones. The first byte of an input picks what the target does with the
# rest (see each fuzz-*.c). Run it again after changing a format; the files
# are kept in the repository.
import io, json, os, sys, zipfile

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')

def write(target, name, data):
    d = os.path.join(root, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode('utf-8', 'surrogateescape')
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)

def deep(n):
    return '{"a":' * n + '1' + '}' * n

def sse(events):
    return ''.join('data: %s\n\n' % json.dumps(e) for e in events)

big_text = 'The quick brown fox jumps over the lazy dog. ' * 500   # ~22 KB

# ---- framers: byte 0 even = SSE, odd = NDJSON; (byte0 >> 1) + 1 = read size
openai = [{"choices": [{"index": 0, "delta": {"content": "Hel"}}]},
          {"choices": [{"index": 0, "delta": {"content": "lo \u00e9"}, "finish_reason": "stop"}]}]
write('framers', 'sse-small', bytes([6]) + (': ping\r\nevent: message\r\nid: 1\r\n' + sse(openai) + 'data: [DONE]\n\n').encode())
write('framers', 'sse-multiline', bytes([0]) + b'data: line one\ndata: line two\nretry: 10\n\n\xef\xbb\xbfdata: x\r\r')
write('framers', 'sse-big', bytes([254]) + ('data: ' + json.dumps({"t": big_text}) + '\n\n').encode())
write('framers', 'ndjson-small', bytes([3]) + b'{"message":{"content":"Hi"},"done":false}\r\n{"done":true}\n')
write('framers', 'ndjson-big', bytes([255]) + (json.dumps({"t": big_text}) + '\n').encode() * 2)
write('framers', 'utf8-split', bytes([1]) + b'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xff\xfe \xed\xa0\x80\n')

# ---- dialects: byte 0 = dialect index << 2 | parser (0 events, 1 response, 2 models, 3 error body)
D = {'openai-chat': 0, 'openai-text': 1, 'anthropic': 2, 'gemini': 3, 'ollama': 4,
     'kobold': 5, 'llamacpp': 6, 'cohere': 7}

def dseed(name, dialect, kind, text):
    write('dialects', name, bytes([D[dialect] << 2 | kind]) + text.encode('utf-8', 'surrogateescape'))

def events(evs):
    return '\n\n'.join(evs)

dseed('openai-events', 'openai-chat', 0, events([json.dumps(e) for e in openai] + [
    json.dumps({"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 1e300, "id": "c", "function": {"name": "f", "arguments": "{"}}]}}]}),
    json.dumps({"choices": [], "usage": {"prompt_tokens": 1e308, "completion_tokens": -5}}), '[DONE]']))
dseed('openai-response', 'openai-chat', 1, json.dumps({"choices": [{"message": {"content": big_text, "reasoning_content": "hm"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 3, "completion_tokens": 4}}))
dseed('openai-models', 'openai-chat', 2, json.dumps({"object": "list", "data": [{"id": "gpt-%d" % i, "context_length": 1e30} for i in range(400)]}))
dseed('openai-error', 'openai-chat', 3, json.dumps({"error": {"message": "Invalid key", "type": "invalid_request_error", "code": 401}}))
dseed('openai-text-events', 'openai-text', 0, events([json.dumps({"choices": [{"text": "Hi", "index": 0}]}), '[DONE]']))
dseed('anthropic-events', 'anthropic', 0, events([
    'message_start\n' + json.dumps({"type": "message_start", "message": {"usage": {"input_tokens": 10}}}),
    'content_block_start\n' + json.dumps({"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}}),
    'content_block_delta\n' + json.dumps({"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "Hm"}}),
    'content_block_delta\n' + json.dumps({"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "Hi"}}),
    'content_block_start\n' + json.dumps({"type": "content_block_start", "index": 9e99, "content_block": {"type": "tool_use", "id": "t", "name": "f"}}),
    'message_delta\n' + json.dumps({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 3}}),
    'error\n' + json.dumps({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
    'message_stop\n' + json.dumps({"type": "message_stop"})]))
dseed('anthropic-response', 'anthropic', 1, json.dumps({"content": [{"type": "text", "text": "Hi"}, {"type": "thinking", "thinking": "x"}], "stop_reason": "end_turn", "usage": {"input_tokens": 1, "output_tokens": 2}}))
dseed('anthropic-models', 'anthropic', 2, json.dumps({"data": [{"type": "model", "id": "claude-a", "display_name": "A"}], "has_more": True, "last_id": "claude-a"}))
dseed('gemini-events', 'gemini', 0, events([json.dumps({"candidates": [{"content": {"parts": [{"text": "Hi", "thought": True}, {"text": "there"}]}, "finishReason": "STOP"}], "usageMetadata": {"promptTokenCount": 2, "candidatesTokenCount": 1e19}})]))
dseed('gemini-models', 'gemini', 2, json.dumps({"models": [{"name": "models/gemini-x", "displayName": "X", "inputTokenLimit": 1e40, "supportedGenerationMethods": ["generateContent"]}], "nextPageToken": "t"}))
dseed('gemini-error', 'gemini', 3, json.dumps([{"error": {"code": 429, "message": "Quota", "status": "RESOURCE_EXHAUSTED"}}]))
dseed('ollama-events', 'ollama', 0, events([json.dumps({"message": {"role": "assistant", "content": "Hi", "thinking": "x"}, "done": False}), json.dumps({"done": True, "done_reason": "stop", "prompt_eval_count": 3, "eval_count": 4})]))
dseed('ollama-models', 'ollama', 2, json.dumps({"models": [{"name": "llama3:8b", "model": "llama3:8b"}]}))
dseed('kobold-events', 'kobold', 0, events(['message\n' + json.dumps({"token": "Hi", "finish_reason": None}), 'message\n' + json.dumps({"token": "", "finish_reason": "stop"})]))
dseed('kobold-response', 'kobold', 1, json.dumps({"results": [{"text": "Hi", "finish_reason": "length"}]}))
dseed('llamacpp-events', 'llamacpp', 0, events([json.dumps({"content": "Hi", "stop": False}), json.dumps({"content": "", "stop": True, "stop_type": "eos", "timings": {"prompt_n": 3, "predicted_n": 1e300}})]))
dseed('cohere-events', 'cohere', 0, events([
    'message-start\n' + json.dumps({"type": "message-start", "id": "x"}),
    'content-delta\n' + json.dumps({"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": "Hi"}}}}),
    'tool-call-start\n' + json.dumps({"type": "tool-call-start", "index": 1e20, "delta": {"message": {"tool_calls": {"id": "t", "function": {"name": "f", "arguments": ""}}}}}),
    'message-end\n' + json.dumps({"type": "message-end", "delta": {"finish_reason": "COMPLETE", "usage": {"tokens": {"input_tokens": 1, "output_tokens": 2}}}})]))
dseed('cohere-models', 'cohere', 2, json.dumps({"models": [{"name": "command-r", "context_length": 128000}], "next_page_token": "n"}))
for dialect in D:
    dseed(dialect + '-deep-error', dialect, 3, deep(5000))
    dseed(dialect + '-deep-response', dialect, 1, '[' * 3000 + ']' * 3000)
# Members of the wrong type where a string is expected (once a GLib critical).
dseed('anthropic-models-types', 'anthropic', 2, json.dumps({"data": [{"id": {}, "display_name": []}, {"id": "a", "display_name": {}}], "has_more": {}, "last_id": []}))
dseed('gemini-models-types', 'gemini', 2, json.dumps({"models": [{"name": {}, "displayName": []}], "nextPageToken": {}}))
dseed('cohere-models-types', 'cohere', 2, json.dumps({"models": [{"name": [], "context_length": "x"}], "next_page_token": {}}))
dseed('ollama-models-types', 'ollama', 2, json.dumps({"models": [{"name": {}, "model": []}]}))
dseed('kobold-models-types', 'kobold', 2, json.dumps({"result": []}))
dseed('big-error-html', 'openai-chat', 3, '<html><body>' + big_text + '</body></html>')
dseed('error-invalid-utf8', 'openai-chat', 3, '{"error":{"message":"bad \udcff\udcfe bytes"}}')

# ---- prompt: byte 0 & 3: 0 instruct/context JSON \0 text, 1 story string, 2 macros, 3 lorebook \0 chat
instruct = {"name": "Test", "input_sequence": "<|user|>\n", "output_sequence": "<|assistant|>\n",
            "system_sequence": "<|system|>\n", "stop_sequence": "<|end|>", "wrap": True, "macro": True,
            "names_behavior": "always", "sequences_as_stop_strings": True, "first_output_sequence": "{{char}}:",
            "story_string": "{{#if system}}{{system}}\n{{/if}}{{#if description}}{{description}}{{/if}}{{trim}}",
            "example_separator": "***", "chat_start": "Start", "use_stop_strings": True}
write('prompt', 'instruct', bytes([0]) + json.dumps(instruct).encode() + b'\0Hi {{user}}')
write('prompt', 'instruct-types', bytes([0]) + json.dumps({"names": {}, "names_force_groups": [], "input_sequence": 1}).encode() + b'\0x')
write('prompt', 'instruct-deep', bytes([0]) + deep(3000).encode())
write('prompt', 'story', bytes([1]) + b'{{#if system}}{{system}}{{else}}none{{/if}}\n{{#if persona}}{{persona}}{{/if}}{{trim}}\n{{wiBefore}}{{description}}{{mesExamples}}')
write('prompt', 'story-nested', bytes([1]) + (b'{{#if system}}' * 400 + b'x' + b'{{/if}}' * 400))
write('prompt', 'macros', bytes([2]) + b'{{user}} {{char}} {{random:a,b,c}} {{roll:1d20}} {{time}} {{date}} {{idle_duration}} {{pick::x::y}} {{// note}} {{trim}} {{newline}} {{noop}}')
write('prompt', 'macros-big', bytes([2]) + ('{{user}} and {{char}} ' * 1000).encode())
book = {"entries": {str(i): {"uid": i, "key": ["dragon", "/dra+gon/i"], "keysecondary": ["fire"], "selective": True,
                             "selectiveLogic": i % 4, "content": "Entry %d about dragons and fire" % i, "constant": i == 0,
                             "order": i, "position": i % 2, "disable": False, "excludeRecursion": False}
                    for i in range(8)}, "recursive_scanning": True, "scan_depth": 4, "token_budget": 50}
write('prompt', 'lorebook', bytes([3]) + json.dumps(book).encode() + b'\0The dragon breathes fire\nA second line')
redos = {"entries": {str(i): {"uid": i, "key": ["/(a+)+$/"], "content": "x"} for i in range(30)}}
write('prompt', 'lorebook-redos', bytes([3]) + json.dumps(redos).encode() + b'\0' + b'a' * 40 + b'!')
write('prompt', 'lorebook-deep', bytes([3]) + deep(4000).encode() + b'\0x')

# ---- st-chat: the JSONL itself
header = {"user_name": "You", "character_name": "Bot", "create_date": "2024-01-01@12h00m00s", "chat_metadata": {"note": "n"}}
msgs = [{"name": "You", "is_user": True, "is_system": False, "send_date": "October 21, 2023 2:32pm", "mes": "Hi", "extra": {}},
        {"name": "Bot", "is_user": False, "send_date": 1700000000000, "mes": "Hello", "swipes": ["Hello", "Hey"], "swipe_id": 1,
         "swipe_info": [{"send_date": "2023-10-21T14:32:00.000Z", "extra": {"reasoning": "r"}}, {"send_date": 1e300}],
         "extra": {"reasoning": "think", "model": "m"}}]
write('st-chat', 'chat', '\n'.join(json.dumps(x) for x in [header] + msgs) + '\n')
write('st-chat', 'chat-big', '\n'.join(json.dumps(x) for x in [header] + [dict(msgs[1], mes=big_text)] * 2) + '\n')
write('st-chat', 'chat-deep', json.dumps(header) + '\n' + '{"mes":"x","extra":' + deep(3000) + '}\n')
write('st-chat', 'chat-bom-crlf', '\ufeff' + '\r\n'.join(json.dumps(x) for x in [header] + msgs))

# ---- charx: zip archives
def charx(name, files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        for n, d in files:
            z.writestr(n, d)
    write('charx', name, buf.getvalue())

v3 = {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "Cy", "description": big_text,
      "assets": [{"type": "icon", "uri": "embeded://assets/icon/images/main.png", "name": "main", "ext": "png"}],
      "character_book": book}}
charx('card', [('card.json', json.dumps(v3)), ('assets/icon/images/main.png', b'\x89PNG\r\n\x1a\n')])
charx('card-deep', [('card.json', '{"spec":"chara_card_v3","data":' + deep(3000) + '}')])
charx('crowded', [('x/%d' % i, b'') for i in range(300)] + [('card.json', json.dumps(v3))])

# ---- card: big and deep
write('card', 'v2-deep.json', '{"spec":"chara_card_v2","data":' + deep(3000) + '}')
write('card', 'v2-big.json', json.dumps({"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "B", "description": big_text}}))
# ---- mcp: byte 0 even = JSON-RPC message(s), odd = an {"mcpServers"} file
def mseed(name, kind, text):
    write('mcp', name, bytes([kind]) + text.encode())

mseed('init-result', 0, json.dumps({"jsonrpc": "2.0", "id": 1, "result": {"protocolVersion": "2025-11-25",
      "capabilities": {"tools": {"listChanged": True}}, "serverInfo": {"name": "s", "version": "1"}}}))
mseed('tools-page', 0, json.dumps({"jsonrpc": "2.0", "id": 2, "result": {"tools": [{"name": "echo",
      "description": "d", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}}],
      "nextCursor": "page-1"}}))
mseed('call-result', 0, json.dumps({"jsonrpc": "2.0", "id": 3, "result": {"content": [{"type": "text", "text": "hi"},
      {"type": "image", "data": "aGk=", "mimeType": "image/png"}], "isError": False, "structuredContent": {"a": 1}}}))
mseed('error', 0, json.dumps({"jsonrpc": "2.0", "id": "x", "error": {"code": -32601, "message": "Method not found"}}))
mseed('batch', 0, json.dumps([{"jsonrpc": "2.0", "method": "notifications/tools/list_changed"},
      {"jsonrpc": "2.0", "id": 9, "method": "ping"}, {"jsonrpc": "2.0", "method": "notifications/cancelled",
      "params": {"requestId": 4, "reason": "timed out"}}]))
mseed('deep', 0, '{"jsonrpc":"2.0","id":1,"result":' + deep(3000) + '}')
mseed('big', 0, json.dumps({"jsonrpc": "2.0", "id": 5, "result": {"content": [{"type": "text", "text": big_text}]}}))
mseed('servers', 1, json.dumps({"mcpServers": {"fs": {"command": "npx", "args": ["-y", "server", "/tmp"]},
      "gh": {"type": "stdio", "command": "gh-mcp", "env": {"GITHUB_TOKEN": "t", "LOG": "info"}},
      "web": {"type": "http", "url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer x"}}}}))
mseed('servers-vscode', 1, json.dumps({"servers": {"w": {"type": "sse", "url": "http://127.0.0.1:3000/sse"}}}))
# ---- dialects: streamed tool calls (put together by the tool assembler) and refusals
def oc(delta, finish=None):
    return json.dumps({"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})

def ae(event, obj):
    return event + '\n' + json.dumps(obj)

dseed('openai-tool-calls', 'openai-chat', 0, events([
    oc({"role": "assistant", "tool_calls": [{"index": 0, "id": "call_a", "type": "function", "function": {"name": "weather__get", "arguments": ""}}]}),
    oc({"tool_calls": [{"index": 0, "function": {"arguments": "{\"ci"}}]}),
    oc({"tool_calls": [{"index": 1, "id": "call_b", "type": "function", "function": {"name": "time__now", "arguments": "{}"}}]}),
    oc({"tool_calls": [{"index": 0, "function": {"arguments": "ty\":\"Oslo\"}"}}]}),
    oc({}, "tool_calls"), '[DONE]']))
dseed('openai-refusal', 'openai-chat', 0, events([oc({"role": "assistant", "refusal": "I can't "}), oc({"refusal": "help."}, "stop"), '[DONE]']))
dseed('anthropic-tool-use', 'anthropic', 0, events([
    ae('content_block_start', {"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use", "id": "toolu_1", "name": "weather__get", "input": {}}}),
    ae('content_block_delta', {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": "{\"city\": \"Os"}}),
    ae('content_block_delta', {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": "lo\"}"}}),
    ae('message_delta', {"type": "message_delta", "delta": {"stop_reason": "tool_use"}}),
    ae('message_stop', {"type": "message_stop"})]))
dseed('gemini-function-calls', 'gemini', 0, events([
    json.dumps({"candidates": [{"content": {"parts": [{"functionCall": {"name": "weather__get", "args": {"city": "Oslo"}}, "thoughtSignature": "c2ln"}], "role": "model"}}]}),
    json.dumps({"candidates": [{"content": {"parts": [{"functionCall": {"name": "time__now", "args": {}}}], "role": "model"}, "finishReason": "STOP"}]})]))
dseed('ollama-tool-calls', 'ollama', 0, events([
    json.dumps({"message": {"role": "assistant", "content": "", "tool_calls": [{"function": {"name": "weather__get", "arguments": {"city": "Oslo"}}}]}, "done": False}),
    json.dumps({"message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop"})]))
dseed('cohere-tool-calls', 'cohere', 0, events([
    json.dumps({"type": "tool-call-start", "index": 0, "delta": {"message": {"tool_calls": {"id": "w1", "type": "function", "function": {"name": "weather__get", "arguments": ""}}}}}),
    json.dumps({"type": "tool-call-delta", "index": 0, "delta": {"message": {"tool_calls": {"function": {"arguments": "{\"city\": \"Oslo\"}"}}}}}),
    json.dumps({"type": "message-end", "delta": {"finish_reason": "TOOL_CALL"}})]))
write('dialects', 'bedrock-tool-use', bytes([10 << 2]) + events([
    ae('contentBlockStart', {"contentBlockIndex": 0, "start": {"toolUse": {"toolUseId": "t1", "name": "weather__get"}}}),
    ae('contentBlockDelta', {"contentBlockIndex": 0, "delta": {"toolUse": {"input": "{\"city\":"}}}),
    ae('contentBlockDelta', {"contentBlockIndex": 0, "delta": {"toolUse": {"input": "\"Oslo\"}"}}}),
    ae('messageStop', {"stopReason": "tool_use"})]).encode())

print('seeds written to', root)
