#!/usr/bin/env python3
"""Replace the text between <!-- NAME:begin --> and <!-- NAME:end --> in a
Markdown file (appending the section if the markers are missing). The file
is rewritten atomically. Used by every benchmark script, from the shell
(replace_section.py DOC NAME SECTION_FILE) or imported."""
import os
import sys
import tempfile


def replace_section(doc, name, body):
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    body = body.rstrip("\n") + "\n"
    text = open(doc).read() if os.path.exists(doc) else "# Benchmarks\n"
    block = f"{begin}\n{body}{end}"
    if begin in text and end in text:
        before, rest = text.split(begin, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(doc)), suffix=".tmp.md")
    with os.fdopen(fd, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, doc)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: replace_section.py DOC NAME SECTION_FILE")
    doc, name, section_file = sys.argv[1:]
    with open(section_file) as f:
        replace_section(doc, name, f.read())


if __name__ == "__main__":
    main()
