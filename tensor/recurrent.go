package tensor

import (
	"fmt"
	"math"
	"reflect"
	"unsafe"

	"github.com/duboko/duboko/internal/kernel"
)

// RecurrentCell selects the recurrence that Recurrent runs.
type RecurrentCell uint8

// The recurrences, in PyTorch's gate order (x is the input at step t, h
// the previous hidden state, σ the logistic sigmoid, ⊙ element-wise):
const (
	// CellRNN: h' = f(W_ih x + b_ih + W_hh h + b_hh), f an Activation.
	CellRNN RecurrentCell = iota
	// CellLSTM: gates i, f, g, o = σ, σ, tanh, σ of W_ih x + b_ih + W_hh h + b_hh
	// (stacked in that order); c' = f⊙c + i⊙g, h' = o⊙tanh(c').
	CellLSTM
	// CellGRU: gates r, z = σ(W_i· x + b_i· + W_h· h + b_h·),
	// n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)), h' = (1−z)⊙n + z⊙h.
	// The reset gate multiplies the recurrent term with its bias, as
	// PyTorch (and cuDNN) do.
	CellGRU
)

var cellNames = [...]string{"RNN", "LSTM", "GRU"}

// String returns "RNN", "LSTM" or "GRU".
func (c RecurrentCell) String() string {
	if int(c) < len(cellNames) {
		return cellNames[c]
	}
	return fmt.Sprintf("RecurrentCell(%d)", uint8(c))
}

// Gates returns the number of gates, the row blocks of the weights: 1
// for RNN, 4 for LSTM, 3 for GRU.
func (c RecurrentCell) Gates() int {
	switch c {
	case CellLSTM:
		return 4
	case CellGRU:
		return 3
	}
	return 1
}

func (c RecurrentCell) kind() OpKind {
	switch c {
	case CellLSTM:
		return OpLSTM
	case CellGRU:
		return OpGRU
	}
	return OpRNN
}

// Activation is an element-wise function with its derivative: the
// nonlinearity of a plain RNN (CellRNN).
type Activation struct {
	Name string
	// F is the function.
	F func(x float64) float64
	// D returns f'(x), given x and y = f(x) (tanh' = 1−y², σ' = y(1−y)).
	D func(x, y float64) float64
}

// The activations torch.nn.RNN offers (tanh, relu) and the logistic
// sigmoid of the course's exam problems.
var (
	ActTanh    = Activation{Name: "tanh", F: math.Tanh, D: func(_, y float64) float64 { return 1 - y*y }}
	ActReLU    = Activation{Name: "relu", F: func(x float64) float64 { return max(x, 0) }, D: reluD}
	ActSigmoid = Activation{Name: "sigmoid", F: sig[float64], D: func(_, y float64) float64 { return y * (1 - y) }}
)

func reluD(x, _ float64) float64 {
	if x > 0 {
		return 1
	}
	return 0
}

// ActivationKind names a built-in nonlinearity of a plain RNN, as the op
// record keeps it (Op.Act).
type ActivationKind uint8

// The activation kinds: ActivationCustom for a function the user gave,
// the others for ActTanh, ActReLU and ActSigmoid.
const (
	ActivationCustom ActivationKind = iota
	ActivationTanh
	ActivationReLU
	ActivationSigmoid
)

var activationKindNames = [...]string{"custom", "tanh", "relu", "sigmoid"}

// String returns "custom", "tanh", "relu" or "sigmoid".
func (k ActivationKind) String() string {
	if int(k) < len(activationKindNames) {
		return activationKindNames[k]
	}
	return fmt.Sprintf("ActivationKind(%d)", uint8(k))
}

// Kind reports which of ActTanh, ActReLU and ActSigmoid a is: the same F
// and D functions (its Name aside), else ActivationCustom. A built-in
// activation runs fused with the recurrence (in float32 through the
// vectorised kernels); any other calls F and D per element in float64.
func (a Activation) Kind() ActivationKind {
	if a.F == nil || a.D == nil {
		return ActivationCustom
	}
	f, d := reflect.ValueOf(a.F).Pointer(), reflect.ValueOf(a.D).Pointer()
	for k, b := range []Activation{ActTanh, ActReLU, ActSigmoid} {
		if f == reflect.ValueOf(b.F).Pointer() && d == reflect.ValueOf(b.D).Pointer() {
			return ActivationTanh + ActivationKind(k)
		}
	}
	return ActivationCustom
}

// RecurrentConfig configures one direction of one recurrent layer.
type RecurrentConfig struct {
	Cell RecurrentCell
	// Act is the nonlinearity of CellRNN (ActTanh when F is nil).
	Act Activation
	// Reverse runs the sequence from its last valid step to the first
	// (the backward direction of a bidirectional layer).
	Reverse bool
}

// RecurrentRun is one forward pass of a recurrent layer in one direction
// over a whole sequence, returned by Recurrent. It holds the results and
// everything backpropagation through time needs (Backward).
type RecurrentRun struct {
	// Out is the output at every step, [T, N, H]: zero at steps past a
	// sequence's length. HN is the final hidden state [N, H], each
	// sequence's own last step; CN the final cell state (LSTM only, else
	// nil). They are recorded for autodiff when an input requires a
	// gradient.
	Out, HN, CN *Tensor

	cfg                   RecurrentConfig
	t, n, in, h           int
	lens                  []int
	x, wih, whh, bih, bhh *Tensor // detached inputs
	// gates [T, N, G]: LSTM i, f, g, o and GRU r, z, n after their
	// nonlinearities; RNN the pre-activation.
	gates *Tensor
	hprev *Tensor // [T, N, H] the state each step started from
	cprev *Tensor // [T, N, H] LSTM: the cell state each step started from
	aux   *Tensor // [T, N, H] LSTM: tanh(c'); GRU: W_hn h + b_hn
	out   *Tensor // [T, N, H] Out's data
}

// RecurrentGrads are the gradients Backward returns, one per input of
// Recurrent (H0 and C0 are always set, zeros included; C0 is nil unless
// LSTM, BiasHH nil without bhh).
type RecurrentGrads struct {
	X, WeightIH, WeightHH, BiasIH, BiasHH, H0, C0 *Tensor
}

// Recurrent runs one direction of a recurrent layer over a sequence and
// records it as one op (kind OpRNN, OpLSTM or OpGRU) whose backward is
// the hand-written backpropagation through time of RecurrentRun.Backward.
//
// x is [T, N, I] (time first); wih [G·H, I] and whh [G·H, H] hold the
// G = cfg.Cell.Gates() gate blocks stacked in PyTorch's order, bih and bhh
// [G·H]; bhh may be nil for one bias per gate (the textbook convention;
// for the GRU's n gate the same as b_hn = 0). h0 and c0 (LSTM only) are the initial states [N, H]; nil means
// zeros. lengths, an Int64 tensor [N] with values in [0, T], gives each
// sequence's length in a padded batch (nil: all T): steps past a length
// leave the state unchanged and output zeros, as a packed sequence in
// PyTorch. The input projection of all steps is one matrix product; each
// step is one product with whh and one fused pass over the gates, whose
// sigmoid and tanh are, in float32, the vectorised float32 approximations
// of the kernel package (within 3 ulp of the correctly rounded values;
// float64 uses math.Exp and math.Tanh).
func Recurrent(cfg RecurrentConfig, x, wih, whh, bih, bhh, h0, c0, lengths *Tensor) *RecurrentRun {
	name := cfg.Cell.String()
	if cfg.Cell == CellRNN && cfg.Act.F == nil {
		cfg.Act = ActTanh
	}
	if len(x.shape) != 3 || len(wih.shape) != 2 || len(whh.shape) != 2 {
		panic(shapeErr(name, "want x [T, N, I], weight_ih [G·H, I], weight_hh [G·H, H]", x.shape, wih.shape, whh.shape))
	}
	T, N, I := x.shape[0], x.shape[1], x.shape[2]
	H := whh.shape[1]
	G := cfg.Cell.Gates() * H
	if wih.shape[0] != G || wih.shape[1] != I || whh.shape[0] != G {
		panic(shapeErr(name, fmt.Sprintf("weights must be [%d·H, I] and [%d·H, H] for x [T, N, I]", cfg.Cell.Gates(), cfg.Cell.Gates()), x.shape, wih.shape, whh.shape))
	}
	ts := []*Tensor{x, wih, whh}
	for i, b := range []*Tensor{bih, bhh} {
		if b == nil && i == 1 {
			continue
		}
		if b == nil || len(b.shape) != 1 || b.shape[0] != G {
			var s []int
			if b != nil {
				s = b.shape
			}
			panic(shapeErr(name, fmt.Sprintf("biases must be [%d]", G), whh.shape, s))
		}
		ts = append(ts, b)
	}
	for _, s := range []*Tensor{h0, c0} {
		if s == nil {
			continue
		}
		if len(s.shape) != 2 || s.shape[0] != N || s.shape[1] != H {
			panic(shapeErr(name, fmt.Sprintf("initial states must be [N, H] = [%d, %d]", N, H), x.shape, s.shape))
		}
		ts = append(ts, s)
	}
	if c0 != nil && cfg.Cell != CellLSTM {
		panic(shapeErr(name, "only an LSTM takes an initial cell state", c0.shape))
	}
	sameDType("Recurrent", ts...)
	lens := make([]int, N)
	for i := range lens {
		lens[i] = T
	}
	if lengths != nil {
		if len(lengths.shape) != 1 || lengths.shape[0] != N {
			panic(shapeErr(name, fmt.Sprintf("lengths must be [N] = [%d]", N), x.shape, lengths.shape))
		}
		for i, v := range indices(name, lengths, T+1, "length", x.shape, 0) {
			lens[i] = int(v)
		}
	}
	r := &RecurrentRun{cfg: cfg, t: T, n: N, in: I, h: H, lens: lens,
		x: x.Detach(), wih: wih.Detach(), whh: whh.Detach(), bih: bih.Detach()}
	if bhh != nil {
		r.bhh = bhh.Detach()
	}
	dt := x.dtype
	r.gates = alloc(dt, []int{T, N, G})
	r.hprev = alloc(dt, []int{T, N, H})
	if cfg.Cell != CellRNN {
		r.aux = alloc(dt, []int{T, N, H})
	}
	if cfg.Cell == CellLSTM {
		r.cprev = alloc(dt, []int{T, N, H})
	}
	inputs := []*Tensor{x, wih, whh, bih, bhh, h0, c0, lengths}
	need := false
	for _, in := range inputs {
		need = need || (in != nil && in.requiresGrad)
	}
	need = need && GradEnabled()
	// The outputs: when recorded, one result (hub) holds Out, HN and CN
	// flattened one after the other, and the forward pass writes into it
	// directly.
	states := 1
	if cfg.Cell == CellLSTM {
		states = 2
	}
	var hub *Tensor
	var hN, cN *Tensor
	if need {
		hub = alloc(dt, []int{T*N*H + states*N*H})
		r.out = part(hub, 0, T, N, H)
		hN = part(hub, T*N*H, N, H)
		if states == 2 {
			cN = part(hub, T*N*H+N*H, N, H)
		}
	} else {
		r.out = alloc(dt, []int{T, N, H})
		hN = alloc(dt, []int{N, H})
		if states == 2 {
			cN = alloc(dt, []int{N, H})
		}
	}
	if h0 != nil {
		hN.CopyFrom(h0)
	}
	if cN != nil && c0 != nil {
		cN.CopyFrom(c0)
	}
	if dt == Float64 {
		recurrentForward[float64](r, hN, cN)
	} else {
		recurrentForward[float32](r, hN, cN)
	}
	r.Out, r.HN, r.CN = r.out, hN, cN
	if !need {
		return r
	}
	op := Op{Kind: cfg.Cell.kind(), Reverse: cfg.Reverse}
	if cfg.Cell == CellRNN {
		op.Act = cfg.Act.Kind()
	}
	hub = record(op, hub, inputs, func(g *Tensor) []*Tensor {
		dOut := part(g, 0, T, N, H)
		dHN := part(g, T*N*H, N, H)
		var dCN *Tensor
		if cN != nil {
			dCN = part(g, T*N*H+N*H, N, H)
		}
		gr := r.Backward(dOut, dHN, dCN)
		gs := []*Tensor{gr.X, gr.WeightIH, gr.WeightHH, gr.BiasIH, gr.BiasHH, nil, nil, nil}
		if h0 != nil {
			gs[5] = gr.H0
		}
		if c0 != nil {
			gs[6] = gr.C0
		}
		return gs
	})
	r.Out = Reshape(Slice(hub, 0, 0, T*N*H), T, N, H)
	r.HN = Reshape(Slice(hub, 0, T*N*H, T*N*H+N*H), N, H)
	if cN != nil {
		r.CN = Reshape(Slice(hub, 0, T*N*H+N*H, T*N*H+2*N*H), N, H)
	}
	return r
}

// part returns the elements of the float tensor t from off on as a
// tensor of the given shape, sharing t's data.
func part(t *Tensor, off int, shape ...int) *Tensor {
	p := t.view(shape)
	n := numel(shape)
	if t.f64 != nil {
		p.f64 = t.f64[off : off+n]
	} else {
		p.f32 = t.f32[off : off+n]
	}
	return p
}

// getScratch returns a zeroed slice of n elements from the package's
// scratch free lists (getBuf, conv.go), so that a training step does not
// hand the garbage collector megabytes of gate gradients per layer.
func getScratch[E kfloat](n int) []E {
	s := *getBuf[E](n)
	clear(s)
	return s
}

// putScratch gives a slice from getScratch back.
func putScratch[E kfloat](s []E) { putBuf(&s) }

func sig[E kfloat](x E) E { return E(1 / (1 + math.Exp(-float64(x)))) }

func tanhE[E kfloat](x E) E { return E(math.Tanh(float64(x))) }

// recurrentForward runs the recurrence, leaving the final states in h
// and c (which hold the initial states on entry).
//
// Layout: the state each step starts from is stored in hprev[t] (and
// cprev[t]) before the step runs, and the step writes its new state
// straight into the next step's hprev (cprev) rows, or into h (c) after
// the last step, so nothing is copied per step but the rows of sequences
// already past their length. The input projection of every step, with both
// biases, is one matrix product into gates; each step then adds h·W_hhᵀ
// into its gate rows (LSTM, RNN) or into a scratch block (GRU, whose n gate
// needs W_hn h + b_hn apart) with one product against a transposed copy
// of W_hh, read in place by the GEMM, and one fused pass applies the gate
// nonlinearities (float32: kernel.Sigmoid32 and kernel.Tanh32).
func recurrentForward[E kfloat](r *RecurrentRun, hT, cT *Tensor) {
	T, N, I, H := r.t, r.n, r.in, r.h
	G := r.cfg.Cell.Gates() * H
	if T == 0 {
		return
	}
	x, wih, whh, bih := sliceOf[E](r.x), sliceOf[E](r.wih), sliceOf[E](r.whh), sliceOf[E](r.bih)
	var bhh []E
	if r.bhh != nil {
		bhh = sliceOf[E](r.bhh)
	}
	gru := r.cfg.Cell == CellGRU
	gates, hprev, out := sliceOf[E](r.gates), sliceOf[E](r.hprev), sliceOf[E](r.out)
	h := sliceOf[E](hT)
	var c, cprev, aux []E
	if cT != nil {
		c, cprev = sliceOf[E](cT), sliceOf[E](r.cprev)
	}
	if r.aux != nil {
		aux = sliceOf[E](r.aux)
	}
	// The input projection of every step at once: gates = x·W_ihᵀ + b_ih
	// + b_hh (the GRU's b_hn excepted: the reset gate scales it).
	gemmT(false, true, T*N, G, I, x, I, wih, I, 0, gates, G)
	bias := getScratch[E](G)
	defer putScratch(bias)
	copy(bias, bih)
	if bhh != nil {
		nb := G
		if gru {
			nb = 2 * H
		}
		for j, v := range bhh[:nb] {
			bias[j] += v
		}
	}
	kernel.AddBiasRows(gates, T*N, G, bias)
	// W_hhᵀ [H, G], row stride ldT: the per-step product reads it in place.
	ldT := gemmLD[E](G)
	whhT := getScratch[E](H * ldT)
	defer putScratch(whhT)
	for i := range G {
		for j, v := range whh[i*H : (i+1)*H] {
			whhT[j*ldT+i] = v
		}
	}
	var hp []E // GRU: W_hh h of the current step
	if gru {
		hp = getScratch[E](N * G)
		defer putScratch(hp)
	}
	order := func(s int) int {
		if r.cfg.Reverse {
			return T - 1 - s
		}
		return s
	}
	copy(hprev[order(0)*N*H:], h)
	if c != nil {
		copy(cprev[order(0)*N*H:], c)
	}
	act, actKind := r.cfg.Act, r.cfg.Act.Kind()
	minRows := recurrentMinRows(G)
	for s := 0; s < T; s++ {
		t := order(s)
		hs := hprev[t*N*H : (t+1)*N*H]
		hNext := h // where this step's new state goes
		var cs, cNext []E
		if c != nil {
			cs, cNext = cprev[t*N*H:(t+1)*N*H], c
		}
		if s < T-1 {
			tn := order(s + 1)
			hNext = hprev[tn*N*H : (tn+1)*N*H]
			if c != nil {
				cNext = cprev[tn*N*H : (tn+1)*N*H]
			}
		}
		gt := gates[t*N*G : (t+1)*N*G]
		if gru {
			gemmT(false, false, N, G, H, hs, H, whhT, ldT, 0, hp, G)
		} else {
			gemmT(false, false, N, G, H, hs, H, whhT, ldT, 1, gt, G)
		}
		kernel.ParallelFor(N, minRows, func(lo, hi int) {
			for n := lo; n < hi; n++ {
				hpn, hn := hs[n*H:(n+1)*H], hNext[n*H:(n+1)*H]
				if t >= r.lens[n] { // past this sequence's end: state kept, output zero
					copy(hn, hpn)
					if c != nil {
						copy(cNext[n*H:(n+1)*H], cs[n*H:(n+1)*H])
					}
					continue
				}
				g := gt[n*G : (n+1)*G]
				o := out[(t*N+n)*H : (t*N+n+1)*H]
				switch r.cfg.Cell {
				case CellRNN:
					switch actKind {
					case ActivationTanh:
						tanhTo(hn, g)
					case ActivationSigmoid:
						sigmoidTo(hn, g)
					case ActivationReLU:
						for j, a := range g {
							hn[j] = max(a, 0)
						}
					default:
						for j, a := range g {
							hn[j] = E(act.F(float64(a)))
						}
					}
					copy(o, hn)
				case CellLSTM:
					sigmoidTo(g[:2*H], g[:2*H])
					tanhTo(g[2*H:3*H], g[2*H:3*H])
					sigmoidTo(g[3*H:], g[3*H:])
					ig, fg, gg, og := g[:H], g[H:2*H], g[2*H:3*H], g[3*H:4*H]
					cp, cn := cs[n*H:(n+1)*H], cNext[n*H:(n+1)*H]
					for j := range cn {
						cn[j] = fg[j]*cp[j] + ig[j]*gg[j]
					}
					tc := aux[(t*N+n)*H : (t*N+n+1)*H]
					tanhTo(tc, cn)
					for j, v := range tc {
						y := og[j] * v
						hn[j], o[j] = y, y
					}
				case CellGRU:
					q := hp[n*G : (n+1)*G]
					for j := range 2 * H {
						g[j] += q[j]
					}
					sigmoidTo(g[:2*H], g[:2*H])
					rg, zg, ng := g[:H], g[H:2*H], g[2*H:3*H]
					ah := aux[(t*N+n)*H : (t*N+n+1)*H]
					copy(ah, q[2*H:])
					if bhh != nil {
						for j, v := range bhh[2*H:] {
							ah[j] += v
						}
					}
					for j, v := range ah {
						ng[j] += rg[j] * v
					}
					tanhTo(ng, ng)
					for j, nv := range ng {
						y := nv + zg[j]*(hpn[j]-nv)
						hn[j], o[j] = y, y
					}
				}
			}
		})
	}
}

// recurrentMinRows is the fewest batch rows of one step's gate work (G
// gate values each) worth a worker of kernel.ParallelFor: about 4096
// values, so that the SST model's batches of 10 stay on one goroutine and
// issue 11's batches of 32 and 64 split across two.
func recurrentMinRows(G int) int { return max(1, 4096/G) }

// gemmLD returns a row stride of at least n elements for a matrix the
// GEMM reads in place: n, or n+16 when n elements fill a multiple of 1 KiB,
// whose rows would evict each other from L1 (see kernel.gemmDirectB).
func gemmLD[E kfloat](n int) int {
	var z E
	if n*int(unsafe.Sizeof(z))%1024 == 0 {
		return n + 16
	}
	return n
}

// sigmoidTo sets dst = σ(x) element-wise: float32 through the vector
// kernel, float64 with math.Exp.
func sigmoidTo[E kfloat](dst, x []E) {
	if d, ok := any(dst).([]float32); ok {
		kernel.Sigmoid32(d, any(x).([]float32))
		return
	}
	for i, v := range x {
		dst[i] = sig(v)
	}
}

// tanhTo sets dst = tanh(x) element-wise, as sigmoidTo.
func tanhTo[E kfloat](dst, x []E) {
	if d, ok := any(dst).([]float32); ok {
		kernel.Tanh32(d, any(x).([]float32))
		return
	}
	for i, v := range x {
		dst[i] = tanhE(v)
	}
}

// Backward is backpropagation through time: given ∂L/∂Out [T, N, H],
// ∂L/∂HN and ∂L/∂CN [N, H] (any may be nil for zeros), it returns the
// gradients of every input of the run. It walks the steps in the reverse
// of the order they ran, carrying ∂L/∂h (and ∂L/∂c) from step to step,
// and forms the weight gradients as two matrix products over all steps.
// It does not record and may be called several times.
func (r *RecurrentRun) Backward(dOut, dHN, dCN *Tensor) RecurrentGrads {
	T, N, H := r.t, r.n, r.h
	dt := r.x.dtype
	for _, c := range []struct {
		g     *Tensor
		shape []int
	}{{dOut, []int{T, N, H}}, {dHN, []int{N, H}}, {dCN, []int{N, H}}} {
		if c.g != nil && (len(c.g.shape) != len(c.shape) || numel(c.g.shape) != numel(c.shape) || c.g.shape[0] != c.shape[0]) {
			panic(shapeErr(r.cfg.Cell.String()+" backward", "gradient must have the output's shape", c.shape, c.g.shape))
		}
		if c.g != nil {
			sameDType(r.cfg.Cell.String()+" backward", r.x, c.g)
		}
	}
	g := RecurrentGrads{
		X: alloc(dt, r.x.shape), WeightIH: alloc(dt, r.wih.shape), WeightHH: alloc(dt, r.whh.shape),
		BiasIH: alloc(dt, r.bih.shape), H0: alloc(dt, []int{N, H}),
	}
	if r.bhh != nil {
		g.BiasHH = alloc(dt, r.bhh.shape)
	}
	if r.cfg.Cell == CellLSTM {
		g.C0 = alloc(dt, []int{N, H})
	}
	if dt == Float64 {
		recurrentBackward[float64](r, dOut, dHN, dCN, g)
	} else {
		recurrentBackward[float32](r, dOut, dHN, dCN, g)
	}
	return g
}

func recurrentBackward[E kfloat](r *RecurrentRun, dOutT, dHNT, dCNT *Tensor, gr RecurrentGrads) {
	T, N, I, H := r.t, r.n, r.in, r.h
	G := r.cfg.Cell.Gates() * H
	x, wih, whh := sliceOf[E](r.x), sliceOf[E](r.wih), sliceOf[E](r.whh)
	gates, hprev, out := sliceOf[E](r.gates), sliceOf[E](r.hprev), sliceOf[E](r.out)
	var cprev, aux []E
	if r.cprev != nil {
		cprev = sliceOf[E](r.cprev)
	}
	if r.aux != nil {
		aux = sliceOf[E](r.aux)
	}
	var dOut []E
	if dOutT != nil {
		dOut = sliceOf[E](dOutT)
	}
	dh := sliceOf[E](gr.H0) // ∂L/∂h of the state after the current step
	if dHNT != nil {
		copy(dh, sliceOf[E](dHNT))
	}
	var dc []E
	if gr.C0 != nil {
		dc = sliceOf[E](gr.C0)
		if dCNT != nil {
			copy(dc, sliceOf[E](dCNT))
		}
	}
	// ∂L/∂(gate pre-activations), input part and recurrent part; they
	// differ only for the GRU's n gate (the reset gate scales the
	// recurrent part).
	dxp := getScratch[E](T * N * G)
	defer putScratch(dxp)
	dhp := dxp
	if r.cfg.Cell == CellGRU {
		dhp = getScratch[E](T * N * G)
		defer putScratch(dhp)
	}
	dhNext := getScratch[E](N * H)
	defer putScratch(dhNext)
	// W_hh as the per-step product reads it in place: as stored, or a
	// copy with a row stride that is not a multiple of 1 KiB.
	w, ldW := whh, H
	if ld := gemmLD[E](H); ld != H {
		w, ldW = getScratch[E](G*ld), ld
		defer putScratch(w)
		for i := range G {
			copy(w[i*ld:i*ld+H], whh[i*H:(i+1)*H])
		}
	}
	act, actKind := r.cfg.Act, r.cfg.Act.Kind()
	minRows := recurrentMinRows(G)
	for s := T - 1; s >= 0; s-- {
		t := s
		if r.cfg.Reverse {
			t = T - 1 - s
		}
		kernel.ParallelFor(N, minRows, func(lo, hi int) {
			for n := lo; n < hi; n++ {
				if t >= r.lens[n] {
					continue
				}
				row := (t*N + n)
				g := gates[row*G : (row+1)*G]
				dx := dxp[row*G : (row+1)*G]
				dhn := dh[n*H : (n+1)*H]
				if dOut != nil {
					for j, v := range dOut[row*H : (row+1)*H] {
						dhn[j] += v
					}
				}
				switch r.cfg.Cell {
				case CellRNN:
					y := out[row*H : (row+1)*H]
					switch actKind {
					case ActivationTanh:
						for j, v := range y[:H] {
							dx[j] = dhn[j] * (1 - v*v)
						}
					case ActivationSigmoid:
						for j, v := range y[:H] {
							dx[j] = dhn[j] * (v * (1 - v))
						}
					case ActivationReLU:
						for j, a := range g[:H] {
							if a > 0 {
								dx[j] = dhn[j]
							} else {
								dx[j] = 0
							}
						}
					default:
						for j := range H {
							dx[j] = dhn[j] * E(act.D(float64(g[j]), float64(y[j])))
						}
					}
				case CellLSTM:
					tc := aux[row*H : (row+1)*H]
					cp := cprev[row*H : (row+1)*H]
					dcn := dc[n*H : (n+1)*H]
					for j := range H {
						ig, fg, gg, og := g[j], g[H+j], g[2*H+j], g[3*H+j]
						dct := dcn[j] + dhn[j]*og*(1-tc[j]*tc[j])
						dx[j] = dct * gg * ig * (1 - ig)
						dx[H+j] = dct * cp[j] * fg * (1 - fg)
						dx[2*H+j] = dct * ig * (1 - gg*gg)
						dx[3*H+j] = dhn[j] * tc[j] * og * (1 - og)
						dcn[j] = dct * fg
					}
				case CellGRU:
					ah := aux[row*H : (row+1)*H]
					hp := hprev[row*H : (row+1)*H]
					dq := dhp[row*G : (row+1)*G]
					for j := range H {
						rg, zg, ng := g[j], g[H+j], g[2*H+j]
						dan := dhn[j] * (1 - zg) * (1 - ng*ng)
						dar := dan * ah[j] * rg * (1 - rg)
						daz := dhn[j] * (hp[j] - ng) * zg * (1 - zg)
						dx[j], dx[H+j], dx[2*H+j] = dar, daz, dan
						dq[j], dq[H+j], dq[2*H+j] = dar, daz, dan*rg
					}
				}
			}
		})
		// ∂L/∂h of the state before the step: through W_hh for the
		// sequences that ran it, unchanged for those past their end.
		gemmT(false, false, N, H, G, dhp[t*N*G:(t+1)*N*G], G, w, ldW, 0, dhNext, H)
		for n := 0; n < N; n++ {
			dn, dhn := dhNext[n*H:(n+1)*H], dh[n*H:(n+1)*H]
			switch {
			case t >= r.lens[n]:
				copy(dn, dhn)
			case r.cfg.Cell == CellGRU:
				z := gates[(t*N+n)*G+H : (t*N+n)*G+2*H]
				for j := range H {
					dn[j] += dhn[j] * z[j]
				}
			}
		}
		dh, dhNext = dhNext, dh
	}
	if T%2 == 1 { // dh is the scratch buffer: the gradient of h0 goes to gr.H0
		copy(dhNext, dh)
	}
	// The weights are shared by all steps: their gradients are sums over
	// steps, here one product each over all T·N rows.
	gemmT(false, false, T*N, I, G, dxp, G, wih, I, 0, sliceOf[E](gr.X), I)
	gemmT(true, false, G, I, T*N, dxp, G, x, I, 0, sliceOf[E](gr.WeightIH), I)
	gemmT(true, false, G, H, T*N, dhp, G, hprev, H, 0, sliceOf[E](gr.WeightHH), H)
	kernel.SumRows(dxp, T*N, G, sliceOf[E](gr.BiasIH))
	if gr.BiasHH != nil {
		kernel.SumRows(dhp, T*N, G, sliceOf[E](gr.BiasHH))
	}
}

// Recurrent ops: per step and sequence, G gate rows of two dot products
// (lengths I and H, each with its bias) added together, then the cell's
// element-wise work. Every output may depend on every input (dense
// Jacobians; the zeros past a sequence's length depend on the lengths'
// values) and sees the whole sequence (FieldAll). Inputs are recorded in
// the order x, weight_ih, weight_hh, bias_ih, bias_hh, h0, c0, lengths
// (nil where absent; lengths takes no gradient); the record's Op holds the
// direction (Reverse) and an RNN's nonlinearity (Act).
func init() {
	rec := func(sym string, cell RecurrentCell) OpDef {
		return OpDef{Symbol: sym, Field: fieldAll,
			Counts: func(_ *Op, _ []int, ins [][]int) Counts {
				T, N, I := int64(ins[0][0]), int64(ins[0][1]), int64(ins[0][2])
				H := int64(ins[2][1])
				G := int64(cell.Gates())
				c := Counts{Mul: G * (I + H), Add: G * (I + H + 1)}
				if ins[4] == nil { // one bias per gate
					c.Add -= G
				}
				switch cell {
				case CellRNN:
					c.Other = 1 // f(a)
				case CellLSTM:
					c.Mul += 3   // f⊙c, i⊙g, o⊙tanh(c')
					c.Add++      // f⊙c + i⊙g
					c.Other += 5 // σ, σ, tanh, σ, tanh(c')
				case CellGRU:
					c.Mul += 3   // r⊙hn, (1−z)⊙n, z⊙h
					c.Add += 2   // 1−z, sum
					c.Other += 3 // σ, σ, tanh
				}
				return c.Times(T * N * H)
			},
			Jacobian: func(_ *Op, out []int, ins [][]int, i int) Structure {
				return NewStructure(StructDense, numel(out), numel(ins[i]), 0)
			}}
	}
	declare(OpRNN, rec("RNN", CellRNN))
	declare(OpLSTM, rec("LSTM", CellLSTM))
	declare(OpGRU, rec("GRU", CellGRU))
}
