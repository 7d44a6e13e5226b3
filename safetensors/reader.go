package safetensors

import (
	"bufio"
	"fmt"
	"os"
	"slices"
)

// Info describes one tensor of a file opened with Open: everything the
// header says about it, without its data.
type Info struct {
	Name  string
	DType DType
	Shape []int
	// Offset is where the tensor's data starts in the file, and Size its
	// length in bytes (what DType and Shape call for).
	Offset, Size int64
}

// Reader gives access to a safetensors file's header without reading its
// data, and then to one tensor at a time. Use it to check names, dtypes and
// shapes before committing memory to a file: Open reads only the header
// (at most MaxHeaderSize bytes) and checks it, and the file's size, as
// ReadFile does.
type Reader struct {
	f    *os.File
	path string
	// Tensors lists the tensors in the order of their data.
	Tensors []Info
	// Metadata is the "__metadata__" map, nil if the file has none.
	Metadata map[string]string
}

// Open opens the safetensors file at path and reads and checks its header
// as ReadFile does (including that the file's size is exactly what the
// header describes), but reads no tensor data. Close the Reader when done.
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, &FormatError{Path: path, Reason: "not a regular file"}
	}
	h, err := readHeader(bufio.NewReaderSize(f, 1<<16), path, st.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	r := &Reader{f: f, path: path, Metadata: h.meta, Tensors: make([]Info, len(h.entries))}
	start := int64(8 + h.n)
	for i, e := range h.entries {
		r.Tensors[i] = Info{Name: e.name, DType: e.dtype, Shape: slices.Clone(e.shape),
			Offset: start + int64(e.begin), Size: int64(e.end - e.begin)}
	}
	return r, nil
}

// Info returns what the header says about the named tensor.
func (r *Reader) Info(name string) (Info, bool) {
	for _, t := range r.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return Info{}, false
}

// Names returns the tensor names in file order.
func (r *Reader) Names() []string {
	names := make([]string, len(r.Tensors))
	for i, t := range r.Tensors {
		names[i] = t.Name
	}
	return names
}

// Read reads the named tensor's data: exactly the bytes its header entry
// describes, which Open has checked lie inside the file.
func (r *Reader) Read(name string) (Tensor, error) {
	info, ok := r.Info(name)
	if !ok {
		return Tensor{}, &FormatError{Path: r.path, Tensor: name, Reason: "no such tensor"}
	}
	b := make([]byte, info.Size)
	if _, err := r.f.ReadAt(b, info.Offset); err != nil {
		return Tensor{}, fmt.Errorf("safetensors: %s: tensor %q: %w", r.path, name, err)
	}
	return Tensor{Name: info.Name, DType: info.DType, Shape: slices.Clone(info.Shape), Data: b}, nil
}

// Close closes the file.
func (r *Reader) Close() error { return r.f.Close() }
