/**
 * One streamed chat with a running app (`npm start` in a child process), as a browser would have
 * it: sign in locally, `POST /chat` with SSE, and the answer's text read from its delta frames.
 */
export async function chatWithApp(url: string, username: string, message: string): Promise<{ status: number; sse: string; answer: string }> {
  const signIn = await fetch(`${url}/local-auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  const { idToken } = (await signIn.json()) as { idToken: string };
  const chat = await fetch(`${url}/chat`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${idToken}`, Accept: 'text/event-stream', 'Content-Type': 'application/json' },
    body: JSON.stringify({ message }),
  });
  const sse = await chat.text();
  return { status: chat.status, sse, answer: answerOf(sse) };
}

function answerOf(sse: string): string {
  return sse
    .split('\n\n')
    .filter((frame) => frame.split('\n').includes('event: delta'))
    .map((frame) => (JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as { text: string }).text)
    .join('');
}
