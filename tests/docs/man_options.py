#!/usr/bin/env python3
"""The manual pages list what the programs accept, no more and no less.

    man_options.py cli HELP_TEXT MAN_PAGE
        every option of `wasm-taskwrap --help` (long and short forms, and
        each --verify value as --verify=VALUE) is a tagged item of the man
        page's OPTIONS section, and the reverse
    man_options.py ld LD_SOURCE MAN_PAGE
        every TASKWRAP_* variable named in src/ld.c is a tagged item of the
        man page's ENVIRONMENT section, and the reverse

Prints FILE: error: MESSAGE for each difference and exits 1 if any.
"""
import re
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def help_options(text):
    """Options, and the --verify values, of the help's Options: block."""
    opts, verify = set(), set()
    block = text.split("\nOptions:\n", 1)[1].split("\n\n", 1)[0]
    entries = re.split(r"\n(?=  \S|      --)", block)
    for entry in entries:
        head = entry.lstrip().split("  ")[0]
        for opt in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", head):
            opts.add(opt)
        if head.startswith("--verify"):
            desc = " ".join(entry.split()[2:])
            verify.update(re.findall(r"(?:^|;)\s*([a-z]+)(?: \([^)]*\))?:", desc))
    return opts, verify


def man_section(roff, name):
    m = re.search(r"^\.SH " + re.escape(name) + r"\s*$(.*?)(?=^\.SH |\Z)", roff, re.M | re.S)
    return m.group(1) if m else ""


def unescape(roff):
    return roff.replace("\\-", "-").replace("\\e", "\\")


def man_tags(section):
    """The tag lines of the section's .TP items, unescaped."""
    lines = section.split("\n")
    return [unescape(lines[i + 1]) for i, l in enumerate(lines[:-1]) if l.strip() == ".TP"]


def man_options(roff):
    section = man_section(roff, "OPTIONS")
    opts = set()
    for tag in man_tags(section):
        opts.update(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", tag))
    verify = set(re.findall(r"--verify=([a-z]+)", unescape(section)))
    return opts, verify


def compare(kind, have, want, have_name, want_name, where, report):
    for x in sorted(want - have):
        report(where, f"{kind} {x} is in {want_name} but not in {have_name}")
    for x in sorted(have - want):
        report(where, f"{kind} {x} is in {have_name} but not in {want_name}")


def main(argv):
    if len(argv) != 4 or argv[1] not in ("cli", "ld"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, source, man = argv[1:]
    problems = []

    def report(where, msg):
        problems.append(f"{where}: error: {msg}")

    roff = read(man)
    if mode == "cli":
        h_opts, h_verify = help_options(read(source))
        m_opts, m_verify = man_options(roff)
        if not h_opts or not h_verify:
            report(source, "no options or no --verify values found in the help text")
        compare("option", m_opts, h_opts, "the man page", "--help", man, report)
        compare("--verify value", m_verify, h_verify, "the man page", "--help", man, report)
    else:
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
