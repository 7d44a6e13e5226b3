package train

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/duboko/duboko/internal/atomicfile"
)

// Metric is a named mean over samples: Sum over N. A task's Step returns
// the sums of its batch (for a loss, the batch mean times the batch size;
// for an accuracy, the number correct), so that the trainer's epoch means
// are exact whatever the batch sizes.
type Metric struct {
	Name    string  // key in the metrics file, after "train_" or "val_": "loss", "accuracy"
	Label   string  // short name in progress lines: "loss", "acc"; Name when empty
	Percent bool    // shown as a percentage
	Sum, N  float64 // the mean is Sum/N
}

// Value returns Sum/N, or NaN when N is 0 (a missing value).
func (m Metric) Value() float64 {
	if m.N == 0 {
		return math.NaN()
	}
	return m.Sum / m.N
}

// String formats the metric as a progress line shows it: "loss 0.1234" or
// "acc 97.50%".
func (m Metric) String() string {
	l := m.Label
	if l == "" {
		l = m.Name
	}
	if m.Percent {
		return fmt.Sprintf("%s %.2f%%", l, 100*m.Value())
	}
	return fmt.Sprintf("%s %.4f", l, m.Value())
}

// Metrics is an ordered list of metrics.
type Metrics []Metric

// Get returns the value of the named metric, NaN if there is none.
func (ms Metrics) Get(name string) float64 {
	for _, m := range ms {
		if m.Name == name {
			return m.Value()
		}
	}
	return math.NaN()
}

// Add accumulates o into ms, metric by metric (by name; metrics new to ms
// are appended), and returns the result.
func (ms Metrics) Add(o Metrics) Metrics {
	for _, m := range o {
		found := false
		for i := range ms {
			if ms[i].Name == m.Name {
				ms[i].Sum += m.Sum
				ms[i].N += m.N
				found = true
				break
			}
		}
		if !found {
			ms = append(ms, m)
		}
	}
	return ms
}

// String joins the metrics' String forms with spaces.
func (ms Metrics) String() string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.String()
	}
	return strings.Join(s, " ")
}

// missing returns ms with every value missing (for an epoch without
// validation), keeping names and labels.
func (ms Metrics) missing() Metrics {
	out := make(Metrics, len(ms))
	for i, m := range ms {
		out[i] = Metric{Name: m.Name, Label: m.Label, Percent: m.Percent}
	}
	return out
}

// EpochStats is one epoch's record. In the metrics file and the checkpoint
// it is one flat JSON object, in this order: "epoch", "lr", "train_NAME"
// for each training metric, "val_NAME" for each validation metric,
// "seconds", "UNIT_per_second"; a missing value (NaN) is null.
type EpochStats struct {
	Epoch   int
	LR      float64
	Train   Metrics // means over the epoch's training steps
	Val     Metrics // on the validation set; missing values when there is none
	Seconds float64 // training time of the epoch, without validation
	Rate    float64 // training samples per second
	Unit    string  // what a sample is, plural ("images"); "samples" when empty
}

// Float is a float64 that encodes NaN as JSON null (a missing value) and
// ±Inf as ±1e999, which JSON readers decode as ±Inf; null decodes as NaN.
type Float float64

// MarshalJSON encodes f; NaN is null.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte("null"), nil
	case math.IsInf(v, 1):
		return []byte("1e999"), nil
	case math.IsInf(v, -1):
		return []byte("-1e999"), nil
	}
	return json.Marshal(v)
}

// UnmarshalJSON decodes a number or null (NaN).
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil && !isRangeErr(err) {
		return fmt.Errorf("not a number: %s", b)
	}
	*f = Float(v)
	return nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// MarshalJSON writes the flat object described at EpochStats.
func (s EpochStats) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"epoch":`)
	b.WriteString(strconv.Itoa(s.Epoch))
	field := func(key string, v float64) {
		k, _ := json.Marshal(key)
		f, _ := Float(v).MarshalJSON()
		b.WriteByte(',')
		b.Write(k)
		b.WriteByte(':')
		b.Write(f)
	}
	field("lr", s.LR)
	for _, m := range s.Train {
		field("train_"+m.Name, m.Value())
	}
	for _, m := range s.Val {
		field("val_"+m.Name, m.Value())
	}
	field("seconds", s.Seconds)
	unit := s.Unit
	if unit == "" {
		unit = "samples"
	}
	field(unit+"_per_second", s.Rate)
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads the flat object MarshalJSON writes; metric values
// come back with N = 1, so Value returns them exactly.
func (s *EpochStats) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("epoch record is not a JSON object")
	}
	*s = EpochStats{}
	haveEpoch := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if key == "epoch" {
			if err := dec.Decode(&s.Epoch); err != nil {
				return fmt.Errorf("epoch: %v", err)
			}
			haveEpoch = true
			continue
		}
		var f Float
		if err := dec.Decode(&f); err != nil {
			return fmt.Errorf("%s: %v", key, err)
		}
		v := float64(f)
		metric := func(name string) Metric {
			if math.IsNaN(v) {
				return Metric{Name: name}
			}
			return Metric{Name: name, Sum: v, N: 1}
		}
		switch {
		case key == "lr":
			s.LR = v
		case key == "seconds":
			s.Seconds = v
		case strings.HasSuffix(key, "_per_second"):
			s.Rate, s.Unit = v, strings.TrimSuffix(key, "_per_second")
		case strings.HasPrefix(key, "train_"):
			s.Train = append(s.Train, metric(strings.TrimPrefix(key, "train_")))
		case strings.HasPrefix(key, "val_"):
			s.Val = append(s.Val, metric(strings.TrimPrefix(key, "val_")))
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	if !haveEpoch {
		return fmt.Errorf("epoch record without \"epoch\"")
	}
	return nil
}

// WriteMetrics replaces the JSON-lines file at path atomically: one object
// per epoch of hist, then final, when it is not nil, as the last line
// (use Float for values that may be NaN). Every encoding error is
// returned.
func WriteMetrics(path string, hist []EpochStats, final any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, h := range hist {
		if err := enc.Encode(h); err != nil {
			return fmt.Errorf("metrics of epoch %d: %w", h.Epoch, err)
		}
	}
	if final != nil {
		if err := enc.Encode(final); err != nil {
			return fmt.Errorf("final metrics: %w", err)
		}
	}
	return atomicfile.WriteBytes(path, b.Bytes())
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
