package safetensors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"unicode/utf8"
)

// parseHeader parses the JSON header into tensor entries (in header order)
// and the metadata map. Errors are *FormatError without Path. Whitespace
// around the object is allowed, as in the reference reader (which does not
// yet insist on a leading '{').
func parseHeader(header []byte) ([]entry, map[string]string, error) {
	fail := func(tensor, format string, args ...any) error {
		return &FormatError{Tensor: tensor, Reason: fmt.Sprintf(format, args...)}
	}
	if !utf8.Valid(header) {
		return nil, nil, fail("", "header is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(header))
	var entries []entry
	var meta map[string]string
	err := eachKey(dec, func(key string) error {
		if key == metadataKey {
			m, err := parseMetadata(dec)
			if err != nil {
				return fmt.Errorf("%s: %v", metadataKey, err)
			}
			meta = m
			return nil
		}
		e, err := parseEntry(dec, key)
		if err != nil {
			return &FormatError{Tensor: key, Reason: err.Error()}
		}
		entries = append(entries, e)
		return nil
	})
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("unexpected data after the header's JSON object")
		}
	}
	if err != nil {
		var fe *FormatError
		if errors.As(err, &fe) {
			return nil, nil, fe
		}
		return nil, nil, fail("", "invalid header JSON: %v", err)
	}
	return entries, meta, nil
}

// parseMetadata reads the "__metadata__" value: an object of strings, or
// null (read as no metadata, as the reference reader does).
func parseMetadata(dec *json.Decoder) (map[string]string, error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	if string(raw) == "null" {
		return nil, nil
	}
	sub := json.NewDecoder(bytes.NewReader(raw))
	meta := map[string]string{}
	err := eachKey(sub, func(k string) error {
		tok, err := sub.Token()
		if err != nil {
			return err
		}
		v, ok := tok.(string)
		if !ok {
			return fmt.Errorf("value of %q is not a string", k)
		}
		meta[k] = v
		return nil
	})
	return meta, err
}

// eachKey reads a JSON object from dec, calling fn for each key with dec
// positioned at its value; fn must consume the value. Duplicate keys are an
// error.
func eachKey(dec *json.Decoder, fn func(key string) error) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("expected a JSON object, found %v", tokenString(tok))
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("expected an object key, found %v", tokenString(tok))
		}
		if seen[key] {
			return fmt.Errorf("duplicate key %q", key)
		}
		seen[key] = true
		if err := fn(key); err != nil {
			return err
		}
	}
	_, err = dec.Token() // the closing '}'
	return err
}

func tokenString(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return fmt.Sprintf("'%c'", rune(t))
	case string:
		return fmt.Sprintf("string %q", t)
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%v", t)
	}
}

// parseEntry parses one tensor record {"dtype", "shape", "data_offsets"}
// and checks it on its own: known dtype, sane shape, and a byte range whose
// size matches dtype and shape. Unknown keys are ignored, as the reference
// reader does.
func parseEntry(dec *json.Decoder, name string) (entry, error) {
	e := entry{name: name}
	var haveDType, haveShape, haveOffsets bool
	err := eachKey(dec, func(key string) error {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		switch key {
		case "dtype":
			var s string
			if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
				return fmt.Errorf("dtype %s is not a string", raw)
			}
			e.dtype, haveDType = DType(s), true
		case "shape":
			var dims []uint64
			if raw[0] != '[' || json.Unmarshal(raw, &dims) != nil {
				return fmt.Errorf("shape %s is not a list of non-negative integers", raw)
			}
			e.shape = make([]int, len(dims))
			for i, d := range dims {
				if d > math.MaxInt {
					return fmt.Errorf("shape %s has a dimension too large", raw)
				}
				e.shape[i] = int(d)
			}
			haveShape = true
		case "data_offsets":
			var off []uint64
			if raw[0] != '[' || json.Unmarshal(raw, &off) != nil || len(off) != 2 {
				return fmt.Errorf("data_offsets %s is not a pair of non-negative integers", raw)
			}
			e.begin, e.end, haveOffsets = off[0], off[1], true
		}
		return nil
	})
	if err != nil {
		return e, err
	}
	switch {
	case !haveDType:
		return e, errors.New(`missing "dtype"`)
	case !haveShape:
		return e, errors.New(`missing "shape"`)
	case !haveOffsets:
		return e, errors.New(`missing "data_offsets"`)
	case !e.dtype.Valid():
		return e, fmt.Errorf("unknown dtype %q", string(e.dtype))
	case e.begin > e.end:
		return e, fmt.Errorf("data_offsets [%d, %d] end before they begin", e.begin, e.end)
	}
	want, err := numBytes(e.dtype, e.shape)
	if err != nil {
		return e, err
	}
	if got := e.end - e.begin; got != uint64(want) {
		return e, fmt.Errorf("%s shape %v needs %d bytes, but data_offsets [%d, %d] give %d", e.dtype, e.shape, want, e.begin, e.end, got)
	}
	return e, nil
}
