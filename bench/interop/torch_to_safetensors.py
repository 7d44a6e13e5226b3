"""Turns a PyTorch state dict (torch.save of model.state_dict(), or of a whole
module) into a safetensors file that duboko loads (nn.Load, duboko eval,
duboko export): the way from PyTorch to duboko.

  /usr/bin/python3 bench/interop/torch_to_safetensors.py model.pt out.safetensors --model cnn

torch 1.13 (Debian's python3-torch) has no safetensors writer and Debian
ships no `safetensors` package, so the file is written by hand. The format:
an 8-byte little-endian header length n, n bytes of JSON mapping each
tensor's name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets
into the data that follows, in bytes) plus an optional "__metadata__" of
string pairs, then the tensors' raw little-endian bytes, row-major. The header
is padded with spaces to a multiple of 8 bytes, as the reference writer does.

--model names the duboko architecture (cnn, mlp) in the metadata, where
`duboko eval` and `duboko export` read it.
"""
import argparse
import json
import os
import struct
import sys

import torch

DTYPES = {
    torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
    torch.bool: "BOOL",
}


def to_bytes(t):
    t = t.detach().cpu().contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: reinterpret as int16
        t = t.view(torch.int16)
    if sys.byteorder != "little":
        raise SystemExit("torch_to_safetensors: big-endian hosts are not supported")
    return t.numpy().tobytes()


def write_safetensors(path, state, metadata):
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        if t.dtype not in DTYPES:
            raise SystemExit(f"torch_to_safetensors: tensor {name!r} has dtype {t.dtype}, which safetensors does not store")
        raw = to_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    js = json.dumps(header, separators=(",", ":")).encode()
    js += b" " * (-len(js) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for raw in blobs:
            f.write(raw)
    os.replace(tmp, path)  # atomic: the file is whole or absent


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("state_dict", help="file written by torch.save (a state dict or a module)")
    ap.add_argument("out", help="safetensors file to write")
    ap.add_argument("--model", default="", help="duboko model name for the metadata (cnn, mlp)")
    args = ap.parse_args()
    obj = torch.load(args.state_dict, map_location="cpu")
    if isinstance(obj, torch.nn.Module):
        obj = obj.state_dict()
    if not isinstance(obj, dict) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise SystemExit(f"torch_to_safetensors: {args.state_dict} holds no state dict of tensors")
    meta = {"source": "pytorch " + torch.__version__}
    if args.model:
        meta["model"] = args.model
    write_safetensors(args.out, obj, meta)
    print(f"wrote {args.out}: {len(obj)} tensors from {args.state_dict}")


if __name__ == "__main__":
    main()
