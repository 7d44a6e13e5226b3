package graph

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/duboko/duboko/nn"
	"github.com/duboko/duboko/tensor"
)

// LayerSummary is one row of a model summary: a leaf layer with its
// output shape, parameters, scalar operations, activation memory and
// receptive field.
type LayerSummary struct {
	Name     string // path in the model ("conv1", "block.0")
	Type     string // "Conv2d", "ReLU", "Linear", ...
	Depth    int    // nesting depth (0 for a top-level layer)
	InShape  []int  // input shape (batch included)
	OutShape []int  // output shape (batch included)
	Params   int    // scalar parameters
	Counts   Counts // scalar operations of the forward pass for this batch
	// ActivationBytes is the memory of the layer's output for this batch
	// and dtype; 0 for a view that shares its input's storage (Flatten).
	ActivationBytes int64
	RF              Receptive // receptive field of each output element
}

// Receptive is the receptive field of a layer's output elements in input
// pixels, from the recurrence r_out = r_in + (k−1)·d·j_in, j_out = j_in·s
// over the conv and pool layers so far (k kernel, d dilation, s stride, j
// the distance in input pixels between adjacent elements).
type Receptive struct {
	Valid bool   // false when not meaningful (input is not [N, C, H, W])
	Full  bool   // every output sees the whole input (after a fully connected or global layer)
	Size  [2]int // height and width of the field in input pixels
	Jump  [2]int // input pixels between neighbouring outputs
}

func (r Receptive) String() string {
	switch {
	case !r.Valid:
		return "-"
	case r.Full:
		return "all"
	}
	return fmt.Sprintf("%d×%d", r.Size[0], r.Size[1])
}

// Summary describes a model for one input shape, like torchinfo's
// summary, with operation counts, activation memory and receptive fields.
type Summary struct {
	Model           string
	Input           []int        // input shape, batch included
	DType           tensor.DType // dtype the model ran in
	ElementSize     int          // bytes per element in the memory figures
	Layers          []LayerSummary
	TotalParams     int
	TrainableParams int
	Total           Counts
	InputBytes      int64
	ActivationBytes int64 // sum of the layers' ActivationBytes
	ParamBytes      int64
}

// SummaryOptions configure Summarize.
type SummaryOptions struct {
	// Name is the model name shown in the header (default: its Go type).
	Name string
	// ElementSize is the bytes per element for memory figures (default:
	// the size of the model's dtype, that of its first parameter, else
	// float32's 4). Set 8 to see float64 memory, 2 for half precision.
	ElementSize int
}

// Summarize runs one forward pass of m on a zero input of the given shape
// (batch axis first, e.g. [50, 1, 28, 28]) and reports every leaf layer.
// Nested Sequentials are descended into. Operation counts are those of the
// straightforward implementation (see Counts), summed over the recorded
// ops of each layer; layers recorded as one custom op (Wrap) count zero.
// m is switched to evaluation mode. A layer that panics (a shape that does
// not fit) is returned as an error.
func Summarize(m nn.Module, input []int, opts ...SummaryOptions) (s *Summary, err error) {
	var o SummaryOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	dt := tensor.Float32
	if ps := m.Params(); len(ps) > 0 {
		dt = ps[0].Tensor.DType()
	}
	size := int64(dt.Size())
	if o.ElementSize > 0 {
		size = int64(o.ElementSize)
	}
	if o.Name == "" {
		o.Name = typeName(m)
	}
	s = &Summary{Model: o.Name, Input: append([]int(nil), input...), DType: dt, ElementSize: int(size)}
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = fmt.Errorf("summary of %s for input %v: %w", o.Name, input, e)
			} else {
				err = fmt.Errorf("summary of %s for input %v: %v", o.Name, input, r)
			}
			s = nil
		}
	}()
	m.SetTraining(false)
	x := tensor.ZerosOf(dt, input...).SetRequiresGrad(true)
	s.InputBytes = int64(x.Len()) * size
	rf := Receptive{}
	if len(input) == 4 {
		rf = Receptive{Valid: true, Size: [2]int{1, 1}, Jump: [2]int{1, 1}}
	}
	var visit func(prefix string, depth int, l nn.Module)
	visit = func(prefix string, depth int, l nn.Module) {
		if seq, ok := l.(*nn.Sequential); ok {
			for i, sub := range seq.Layers {
				name := seq.Names[i]
				if prefix != "" {
					name = prefix + "." + name
				}
				visit(name, depth+1, sub)
			}
			return
		}
		if prefix == "" {
			prefix = typeName(l)
		}
		row := LayerSummary{Name: prefix, Type: typeName(l), Depth: depth, InShape: x.Shape()}
		y := l.Forward(x)
		row.OutShape = y.Shape()
		for _, p := range l.Params() {
			row.Params += p.Tensor.Len()
		}
		g := Build(y, StopAt(x))
		for _, n := range g.Nodes {
			row.Counts = row.Counts.Plus(OpCounts(n))
		}
		row.Counts = layerCounts(l, row)
		if !y.SharesData(x) {
			row.ActivationBytes = int64(y.Len()) * size
		}
		rf = nextRF(rf, l, row)
		row.RF = rf
		s.Layers = append(s.Layers, row)
		x = y
	}
	visit("", -1, m)
	for _, p := range m.Params() {
		s.TotalParams += p.Tensor.Len()
		if p.Tensor.RequiresGrad() {
			s.TrainableParams += p.Tensor.Len()
		}
	}
	s.ParamBytes = int64(s.TotalParams) * size
	for _, r := range s.Layers {
		s.Total = s.Total.Plus(r.Counts)
		s.ActivationBytes += r.ActivationBytes
	}
	if full := s.Input; len(full) == 4 {
		for i := range s.Layers {
			if r := &s.Layers[i].RF; r.Full {
				r.Size = [2]int{full[2], full[3]}
			}
		}
	}
	return s, nil
}

// layerCounts corrects the counts read off the graph where the layer
// knows more than the op's shapes (the pooling window).
func layerCounts(l nn.Module, row LayerSummary) Counts {
	n := int64(numel(row.OutShape))
	switch p := l.(type) {
	case *nn.MaxPool2d:
		return Counts{Other: n * int64(p.Kernel[0]*p.Kernel[1]-1)}
	case *nn.AvgPool2d:
		return Counts{Mul: n, Add: n * int64(p.Kernel[0]*p.Kernel[1]-1)}
	}
	return row.Counts
}

// nextRF applies one layer to the receptive-field recurrence.
func nextRF(rf Receptive, l nn.Module, row LayerSummary) Receptive {
	if !rf.Valid || rf.Full {
		return rf
	}
	step := func(k, d, s [2]int) Receptive {
		for i := range 2 {
			rf.Size[i] += (k[i] - 1) * max(d[i], 1) * rf.Jump[i]
			rf.Jump[i] *= max(s[i], 1)
		}
		return rf
	}
	switch c := l.(type) {
	case *nn.Conv2d:
		return step(c.Kernel, c.Dilation, c.Stride)
	case *nn.MaxPool2d:
		return step(c.Kernel, [2]int{1, 1}, c.Stride)
	case *nn.AvgPool2d:
		return step(c.Kernel, [2]int{1, 1}, c.Stride)
	case *nn.Linear, *nn.GlobalAvgPool2d, *nn.GlobalMaxPool2d:
		rf.Full = true
		return rf
	case *nn.Flatten:
		return rf
	}
	in, out := row.InShape, row.OutShape
	if len(in) == 4 && len(out) == 4 && in[2] == out[2] && in[3] == out[3] {
		return rf // element-wise or channel-wise (activations, batch norm, dropout)
	}
	if row.Params == 0 && numel(in) == numel(out) {
		return rf // a reshape
	}
	rf.Full = true // an unknown layer mixing positions
	return rf
}

// typeName returns a layer's name: Name() if it has one (activations),
// else its Go type without package and pointer.
func typeName(l any) string {
	if n, ok := l.(interface{ Name() string }); ok {
		return n.Name()
	}
	t := reflect.TypeOf(l)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// String formats the summary as a table.
func (s *Summary) String() string {
	var b strings.Builder
	s.WriteTo(&b)
	return b.String()
}

// WriteTo writes the summary table: one row per layer with output shape,
// parameters, multiplications, additions, other operations, activation
// memory and receptive field, then the totals.
func (s *Summary) WriteTo(w io.Writer) (int64, error) {
	head := []string{"Layer (type)", "Output shape", "Params", "Mul", "Add", "Other", "Act. memory", "RF"}
	rows := [][]string{head}
	for _, r := range s.Layers {
		name := strings.Repeat("  ", max(r.Depth, 0)) + r.Name
		if r.Type != r.Name {
			name += " (" + r.Type + ")"
		}
		rows = append(rows, []string{name, fmt.Sprint(r.OutShape), comma(int64(r.Params)),
			comma(r.Counts.Mul), comma(r.Counts.Add), comma(r.Counts.Other), bytesString(r.ActivationBytes), r.RF.String()})
	}
	widths := make([]int, len(head))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	total := len(widths)*2 - 2
	for _, wd := range widths {
		total += wd
	}
	rule := strings.Repeat("=", total) + "\n"
	var b strings.Builder
	fmt.Fprintf(&b, "%s, input %v %v, %d bytes per element\n", s.Model, s.Input, s.DType, s.ElementSize)
	b.WriteString(rule)
	for i, row := range rows {
		for j, c := range row {
			if j > 0 {
				b.WriteString("  ")
			}
			if j == 0 || j == 1 || j == len(row)-1 {
				b.WriteString(pad(c, widths[j]))
			} else {
				b.WriteString(strings.Repeat(" ", widths[j]-len([]rune(c))) + c)
			}
		}
		b.WriteString("\n")
		if i == 0 {
			b.WriteString(rule)
		}
	}
	b.WriteString(rule)
	fmt.Fprintf(&b, "Total params: %s\n", comma(int64(s.TotalParams)))
	fmt.Fprintf(&b, "Trainable params: %s\n", comma(int64(s.TrainableParams)))
	fmt.Fprintf(&b, "Non-trainable params: %s\n", comma(int64(s.TotalParams-s.TrainableParams)))
	fmt.Fprintf(&b, "Multiplications: %s, additions: %s, other: %s\n", comma(s.Total.Mul), comma(s.Total.Add), comma(s.Total.Other))
	b.WriteString(rule)
	fmt.Fprintf(&b, "Input size: %s\n", bytesString(s.InputBytes))
	fmt.Fprintf(&b, "Activation memory (forward, batch %d): %s (%s bytes)\n", batchOf(s.Input), bytesString(s.ActivationBytes), comma(s.ActivationBytes))
	fmt.Fprintf(&b, "Params size: %s\n", bytesString(s.ParamBytes))
	fmt.Fprintf(&b, "Estimated total size: %s\n", bytesString(s.InputBytes+s.ActivationBytes+s.ParamBytes))
	b.WriteString(rule)
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func batchOf(shape []int) int {
	if len(shape) == 0 {
		return 1
	}
	return shape[0]
}

// comma formats n with thousands separators: 803,328.
func comma(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// bytesString formats a byte count in B, kB or MB (powers of ten, as
// torchinfo).
func bytesString(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.2f MB", float64(n)/1e6)
}
