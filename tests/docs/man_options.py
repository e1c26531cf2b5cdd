#!/usr/bin/env python3
"""The manual pages list what the programs accept, no more and no less.

    man_options.py cli HELP_TEXT MAN_PAGE
        every option of `wasm-taskwrap --help` (long and short forms) is a
        tagged item of the man page's OPTIONS section, and the reverse; the
        values of --verify and of --abi are those the help gives: in the
        man page's --verify item, both as bold words and as --verify=VALUE
        (a --verify=VALUE in another item does not count), and in its --abi
        item as bold words
    man_options.py ld LD_SOURCE MAN_PAGE
        every TASKWRAP_* variable named in src/ld.c is a tagged item of the
        man page's ENVIRONMENT section, and the reverse
    man_options.py usage HELP_TEXT DOC...
        every option shown in the Markdown files' usage blocks (a fenced
        block whose first line starts with `wasm-taskwrap `) and on their
        command lines (a line of a fenced block that starts with
        `wasm-taskwrap `, `$ wasm-taskwrap ` or `build/wasm-taskwrap `, up to
        a `|` or a `#`) is an option of the help: no invented option

Prints FILE: error: MESSAGE for each difference and exits 1 if any.
"""
import re
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


OPTION = r"(?<![\w-])(--?[A-Za-z][\w-]*)"


def help_options(text):
    """Options, and the --verify and --abi values, of the help's Options: block."""
    opts, verify, abi = set(), set(), set()
    block = text.split("\nOptions:\n", 1)[1].split("\n\n", 1)[0]
    entries = re.split(r"\n(?=  \S|      --)", block)
    for entry in entries:
        head = entry.lstrip().split("  ")[0]
        for opt in re.findall(OPTION, head):
            opts.add(opt)
        desc = " ".join(entry.split()[2:])
        if head.startswith("--verify"):
            verify.update(re.findall(r"(?:^|;)\s*([a-z]+)(?: \([^)]*\))?:", desc))
        if head.startswith("--abi"):
            # "auto (default), task-hook or init-task"
            for word in re.split(r",|\bor\b", re.sub(r"\([^)]*\)", "", desc)):
                if re.fullmatch(r"[a-z][a-z-]*", word.strip()):
                    abi.add(word.strip())
    return opts, verify, abi


def man_section(roff, name):
    m = re.search(r"^\.SH " + re.escape(name) + r"\s*$(.*?)(?=^\.SH |\Z)", roff, re.M | re.S)
    return m.group(1) if m else ""


def unescape(roff):
    return roff.replace("\\-", "-").replace("\\e", "\\")


def man_tags(section):
    """The tag lines of the section's .TP items, unescaped."""
    lines = section.split("\n")
    return [unescape(lines[i + 1]) for i, l in enumerate(lines[:-1]) if l.strip() == ".TP"]


def man_items(section):
    """Each .TP item of the section: (its tag line, its body), unescaped."""
    items = []
    for chunk in re.split(r"^\.TP\s*$", section, flags=re.M)[1:]:
        lines = chunk.strip("\n").split("\n")
        items.append((unescape(lines[0]), unescape("\n".join(lines[1:]))))
    return items


def bold_words(body):
    """The first argument of each .B/.BR line that is a plain value word."""
    words = set()
    for m in re.finditer(r"^\.BR? +\"?([^\s\"]+)", body, re.M):
        if re.fullmatch(r"[a-z][a-z-]*", m.group(1)):
            words.add(m.group(1))
    return words


def man_options(roff):
    """The options of the OPTIONS section, and the values in the --verify and
    --abi items: {"verify": bold words, "verify=": --verify=VALUE forms,
    "abi": bold words}."""
    opts, values = set(), {"verify": set(), "verify=": set(), "abi": set()}
    for tag, body in man_items(man_section(roff, "OPTIONS")):
        tag_opts = re.findall(OPTION, tag)
        opts.update(tag_opts)
        if "--verify" in tag_opts:
            values["verify"] |= bold_words(body)
            values["verify="] |= set(re.findall(r"--verify=([a-z]+)", body))
        if "--abi" in tag_opts:
            values["abi"] |= bold_words(body)
    return opts, values


def usage_options(md):
    """Options shown in a Markdown file's usage blocks and command lines:
    (line number, option) pairs."""
    found, block, first = [], None, False
    for n, line in enumerate(md.split("\n"), 1):
        if line.lstrip().startswith("```"):
            block, first = (None, False) if block is not None else ("", True)
            continue
        if block is None:
            continue
        if first:
            block, first = ("usage" if line.startswith("wasm-taskwrap ") else "other"), False
        if block == "usage":
            text = line
        elif re.match(r"(?:\$ )?(?:build/)?wasm-taskwrap ", line):
            text = re.split(r"[|#]", line, 1)[0]
        else:
            continue
        found.extend((n, opt.split("=", 1)[0]) for opt in re.findall(OPTION, text))
    return found


def compare(kind, have, want, have_name, want_name, where, report):
    for x in sorted(want - have):
        report(where, f"{kind} {x} is in {want_name} but not in {have_name}")
    for x in sorted(have - want):
        report(where, f"{kind} {x} is in {have_name} but not in {want_name}")


def main(argv):
    if len(argv) < 4 or argv[1] not in ("cli", "ld", "usage") or (argv[1] != "usage" and len(argv) != 4):
        print(__doc__, file=sys.stderr)
        return 2
    mode, source, man = argv[1:4]
    problems = []

    def report(where, msg):
        problems.append(f"{where}: error: {msg}")

    if mode == "usage":
        h_opts = help_options(read(source))[0]
        if not h_opts:
            report(source, "no options found in the help text")
        for doc in argv[3:]:
            shown = usage_options(read(doc))
            if not shown:
                report(doc, "no usage block or command line found")
            for line, opt in shown:
                if opt not in h_opts:
                    report(f"{doc}:{line}", f"option {opt} is shown here but is not in --help")
    elif mode == "cli":
        roff = read(man)
        h_opts, h_verify, h_abi = help_options(read(source))
        m_opts, m_values = man_options(roff)
        if not h_opts or not h_verify or not h_abi:
            report(source, "no options, no --verify values or no --abi values found in the help text")
        compare("option", m_opts, h_opts, "the man page", "--help", man, report)
        compare("--verify value", m_values["verify"], h_verify, "the man page's --verify item", "--help", man, report)
        compare("--verify=VALUE", m_values["verify="], h_verify, "the man page's --verify item", "--help", man, report)
        compare("--abi value", m_values["abi"], h_abi, "the man page's --abi item", "--help", man, report)
    else:
        roff = read(man)
        want = set(re.findall(r"\bTASKWRAP_[A-Z0-9_]*[A-Z0-9]\b", read(source)))
        if not want:
            report(source, "no TASKWRAP_* variable found")
        have = set()
        for tag in man_tags(man_section(roff, "ENVIRONMENT")):
            have.update(re.findall(r"\bTASKWRAP_[A-Z0-9_]*[A-Z0-9]\b", tag))
        compare("variable", have, want, "the man page's ENVIRONMENT", source, man, report)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
