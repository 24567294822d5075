#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the seed corpus of optimist_fuzz into fuzz/corpus/ (the layout is described in
# fuzz_target.cpp and input_fuzz.cpp). Run it after changing that layout.
import pathlib
import struct

ATTR = {n: i for i, n in enumerate(
    ["id", "version", "handle", "bio", "age", "rating", "listed", "referrer", "admin"])}
NICKNAME = 11  # a junk name: "nickname"


def null():
    return bytes([0])


def i64(v):
    return bytes([1]) + struct.pack("<q", v)


def small(v):
    return bytes([2]) + struct.pack("<b", v)


def f64(v):
    return bytes([3]) + struct.pack("<d", v)


def boolean(v):
    return bytes([4 | (8 if v else 0)])


def text(s):
    b = s if isinstance(s, bytes) else s.encode()
    return bytes([5, len(b)]) + b


def repeated(n, c):
    return bytes([6]) + struct.pack("<H", n) + c.encode()


def field(name, value):
    return bytes([ATTR[name] if isinstance(name, str) else name]) + value


def input_seed(flags, *fields):
    return b"c" + bytes([flags]) + b"".join(fields)


UPDATE, STALE, VERSION_ZERO, PROMOTE = 1, 1 << 1, 2 << 1, 8

seeds = {
    "url-sqlite-file": b"dsqlite:app.db?pool=4&busy_timeout=100&synchronous=full",
    "url-sqlite-memory": b"dsqlite::memory:?pool=2",
    "url-postgresql-uri": b"dpostgresql://app:secret@db.internal:5432/app?pool=16&statement_timeout=500",
    "url-postgresql-keywords": b"dpostgresql:host=db.internal dbname=app user=app password='it\\'s'",
    "url-after-password": b"adb.internal,replica:5433/app%20db?connect_timeout=3",
    "url-keywords-after-password": b"bhost=h dbname='a b' sslmode=require",
    "input-create": input_seed(0, field("handle", text("ann")), field("age", small(34)),
                               field("rating", f64(4.5)), field("listed", boolean(True)),
                               field("bio", text("caf\u00e9")), field("referrer", i64(7))),
    "input-create-refused": input_seed(0, field("admin", boolean(True)), field("id", i64(5)),
                                       field(NICKNAME, text("x")), field("handle", text("a")),
                                       field("handle", text("b"))),
    "input-update": input_seed(UPDATE, field("handle", text("anna")), field("bio", null()),
                               field("age", small(35)), field("rating", i64(3))),
    "input-update-stale": input_seed(UPDATE | STALE, field("age", small(40))),
    "input-update-version-zero": input_seed(UPDATE | VERSION_ZERO, field("age", small(40))),
    "input-promote": input_seed(UPDATE | PROMOTE, field("admin", boolean(True))),
    "input-bad-text": input_seed(UPDATE, field("bio", text(b"caf\xc3")),
                                 field("handle", text(b"a\x00b"))),
    "input-too-long": input_seed(0, field("handle", text("ok")), field("bio", repeated(200, "x")),
                                 field("age", bytes([7]) + struct.pack("<b", 1))),
}

corpus = pathlib.Path(__file__).resolve().parent / "corpus"
corpus.mkdir(exist_ok=True)
for name, data in seeds.items():
    (corpus / name).write_bytes(data)
