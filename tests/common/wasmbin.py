"""The binary format's smallest pieces, for test scripts that build modules
by hand (PYTHONPATH=tests/common; `from wasmbin import leb, sec, name`)."""


def leb(n):
    """An unsigned LEB128, minimal."""
    out = b''
    while True:
        b, n = n & 0x7f, n >> 7
        out += bytes([b | 0x80]) if n else bytes([b])
        if not n:
            return out


def sec(i, c):
    """A section: id, size, contents."""
    return bytes([i]) + leb(len(c)) + c


def name(s):
    """A name: its UTF-8 length, then its bytes."""
    return leb(len(s)) + s.encode()
