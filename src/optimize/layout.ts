// What the DLM reads before the prompt it rewrites: the interaction traces (worst first, since they
// say what to fix) and the best earlier prompts (GPO's trajectory as momentum), as plain labelled
// text cut to fit the model's window. Plain text, because a small model trained on English prose
// reads "Feedback:" better than structure tokens it never saw in training.
import type { TextCodec } from '../model/tokenizer';

export interface Trace {
  query: string;
  response: string;
  score?: number;
  feedback?: string;
}

export interface PastPrompt {
  prompt: string;
  score: number;
}

/** Token caps per field, so that one long trace cannot crowd out the others. */
const caps = { query: 40, response: 32, feedback: 40, pastPrompt: 64 };
const promptHeader = '\nImproved instructions:\n';

/**
 * Token ids of the context, at most `room` tokens: as many traces as fit (lowest score first), then
 * past prompts, then the header that introduces the prompt being rewritten.
 */
export function contextIds(traces: readonly Trace[], past: readonly PastPrompt[], room: number, codec: TextCodec): number[] {
  const header = codec.encode(promptHeader);
  let free = room - header.length;
  const blocks: number[][] = [];
  const add = (ids: number[]) => {
    if (ids.length > free) return false;
    blocks.push(ids);
    free -= ids.length;
    return true;
  };
  const ordered = [...traces].sort((a, b) => (a.score ?? 0) - (b.score ?? 0));
  for (const trace of ordered) {
    const ids = [
      ...field(codec, 'Query: ', trace.query, caps.query),
      ...field(codec, '\nAnswer: ', trace.response, caps.response),
      ...(trace.score === undefined ? [] : codec.encode(`\nScore: ${trace.score.toFixed(2)}`)),
      ...(trace.feedback ? field(codec, '\nFeedback: ', trace.feedback, caps.feedback) : []),
      ...codec.encode('\n\n'),
    ];
    if (!add(ids)) break;
  }
  for (const entry of past) {
    if (!add([...field(codec, `Instructions that scored ${entry.score.toFixed(2)}: `, entry.prompt, caps.pastPrompt), ...codec.encode('\n')])) break;
  }
  return free >= 0 ? [...blocks.flat(), ...header] : [];
}

function field(codec: TextCodec, label: string, text: string, cap: number): number[] {
  const ids = codec.encode(text.trim());
  return [...codec.encode(label), ...(ids.length > cap ? [...ids.slice(0, cap), ...codec.encode('…')] : ids)];
}
