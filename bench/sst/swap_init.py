#!/usr/bin/env python3
"""Write an initialisation that takes some parameter groups from another one.

    python3 bench/sst/swap_init.py BASE.safetensors FROM.safetensors OUT.safetensors PREFIX...

OUT holds BASE's tensors, except those whose name starts with one of the PREFIXes
(embedding, rnn, fc, ...), which come from FROM. Both files use the names that
bench/sst/steps writes and torch_steps.py --save-init writes (PyTorch's). Used by
bench/sst/draws.sh to find which random draws carry an accuracy difference.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_steps import read_safetensors, write_safetensors  # noqa: E402


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    base, src, out, prefixes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    b, s = read_safetensors(base), read_safetensors(src)
    if set(b) != set(s):
        sys.exit(f"swap_init: {base} and {src} hold different parameters")
    for name in b:
        if any(name.startswith(p) for p in prefixes):
            if b[name].shape != s[name].shape:
                sys.exit(f"swap_init: {name} is {tuple(b[name].shape)} in {base}, {tuple(s[name].shape)} in {src}")
            b[name] = s[name]
    write_safetensors(out, b)


if __name__ == "__main__":
    main()
