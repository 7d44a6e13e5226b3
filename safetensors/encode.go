package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/duboko/duboko/internal/atomicfile"
)

// Encode writes tensors and optional metadata to w in the safetensors
// format, laid out as the reference writer does: tensors sorted by
// decreasing dtype alignment, then by name; the header as compact JSON with
// "__metadata__" first (keys sorted), padded with spaces to a multiple of 8
// bytes, so that each tensor's data in the file is aligned to its element
// size.
//
// It returns an error, and writes nothing, if a name is empty, repeated or
// "__metadata__", a dtype is unknown, or a tensor's data length does not
// match its dtype and shape.
func Encode(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	header, order, err := encodeHeader(tensors, metadata)
	if err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(header)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	for _, t := range order {
		if _, err := w.Write(t.Data); err != nil {
			return err
		}
	}
	return nil
}

// WriteFile writes tensors and optional metadata to path in the
// safetensors format (see Encode). The file is replaced atomically: readers
// see the old file or the complete new one, never a partial write.
func WriteFile(path string, tensors []Tensor, metadata map[string]string) error {
	// Validate before touching the file system, so a bad tensor leaves
	// nothing behind and the error reads the same as Encode's.
	if _, _, err := encodeHeader(tensors, metadata); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		return Encode(w, tensors, metadata)
	})
}

// encodeHeader validates the tensors and returns the padded JSON header and
// the tensors in the order their data follows it.
func encodeHeader(tensors []Tensor, metadata map[string]string) ([]byte, []Tensor, error) {
	seen := make(map[string]bool, len(tensors))
	for _, t := range tensors {
		switch {
		case t.Name == "":
			return nil, nil, fmt.Errorf("safetensors: encode: tensor with empty name")
		case t.Name == metadataKey:
			return nil, nil, fmt.Errorf("safetensors: encode: tensor name %q is reserved for metadata", t.Name)
		case !utf8.ValidString(t.Name):
			return nil, nil, fmt.Errorf("safetensors: encode: tensor name %q is not valid UTF-8", t.Name)
		case seen[t.Name]:
			return nil, nil, fmt.Errorf("safetensors: encode: duplicate tensor name %q", t.Name)
		}
		seen[t.Name] = true
		if err := t.check(); err != nil {
			return nil, nil, fmt.Errorf("safetensors: encode: tensor %q: %v", t.Name, err)
		}
	}
	for k, v := range metadata {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return nil, nil, fmt.Errorf("safetensors: encode: metadata %q: %q is not valid UTF-8", k, v)
		}
	}
	order := slices.Clone(tensors)
	slices.SortFunc(order, func(a, b Tensor) int {
		if ra, rb := dtypeInfo[a.DType].rank, dtypeInfo[b.DType].rank; ra != rb {
			return rb - ra
		}
		return strings.Compare(a.Name, b.Name)
	})

	var h bytes.Buffer
	h.WriteByte('{')
	first := true
	comma := func() {
		if !first {
			h.WriteByte(',')
		}
		first = false
	}
	if metadata != nil {
		comma()
		writeJSONString(&h, metadataKey)
		h.WriteString(":{")
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				h.WriteByte(',')
			}
			writeJSONString(&h, k)
			h.WriteByte(':')
			writeJSONString(&h, metadata[k])
		}
		h.WriteByte('}')
	}
	offset := 0
	for _, t := range order {
		comma()
		writeJSONString(&h, t.Name)
		h.WriteString(`:{"dtype":`)
		writeJSONString(&h, string(t.DType))
		h.WriteString(`,"shape":[`)
		for i, d := range t.Shape {
			if i > 0 {
				h.WriteByte(',')
			}
			h.WriteString(strconv.Itoa(d))
		}
		h.WriteString(`],"data_offsets":[`)
		h.WriteString(strconv.Itoa(offset))
		h.WriteByte(',')
		offset += len(t.Data)
		h.WriteString(strconv.Itoa(offset))
		h.WriteString("]}")
	}
	h.WriteByte('}')
	for h.Len()%8 != 0 {
		h.WriteByte(' ')
	}
	if err := checkHeaderLen(h.Len()); err != nil {
		return nil, nil, err
	}
	return h.Bytes(), order, nil
}

// checkHeaderLen refuses to write a header of n bytes (padding included)
// that no reader would accept: more than MaxHeaderSize.
func checkHeaderLen(n int) error {
	if n > MaxHeaderSize {
		return fmt.Errorf("safetensors: encode: header of %d bytes exceeds the limit of %d", n, MaxHeaderSize)
	}
	return nil
}

// writeJSONString writes s as a JSON string without HTML escaping, as the
// reference writer does.
func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)               // cannot fail for a string
	buf.Truncate(buf.Len() - 1) // drop the newline Encode appends
}
