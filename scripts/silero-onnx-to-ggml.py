#!/usr/bin/env python3
"""Writes Silero VAD (the 16 kHz ONNX graph shipped in the PyPI wheel
`silero-vad`) as the ggml file whisper.cpp's VAD loads. Standard library
only: the ONNX file is read as the protobuf it is.

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

ENC_IN = [129, 128, 64, 64]
ENC_OUT = [128, 64, 64, 128]


def varint(buf, i):
    """The varint at `buf[i]`, and the offset after it."""
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def fields(buf):
    """(field number, wire type, value) of each protobuf field in `buf`."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(buf, i)
            yield num, wire, value
        elif wire in (1, 5):
            n = 8 if wire == 1 else 4
            yield num, wire, buf[i : i + n]
            i += n
        elif wire == 2:
            n, i = varint(buf, i)
            yield num, wire, buf[i : i + n]
            i += n
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")


def packed_varints(buf):
    out, i = [], 0
    while i < len(buf):
        value, i = varint(buf, i)
        out.append(value)
    return out


def initializers(path):
    """name → (dims, list of float32) for the graph's top-level initializers."""
    with open(path, "rb") as f:
        model = f.read()
    graph = next(v for n, w, v in fields(model) if n == 7 and w == 2)
    out = {}
    for n, w, tensor in fields(graph):
        if n != 5 or w != 2:
            continue
        dims, dtype, name, raw, floats = [], 1, "", b"", []
        for tn, tw, tv in fields(tensor):
            if tn == 1:
                dims += packed_varints(tv) if tw == 2 else [tv]
            elif tn == 2:
                dtype = tv
            elif tn == 4:
                floats += (
                    list(struct.unpack(f"<{len(tv) // 4}f", tv)) if tw == 2 else list(struct.unpack("<f", tv))
                )
            elif tn == 8:
                name = tv.decode()
            elif tn == 9:
                raw = tv
        if dtype != 1:
            continue  # not float32: not a weight
        if raw:
            floats = list(struct.unpack(f"<{len(raw) // 4}f", raw))
        out[name] = (dims, floats)
    return out


def main(src, version, out):
    weights = initializers(src)
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
        def i32(*v):
            f.write(struct.pack(f"<{len(v)}i", *v))

        i32(0x67676D6C)
        kind = b"silero-16k"
        i32(len(kind))
        f.write(kind)
        i32(major, minor, patch, 512, 64, 4)
        for i in range(4):
            i32(ENC_IN[i], ENC_OUT[i], 3)
        i32(128, 128, 128, 1)
        for name in names:
            dims, values = weights[name]
            if name.endswith("forward_basis_buffer"):
                shape = [dims[2], dims[1], dims[0]]
                half = True
            else:
                shape = list(reversed([d for d in dims if d != 1]))
                half = name.endswith("weight") and ("encoder" in name or "decoder.2" in name)
            key = ("_" + name).encode()
            i32(len(shape), len(key), 1 if half else 0, *shape)
            f.write(key)
            f.write(struct.pack(f"<{len(values)}{'e' if half else 'f'}", *values))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
