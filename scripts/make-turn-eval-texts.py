#!/usr/bin/env python3
"""Writes the FROZEN evaluation set of the end-of-turn benchmark
(tests/fixtures/turn_bench/eval.txt) from the question bank's model answers,
which were written before the end-of-turn policy existed and by someone who
never saw it. Pauses are placed by a fixed, seeded rule decided before any
tuning: after each sentence but the last, with probability 0.5, a "complete"
pause; inside a sentence, after a comma or before "and", "because", "which",
"so", "but", with probability 0.25 per sentence, an "incomplete" pause (the
conjunction stays before the pause, as a speaker trails off on it). Lengths
are uniform in 1.5-5.0 s. Standard library only; deterministic.

Usage: python3 scripts/make-turn-eval-texts.py > tests/fixtures/turn_bench/eval.txt
"""
import pathlib
import random
import re
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
rng = random.Random(20261204)
questions = []
for f in sorted((ROOT / "question_bank").glob("*.toml")):
    bank = tomllib.loads(f.read_text())
    for q in bank.get("question", []):
        text = " ".join(q["model_answer"].split())
        if len(text.split()) >= 90:
            questions.append((q["id"], q["expected_seconds"], text))
rng.shuffle(questions)

print("# End-of-turn benchmark, FROZEN EVALUATION set: the question bank's model")
print("# answers with pauses placed by scripts/make-turn-eval-texts.py (seeded rule,")
print("# fixed before tuning). Never tune on this set. Format as tuning.txt.")
for n, (qid, expected, text) in enumerate(questions[:12], 1):
    print(f"\n== e{n:02}-{qid} {expected}")
    sentences = re.split(r"(?<=[.?!])\s+", text)
    lines = []
    for i, s in enumerate(sentences):
        if rng.random() < 0.25:
            cuts = [m.end() for m in re.finditer(r",\s|\s(?:and|because|which|so|but)\s", s)]
            cuts = [c for c in cuts if 15 < c < len(s) - 15]
            if cuts:
                c = rng.choice(cuts)
                lines.append(s[:c].rstrip())
                lines.append(f"<{rng.uniform(1.5, 5.0):.1f}>")
                s = s[c:].lstrip()
        lines.append(s)
        if i < len(sentences) - 1 and rng.random() < 0.5:
            lines.append(f"<{rng.uniform(1.5, 5.0):.1f}>")
    # Sentences without a pause between them are spoken as one line.
    merged = []
    for l in lines:
        if merged and not l.startswith("<") and not merged[-1].startswith("<"):
            merged[-1] += " " + l
        else:
            merged.append(l)
    print("\n".join(merged))
