#!/usr/bin/env python3
"""layout-includes: the units of src/ include each other without a circle.

A unit is a file name without its extension (edit.c and edit.h are the unit
"edit"); unit A uses unit B when a file of A includes B's header. The check
fails, naming the circle, when a unit reaches itself through that relation.

  includes.py SRC_DIR            check the tree
  includes.py --self-check       a circle planted in a scratch tree is found
"""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def unit_graph(src):
    units = {}
    for name in sorted(os.listdir(src)):
        stem, ext = os.path.splitext(name)
        if ext not in ('.c', '.h', '.cc'):
            continue
        with open(os.path.join(src, name), encoding='utf-8') as f:
            text = f.read()
        for inc in INCLUDE.findall(text):
            target = os.path.splitext(os.path.basename(inc))[0]
            if target != stem and os.path.exists(os.path.join(src, inc)):
                units.setdefault(stem, set()).add(target)
        units.setdefault(stem, set())
    return units


def find_circle(units):
    """A list of units forming a circle, or None (depth-first, three colours)."""
    colour = {u: 0 for u in units}
    stack = []

    def visit(u):
        colour[u] = 1
        stack.append(u)
        for v in sorted(units.get(u, ())):
            if colour.get(v, 0) == 1:
                return stack[stack.index(v):] + [v]
            if colour.get(v, 0) == 0:
                found = visit(v)
                if found:
                    return found
        stack.pop()
        colour[u] = 2
        return None

    for u in sorted(units):
        if colour[u] == 0:
            found = visit(u)
            if found:
                return found
    return None


def check(src):
    circle = find_circle(unit_graph(src))
    if circle:
        print('FAIL units include each other in a circle: ' + ' -> '.join(circle))
        return False
    print(f'ok   {len(unit_graph(src))} units of {src}, no circle')
    return True


def self_check():
    with tempfile.TemporaryDirectory() as d:
        files = {'a.h': '#include "b.h"\n', 'b.c': '#include "b.h"\n#include "c.h"\n',
                 'b.h': '', 'c.h': '', 'c.c': '#include "a.h"\n'}
        for name, text in files.items():
            with open(os.path.join(d, name), 'w', encoding='utf-8') as f:
                f.write(text)
        planted = find_circle(unit_graph(d))
        os.remove(os.path.join(d, 'c.c'))
        clean = find_circle(unit_graph(d))
    if planted and not clean:
        print('ok   self-check: a planted circle is found, and none once it is gone')
        return True
    print(f'FAIL self-check: planted {planted}, after removal {clean}')
    return False


if __name__ == '__main__':
    if sys.argv[1:] == ['--self-check']:
        sys.exit(0 if self_check() else 1)
    if len(sys.argv) != 2:
        sys.exit('usage: includes.py SRC_DIR | --self-check')
    sys.exit(0 if check(sys.argv[1]) else 1)
