#!/usr/bin/env python3
"""Converts CC-CEDICT into newsbot's compact bilingual word list, assets/cedict/zh-en.tsv.gz.

Run once by hand when the dictionary is refreshed, never at build time:

    python3 tools/cedict_to_tsv.py SOURCE > assets/cedict/zh-en.tsv && gzip -9n assets/cedict/zh-en.tsv

SOURCE is either the dictionary in its published text form (`cedict_ts.u8`: lines
`TRAD SIMP [pin1 yin1] /gloss/gloss/`) or the `data/all.js` of the `cc-cedict` package of the
JavaScript registry (entries `[trad, simp, pinyin, gloss or [glosses], …]`).

Output: one line per simplified headword, `headword<TAB>gloss/gloss/…`, sorted. Kept: headwords
of Han characters only, at most six, that are not idioms; dropped: glosses that only point
elsewhere (variants, surnames, "used in", "see …") and bracketed pinyin. Entries of one headword
(several readings) are merged, common-noun readings (lower-case pinyin) first.

The data stays under CC BY-SA 4.0 (see assets/cedict/LICENSE).
"""
import json
import re
import sys

HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]{1,6}$")
POINTER = re.compile(
    r"^(surname |(old |archaic |erhua |japanese |taiwan pr\. |also written |same as )?variant of|"
    r"used in |see |abbr\. for |also pr\. |cl:|\(onom\.\)|\(idiom)",
    re.IGNORECASE,
)
PINYIN_REF = re.compile(r"\[[^\]]*\]")
TRAD_SIMP = re.compile(r"[\u3400-\u9fff]+\|([\u3400-\u9fff]+)")


def entries(path):
    text = open(path, encoding="utf-8").read()
    if path.endswith(".js"):
        data = json.loads(text[text.index("{"):].rstrip().rstrip(";"))
        for trad, simp, pinyin, glosses, *_ in data["all"]:
            if isinstance(glosses, str):
                glosses = [glosses]
            yield simp, pinyin, glosses
        return
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        m = re.match(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/$", line)
        if m:
            yield m.group(2), m.group(3), m.group(4).split("/")


def clean(gloss):
    gloss = TRAD_SIMP.sub(r"\1", gloss)
    gloss = PINYIN_REF.sub("", gloss)
    return " ".join(gloss.replace("\t", " ").split())


def main():
    merged = {}
    for simp, pinyin, glosses in entries(sys.argv[1]):
        if not HAN.match(simp):
            continue
        if any("(idiom)" in g for g in glosses):
            continue
        kept = [clean(g) for g in glosses if g and not POINTER.match(g.strip())]
        kept = [g for g in kept if g and "/" not in g]
        if not kept:
            continue
        proper = pinyin[:1].isupper()
        merged.setdefault(simp, []).append((proper, kept))
    out = sys.stdout
    for simp in sorted(merged):
        glosses = []
        for _, kept in sorted(merged[simp], key=lambda e: e[0]):
            glosses.extend(g for g in kept if g not in glosses)
        out.write(f"{simp}\t{'/'.join(glosses)}\n")


if __name__ == "__main__":
    main()
