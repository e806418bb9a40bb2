#!/usr/bin/env python3
"""Words the jargon layer changes in correctly written answers: the scorer's
fixture answers (spoken style, written by helpers who never saw the layer's
rules) rewritten with their round's vocabulary (`mockint vocab rewrite
--round R`). A change that only moves case, spacing or punctuation is a
spelling; any other is counted (a few are intended spoken forms: "dash f"
becomes "-f", "slash sixteen" "/16").

usage: scripts/false-rewrites.py MOCKINT_BINARY tuning|eval [-v]
  tuning: the calibration, tuning, adversarial and second-expert answers
          (the phonetic pass's function-word rule was chosen on these)
  eval:   the independent, fresh, frozen and holdout answers (never tuned on)
"""
import collections
import difflib
import json
import pathlib
import re
import subprocess
import sys

SETS = {
    "tuning": ["calibration", "tuning", "adversarial", "second_expert"],
    "eval": ["independent", "fresh", "frozen", "holdout"],
}


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in SETS:
        sys.exit("usage: scripts/false-rewrites.py MOCKINT_BINARY tuning|eval [-v]")
    binary, which = sys.argv[1], sys.argv[2]
    verbose = "-v" in sys.argv
    fixtures = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures"
    by_round, seen = collections.defaultdict(list), set()
    for name in SETS[which]:
        for line in (fixtures / f"scorer_{name}.jsonl").read_text().splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            answer = d["answer"].replace("\n", " ")
            if answer not in seen:
                seen.add(answer)
                by_round[d["round"]].append(answer)
    norm = lambda s: re.sub(r"[^a-z0-9]", "", s.lower())
    answers = words = changed = 0
    for rnd, texts in sorted(by_round.items()):
        out = subprocess.run(
            [binary, "vocab", "rewrite", "--round", rnd],
            input="\n".join(texts) + "\n",
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        for before, after in zip(texts, out):
            answers += 1
            a, b = before.split(), after.split()
            words += len(a)
            ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
            for op, i1, i2, j1, j2 in ops:
                x, y = " ".join(a[i1:i2]), " ".join(b[j1:j2])
                if op != "equal" and norm(x) != norm(y):
                    changed += 1
                    if verbose:
                        print(f"{rnd}: {x!r} -> {y!r}")
    print(
        f"{which}: {answers} answers, {words} words, {changed} changed "
        f"({1000 * changed / words:.2f} per 1000 words)"
    )


if __name__ == "__main__":
    main()
