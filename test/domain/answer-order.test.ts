import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/domain/chat-types.js';
import { USER, collect, liveSignal, makeDomain, metaOf } from '../support/domain-builder.js';
import { hangAfter, replyWith } from '../support/fakes.js';

/**
 * The page shows an answer stopped as soon as Stop is pressed and lets the next question go at
 * once, while the instance writing the answer may hear of the Stop seconds later and only then
 * store it. Read again, the conversation is in the order it was shown.
 */
describe('ChatService.send: an answer stored after the next question', () => {
  it('sorts an answer stopped late before the question sent after it', async () => {
    const d = makeDomain();
    d.model.play(hangAfter('Part', ' of it'));
    const stop = new AbortController();
    const first = d.chat.send(USER, { message: 'First question' }, stop.signal)[Symbol.asyncIterator]();
    const seen: ChatEvent[] = [];
    // Its `meta` and first words: the answer is under way, its writer still at it.
    for (let next = await first.next(); !next.done; next = await first.next()) {
      seen.push(next.value);
      if (next.value.type === 'delta') break;
    }
    const { conversationId } = metaOf(seen);

    d.clock.advance(1000);
    d.model.play(replyWith('Second answer'));
    await collect(d.chat.send(USER, { message: 'Second question', conversationId }, liveSignal()));
    // The Stop heard only now: the first answer is stored after the second question and its answer.
    d.clock.advance(1000);
    stop.abort();
    for (let next = await first.next(); !next.done; next = await first.next()) seen.push(next.value);

    const messages = await d.conversations.listMessages(USER, conversationId);
    expect(messages.map((message) => [message.role, message.stopReason ?? null])).toEqual([
      ['user', null],
      ['assistant', 'aborted'],
      ['user', null],
      ['assistant', 'end_turn'],
    ]);
    expect(messages.map((message) => message.content)).toEqual(['First question', expect.stringMatching(/^Part/), 'Second question', 'Second answer']);
  });
});
