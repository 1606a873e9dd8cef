#!/usr/bin/env python3
"""Prints one line per metric family of an exposition text read from stdin:
"<name> <type> <label,names>" (label names sorted, union over the samples)."""
import re
import sys

types = {}
labels = {}
sample_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? ')
label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"')
for line in sys.stdin:
    if line.startswith('# TYPE '):
        _, _, name, typ = line.split()
        types[name] = typ
        continue
    if line.startswith('#') or not line.strip():
        continue
    m = sample_re.match(line)
    if not m:
        continue
    name = m.group(1)
    family = name
    for suffix in ('_bucket', '_sum', '_count'):
        if name.endswith(suffix) and name[: -len(suffix)] in types:
            family = name[: -len(suffix)]
    names = set(label_re.findall(m.group(3) or ''))
    names.discard('le')
    names.discard('quantile')
    labels.setdefault(family, set()).update(names)
for name in sorted(labels):
    print(f"{name} {types.get(name, 'untyped')} {','.join(sorted(labels[name]))}".rstrip())
