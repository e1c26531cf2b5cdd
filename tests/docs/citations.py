#!/usr/bin/env python3
"""Every cited doc section names a heading that exists.

    citations.py ROOT [DIR...]

Scans the text files under ROOT/DIR (default: src include tests bench tools
examples cmake docs man fixtures, README.md and CMakeLists.txt) for
citations of a section of a Markdown file, in the forms the code uses: a
Markdown file's path (docs/<name>.md, README, README.md, bench/README.md,
...), optionally in backticks (`docs/usage.md`, as a Markdown link's text
has it), then a comma, a colon, 's or just a space, then the section's
heading in double quotes (or in \" quotes, inside a C string). It checks
that the file exists
(relative to ROOT, else to the citing file's directory) and has a '#'
heading equal to the quoted text (backticks removed and white space
collapsed on both sides). A citation may be split over comment lines:
leading comment markers (*, //, #, ;;) are stripped and the lines joined
before matching. An unquoted section of the README (README, then a comma
and a capitalised word) must be a heading of README.md too.

It also refuses a bare reference to the specification we started from: its
file name without the ../shared/ (or shared/) directory in front, since our
own contract is docs/abi.md. Paths under a shared/ directory are the
specification's: their headings are not checked.

It also checks every relative Markdown link with a fragment, in the
Markdown files it scans ([text](docs/usage.md#running-on-any-host),
[text](#contents)): the linked file must exist and have a heading whose
anchor, as GitHub makes it, is the fragment. GitHub's anchor of a heading:
its text as rendered (code spans and links reduced to their text),
lowercased, every character that is not a letter, a digit, a space, a
hyphen or an underscore removed, each space made a hyphen; the second
heading with the same anchor gets -1 appended, the third -2, and so on.

Prints FILE:LINE: error: MESSAGE for each problem and exits 1 if any.
"""
import os
import re
import sys

DEFAULT_DIRS = ["src", "include", "tests", "bench", "tools", "examples", "cmake", "docs", "man",
                "fixtures", "README.md", "CMakeLists.txt"]
SKIP_DIRS = {"node_modules", ".git", "__pycache__"}
MAX_BYTES = 1 << 20

# The specification's file name, spelt so this file does not cite it bare.
SPEC = "ABI" + ".md"
SPEC_RE = re.compile(r"(?<![\w.-])" + re.escape(SPEC))
SPEC_OK_BEFORE = ("shared/",)

MARKERS = re.compile(r"^\s*(?:/\*+|\*+/?|//+|#+|;;+)?\s?")
# A heading in double quotes; in a C string the quotes are escaped (\").
QUOTED = r"\\?[\"\u201c]([^\s\"\u201d\\][^\"\u201d]{0,159}?)\\?[\"\u201d]"
# path/NAME.md or README, perhaps in backticks, then a separator, then the
# quoted heading.
CITE = re.compile(
    r"(?<![\w.-])((?:\.\./|[\w.-]+/)*)([\w.-]+\.md|README)\b`?"
    r"(?:(?:,|:|'s|\u2019s)\s*|\s+)" + QUOTED)
# Where adjacent string literals are joined: C and C++ sources.
C_SUFFIXES = (".c", ".h", ".cc", ".cpp")
C_JOIN = re.compile(r'(?:\\n)?" "')
# The README, a comma and an unquoted section name, capitalised.
README_WORD = re.compile(r"(?<![\w./-])README(?:\.md)?,\s+([A-Z][\w-]+)\b(?!\.\w)")


def norm(text):
    return " ".join(text.replace("`", "").split())


def headings(path, cache={}):
    if path not in cache:
        found, fence = set(), False
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lstrip().startswith("```"):
                    fence = not fence
                elif not fence and re.match(r"#{1,6}\s", line):
                    found.add(norm(line.lstrip("#")))
        cache[path] = found
    return cache[path]


def gh_anchor(heading):
    """GitHub's anchor of a heading's Markdown text (see the module comment)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip())  # links: their text
    text = text.replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(path, cache={}):
    """The anchors of a Markdown file's headings, duplicates numbered."""
    if path not in cache:
        found, seen, fence = set(), {}, False
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lstrip().startswith("```"):
                    fence = not fence
                elif not fence and re.match(r"#{1,6}\s", line):
                    base = gh_anchor(line.strip().lstrip("#").rstrip("#"))
                    n = seen.get(base, 0)
                    seen[base] = n + 1
                    found.add(base if n == 0 else f"{base}-{n}")
        cache[path] = found
    return cache[path]


# [text](target) and [label]: target; the target without a title.
LINK = re.compile(r"\]\(\s*<?([^()\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")


def check_links(root, path, report):
    """Every relative link with a #fragment in a Markdown file resolves."""
    rel_path = os.path.relpath(path, root)
    fence = False
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        if fence:
            continue
        for m in LINK.finditer(re.sub(r"`[^`]*`", "``", line)):
            target = m.group(1) or m.group(2)
            if "#" not in target or re.match(r"[a-zA-Z][\w+.-]*:|/", target):
                continue
            file_part, frag = target.split("#", 1)
            doc = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
            if not doc.endswith(".md"):
                continue
            if not os.path.isfile(doc):
                report(rel_path, n, f"links to {target}: no such file")
            elif frag not in anchors(doc):
                report(rel_path, n, f"links to {target}: no heading with that anchor in {os.path.relpath(doc, root)}")
    return


def joined(path):
    """The file's lines without comment markers, joined by single spaces,
    and for each character of the result the line it came from."""
    with open(path, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES or b"\0" in data:
        return None, None
    text, lines = [], []
    for n, line in enumerate(data.decode("utf-8", "replace").split("\n"), 1):
        part = " ".join(MARKERS.sub("", line, count=1).split())
        if not part:
            part = "\n"  # a blank line ends a citation
        text.append(part)
        lines.extend([n] * (len(part) + 1))
    text = " ".join(text)
    if path.endswith(C_SUFFIXES):
        # Adjacent C string literals are one string: "...\n" "..." is
        # blanked to spaces of the same length, so the lines still match.
        text = C_JOIN.sub(lambda m: " " * len(m.group(0)), text)
    return text, lines


def resolve(root, citing, prefix, name):
    rel = prefix + ("README.md" if name == "README" else name)
    for base in (root, os.path.dirname(citing)):
        cand = os.path.normpath(os.path.join(base, rel))
        if os.path.isfile(cand):
            return rel, cand
    return rel, None


def check_file(root, path, report):
    text, lines = joined(path)
    if text is None:
        return
    rel_path = os.path.relpath(path, root)
    for m in SPEC_RE.finditer(text):
        before = text[max(0, m.start() - 8):m.start()]
        if not before.endswith(SPEC_OK_BEFORE):
            report(rel_path, lines[m.start()],
                   f"bare '{SPEC}': cite our contract as docs/abi.md, or the specification as ../shared/{SPEC}")
    for m in CITE.finditer(text):
        prefix, name, heading = m.group(1), m.group(2), m.group(3)
        if "shared/" in prefix or name == SPEC:
            continue
        rel, doc = resolve(root, path, prefix, name)
        if doc is None:
            report(rel_path, lines[m.start()], f"cites {rel}, \"{heading}\": no such file")
        elif norm(heading) not in headings(doc):
            report(rel_path, lines[m.start()], f"cites {rel}, \"{heading}\": no such heading")
    for m in README_WORD.finditer(text):
        doc = os.path.join(root, "README.md")
        if os.path.isfile(doc) and norm(m.group(1)) not in headings(doc):
            report(rel_path, lines[m.start()], f"cites README, {m.group(1)}: no such heading")
    if path.endswith(".md"):
        check_links(root, path, report)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    dirs = argv[2:] or DEFAULT_DIRS
    problems = []

    def report(path, line, msg):
        problems.append(f"{path}:{line}: error: {msg}")

    for d in dirs:
        top = os.path.join(root, d)
        if os.path.isfile(top):
            check_file(root, top, report)
            continue
        for cur, subdirs, files in os.walk(top):
            subdirs[:] = sorted(s for s in subdirs if s not in SKIP_DIRS and not s.startswith("build"))
            for name in sorted(files):
                check_file(root, os.path.join(cur, name), report)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
