#!/usr/bin/env python3
"""PyTorch oracle for duboko's safetensors package.

Generate (writes torch_state.safetensors and torch_state.json beside this
script):

    python3 safetensors/testdata/gen.py

Check that PyTorch reads a file written by duboko (go_state.safetensors is
written by `go test ./safetensors -run TestGoWrittenGolden -update`, together
with go_state.json holding the values it must contain):

    python3 safetensors/testdata/gen.py --check safetensors/testdata/go_state.safetensors safetensors/testdata/go_state.json

The state dict is a torch.nn.Linear(3, 2) ("fc.*"), a torch.nn.Conv2d(1, 2, 3)
("conv.*") and a torch.nn.BatchNorm2d(2) after one training step ("bn.*",
including the int64 scalar bn.num_batches_tracked), all with torch.manual_seed(0),
plus a float64 tensor and float16/bfloat16 tensors for conversion checks.

The file is saved with the `safetensors` Python package when it is installed;
otherwise it is written by hand here following the format exactly as the
reference writer does (tensors by decreasing dtype alignment then name,
compact JSON with __metadata__ first, header padded with spaces to 8 bytes),
so both ways give the same bytes. Reading uses a hand parser and
torch.frombuffer, and also safetensors.torch.load_file when available.
The Go tests never run this script; they read its committed output.
"""
import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))

DTYPES = {  # safetensors name -> (torch dtype, reference alignment rank)
    "BOOL": (torch.bool, 0),
    "U8": (torch.uint8, 4),
    "I8": (torch.int8, 5),
    "I16": (torch.int16, 9),
    "F16": (torch.float16, 11),
    "BF16": (torch.bfloat16, 12),
    "I32": (torch.int32, 13),
    "F32": (torch.float32, 15),
    "F64": (torch.float64, 17),
    "I64": (torch.int64, 18),
}
NAME_OF = {dt: name for name, (dt, _) in DTYPES.items()}


def state_dict():
    torch.manual_seed(0)
    fc = torch.nn.Linear(3, 2)
    conv = torch.nn.Conv2d(1, 2, 3)
    bn = torch.nn.BatchNorm2d(2)
    bn.train()
    bn(torch.randn(4, 2, 3, 3))  # one step: running stats and num_batches_tracked change
    sd = {}
    for prefix, m in (("fc", fc), ("conv", conv), ("bn", bn)):
        for k, v in m.state_dict().items():
            sd[prefix + "." + k] = v.detach().clone()
    sd["extra.double"] = torch.randn(2, 3, dtype=torch.float64)
    sd["extra.half"] = torch.tensor([1.0, -2.5, 65504.0, 6e-8, 0.0, -0.0, 1 / 3], dtype=torch.float16)
    sd["extra.bfloat16"] = torch.tensor([1.0, -2.5, 3.0e38, 1e-40, 1 / 3], dtype=torch.bfloat16)
    return sd


def encode(tensors, metadata=None):
    """Serialize like the reference writer (safetensors.torch.save)."""
    items = sorted(tensors.items(), key=lambda kv: (-DTYPES[NAME_OF[kv[1].dtype]][1], kv[0]))
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, t in items:
        t = t.contiguous()
        raw = t.view(torch.uint8).numpy().tobytes() if t.dim() > 0 else t.reshape(1).view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": NAME_OF[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    return struct.pack("<Q", len(hb)) + hb + b"".join(blobs)


def decode(data):
    """Hand parser: the header, then torch.frombuffer for each tensor."""
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    buf = data[8 + n :]
    meta = header.pop("__metadata__", None)
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        dt = DTYPES[info["dtype"]][0]
        raw = bytearray(buf[b:e])
        t = torch.frombuffer(raw, dtype=dt) if raw else torch.empty(0, dtype=dt)
        out[name] = t.reshape(info["shape"])
    assert max([i["data_offsets"][1] for i in header.values()] + [0]) == len(buf), "buffer not covered"
    return out, meta


def values(t):
    """Flat values as JSON numbers; float64 holds every float16/bfloat16/float32 value exactly."""
    if t.is_floating_point():
        return t.reshape(-1).double().tolist()
    return t.reshape(-1).tolist()


def generate():
    sd = state_dict()
    meta = {"format": "pt", "source": "duboko safetensors/testdata/gen.py"}
    try:
        from safetensors.torch import save

        data = save(sd, metadata=meta)
        how = "safetensors.torch.save"
    except ImportError:
        data = encode(sd, meta)
        how = "hand-written encoder (safetensors package not installed)"
    with open(os.path.join(HERE, "torch_state.safetensors"), "wb") as f:
        f.write(data)
    expected = {
        "torch_version": torch.__version__,
        "metadata": meta,
        "tensors": {k: {"dtype": NAME_OF[v.dtype], "shape": list(v.shape), "values": values(v)} for k, v in sd.items()},
    }
    with open(os.path.join(HERE, "torch_state.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    # Self-check: our parser reads back what was written.
    back, m = decode(data)
    assert m == meta
    for k, v in sd.items():
        assert torch.equal(back[k], v), k
    print("wrote torch_state.safetensors (%d bytes, %s) and torch_state.json" % (len(data), how))


def check(path, expected_path=None):
    with open(path, "rb") as f:
        data = f.read()
    tensors, meta = decode(data)
    print("%s: %d tensors, metadata %s" % (path, len(tensors), meta))
    for k, v in tensors.items():
        print("  %-24s %-15s %s" % (k, v.dtype, list(v.shape)))
    try:
        from safetensors.torch import load_file

        lib = load_file(path)
        assert set(lib) == set(tensors)
        for k in lib:
            assert torch.equal(lib[k], tensors[k]), k
        print("safetensors.torch.load_file agrees")
    except ImportError:
        print("safetensors package not installed: checked with the hand parser and torch.frombuffer only")
    if expected_path:
        with open(expected_path) as f:
            exp = json.load(f)
        assert set(exp["tensors"]) == set(tensors), (sorted(exp["tensors"]), sorted(tensors))
        for k, e in exp["tensors"].items():
            t = tensors[k]
            assert NAME_OF[t.dtype] == e["dtype"], (k, t.dtype, e["dtype"])
            assert list(t.shape) == e["shape"], (k, list(t.shape), e["shape"])
            want = torch.tensor(e["values"], dtype=torch.float64 if t.is_floating_point() else torch.int64)
            got = t.reshape(-1).to(want.dtype)
            assert torch.equal(got, want), (k, got, want)
        assert (meta or {}) == exp.get("metadata", {}), (meta, exp.get("metadata"))
        print("all %d tensors match %s" % (len(tensors), expected_path))
    # And PyTorch can use them: load into modules when the names fit.
    if "fc.weight" in tensors:
        fc = torch.nn.Linear(tensors["fc.weight"].shape[1], tensors["fc.weight"].shape[0])
        fc.load_state_dict({"weight": tensors["fc.weight"], "bias": tensors["fc.bias"]})
        print("torch.nn.Linear.load_state_dict ok; fc(ones) =", fc(torch.ones(1, fc.in_features)).tolist())
    print("OK")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--check":
        check(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        generate()
