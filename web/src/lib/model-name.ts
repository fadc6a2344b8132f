const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const version = (major: string, minor: string | undefined) => (minor === undefined ? major : `${major}.${minor}`);

/**
 * The name people know a model by: Claude ids from Bedrock (with or without a region's inference
 * profile prefix) or from Anthropic's API become "Claude Sonnet 4.5" or "Claude 3.5 Haiku"; any
 * other id (the offline demo model, an OpenAI-compatible server's model) is shown as it is.
 */
export function modelDisplayName(id: string): string {
  // e.g. eu.anthropic.claude-sonnet-4-5-20250929-v1:0, anthropic.claude-3-5-haiku-20241022-v1:0, claude-opus-4-1
  const match = /^(?:[a-z]+\.)?(?:anthropic\.)?claude-(.+?)(?:-\d{8})?(?:-v\d+(?::\d+)?)?(?:-latest)?$/.exec(id);
  if (!match) return id;
  const name = match[1]!;
  const familyFirst = /^(opus|sonnet|haiku)-(\d+)(?:-(\d))?$/.exec(name);
  if (familyFirst) return `Claude ${capitalised(familyFirst[1]!)} ${version(familyFirst[2]!, familyFirst[3])}`;
  const versionFirst = /^(\d+)(?:-(\d))?-(opus|sonnet|haiku)$/.exec(name);
  if (versionFirst) return `Claude ${version(versionFirst[1]!, versionFirst[2])} ${capitalised(versionFirst[3]!)}`;
  return id;
}
