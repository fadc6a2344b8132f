import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** The README's "Use the domain in-process" example keeps working: it is run as a user would. */
describe('npm run example', () => {
  it('uploads a file and chats twice with the offline model, with no server and no AWS', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/in-process-chat.ts'], {
      timeout: 30_000,
    });
    expect(stdout).toContain('Uploaded notes.md: 40 characters, ready');
    expect(stdout).toContain('You asked: “When do I leave?”');
    expect(stdout).toContain('notes.md (40 B, 40 characters)');
    expect(stdout).toContain('I can see 2 earlier messages');
    expect(stdout).toContain('Stored conversation "When do I leave?" with 4 messages.');
  });
});
