import { parseChatCompletion } from './openai-request';

describe('OpenAI chat-completions request', () => {
  it('takes the last user message as input, earlier turns as history and system messages as context', () => {
    const parsed = parseChatCompletion({
      model: 'helper@prod',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'done' },
        { role: 'user', content: 'And now?' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
      top_p: 0.9, // ignored, not refused
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        model: 'helper@prod',
        input: 'And now?',
        context: 'Be brief.',
        history: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }] },
          { role: 'tool', content: 'done', toolCallId: 'c1' },
        ],
        stream: true,
        includeUsage: true,
        maxTokens: 50,
      },
    });
  });

  it('refuses what it cannot run, naming the field', () => {
    expect(
      parseChatCompletion({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    ).toMatchObject({ ok: false, field: 'model' });
    expect(parseChatCompletion({ model: 'a_b.v1', messages: [] })).toMatchObject({
      ok: false,
      field: 'messages',
    });
    expect(
      parseChatCompletion({ model: 'a_b.v1', messages: [{ role: 'assistant', content: 'x' }] }),
    ).toMatchObject({
      ok: false,
      reason: 'the last message must be from the user',
    });
    expect(
      parseChatCompletion({ model: 'a_b.v1', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }),
    ).toMatchObject({
      ok: false,
      field: 'max_tokens',
    });
    expect(
      parseChatCompletion({ model: 'a_b.v1', messages: [{ role: 'wizard', content: 'x' }] }),
    ).toMatchObject({
      ok: false,
      field: 'messages[0].role',
    });
  });

  it('refuses tools defined by the client (a persona has its own bundle), and lets an empty list pass', () => {
    const messages = [{ role: 'user', content: 'x' }];
    const tool = { type: 'function', function: { name: 'shell', parameters: { type: 'object' } } };
    expect(parseChatCompletion({ model: 'a_b.v1', messages, tools: [tool] })).toMatchObject({
      ok: false,
      field: 'tools',
      reason: expect.stringContaining('signed tool bundle'),
    });
    expect(parseChatCompletion({ model: 'a_b.v1', messages, tools: { shell: tool } })).toMatchObject({
      ok: false,
      field: 'tools',
    });
    expect(parseChatCompletion({ model: 'a_b.v1', messages, functions: [tool.function] })).toMatchObject({
      ok: false,
      field: 'functions',
    });
    expect(parseChatCompletion({ model: 'a_b.v1', messages, tools: [], tool_choice: 'none' })).toMatchObject({
      ok: true,
    });
  });
});
