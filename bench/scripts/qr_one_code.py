#!/usr/bin/env python3
"""One dense QR code against today's animated sequence: time from the first camera frame to a
complete answer, on the camera-like frames of ../shared/bench/qr_frames.py (docs/BENCHMARKS.md,
"One code per answer"; ADR 0015).

  render   ANSWERS.json OUT_DIR   draws every code of `laissez-bench qr-scan answer-texts` as
                                  camera captures under the 12 distortion classes of the shared
                                  generator (same functions, its own seed), at both resolutions;
                                  writes OUT_DIR/img/*.png and OUT_DIR/manifest.jsonl.
  simulate ANSWERS.json OUT_DIR RESULTS.tsv
                                  reads which captures Laissez decoded (`laissez-bench qr-scan
                                  frames OUT_DIR/img RESULTS.tsv`) and replays a scan: the camera
                                  decodes 15 frames a second (30 fps, every other frame, as the
                                  demo apps do), the holder shows an animated sequence at 10 codes
                                  a second (ResponseDisplayViewModel), every start position.

Run with the shared benchmark's venv (/tmp/qr-bench-venv/bin/python: numpy, cv2, segno).
A trial is one distortion class at one resolution. The single code: capture k is drawn from its
pool of --single-captures independent renders (k modulo the pool). The sequence: each distinct
frame has --frame-captures renders; the j-th sighting of a frame uses render j modulo the pool.
The answer is complete when `needed` distinct frames were read (RaptorQ completes with the
source-symbol count in nearly every case; the bench's `frames` command counts the rare extra).
"""
import argparse
import json
import os
import statistics
import sys

CAMERA_FPS = 15.0     # decoded camera frames per second
DISPLAY_FPS = 10.0    # animated codes per second on the holder's screen
MAX_SECONDS = 10.0    # a trial not complete by then counts as failed


def shared_generator(path):
    sys.path.insert(0, path)
    import qr_frames  # noqa: E402  (the shared generator, imported from its folder)
    return qr_frames


def render(args):
    g = shared_generator(args.shared)
    import cv2
    import numpy as np
    answers = json.load(open(args.answers))
    rng = np.random.default_rng(args.seed)
    os.makedirs(os.path.join(args.out, "img"), exist_ok=True)
    man = open(os.path.join(args.out, "manifest.jsonl"), "w")
    count = 0
    for a, ans in enumerate(answers):
        codes = [("s", 0, ans["single"], args.single_captures)]
        codes += [("f", i, t, args.frame_captures) for i, t in enumerate(ans["frames"])]
        mats = {}
        for kind, i, text, _ in codes:
            _, mats[(kind, i)] = g.make_qr(text, "M", "b45")
        for ci, cls in enumerate(g.CLASSES):
            for ri, (W, H) in enumerate(g.RESOLUTIONS):
                for kind, i, text, n in codes:
                    for j in range(n):
                        img, m, p = g.render(rng, cls, mats[(kind, i)], W, H)
                        name = f"a{a}_{cls}_{W}x{H}_{kind}{i}_{j}.png"
                        cv2.imwrite(os.path.join(args.out, "img", name), img,
                                    [cv2.IMWRITE_PNG_COMPRESSION, 1])
                        man.write(json.dumps(dict(file=name, answer=a, cls=cls, frame=f"{W}x{H}",
                                                  kind=kind, index=i, capture=j,
                                                  module_px=round(float(m), 2),
                                                  expected=text.encode().hex())) + "\n")
                        count += 1
    man.close()
    print(f"wrote {count} captures to {args.out}")


def load_results(out, results):
    ok = {}
    for line in open(results):
        f = line.rstrip("\n").split("\t")
        ok[f[0]] = (f[1] == "1", f[3] if len(f) > 3 else "")
    rows = [json.loads(l) for l in open(os.path.join(out, "manifest.jsonl"))]
    read = {}
    for r in rows:
        got, payload = ok.get(r["file"], (False, ""))
        read[(r["answer"], r["cls"], r["frame"], r["kind"], r["index"], r["capture"])] = \
            got and payload == r["expected"]
    return rows, read


def single_time(read, key, n):
    """Seconds from the first decoded camera frame to the answer, or None."""
    for k in range(int(MAX_SECONDS * CAMERA_FPS)):
        if read[key + ("s", 0, k % n)]:
            return k / CAMERA_FPS, k
    return None, None


def sequence_time(read, key, frames, n, needed, start):
    """One trial of the animated sequence starting at display frame `start` (and its phase)."""
    seen, got, missed = {}, set(), 0
    for k in range(int(MAX_SECONDS * CAMERA_FPS)):
        shown = start + int(k * DISPLAY_FPS / CAMERA_FPS)
        f = shown % frames
        j = seen.get(f, 0)
        seen[f] = j + 1
        if read[key + ("f", f, j % n)]:
            got.add(f)
        else:
            missed += 1
        if len(got) >= needed:
            return k / CAMERA_FPS, missed, (shown - start) / frames + 1 / frames
    return None, missed, None


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))] if xs else float("nan")


def simulate(args):
    answers = json.load(open(args.answers))
    rows, read = load_results(args.out, args.results)
    classes = list(dict.fromkeys(r["cls"] for r in rows))
    res = list(dict.fromkeys(r["frame"] for r in rows))
    ns = 1 + max(r["capture"] for r in rows if r["kind"] == "s")
    nf = 1 + max(r["capture"] for r in rows if r["kind"] == "f")
    print("| answer (chars) | one code | sequence | one code: read first frame | one code: s median / p95 / max "
          "| one code ≤ 3 s | sequence: s median / p95 / max | sequence ≤ 3 s | missed captures median "
          "| cycles median / max |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    per_class = {}
    for a, ans in enumerate(answers):
        frames = len(ans["frames"])
        st, sq, first, missed_all, cycles = [], [], 0, [], []
        s_fail = q_fail = 0
        for cls in classes:
            for fr in res:
                key = (a, cls, fr)
                t, k = single_time(read, key, ns)
                if t is None:
                    s_fail += 1
                else:
                    st.append(t)
                    first += k == 0
                per_class.setdefault((a, cls), [[], []])[0].append(t)
                for start in range(frames):
                    t2, missed, cyc = sequence_time(read, key, frames, nf, ans["needed"], start)
                    missed_all.append(missed)
                    if t2 is None:
                        q_fail += 1
                    else:
                        sq.append(t2)
                        cycles.append(cyc)
                    per_class[(a, cls)][1].append(t2)
        trials_s, trials_q = len(classes) * len(res), len(classes) * len(res) * frames
        inf = float("inf")
        st_all = st + [inf] * s_fail
        sq_all = sq + [inf] * q_fail
        fmt = lambda xs: " / ".join("never" if x == inf else f"{x:.2f}" for x in
                                    (statistics.median(xs), pct(xs, 0.95), max(xs)))
        print(f"| {ans['chars']} | v{ans['version']} | {frames} x v{ans['frame_version']} "
              f"({ans['needed']} needed) | {first}/{trials_s} | {fmt(st_all)} "
              f"| {sum(x <= 3 for x in st_all)}/{trials_s} | {fmt(sq_all)} "
              f"| {sum(x <= 3 for x in sq_all)}/{trials_q} | {statistics.median(missed_all):.0f} "
              f"| {statistics.median(cycles):.2f} / {max(cycles):.2f} |")
    print("\nPer class, median seconds to the answer (one code / sequence; 'never' within "
          f"{MAX_SECONDS:.0f} s):")
    print("| class | " + " | ".join(f"{ans['chars']}" for ans in answers) + " |")
    print("|---|" + "---|" * len(answers))
    for cls in classes:
        cells = []
        for a in range(len(answers)):
            s, q = per_class[(a, cls)]
            m = lambda xs: "never" if statistics.median([x if x is not None else 1e9 for x in xs]) >= 1e9 \
                else f"{statistics.median([x if x is not None else 1e9 for x in xs]):.2f}"
            cells.append(f"{m(s)} / {m(q)}")
        print(f"| {cls} | " + " | ".join(cells) + " |")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("render")
    r.add_argument("answers")
    r.add_argument("out")
    r.add_argument("--seed", type=int, default=20261122)
    r.add_argument("--single-captures", type=int, default=4)
    r.add_argument("--frame-captures", type=int, default=2)
    r.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                    "..", "..", "..", "shared", "bench"))
    s = sub.add_parser("simulate")
    s.add_argument("answers")
    s.add_argument("out")
    s.add_argument("results")
    a = ap.parse_args()
    render(a) if a.cmd == "render" else simulate(a)


if __name__ == "__main__":
    main()
