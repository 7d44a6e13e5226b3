package tensor_test

import (
	"math"
	"slices"
	"testing"

	"github.com/duboko/duboko/gradcheck"
	. "github.com/duboko/duboko/tensor"
)

// recurrentHub returns the recorded recurrent op behind a run's HN.
func recurrentHub(t *testing.T, r *RecurrentRun, kind OpKind) *Tensor {
	t.Helper()
	hub := r.HN
	for hub.Op().Kind != kind {
		in := hub.Inputs()
		if len(in) == 0 {
			t.Fatalf("no %v op behind HN", kind)
		}
		hub = in[0]
	}
	return hub
}

// TestRecurrentRecordCounts checks the counts the three recurrent ops
// declare, with both biases and with bias_ih alone, for T=4 steps, N=2
// sequences, I=3 inputs and H=5 hidden units (T·N·H = 40 cell outputs):
// per output, G gate rows of two dot products of lengths I and H (I+H
// products, I+H−2 additions, one to add them and one per bias), then the
// cell's own work (RNN: f; LSTM: 3 products, 1 addition, 5 functions;
// GRU: 3 products, 2 additions, 3 functions); and the dense Jacobians
// with respect to every input.
func TestRecurrentRecordCounts(t *testing.T) {
	const T, N, I, H = 4, 2, 3, 5
	rng := NewRand(11)
	x := RandN(rng, T, N, I).SetRequiresGrad(true)
	for _, c := range []struct {
		cell        RecurrentCell
		mul, add    int64 // per output, both biases
		other, bias int64 // per output; the additions bias_hh adds
	}{
		{CellRNN, 8, 9, 1, 1},
		{CellLSTM, 4*8 + 3, 4*9 + 1, 5, 4},
		{CellGRU, 3*8 + 3, 3*9 + 2, 3, 3},
	} {
		G := c.cell.Gates() * H
		for _, withBHH := range []bool{true, false} {
			var bhh *Tensor
			want := Counts{Mul: 40 * c.mul, Add: 40 * c.add, Other: 40 * c.other}
			if withBHH {
				bhh = RandN(rng, G)
			} else {
				want.Add -= 40 * c.bias
			}
			r := Recurrent(RecurrentConfig{Cell: c.cell}, x, RandN(rng, G, I), RandN(rng, G, H), RandN(rng, G), bhh, nil, nil, nil)
			hub := recurrentHub(t, r, map[RecurrentCell]OpKind{CellRNN: OpRNN, CellLSTM: OpLSTM, CellGRU: OpGRU}[c.cell])
			ins := make([][]int, len(hub.Inputs()))
			for i, in := range hub.Inputs() {
				if in != nil {
					ins[i] = in.Shape()
				}
			}
			if got := hub.Op().CountsFor(hub.Shape(), ins); got != want {
				t.Errorf("%v, bias_hh %v: counts %+v, want %+v", c.cell, withBHH, got, want)
			}
			out := hub.Len()
			for i, shape := range ins[:3] {
				n := 1
				for _, d := range shape {
					n *= d
				}
				if j := hub.Op().JacobianFor(hub.Shape(), ins, i); j.Kind != StructDense || j.Rows != out || j.Cols != n || j.NNZ != int64(out*n) {
					t.Errorf("%v: Jacobian of input %d: %+v, want dense %d×%d", c.cell, i, j, out, n)
				}
			}
		}
	}
}

// TestRecurrentNames checks the names of the cells and activation kinds,
// and of values past the last (printed as numbers, never an index out of
// range).
func TestRecurrentNames(t *testing.T) {
	for c, want := range map[RecurrentCell]string{CellRNN: "RNN", CellLSTM: "LSTM", CellGRU: "GRU", 3: "RecurrentCell(3)", 200: "RecurrentCell(200)"} {
		if got := c.String(); got != want {
			t.Errorf("RecurrentCell %d: %q, want %q", uint8(c), got, want)
		}
	}
	for k, want := range map[ActivationKind]string{ActivationCustom: "custom", ActivationTanh: "tanh", ActivationReLU: "relu", ActivationSigmoid: "sigmoid", 4: "ActivationKind(4)"} {
		if got := k.String(); got != want {
			t.Errorf("ActivationKind %d: %q, want %q", uint8(k), got, want)
		}
	}
}

// TestRecurrentReLUAtZero: the ReLU's derivative at 0 is 0, as PyTorch's
// relu backward gives, for ActReLU.D itself and for an RNN whose
// pre-activations are all exactly 0 (zero input and biases, no initial
// state), fused (ActReLU) and through the per-element custom path (the
// same D behind another F): no gradient reaches the weights or biases.
func TestRecurrentReLUAtZero(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{{-1, 0}, {0, 0}, {1e-300, 1}, {2, 1}} {
		if got := ActReLU.D(c.x, max(c.x, 0)); got != c.want {
			t.Errorf("ActReLU.D(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	custom := Activation{Name: "relu by hand", F: func(x float64) float64 { return ActReLU.F(x) }, D: ActReLU.D}
	for _, act := range []Activation{ActReLU, custom} {
		for _, dt := range []DType{Float64, Float32} {
			rng := NewRand(4)
			x := Zeros(3, 2, 4)
			x = To(x, dt)
			wih := To(RandN(rng, 5, 4), dt).SetRequiresGrad(true)
			whh := To(RandN(rng, 5, 5), dt).SetRequiresGrad(true)
			bih := To(Zeros(5), dt).SetRequiresGrad(true)
			bhh := To(Zeros(5), dt).SetRequiresGrad(true)
			r := Recurrent(RecurrentConfig{Cell: CellRNN, Act: act}, x, wih, whh, bih, bhh, nil, nil, nil)
			Sum(r.Out).Backward()
			for name, g := range map[string]*Tensor{"weight_ih": wih.Grad(), "weight_hh": whh.Grad(), "bias_ih": bih.Grad(), "bias_hh": bhh.Grad()} {
				for i, v := range g.Values() {
					if v != 0 {
						t.Errorf("%s %v: %s gradient [%d] = %v, want 0", act.Name, dt, name, i, v)
						break
					}
				}
			}
		}
	}
}

// TestRecurrentRecordedMatchesPlain runs each cell twice, recorded (inputs
// that require a gradient) and not, with initial states and lengths:
// the recorded run's Out, HN and CN (read back from the op's one output)
// must equal the plain run's, and autodiff through the record, with an
// upstream gradient on all three, must give RecurrentRun.Backward's
// gradients for every input, h0 and c0 included.
func TestRecurrentRecordedMatchesPlain(t *testing.T) {
	const T, N, I, H = 4, 3, 3, 5
	for _, cell := range []RecurrentCell{CellRNN, CellLSTM, CellGRU} {
		for _, dt := range []DType{Float64, Float32} {
			rng := NewRand(21)
			G := cell.Gates() * H
			mk := func(shape ...int) *Tensor { return To(RandN(rng, shape...), dt) }
			x, wih, whh, bih, bhh, h0 := mk(T, N, I), mk(G, I), mk(G, H), mk(G), mk(G), mk(N, H)
			var c0 *Tensor
			if cell == CellLSTM {
				c0 = mk(N, H)
			}
			lens := FromInts([]int{4, 2, 3}, N)
			cfg := RecurrentConfig{Cell: cell, Reverse: cell == CellGRU}
			plain := Recurrent(cfg, x, wih, whh, bih, bhh, h0, c0, lens)
			leaves := []*Tensor{x, wih, whh, bih, bhh, h0}
			if c0 != nil {
				leaves = append(leaves, c0)
			}
			rl := make([]*Tensor, 7)
			for i, v := range leaves {
				rl[i] = v.Detach().SetRequiresGrad(true)
			}
			rec := Recurrent(cfg, rl[0], rl[1], rl[2], rl[3], rl[4], rl[5], rl[6], lens)
			outs := [][2]*Tensor{{rec.Out, plain.Out}, {rec.HN, plain.HN}}
			if cell == CellLSTM {
				outs = append(outs, [2]*Tensor{rec.CN, plain.CN})
			} else if rec.CN != nil || plain.CN != nil {
				t.Errorf("%v: CN %v %v, want nil", cell, rec.CN, plain.CN)
			}
			var loss *Tensor
			ups := make([]*Tensor, 3)
			for k, o := range outs {
				if !o[0].RequiresGrad() || !slices.Equal(o[0].Shape(), o[1].Shape()) || !slices.Equal(o[0].Values(), o[1].Values()) {
					t.Fatalf("%v %v: recorded output %d (requires grad %v) %v, plain %v", cell, dt, k, o[0].RequiresGrad(), o[0], o[1])
				}
				ups[k] = mk(o[0].Shape()...)
				term := Sum(Mul(o[0], ups[k]))
				if loss == nil {
					loss = term
				} else {
					loss = Add(loss, term)
				}
			}
			loss.Backward()
			gr := plain.Backward(ups[0], ups[1], ups[2])
			want := []*Tensor{gr.X, gr.WeightIH, gr.WeightHH, gr.BiasIH, gr.BiasHH, gr.H0, gr.C0}
			tol := 1e-12
			if dt == Float32 {
				tol = 1e-5
			}
			for i := range leaves {
				got := rl[i].Grad()
				if got == nil || want[i] == nil {
					t.Errorf("%v %v: gradient %d: recorded %v, Backward %v", cell, dt, i, got, want[i])
					continue
				}
				if e := relErr(got.Values(), want[i].Values()); e > tol {
					t.Errorf("%v %v: gradient %d: recorded vs Backward rel.err %g", cell, dt, i, e)
				}
			}
		}
	}
}

func relErr(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var num, den float64
	for i := range a {
		num = max(num, math.Abs(a[i]-b[i]))
		den = max(den, math.Abs(b[i]))
	}
	return num / max(den, 1e-300)
}

// TestRecurrentBackwardChecksGradients: RecurrentRun.Backward refuses an
// upstream gradient of another shape or dtype with the cell's name.
func TestRecurrentBackwardChecksGradients(t *testing.T) {
	rng := NewRand(2)
	r := Recurrent(RecurrentConfig{Cell: CellLSTM}, RandN(rng, 3, 2, 4), RandN(rng, 20, 4), RandN(rng, 20, 5), RandN(rng, 20), nil, nil, nil, nil)
	mustPanic[*ShapeError](t, "LSTM backward: shape mismatch [2 5] vs [5 2]: gradient must have the output's shape", func() { r.Backward(nil, RandN(rng, 5, 2), nil) })
	mustPanic[*ShapeError](t, "LSTM backward: shape mismatch [3 2 5] vs [3 10]", func() { r.Backward(RandN(rng, 3, 10), nil, nil) })
	mustPanic[*DTypeError](t, "LSTM backward", func() { r.Backward(nil, nil, To(RandN(rng, 2, 5), Float64)) })
}

// TestRecurrentOddStepsH0Gradient checks the initial states' gradients of
// a run of an odd number of steps (3; the backward pass swaps its two
// state buffers once per step, so the gradient of h0 ends in the scratch
// one and must be copied out) against central differences, each cell.
func TestRecurrentOddStepsH0Gradient(t *testing.T) {
	const T, N, I, H = 3, 2, 3, 4
	for _, cell := range []RecurrentCell{CellRNN, CellLSTM, CellGRU} {
		rng := NewRand(5)
		G := cell.Gates() * H
		mk := func(shape ...int) *Tensor { return To(RandN(rng, shape...), Float64) }
		x, wih, whh, bih := mk(T, N, I), mk(G, I), mk(G, H), mk(G)
		u, v := mk(T, N, H), mk(N, H)
		in := []*Tensor{mk(N, H)}
		if cell == CellLSTM {
			in = append(in, mk(N, H))
		}
		f := func(in []*Tensor) *Tensor {
			var c0 *Tensor
			if len(in) > 1 {
				c0 = in[1]
			}
			r := Recurrent(RecurrentConfig{Cell: cell}, x, wih, whh, bih, nil, in[0], c0, nil)
			return Add(Sum(Mul(r.Out, u)), Sum(Mul(r.HN, v)))
		}
		if err := gradcheck.Func(f, in).Err(); err != nil {
			t.Errorf("%v: %v", cell, err)
		}
	}
}
