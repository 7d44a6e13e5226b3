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
	// Counts are the scalar operations of the forward pass for this batch:
	// the layer's own (nn.Counter), else the sum of its recorded ops'
	// declarations; Counts.Unknown > 0 when some are not known.
	Counts Counts
	// ActivationBytes is the memory of the layer's output for this batch
	// and dtype; 0 for a view that shares its input's storage (Flatten).
	ActivationBytes int64
	RF              Receptive // receptive field of each output element
}

// Receptive is the receptive field of a layer's output elements in input
// pixels, from the recurrence r_out = r_in + (k−1)·d·j_in, j_out = j_in·s
// over the conv and pool layers so far (k kernel, d dilation, s stride, j
// the distance in input pixels between adjacent elements). Each layer's
// rule is its own (nn.FieldRuler) or composed from its recorded ops'
// declarations (tensor.FieldRule).
type Receptive struct {
	Valid   bool   // false when not meaningful (input is not [N, C, H, W])
	Full    bool   // every output sees the whole input (after a fully connected or global layer)
	Unknown bool   // a layer so far declared no rule (and none since saw everything)
	Size    [2]int // height and width of the field in input pixels
	Jump    [2]int // input pixels between neighbouring outputs
}

func (r Receptive) String() string {
	switch {
	case !r.Valid:
		return "-"
	case r.Full:
		return "all"
	case r.Unknown:
		return "?"
	}
	return fmt.Sprintf("%d×%d", r.Size[0], r.Size[1])
}

// apply returns the field after a layer or op with the given rule.
func (r Receptive) apply(rule tensor.FieldRule) Receptive {
	if !r.Valid || r.Full {
		return r
	}
	switch rule.Kind {
	case tensor.FieldAll:
		r.Full, r.Unknown = true, false
	case tensor.FieldUnknown:
		r.Unknown = true
	case tensor.FieldWindow:
		w := rule.Window
		for i := range 2 {
			r.Size[i] += (w.Kernel[i] - 1) * max(w.Dilation[i], 1) * r.Jump[i]
			r.Jump[i] *= max(w.Stride[i], 1)
		}
	}
	return r
}

// Summary describes a model for one input shape, like torchinfo's
// summary, with operation counts, activation memory and receptive fields.
type Summary struct {
	Model           string
	Input           []int        // input shape, batch included
	DType           tensor.DType // dtype the model ran in
	InputDType      tensor.DType // dtype of the input (Int64 for token ids)
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
	// IntInput makes the input an Int64 tensor of zeros (token ids, all
	// the padding id 0, for a text model that starts with an Embedding)
	// instead of floats in the model's dtype.
	IntInput bool
}

// Summarize runs one forward pass of m on a zero input of the given shape
// (batch axis first, e.g. [50, 1, 28, 28]) and reports every leaf layer.
// Nested Sequentials are descended into. Operation counts are those of the
// straightforward implementation (see Counts): a layer's own (nn.Counter,
// which every nn layer implements), else the sum over the ops recorded in
// its forward pass as they declare them; a layer recorded as a custom op
// that declares nothing (Wrap of a hand-written layer) counts as unknown,
// shown "?".
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
	var x *tensor.Tensor
	if o.IntInput {
		x = tensor.ZerosOf(tensor.Int64, input...)
		s.InputBytes = int64(x.Len() * tensor.Int64.Size())
	} else {
		x = tensor.ZerosOf(dt, input...).SetRequiresGrad(true)
		s.InputBytes = int64(x.Len()) * size
	}
	s.InputDType = x.DType()
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
		if c, ok := l.(nn.Counter); ok {
			row.Counts, _ = c.Counts(row.InShape)
		} else {
			for _, n := range g.Nodes {
				row.Counts = row.Counts.Plus(OpCounts(n))
			}
		}
		if !y.SharesData(x) {
			row.ActivationBytes = int64(y.Len()) * size
		}
		if f, ok := l.(nn.FieldRuler); ok {
			rf = rf.apply(f.ReceptiveField())
		} else {
			rf = rf.apply(graphField(g, g.Node(x), g.Node(y)))
		}
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

// graphField composes the receptive-field rules that the ops between x
// and y declare: along each path the rules follow one another, and where
// paths join the wider field wins (FieldAll over windows over FieldSame;
// an undeclared rule anywhere makes the result unknown unless FieldAll).
func graphField(g *Graph, x, y *Node) tensor.FieldRule {
	same := tensor.FieldRule{Kind: tensor.FieldSame}
	if x == nil || y == nil || x == y {
		return same
	}
	rules := map[*Node]tensor.FieldRule{x: same}
	for _, n := range g.Nodes {
		if n.Kind != Intermediate {
			continue
		}
		var r *tensor.FieldRule
		for _, in := range n.Inputs {
			ri, ok := rules[in]
			if !ok {
				continue // a parameter or constant
			}
			next := ri.Then(n.Op.FieldFor(n.Shape, n.argShapes))
			if r == nil {
				r = &next
			} else {
				w := wider(*r, next)
				r = &w
			}
		}
		if r != nil {
			rules[n] = *r
		}
	}
	if r, ok := rules[y]; ok {
		return r
	}
	return same
}

// wider returns the wider of two rules (for joining paths).
func wider(a, b tensor.FieldRule) tensor.FieldRule {
	rank := func(r tensor.FieldRule) int {
		switch r.Kind {
		case tensor.FieldAll:
			return 3
		case tensor.FieldUnknown:
			return 2
		case tensor.FieldWindow:
			return 1
		}
		return 0
	}
	if rank(a) != rank(b) {
		if rank(a) > rank(b) {
			return a
		}
		return b
	}
	if a.Kind != tensor.FieldWindow {
		return a
	}
	sa, sb := a.Window.Span(), b.Window.Span()
	if sb[0]*sb[1] > sa[0]*sa[1] {
		return b
	}
	return a
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
			countCell(r.Counts.Mul, r.Counts), countCell(r.Counts.Add, r.Counts), countCell(r.Counts.Other, r.Counts),
			bytesString(r.ActivationBytes), r.RF.String()})
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
	fmt.Fprintf(&b, "%s, input %v %v, %d bytes per element\n", s.Model, s.Input, s.InputDType, s.ElementSize)
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
	fmt.Fprintf(&b, "Multiplications: %s, additions: %s, other: %s\n", countCell(s.Total.Mul, s.Total), countCell(s.Total.Add, s.Total), countCell(s.Total.Other, s.Total))
	if s.Total.Unknown > 0 {
		var names []string
		for _, r := range s.Layers {
			if r.Counts.Unknown > 0 {
				names = append(names, r.Name+" ("+r.Type+")")
			}
		}
		fmt.Fprintf(&b, "Unknown counts (?): %s declare none; totals are lower bounds (≥)\n", strings.Join(names, ", "))
	}
	b.WriteString(rule)
	fmt.Fprintf(&b, "Input size: %s\n", bytesString(s.InputBytes))
	fmt.Fprintf(&b, "Activation memory (forward, batch %d): %s (%s bytes)\n", batchOf(s.Input), bytesString(s.ActivationBytes), comma(s.ActivationBytes))
	fmt.Fprintf(&b, "Params size: %s\n", bytesString(s.ParamBytes))
	fmt.Fprintf(&b, "Estimated total size: %s\n", bytesString(s.InputBytes+s.ActivationBytes+s.ParamBytes))
	b.WriteString(rule)
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// countCell formats one of c's counts: "?" when c has unknown parts and
// nothing was counted, "≥n" when something was, else n.
func countCell(n int64, c Counts) string {
	switch {
	case c.Unknown == 0:
		return comma(n)
	case c.Total() == 0:
		return "?"
	}
	return "≥" + comma(n)
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
