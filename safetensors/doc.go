// Package safetensors reads and writes the safetensors file format, the
// tensor container used by Hugging Face and PyTorch, so that duboko
// checkpoints load in PyTorch and PyTorch state dicts load in duboko.
//
// # The format
//
// A safetensors file has three parts:
//
//	8 bytes   N, the length of the header, as a little-endian uint64
//	N bytes   the header: a UTF-8 JSON object
//	the rest  the data buffer: every tensor's bytes, back to back
//
// The header maps each tensor name to its record, and may hold one reserved
// key, "__metadata__", with a free-form string-to-string map:
//
//	{"__metadata__": {"format": "pt"},
//	 "fc.weight": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
//	 "fc.bias":   {"dtype": "F32", "shape": [2],    "data_offsets": [24, 32]}}
//
// dtype is one of BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16,
// BF16, I32, U32, F32, C64, F64, I64, U64; shape lists the dimensions
// (row-major, C order, as in PyTorch; [] is a scalar with one element); and
// data_offsets are the [begin, end) byte range of the tensor within the data
// buffer, not the file. All data is little-endian. The header may end with
// spaces: writers pad it to a multiple of 8 bytes so that each tensor's data
// is aligned.
//
// # What this package checks
//
// Decode and ReadFile never trust the file. They reject, with a *FormatError
// naming the file and tensor: a file shorter than its header length says, a
// header length over MaxHeaderSize (100 MB, the reference limit), a header
// that is not UTF-8, not one JSON object, or has duplicate keys, an unknown
// dtype, a missing or malformed field, a byte range whose size differs from
// what dtype and shape call for, and ranges that do not tile the data buffer
// exactly (a hole, an overlap, or bytes left over at the end). They do not
// depend on the order of the header's keys; File.Tensors lists tensors in
// the order of their data.
//
// Open makes the same checks from the header and the file's size alone and
// reads no data; its Reader then reads one tensor at a time. Use it to
// check names, dtypes and shapes before committing memory to a file (a
// small sparse file may declare gigabytes of tensors).
//
// Encode and WriteFile lay files out as the reference writer (Hugging Face's
// Rust crate behind safetensors.torch.save) does: tensors sorted by
// decreasing dtype alignment, then by name, the header as compact JSON with
// "__metadata__" first (its keys sorted; the reference leaves them in hash
// order), padded with spaces. A test re-encodes the PyTorch-made file in
// testdata/ and gets the same bytes back. WriteFile replaces its file
// atomically.
//
// # Names and layouts
//
// To interchange with PyTorch, use PyTorch's state-dict names and layouts:
// "fc.weight" [out, in], "fc.bias" [out], "conv.weight" [out, in, kh, kw],
// "bn.running_mean", "bn.num_batches_tracked" (an I64 scalar), and so on.
// The files in testdata/ were made by PyTorch (see testdata/gen.py) and are
// read by the tests in this package.
package safetensors
