#!/usr/bin/env python3
"""Camera-like frames of REAL MOSIP Claim 169 codes (issue 16), for the scan benchmark.

The frames are drawn by the shared generator's own scene and distortion functions
(../shared/bench/qr_frames.py, imported, not copied): the same 12 distortion classes, the same
two frame sizes and the same 12 frames without a code, but the payloads are Claim 169 QR texts:

  vectors  the `qr_data` of ../shared/vectors/claim169/idpass-test-vectors/valid/*.json
  cli      codes of `laissez claim169 issue` (EdDSA and ES256; no biometrics)
  face     codes with a real face image from `laissez-bench claim169-codes` (--codes FILE)

Each code is drawn at ECC L, M and Q (alphanumeric mode, as a card printer does with Base45).
Output as the shared generator's: OUT/img/*.png, OUT/manifest.jsonl (expected = the QR text's
bytes, hex; `enc` is "b45", so ../shared/bench/qr_summarize.py reads it unchanged; `source`
and `code` name the code).

  claim169_frames.py frames --out OUT [--seed N] [--laissez BIN] [--codes CODES.json]
  claim169_frames.py summary OUT RESULTS     # success and time per source, beside the classes
"""
import argparse
import glob
import json
import os
import subprocess
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED_BENCH = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))
VECTORS = os.path.normpath(os.path.join(ROOT, "..", "shared", "vectors", "claim169",
                                        "idpass-test-vectors", "valid"))
sys.path.insert(0, SHARED_BENCH)
import qr_frames  # noqa: E402  (the shared generator: make_qr, render, CLASSES, RESOLUTIONS)

ECCS = ["L", "M", "Q"]
SOURCES = ["vectors", "cli", "face"]


def vector_codes():
    codes = []
    for path in sorted(glob.glob(os.path.join(VECTORS, "*.json"))):
        with open(path) as fh:
            vector = json.load(fh)
        codes.append(("vectors", os.path.basename(path)[:-5], vector["qr_data"]))
    return codes


def cli_codes(laissez):
    codes = []
    for alg in ("EdDSA", "ES256"):
        run = subprocess.run([laissez, "claim169", "issue", "--alg", alg, "--exp", "4000000000"],
                             check=True, capture_output=True, text=True)
        codes.append(("cli", "cli-" + alg.lower(), json.loads(run.stdout)["qr_text"]))
    return codes


def face_codes(path):
    with open(path) as fh:
        return [("face", code["name"], code["qr_text"]) for code in json.load(fh)]


def frames(args):
    codes = vector_codes()
    if args.laissez:
        codes += cli_codes(args.laissez)
    if args.codes:
        codes += face_codes(args.codes)
    for source, name, text in codes:
        if any(c not in qr_frames.B45 for c in text):
            sys.exit(f"{name}: not Base45 text")
    rng = np.random.default_rng(args.seed)
    os.makedirs(os.path.join(args.out, "img"), exist_ok=True)
    drawn = []
    for source, name, text in codes:
        for ecc in ECCS:
            q, mat = qr_frames.make_qr(text, ecc, "b45")
            drawn.append(dict(source=source, code=name, text=text, ecc=ecc, version=q.version, mat=mat))
    idx = 0
    with open(os.path.join(args.out, "manifest.jsonl"), "w") as man:
        for ci, cls in enumerate(qr_frames.CLASSES):
            for k, c in enumerate(drawn):
                W, H = qr_frames.RESOLUTIONS[(k + ci) % 2]
                img, m, p = qr_frames.render(rng, cls, c["mat"], W, H)
                file = f"{idx:04d}_{cls}_{c['code']}_{c['ecc']}_v{c['version']}.png"
                cv2.imwrite(os.path.join(args.out, "img", file), img, [cv2.IMWRITE_PNG_COMPRESSION, 1])
                man.write(json.dumps(dict(file=file, cls=cls, enc="b45", payload_bytes=len(c["text"]),
                                          chars=len(c["text"]), ecc=c["ecc"], version=c["version"],
                                          modules=c["mat"].shape[0], module_px=round(float(m), 2),
                                          frame=f"{W}x{H}", params=p, source=c["source"], code=c["code"],
                                          expected=c["text"].encode("ascii").hex())) + "\n")
                idx += 1
        for j in range(12):                     # no code in view, as the shared set has
            W, H = qr_frames.RESOLUTIONS[j % 2]
            img, m, p = qr_frames.render(rng, "combined_mild" if j % 2 else "clean", None, W, H)
            file = f"{idx:04d}_noqr_{j:02d}.png"
            cv2.imwrite(os.path.join(args.out, "img", file), img, [cv2.IMWRITE_PNG_COMPRESSION, 1])
            man.write(json.dumps(dict(file=file, cls="no_qr", enc="-", payload_bytes=0, chars=0, ecc="-",
                                      version=0, modules=0, module_px=0, frame=f"{W}x{H}", params=p,
                                      source="-", code="-", expected="")) + "\n")
            idx += 1
    with open(os.path.join(args.out, "codes.tsv"), "w") as fh:
        fh.write("source\tcode\tchars\tversions_LMQ\n")
        for source, name, text in codes:
            vers = "/".join(str(c["version"]) for c in drawn if c["code"] == name)
            fh.write(f"{source}\t{name}\t{len(text)}\t{vers}\n")
    print(f"wrote {idx} frames of {len(codes)} codes to {args.out}")


def summary(args):
    """Per source (and per code): frames read with the exact text, and median ms per frame."""
    man = {j["file"]: j for j in map(json.loads, open(os.path.join(args.data, "manifest.jsonl")))}
    decs = sorted((os.path.basename(p)[:-4] for p in glob.glob(os.path.join(args.results, "*.tsv"))),
                  key=lambda d: (d != "zxingcpp", d))          # the peer first, as qr_summarize.py
    res = {}
    for d in decs:
        res[d] = {}
        for line in open(os.path.join(args.results, d + ".tsv")):
            f, ok, us, pl = (line.rstrip("\n").split("\t") + [""])[:4]
            expected = man[f]["expected"]
            # A frame with a code counts when its exact text came back; one without, when
            # anything came back (a false positive).
            res[d][f] = (ok == "1" and (pl == expected if expected else True), float(us) / 1000)

    def row(label, files):
        cells = []
        for d in decs:
            got = sum(res[d][f][0] for f in files)
            cells.append(f"{got}/{len(files)}, {np.median([res[d][f][1] for f in files]):.2f} ms")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| codes | " + " | ".join(f"{d}: read, median ms / frame" for d in decs) + " |")
    print("|---|" + "---|" * len(decs))
    for source in SOURCES:
        names = sorted({m["code"] for m in man.values() if m.get("source") == source},
                       key=lambda n: min(m["chars"] for m in man.values() if m.get("code") == n))
        for name in names:
            chars = next(m["chars"] for m in man.values() if m.get("code") == name)
            row(f"{source}: {name} ({chars} chars)", [f for f in man if man[f].get("code") == name])
        if names:
            row(f"**{source}, all**", [f for f in man if man[f].get("source") == source])
    row("**all with a code**", [f for f in man if man[f]["cls"] != "no_qr"])
    row("frames without a code (read = false positive)", [f for f in man if man[f]["cls"] == "no_qr"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("frames")
    f.add_argument("--out", required=True)
    f.add_argument("--seed", type=int, default=qr_frames.SEED)
    f.add_argument("--laissez", help="the laissez binary, for `laissez claim169 issue` codes")
    f.add_argument("--codes", help="CODES.json of `laissez-bench claim169-codes` (face codes)")
    s = sub.add_parser("summary")
    s.add_argument("data")
    s.add_argument("results")
    args = ap.parse_args()
    frames(args) if args.cmd == "frames" else summary(args)


if __name__ == "__main__":
    main()
