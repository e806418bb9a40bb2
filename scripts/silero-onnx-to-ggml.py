#!/usr/bin/env python3
"""Writes Silero VAD (the 16 kHz ONNX graph shipped in the PyPI wheel
`silero-vad`) as the ggml file whisper.cpp's VAD loads.

Usage: silero-onnx-to-ggml.py MODEL.onnx VERSION OUT.bin

File layout (little-endian i32 unless noted): magic 0x67676d6c; the length
and bytes of "silero-16k"; major, minor, patch; window 512; context 64;
4 encoder layers as (in, out, kernel) triples; LSTM input and hidden size;
final conv in and out. Then each tensor: n_dims, name length, type (0 f32,
1 f16), dims innermost first, the name, the data. Convolution weights and
the STFT basis are f16, everything else f32; names carry a leading
underscore (`_model.…`) as in the PyTorch state dict.
"""
import struct
import sys

import numpy as np
import onnx
from onnx import numpy_helper

ENC_IN = [129, 128, 64, 64]
ENC_OUT = [128, 64, 64, 128]


def main(src, version, out):
    graph = onnx.load(src).graph
    weights = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    names = []
    for i in range(4):
        names += [f"model.encoder.{i}.reparam_conv.weight", f"model.encoder.{i}.reparam_conv.bias"]
    names += [f"model.decoder.rnn.{p}" for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    names += ["model.decoder.decoder.2.weight", "model.decoder.decoder.2.bias"]
    names += ["model.stft.forward_basis_buffer"]
    missing = [n for n in names if n not in weights]
    if missing:
        sys.exit(f"{src}: not the 16 kHz Silero VAD graph (missing {', '.join(missing)})")
    major, minor, patch = (int(x) for x in version.split("."))
    with open(out, "wb") as f:
        i32 = lambda *v: f.write(struct.pack(f"<{len(v)}i", *v))
        i32(0x67676D6C)
        kind = b"silero-16k"
        i32(len(kind))
        f.write(kind)
        i32(major, minor, patch, 512, 64, 4)
        for i in range(4):
            i32(ENC_IN[i], ENC_OUT[i], 3)
        i32(128, 128, 128, 1)
        for name in names:
            a = weights[name]
            if name.endswith("forward_basis_buffer"):
                dims = [a.shape[2], a.shape[1], a.shape[0]]
                half = True
            else:
                a = np.squeeze(a)
                dims = list(reversed(a.shape))
                half = name.endswith("weight") and ("encoder" in name or "decoder.2" in name)
            a = a.astype(np.float16 if half else np.float32)
            key = ("_" + name).encode()
            i32(len(dims), len(key), 1 if half else 0, *dims)
            f.write(key)
            f.write(np.ascontiguousarray(a).tobytes())


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
