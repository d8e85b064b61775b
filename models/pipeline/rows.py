# Feedback-conditioned training rows, laid out the way the optimizer lays out the DLM's input
# (src/optimize/layout.ts): interaction traces, earlier prompts, the header, then the prompt.
# No command of its own: imported by train.py (training and its quick context-use eval) and eval_model.py.
#
# Self-supervised: a documentation paragraph is the prompt; a span of 2-12 tokens of it, on word
# boundaries, is masked, and one trace's Feedback line names it ("the instructions should say ...",
# "mention <its content words>"), among distractor traces whose feedback is generic or absent. An earlier
# prompt, when present, is the paragraph with the span cut out, as an earlier version that lacked it. To
# fill the span well the model must carry what the feedback asks for into the prompt: the skill the
# optimizer needs from it. Context use is measured as top-1 on the span with the feedback present and
# with that one line removed.
import numpy as np

# layout.ts's caps, in tokens, and its labels: the model must see at training what it reads at run time.
CAPS = {"query": 40, "response": 32, "feedback": 40, "past": 64}
HEADER = "\nImproved instructions:\n"
FEEDBACK_NAMING = ("the instructions should say", "mention", "the answer missed that the instructions say", "add")
FEEDBACK_GENERIC = ("correct.", "good answer.", "too long.", "fine, but be more concise.", "the format is right.")
STOPWORDS = set("a an the of to in on at for and or but is are be by with as it its this that these those from "
                "if then than so not no can may will must should you your".split())
PROMPT_TOKENS = (12, 120)  # a prompt paragraph's length; longer ones are cut at this many tokens
SPAN_TOKENS = (2, 12)


class Paragraphs:
    """Instruction paragraphs as token ids: one stream plus offsets, cached next to the text."""

    def __init__(self, encoder, text_path, cache):
        try:
            data = np.load(cache)
            self.ids, self.offsets = data["ids"], data["offsets"]
        except OSError:
            ids, offsets = [], [0]
            with open(text_path, encoding="utf-8") as f:
                for line in f:
                    ids.extend(encoder.encode(line.rstrip("\n")))
                    offsets.append(len(ids))
            self.ids, self.offsets = np.array(ids, dtype=np.uint16), np.array(offsets, dtype=np.int64)
            np.savez(cache, ids=self.ids, offsets=self.offsets)
        lengths = np.diff(self.offsets)
        self.prompts = np.nonzero(lengths >= PROMPT_TOKENS[0])[0]  # paragraphs long enough to be a prompt

    def __len__(self):
        return len(self.offsets) - 1

    def get(self, i, cap=None):
        ids = self.ids[self.offsets[i]:self.offsets[i + 1]].astype(np.int64)
        return ids if cap is None else ids[:cap]


class RowBuilder:
    def __init__(self, encoder, paragraphs, length, seed):
        self.enc, self.par, self.length = encoder, paragraphs, length
        self.rng = np.random.default_rng(seed)
        words = np.zeros(len(encoder.vocab), dtype=bool)
        for token, i in encoder.vocab.items():
            words[i] = token.startswith("\u0120")  # byte-level BPE: a token that starts with a space
        self.word_start = words
        self.text = {}

    def ids(self, text):
        if text not in self.text:
            self.text[text] = np.array(self.enc.encode(text), dtype=np.int64)
        return self.text[text]

    def field(self, label, ids, cap):
        body = ids if len(ids) <= cap else np.concatenate([ids[:cap], self.ids("…")])
        return np.concatenate([self.ids(label), body])

    def other(self):
        return self.par.get(int(self.rng.integers(len(self.par))))

    def trace(self, score, feedback_ids=None):
        parts = [self.field("Query: ", self.other(), CAPS["query"]),
                 self.field("\nAnswer: ", self.other(), CAPS["response"]),
                 self.ids(f"\nScore: {score:.2f}")]
        if feedback_ids is not None:
            parts.append(self.field("\nFeedback: ", feedback_ids, CAPS["feedback"]))
        return np.concatenate(parts + [self.ids("\n\n")])

    def span(self, prompt):
        """[a, b): a run of whole words of 2-12 tokens inside the prompt (never its first word)."""
        starts = [i for i in range(1, len(prompt)) if self.word_start[prompt[i]]] + [len(prompt)]
        for _ in range(20 if len(starts) > 1 else 0):
            i = int(self.rng.integers(len(starts) - 1))
            j = i + 1 + int(self.rng.integers(4))
            if j < len(starts) and SPAN_TOKENS[0] <= starts[j] - starts[i] <= SPAN_TOKENS[1]:
                return starts[i], starts[j]
        return None

    def feedback(self, span_ids):
        kind = FEEDBACK_NAMING[int(self.rng.integers(len(FEEDBACK_NAMING)))]
        named = span_ids
        if kind == "mention":  # only the content words, in order
            words = np.split(span_ids, np.nonzero(self.word_start[span_ids])[0])
            content = [w for w in words if len(w) and self.enc.decode(w.tolist()).strip().lower() not in STOPWORDS]
            named = np.concatenate(content) if content else span_ids
        lead = self.ids(kind)  # layout.ts trims the feedback and encodes it after its label
        return np.concatenate([lead, named if self.word_start[named[0]] else np.concatenate([self.ids(" "), named])])

    def row(self, index=None, with_feedback=True, feedback_share=0.85):
        """(ids [length], span bool [length]) or None when the paragraph has no usable span. `index`
        picks the prompt paragraph (eval rows); otherwise one is drawn. With `with_feedback` False the
        naming Feedback line is left out and all else stays the same (given the same generator state)."""
        p = int(self.par.prompts[index] if index is not None else self.rng.choice(self.par.prompts))
        prompt = self.par.get(p, PROMPT_TOKENS[1])
        cut = self.span(prompt)
        if cut is None:
            return None
        a, b = cut
        named = self.rng.random() < feedback_share  # some rows have no naming feedback at all
        scores = np.sort(self.rng.random(int(self.rng.integers(1, 4))))
        feedback = self.feedback(prompt[a:b])  # drawn either way, so both variants of an eval row match
        traces = [self.trace(scores[0] * 0.5, feedback if named and with_feedback else None)]
        for s in scores[1:]:
            generic = self.rng.random() < 0.5
            traces.append(self.trace(0.5 + s * 0.5, self.ids(FEEDBACK_GENERIC[int(self.rng.integers(len(FEEDBACK_GENERIC)))])
                                     if generic else None))
        if self.rng.random() < 0.5:
            before = np.concatenate([prompt[:a], prompt[b:]])
            traces.append(np.concatenate([self.field(f"Instructions that scored {scores[0] * 0.5:.2f}: ", before, CAPS["past"]),
                                          self.ids("\n")]))
        context = np.concatenate(traces + [self.ids(HEADER)])
        room = self.length - 2 - len(prompt)
        while len(context) > room and len(traces) > 1:  # drop the last distractor until the prompt fits
            traces.pop()
            context = np.concatenate(traces + [self.ids(HEADER)])
        if len(context) > room:
            return None
        # The prompt continues with the paragraphs after it, as a real prompt runs on past one paragraph.
        tail, q = [], p + 1
        free = room - len(context)
        while free > 0 and q < len(self.par):
            nxt = np.concatenate([self.ids("\n"), self.par.get(q)])[:free]
            tail.append(nxt)
            free -= len(nxt)
            q += 1
        body = np.concatenate([context, prompt, *tail])
        if len(body) < self.length - 2:
            return None  # the last paragraphs of the stream: too little text to fill a row
        ids = np.concatenate([[self.enc.bos], body, [self.enc.eos]])
        span = np.zeros(self.length, dtype=bool)
        start = 1 + len(context) + a
        span[start:start + b - a] = True
        return ids.astype(np.int64), span

    def eval_pair(self, index, seed):
        """The same held-out row with and without its naming feedback (None if it has none)."""
        pair = []
        for with_feedback in (True, False):
            self.rng = np.random.default_rng([seed, index])
            pair.append(self.row(index, with_feedback, feedback_share=1.0))
        return None if pair[0] is None or pair[1] is None else pair
