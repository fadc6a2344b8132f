import { describe, expect, it } from 'vitest';
import type { Message } from '../api/types';
import { threadView } from './answer-versions';

const message = (id: string, role: Message['role'], replaces?: string): Message => ({ id, role, content: id, timestamp: '', ...(replaces && { replaces }) });

describe('threadView', () => {
  it('shows each answer once, at its first version’s place, the newest unless another is chosen', () => {
    const messages = [message('q1', 'user'), message('a1', 'assistant'), message('q2', 'user'), message('b1', 'assistant'), message('a2', 'assistant', 'a1')];
    const newest = threadView(messages);
    expect(newest.shown.map((shown) => shown.id)).toEqual(['q1', 'a2', 'q2', 'b1']);
    expect(newest.versions.get('a2')).toEqual({ position: 2, count: 2, root: 'a1' });
    expect(newest.versions.has('b1')).toBe(false);
    expect(threadView(messages, { a1: 0 }).shown.map((shown) => shown.id)).toEqual(['q1', 'a1', 'q2', 'b1']);
    // An index out of range (a version gone meanwhile) shows the nearest one.
    expect(threadView(messages, { a1: 7 }).shown[1]?.id).toBe('a2');
  });

  it('lets a version whose first one is on an older page, not loaded, stand on its own', () => {
    const { shown, versions } = threadView([message('q1', 'user'), message('a3', 'assistant', 'a2')]);
    expect(shown.map((item) => item.id)).toEqual(['q1', 'a3']);
    expect(versions.size).toBe(0);
  });
});
