// Text <-> canvas for infilling, over the transformers.js tokenizer engine (@huggingface/tokenizers,
// which reads tokenizer.json exactly as transformers.js does, without pulling in a second ONNX Runtime).
// "[MASK]" in the user's text marks one masked position each, whatever the model's own mask token is.
import { Tokenizer } from '@huggingface/tokenizers';
import { buildCanvas, PositionState, type Canvas, type CanvasSegment } from '../core/canvas';
import { NoMaskError } from '../core/errors';
import { ModelFileError, TextTooLongError } from './errors';
import { MASK_MARKER } from './mask-marker';
import type { ModelPackage } from './package';

export class TextCodec {
  readonly maskId: number;
  readonly maxLength: number;
  /** Ids the decoder must never write: padding, the mask itself, structure and other special tokens, [unusedN] placeholders. */
  readonly specialIds: Int32Array;
  readonly #tokenizer: Tokenizer;
  /** Special tokens the model was trained to see around a text (e.g. <s> ... </s> or [CLS] ... [SEP]). */
  readonly prefix: readonly number[];
  readonly suffix: readonly number[];

  constructor(model: ModelPackage) {
    this.#tokenizer = readTokenizer(model);
    const maskToken = tokenContent(model.tokenizerConfig.mask_token);
    const maskId = maskToken === undefined ? undefined : this.#tokenizer.token_to_id(maskToken);
    if (maskId === undefined) {
      throw new ModelFileError(
        `${model.source}/tokenizer_config.json`,
        'names no mask token',
        'Only masked language models can denoise: use a model whose tokenizer has a mask_token.',
      );
    }
    this.maskId = maskId;
    this.maxLength = maxLengthOf(model);
    checkVocabulary(this.#tokenizer, model);
    this.specialIds = idsNeverWritten(this.#tokenizer, maskId, model.config.vocab_size);
    // Find where the tokenizer's post-processor puts its special tokens by wrapping a known probe.
    const probe = this.encode('a');
    const wrapped = this.#tokenizer.encode('a', { add_special_tokens: true }).ids;
    const at = indexOfRun(wrapped, probe);
    this.prefix = wrapped.slice(0, at);
    this.suffix = wrapped.slice(at + probe.length);
  }

  /** Lays out `text` as a canvas: its words are context, each [MASK] a masked position. */
  encodeInfill(text: string): Canvas {
    const pieces = text.split(MASK_MARKER);
    if (pieces.length === 1) throw new NoMaskError();
    const segments: CanvasSegment[] = [];
    pieces.forEach((piece, i) => {
      const isLast = i === pieces.length - 1;
      // Byte-level and sentencepiece vocabularies carry a word's leading space inside its token, so
      // the space before a mask belongs to the token the model will write there.
      const body = !isLast && piece.endsWith(' ') ? piece.slice(0, -1) : piece;
      if (body.length > 0) segments.push({ state: PositionState.context, ids: this.encode(body) });
      if (!isLast) segments.push({ state: PositionState.masked, length: 1 });
    });
    const canvas = this.frame(segments);
    if (canvas.ids.length > this.maxLength) throw new TextTooLongError(canvas.ids.length, this.maxLength);
    return canvas;
  }

  /** Positions a canvas has between the special tokens around it. */
  get room(): number {
    return this.maxLength - this.prefix.length - this.suffix.length;
  }

  /** A canvas of these segments inside the special tokens the model was trained to see around a text (locked). */
  frame(segments: readonly CanvasSegment[]): Canvas {
    return buildCanvas([{ state: PositionState.locked, ids: this.prefix }, ...segments, { state: PositionState.locked, ids: this.suffix }], this.maskId);
  }

  /**
   * A long text as model inputs: windows of at most maxLength tokens, each wrapped in the special
   * tokens the model was trained with; the text's tokens are ids[start, start + length).
   */
  windows(text: string): { ids: Int32Array; start: number; length: number }[] {
    const body = this.encode(text);
    const windows: { ids: Int32Array; start: number; length: number }[] = [];
    for (let at = 0; at < body.length; at += this.room) {
      const slice = body.slice(at, at + this.room);
      windows.push({ ids: this.frame([{ state: PositionState.context, ids: slice }]).ids, start: this.prefix.length, length: slice.length });
    }
    return windows;
  }

  /** The text of a canvas, without the special tokens around it. */
  decodeText(ids: Int32Array): string {
    return this.#tokenizer.decode(Array.from(ids), { skip_special_tokens: true, clean_up_tokenization_spaces: false });
  }

  /** One token as text (with its leading space, if it has one), for traces and the teaching view. */
  /** Whether a word's token carries its leading space (byte-level BPE " the"), or spaces fall between tokens (WordPiece). */
  get wordsCarrySpaces(): boolean {
    const ids = this.encode(' the');
    return ids.length > 0 && /^\s/.test(this.tokenText(ids[ids.length - 1]));
  }

  tokenText(id: number): string {
    return this.#tokenizer.decode([id], { skip_special_tokens: false, clean_up_tokenization_spaces: false });
  }

  /** Token ids of a text, without special tokens. */
  encode(text: string): number[] {
    return this.#tokenizer.encode(text, { add_special_tokens: false }).ids;
  }
}

/**
 * The longest canvas: the config's position table, or the tokenizer's model_max_length where that is
 * smaller. RoBERTa's positions start after its padding id, so roberta-base has 514 positions for 512
 * tokens; a tokenizer with no limit of its own says 1e30.
 */
function maxLengthOf(model: ModelPackage): number {
  const positions = model.config.max_position_embeddings;
  const limit = model.tokenizerConfig.model_max_length;
  return typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? Math.min(positions, limit) : positions;
}

/** BERT's and ModernBERT's reserved placeholders: in BERT's vocabulary, added tokens not marked special in ModernBERT's. */
const placeholderToken = /^\[unused\d+\]$/;

/**
 * Ids the decoder must never write, from the tokenizer's files: the mask, every special added token,
 * every [unusedN] placeholder (never trained, never text), and any output row the vocabulary has no
 * token for (a model whose output is wider than its tokenizer).
 */
/** The tokenizer.json as @huggingface/tokenizers reads it, or an error that says what it could not read. */
function readTokenizer(model: ModelPackage): Tokenizer {
  try {
    return new Tokenizer(model.tokenizerJson as object, model.tokenizerConfig);
  } catch (error) {
    throw new ModelFileError(
      `${model.source}/tokenizer.json`,
      `describes a tokenizer Remask cannot read (${(error as Error).message})`,
      'Remask reads tokenizer.json as transformers.js does (WordPiece, BPE or Unigram with the usual normalizers and pre-tokenizers): save it again with a recent `tokenizers` library, or use a model whose tokenizer is one of those.',
    );
  }
}

/** A token the model has no output row for could be read but never written, and its id would break the graph. */
function checkVocabulary(tokenizer: Tokenizer, model: ModelPackage): void {
  let largest = -1;
  for (const id of tokenizer.get_vocab(true).values()) largest = Math.max(largest, id);
  if (largest >= model.config.vocab_size) {
    throw new ModelFileError(
      `${model.source}/config.json`,
      `says vocab_size ${model.config.vocab_size}, but tokenizer.json has token ids up to ${largest}`,
      'The tokenizer and the weights come from different models: use the tokenizer files exported with these weights.',
    );
  }
}

function idsNeverWritten(tokenizer: Tokenizer, maskId: number, vocabSize: number): Int32Array {
  const ids = new Set([maskId]);
  for (const [id, token] of tokenizer.get_added_tokens_decoder()) if (token.special) ids.add(id);
  for (let id = 0; id < vocabSize; id++) {
    const token = tokenizer.id_to_token(id);
    if (token === undefined || placeholderToken.test(token)) ids.add(id);
  }
  return Int32Array.from(ids).sort();
}

/** tokenizer_config.json names special tokens as a string or as an AddedToken object. */
function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return undefined;
}

function indexOfRun(haystack: number[], needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return 0;
}
